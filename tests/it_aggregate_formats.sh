# `aggregate --format csv|json` without --table: a program can tell the four tables apart (csv:
# "# table NAME" above each, json: a "table" field on every row), --out writes one plain file a
# table for csv and json too, and Parquet's Day column is a DATE. Checked against the
# single-table outputs, by Python's csv/json modules and by DuckDB.
. "$BS_SOURCE_DIR/tests/lib.sh"
$PY - > h.json <<'PYEOF'
import datetime, json, random
random.seed(7)
t = 1747008000  # 2025-05-12 00:00:00 UTC
for i in range(300):
    t += random.randint(60, 1800)
    c = round(95000 + random.uniform(-500, 500), 4)
    when = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat()
    print(json.dumps({"Datetime": when, "Close": c}))
PYEOF
tables="hour_of_day hourly daily moving_avg"
for t in $tables; do
    "$BTCSTREAM" aggregate --input h.json --table $t --format json > one_$t.json
    "$BTCSTREAM" aggregate --input h.json --table $t --format csv > one_$t.csv
done

"$BTCSTREAM" aggregate --input h.json --format json > all.json
$PY - $tables <<'PYEOF' || fail "json rows do not say their table"
import json, sys
rows = {}
for line in open("all.json"):
    row = json.loads(line)
    rows.setdefault(row.pop("table"), []).append(row)
assert sorted(rows) == sorted(sys.argv[1:]), sorted(rows)
for t in sys.argv[1:]:
    one = [json.loads(l) for l in open("one_%s.json" % t)]
    assert rows[t] == one and one, t
PYEOF
pass "json rows carry their table"

"$BTCSTREAM" aggregate --input h.json --format csv > all.csv
$PY - $tables <<'PYEOF' || fail "csv tables cannot be told apart"
import sys
sections = open("all.csv").read().split("\n\n")
assert len(sections) == 4, len(sections)
for t, text in zip(sys.argv[1:], sections):
    head, rest = text.split("\n", 1)
    assert head == "# table " + t, head
    assert rest.rstrip("\n") == open("one_%s.csv" % t).read().rstrip("\n"), t
PYEOF
pass "csv tables are labelled and separated"

for f in csv json; do
    "$BTCSTREAM" aggregate --input h.json --format $f --out out_$f > wrote.txt
    for t in $tables; do
        cmp out_$f/$t.$f one_$t.$f || fail "--out $f: $t.$f differs from the printed table"
        expect_contains wrote.txt "wrote out_$f/$t.$f ($(($(wc -l < one_$t.csv) - 1)) rows)" "--out $f says what it wrote"
    done
done
pass "--out writes one file a table for csv and json"

"$BTCSTREAM" aggregate --input h.json --format parquet --out pq > /dev/null
cat > q.js <<'JS'
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  const types = (await con.runAndReadAll("DESCRIBE SELECT * FROM 'pq/daily.parquet'")).getRows();
  console.log(types.map((r) => r[0] + ':' + r[1]).join(' '));
  const csv = (await con.runAndReadAll("SELECT count(*) FROM 'pq/daily.parquet' p JOIN " +
    "read_csv('out_csv/daily.csv', header=true, columns={'Day':'DATE','A':'DOUBLE','Mi':'DOUBLE','Ma':'DOUBLE'}) c " +
    "ON p.Day = c.Day AND p.Daily_Avg_Close = c.A")).getRows();
  const all = (await con.runAndReadAll("SELECT count(*) FROM 'out_csv/daily.csv'")).getRows();
  console.log(String(csv[0][0]) + ' ' + String(all[0][0]));
  const json = (await con.runAndReadAll("SELECT count(DISTINCT \"table\") FROM read_json_auto('all.json')")).getRows();
  console.log(String(json[0][0]));
})().catch((e) => { console.error(e.message); process.exit(1); });
JS
NODE_PATH=$BS_NODE_DIR/node_modules node q.js > duck.txt || fail "duckdb: $(cat duck.txt)"
expect_eq "$(sed -n 1p duck.txt)" "Day:DATE Daily_Avg_Close:DOUBLE Daily_Min_Close:DOUBLE Daily_Max_Close:DOUBLE" "Parquet types"
days=$(($(wc -l < one_daily.csv) - 1))
expect_eq "$(sed -n 2p duck.txt)" "$days $days" "every Parquet day matches the CSV's"
expect_eq "$(sed -n 3p duck.txt)" 4 "DuckDB tells the four tables apart in the json"
pass "Parquet Day is a DATE, read by DuckDB"
