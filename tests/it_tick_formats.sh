# Price files as other programs write them, through `import` and `aggregate`: CryptoDataDownload's
# CSV (a URL line before the header, newest row first), CoinGecko's market_chart JSON (one
# document, compact or indented, with market caps and volumes beside the prices), a JSON-lines
# file starting with a byte-order mark, and a file whose every line is bad (the error names the
# first one as file:line: reason). Expected ticks are worked out by Python from the same text.
. "$BS_SOURCE_DIR/tests/lib.sh"

cat > cdd.csv <<'CSV'
https://www.CryptoDataDownload.com
unix,date,symbol,open,high,low,close,Volume BTC,Volume USD
1704067380000,2024-01-01 00:03:00,BTC/USD,42010,42030,42005,42025.5,0.25,10506.4
1704067320000,2024-01-01 00:02:00,BTC/USD,42005,42020,42000,42010,0.7,29407
1704067260000,2024-01-01 00:01:00,BTC/USD,42001.5,42010,41990.25,42005,0.5,21002.5
CSV
"$BTCSTREAM" import cdd.csv --history cdd_history.json > out.txt 2> err.txt || fail "CryptoDataDownload CSV refused: $(cat err.txt)"
expect_contains out.txt "read 3, appended 3" "CryptoDataDownload rows"
$PY - <<'PY' || fail "CryptoDataDownload history"
import json, csv
from datetime import datetime, timezone
rows = list(csv.DictReader(open("cdd.csv").read().splitlines()[1:]))
want = sorted((int(r["unix"]) * 1000, float(r["open"]), float(r["high"]), float(r["low"]),
               float(r["close"]), float(r["Volume BTC"])) for r in rows)
got = []
for line in open("cdd_history.json"):
    t = json.loads(line)
    ts = datetime.fromisoformat(t["Datetime"]).astimezone(timezone.utc)
    got.append((int(ts.timestamp() * 1000000), t["Open"], t["High"], t["Low"], t["Close"],
                float(t["Volume"])))
assert got == want, (got, want)
PY
sed -i '4s/42010,0.7/x,0.7/' cdd.csv
"$BTCSTREAM" aggregate --input cdd.csv --table hourly --format csv > agg.txt 2> err.txt
expect_contains err.txt "cdd.csv:4: column 7 (Close): not a finite number" "bad CryptoDataDownload row numbered from the file's first line"
pass "CryptoDataDownload: URL line skipped, newest-first rows stored in time order"

$PY - <<'PY'
import json
doc = {"prices": [[1704067200000, 42280.23], [1704070800000, 42500.5], [1704074400000, 42611.75]],
       "market_caps": [[1704067200000, 8.2e11], [1704070800000, 8.3e11], [1704074400000, 8.4e11]],
       "total_volumes": [[1704067200000, 1.1e10], [1704070800000, 1.25e10]]}
open("chart.json", "w").write(json.dumps(doc))
open("chart_indented.json", "w").write(json.dumps(doc, indent=2) + "\n")
doc["prices"][1] = [1704070800000, "n/a"]
open("chart_bad.json", "w").write(json.dumps(doc, indent=2) + "\n")
PY
for f in chart.json chart_indented.json; do
    "$BTCSTREAM" import $f --history ${f%.json}_history.json > out.txt 2> err.txt || fail "$f refused: $(cat err.txt)"
    expect_contains out.txt "(CoinGecko market_chart JSON)" "$f detected"
    expect_contains out.txt "read 3, appended 3" "$f ticks"
    $PY - ${f%.json}_history.json <<'PY' || fail "$f history"
import json, sys
from datetime import datetime, timezone
doc = json.load(open("chart.json"))
vol = {ms: v for ms, v in doc["total_volumes"]}
want = [(ms * 1000, p, vol.get(ms)) for ms, p in doc["prices"]]
got = []
for line in open(sys.argv[1]):
    t = json.loads(line)
    ts = datetime.fromisoformat(t["Datetime"]).astimezone(timezone.utc)
    assert t["Open"] == t["High"] == t["Low"] == t["Close"]
    got.append((int(ts.timestamp() * 1000000), t["Close"],
                float(t["Volume"]) if "Volume" in t else None))
assert got == want, (got, want)
PY
done
"$BTCSTREAM" aggregate --input chart_bad.json --table hourly --format csv > agg.txt 2> err.txt
grep -n '"n/a"' chart_bad.json | cut -d: -f1 > bad_line.txt
expect_contains err.txt "chart_bad.json:$(( $(cat bad_line.txt) - 2 )): expected [epoch milliseconds, price]" "bad pair numbered by the line of its opening bracket"
expect_eq "$(wc -l < agg.txt)" 3 "the good pairs are kept"
pass "CoinGecko market_chart: compact and indented, volumes matched by time, bad pair named"

printf '\xEF\xBB\xBF{"Datetime": "2025-05-12T01:22:54Z", "Close": 100}\n{"Datetime": "2025-05-12T01:23:54Z", "Close": 300}\n' > bom.json
"$BTCSTREAM" import bom.json --history bom_history.json > out.txt 2> err.txt || fail "BOM file refused: $(cat err.txt)"
expect_contains out.txt "read 2, appended 2" "BOM file keeps its first line"
pass "a JSON-lines file with a byte-order mark keeps its first tick"

printf '{"Datetime": "2025-05-12T01:00:00", "Close": "x"}\n{"Datetime": "2025-05-12T01:00:00", "Close": -1}\n' > allbad.json
if "$BTCSTREAM" import allbad.json --history h.json 2> err.txt; then fail "all-bad file imported"; fi
expect_contains err.txt 'allbad.json: no valid ticks (2 bad lines; allbad.json:1: field "Close": not a number)' "all-bad import names the first bad line"
pass "a file without one valid tick names its first bad line"
