# The same ticks give the same tables to the last digit, whatever their order in the file and the
# number of scanning threads (issue 14 item 10: one average printed as 95136.0589 in one run and
# 95136.05889999999 in another), and every daily average is the exactly rounded sum over the
# count, as Python's math.fsum computes it.
. "$BS_SOURCE_DIR/tests/lib.sh"
$PY - <<'PYEOF'
import datetime, json, random
random.seed(11)
t = 1747008000.0
lines = []
for i in range(60000):
    t += random.uniform(0.5, 12)
    when = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat()
    lines.append(json.dumps({"Datetime": when, "Close": round(random.uniform(90000, 100000), 4)}))
open("sorted.json", "w").write("\n".join(lines) + "\n")
random.shuffle(lines)
open("shuffled.json", "w").write("\n".join(lines) + "\n")
PYEOF
"$BTCSTREAM" aggregate --input sorted.json --threads 1 --format csv > a.csv
"$BTCSTREAM" aggregate --input shuffled.json --threads 1 --format csv > b.csv
"$BTCSTREAM" aggregate --input shuffled.json --threads 4 --format csv > c.csv
"$BTCSTREAM" aggregate --input sorted.json --threads 3 --format csv > d.csv
cmp a.csv b.csv || fail "the order of the ticks changed the tables"
cmp a.csv c.csv || fail "4 threads over shuffled ticks changed the tables"
cmp a.csv d.csv || fail "3 threads changed the tables"
pass "tables are identical whatever the order and the threads"

"$BTCSTREAM" aggregate --input shuffled.json --table daily --format csv > daily.csv
$PY - <<'PYEOF' || fail "daily averages are not the exactly rounded sums"
import csv, json, math
days = {}
for line in open("sorted.json"):
    r = json.loads(line)
    days.setdefault(r["Datetime"][:10], []).append(r["Close"])
rows = list(csv.DictReader(open("daily.csv")))
assert len(rows) == len(days) >= 3, (len(rows), len(days))
for row in rows:
    closes = days[row["Day"]]
    want = math.fsum(closes) / len(closes)
    assert float(row["Daily_Avg_Close"]) == want, (row, repr(want))
PYEOF
pass "daily averages equal fsum / count"
