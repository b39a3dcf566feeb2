#!/usr/bin/env bash
# Benchmark (not a test): `btcstream aggregate --table hourly` against DuckDB doing the same
# hourly GROUP BY on the same deterministic tick history, as whole processes, alternating the
# two, RUNS runs each; prints medians, the ratio and both peak RSS, and checks the two outputs
# agree to a relative 1e-9.
#   bash bench/aggregate.sh [TICKS=10000000] [RUNS=3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ticks=${1:-10000000}
runs=${2:-3}
bin=$root/build/btcstream
data=$root/bench/data
mkdir -p "$data"
export NODE_PATH=$root/tests/node/node_modules

history=$data/ticks_$ticks.json
if [ ! -s "$history" ]; then
    echo "generating $ticks ticks into $history ..." >&2
    "$root/build/bench/bench_gen_ticks" "$ticks" 1 > "$history.tmp" && mv "$history.tmp" "$history"
fi
cat "$history" > /dev/null # both sides start from a warm page cache

measure() { # NAME COMMAND... -> appends "seconds rss_kb" to $data/NAME.times
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$data/$name.last" "$@" > /dev/null
    cat "$data/$name.last" >> "$data/$name.times"
}
rm -f "$data"/ours.times "$data"/duckdb.times
for i in $(seq 1 "$runs"); do
    measure ours "$bin" aggregate --input "$history" --table hourly --format csv
    measure duckdb node "$root/bench/duckdb_hourly.js" "$history" "$data/duckdb_hourly.csv"
done
"$bin" aggregate --input "$history" --table hourly --format csv > "$data/ours_hourly.csv"
/usr/bin/python3 "$root/tests/tools/reference_tables.py" compare "$data/duckdb_hourly.csv" \
    "$data/ours_hourly.csv" > /dev/null || { echo "outputs differ" >&2; exit 1; }

median() { sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'; }
ours_s=$(median "$data/ours.times" 1); duck_s=$(median "$data/duckdb.times" 1)
ours_kb=$(median "$data/ours.times" 2); duck_kb=$(median "$data/duckdb.times" 2)
printf '%-28s %10s %10s %8s %12s %12s\n' workload "ours (s)" "duckdb (s)" ratio "ours RSS" "duckdb RSS"
printf '%-28s %10s %10s %7.2fx %9d MB %9d MB\n' "aggregate hourly, $ticks" "$ours_s" "$duck_s" \
    "$(awk -v a="$duck_s" -v b="$ours_s" 'BEGIN {print a / b}')" $((ours_kb / 1024)) $((duck_kb / 1024))
