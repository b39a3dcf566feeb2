#!/usr/bin/env bash
# Workload: one market of N 1-minute candles (a gap every 5,000 minutes): `btcstream markets`
# (one streaming pass: rows, span, missing minutes) and `btcstream export --format parquet`
# against DuckDB doing the same from the same JSON lines, alternating. Both sides' answers are
# compared: the same summary, and the same rows in both Parquet files.
#   bash bench/export.sh [ROWS=1000000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
rows=${1:-1000000}
runs=${2:-3}
data=$BENCH_DATA/export_$rows
history=$data/markets/binance/BTCUSDT/history.json
if [ ! -s "$history" ]; then
    mkdir -p "$(dirname "$history")"
    /usr/bin/python3 - "$rows" > "$history.tmp" <<'PY'
import datetime, sys
t0 = 1704067200
out = sys.stdout
for m in range(int(sys.argv[1])):
    if m % 5000 == 17:
        continue
    o = 40000 + (m % 9973) * 0.5
    d = datetime.datetime.fromtimestamp(t0 + 60 * m, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000000+00:00')
    out.write('{"Datetime": "%s", "Market": "binance:BTCUSDT", "Open": %r, "High": %r, "Low": %r, "Close": %r, '
              '"Volume": "%r", "Trades": %d}\n' % (d, o, o + 5, o - 5, o + 1, 1.25 + m % 10, m % 300))
PY
    mv "$history.tmp" "$history"
fi
cat "$history" > /dev/null

ours_cmd() { "$BIN" markets --data-dir "$data" --format json; }
peer_cmd() { node "$BENCH_ROOT/bench/export_peer.js" markets "$history"; }
alternate "$runs" markets_ours markets_duckdb
ours=$("$BIN" markets --data-dir "$data" --format json | head -1)
peer=$(node "$BENCH_ROOT/bench/export_peer.js" markets "$history")
/usr/bin/python3 -c "
import json, sys
o, p = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert [o['rows'], o['missing_minutes'], o['holes']] == [int(p[0]), int(p[3]), int(p[4])], (o, p)
" "$ours" "$peer" || { echo "export: markets summaries differ: $ours / $peer" >&2; exit 1; }
result "markets (summary of one market)" "$rows candles" markets_ours "DuckDB read_json + window" markets_duckdb \
    ">= 1x (as fast)" "same rows, missing minutes and holes"

ours_cmd() { "$BIN" export --data-dir "$data" --format parquet --out "$BENCH_OUT/export_ours.parquet" 2> /dev/null; }
peer_cmd() { node "$BENCH_ROOT/bench/export_peer.js" parquet "$history" "$BENCH_OUT/export_duckdb.parquet"; }
alternate "$runs" export_ours export_duckdb
node -e "
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => { const c = await (await DuckDBInstance.create(':memory:')).connect();
  const r = await c.runAndReadAll(\"SELECT (SELECT count(*) FROM read_parquet('$BENCH_OUT/export_ours.parquet')), \" +
    \"(SELECT count(*) FROM (SELECT * FROM read_parquet('$BENCH_OUT/export_ours.parquet') EXCEPT ALL \" +
    \"SELECT * FROM read_parquet('$BENCH_OUT/export_duckdb.parquet')))\");
  const [n, different] = r.getRowsJson()[0];
  if (different !== '0') { console.error('differ', n, different); process.exit(1); }
})();" || { echo "export: Parquet files differ" >&2; exit 1; }
rm -f "$BENCH_OUT/export_ours.parquet" "$BENCH_OUT/export_duckdb.parquet"
result "export --format parquet (one market)" "$rows candles" export_ours "DuckDB read_json + COPY TO parquet" \
    export_duckdb ">= 1x (as fast)" "same rows in both files"
