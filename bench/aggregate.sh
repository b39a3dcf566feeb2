#!/usr/bin/env bash
# Workload 2: `btcstream aggregate --table hourly` against DuckDB (npm @duckdb/node-api, its
# default threads) doing the same hourly GROUP BY on the same tick history, as whole processes,
# alternating; the two outputs must agree to a relative 1e-9.
#   bash bench/aggregate.sh [TICKS=10000000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
ticks=${1:-10000000}
runs=${2:-3}
history=$(ticks_file "$ticks")

ours_cmd() { "$BIN" aggregate --input "$history" --table hourly --format csv; }
peer_cmd() { node "$BENCH_ROOT/bench/duckdb_hourly.js" "$history" "$BENCH_OUT/duckdb_hourly.csv"; }
alternate "$runs" agg_ours_$ticks agg_duckdb_$ticks
ours_cmd > "$BENCH_OUT/ours_hourly.csv"
/usr/bin/python3 "$BENCH_ROOT/tests/tools/reference_tables.py" compare "$BENCH_OUT/duckdb_hourly.csv" \
    "$BENCH_OUT/ours_hourly.csv" > /dev/null || { echo "aggregate: outputs differ" >&2; exit 1; }
result "2. load + hourly aggregate" "$ticks ticks" agg_ours_$ticks "DuckDB" agg_duckdb_$ticks \
    ">= 5x faster, RSS <= peer" "outputs equal to 1e-9"
