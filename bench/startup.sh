#!/usr/bin/env bash
# Workload 6: start-up as whole processes, the mean of many back-to-back runs: `btcstream
# --version` against `python3 --version`, and `btcstream aggregate` on 10 ticks against DuckDB
# (node) aggregating the same 10 ticks.
#   bash bench/startup.sh [RUNS=200]
. "$(dirname "$0")/lib.sh"
runs=${1:-200}
ten=$BENCH_OUT/ten_ticks.json
head -10 "$(ticks_file 10000)" > "$ten"

v_ours=$(per_run_ms "$runs" "$BIN" --version)
v_peer=$(per_run_ms "$runs" /usr/bin/python3 --version)
a_ours=$(per_run_ms "$runs" "$BIN" aggregate --input "$ten" --table hourly --format csv)
a_peer=$(per_run_ms $((runs / 10)) node "$BENCH_ROOT/bench/duckdb_hourly.js" "$ten" "$BENCH_OUT/ten.csv")
rss_ours=$( { /usr/bin/time -f "%M" "$BIN" aggregate --input "$ten" --table hourly --format csv > /dev/null; } 2>&1 )
rss_peer=$( { /usr/bin/time -f "%M" node "$BENCH_ROOT/bench/duckdb_hourly.js" "$ten" "$BENCH_OUT/ten.csv"; } 2>&1 )
ms_to_s() { awk -v m="$1" 'BEGIN {printf "%.5f", m / 1000}'; }
echo "RESULT|6. start-up: --version|1 process|$(ms_to_s "$v_ours")|python3 --version|$(ms_to_s "$v_peer")|-|-|< 5 ms|mean of $runs runs"
echo "RESULT|6. start-up: aggregate|10 ticks|$(ms_to_s "$a_ours")|DuckDB (node)|$(ms_to_s "$a_peer")|$((rss_ours / 1024))|$((rss_peer / 1024))|< 5 ms|mean of many runs"
