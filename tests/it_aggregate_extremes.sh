# Closes near the top of the double range: two closes of 1e308 once made an average of inf, and
# `--format json` printed it as a bare `inf`, which no JSON reader accepts. Every table's JSON
# lines must parse (Python's json, refusing Infinity and NaN) and every average must equal the
# exact one (Python's fractions), to the last bits a double can tell apart.
. "$BS_SOURCE_DIR/tests/lib.sh"
cat > big.json <<'JSON'
{"Datetime": "2025-05-12T01:22:54Z", "Close": 1e308}
{"Datetime": "2025-05-12T01:23:54Z", "Close": 1e308}
{"Datetime": "2025-05-12T02:23:54Z", "Close": 1.7976931348623157e308}
JSON
for t in hour_of_day hourly daily moving_avg; do
    "$BTCSTREAM" aggregate --input big.json --table $t --format json > $t.jsonl
done
$PY - <<'PY' || fail "JSON output of near-DBL_MAX closes"
import json, math
from fractions import Fraction

def refuse(name):
    raise ValueError("not JSON: " + name)

a, b = Fraction(1e308), Fraction(1.7976931348623157e308)
expected = {
    "hour_of_day": {"Hourly_Avg_Close": [float(a), float(b)]},
    "hourly": {"Avg_Close": [float(a), float(b)]},
    "daily": {"Daily_Avg_Close": [float((2 * a + b) / 3)]},
    "moving_avg": {"Moving_Avg_Close": [float(a), float(a), float(b), float(b)]},
}
for table, columns in expected.items():
    rows = [json.loads(line, parse_constant=refuse) for line in open(table + ".jsonl")]
    for column, values in columns.items():
        got = [row[column] for row in rows]
        assert len(got) == len(values), (table, got)
        for g, v in zip(got, values):
            assert math.isfinite(g) and math.isclose(g, v, rel_tol=4e-16), (table, column, g, v)
print("ok")
PY
pass "averages of closes near DBL_MAX are finite, exact and valid JSON"
