#!/usr/bin/env bash
# `make bench`: every workload against the tool a user would pick instead, in one invocation,
# on the same data and machine; writes the table and a description of the machine to
# bench/RESULTS.md. Not part of `make test`; takes several minutes.
#   bash bench/run.sh [quick]      (quick: fewer runs and the smaller sizes only)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/bench/setup.sh"
quick=${1:-}
runs=5
[ "$quick" = quick ] && runs=1
results=$root/bench/out/results.txt
mkdir -p "$root/bench/out"
: > "$results"

workload() { # SCRIPT ARGS...: runs one workload script, keeping its RESULT lines
    local script=$root/bench/$1
    shift
    echo "== $(basename "$script") $*" >&2
    sync # one workload's dirty pages must not be flushed during the next one's fsyncs
    if [ ! -f "$script" ]; then
        echo "RESULT|$(basename "$script" .sh)|-|-|-|-|-|-|-|not measured: script missing" >> "$results"
        return
    fi
    if ! bash "$script" "$@" 2> >(tee -a "$root/bench/out/stderr.log" >&2) | tee /dev/stderr | grep '^RESULT|' >> "$results"; then
        echo "RESULT|$(basename "$script" .sh)|-|-|-|-|-|-|-|failed: see bench/out/stderr.log" >> "$results"
    fi
}

workload pipeline.sh 10000 "$runs"
workload aggregate.sh 1000000 "$runs"
[ "$quick" = quick ] || workload aggregate.sh 10000000 "$runs"
workload train.sh 1000000
workload parquet_write.sh 10000000
workload stream_latency.sh 10 20000 "$runs"
workload startup.sh 200
workload bus.sh 100000 "$runs"
workload dashboard.sh 1000
workload walk_forward.sh 1000000 1 # minutes a run: one is enough for a ratio this large
workload export.sh 1000000 "$runs"
if [ "$quick" = quick ]; then workload candles.sh 1000000 1; else workload candles.sh 5000000 3; fi
if [ "$quick" = quick ]; then workload feed.sh 300000 1; else workload feed.sh 1000000 3; fi
workload backfill.sh "$runs" 365

{
    echo "# Benchmark results"
    echo
    echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'). Each row runs"
    echo "ours and the peer alternately in the same invocation on the same input; times are medians"
    echo "of whole processes, RSS is peak resident memory. Ratio = peer time / our time."
    echo
    echo "| workload | size | ours (s) | peer | peer (s) | ratio | ours RSS (MB) | peer RSS (MB) | goal | note |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    while IFS='|' read -r _ w size ours peer peer_s orss prss goal note; do
        ratio=$(awk -v a="$peer_s" -v b="$ours" 'BEGIN {if (b + 0 > 0 && a + 0 > 0) printf "%.2fx", a / b; else print "-"}')
        echo "| $w | $size | $ours | $peer | $peer_s | $ratio | $orss | $prss | $goal | $note |"
    done < "$results"
    echo
    echo "## Machine"
    echo
    echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
    echo "- memory: $(free -g | awk '/Mem:/ {print $2}') GiB; kernel $(uname -r)"
    echo "- $(. /etc/os-release && echo "$PRETTY_NAME"); $(gcc --version | head -1)"
    echo "- peers: DuckDB $(node -e "console.log(require('$root/tests/node/node_modules/@duckdb/node-api/package.json').version)" 2>/dev/null), node $(node --version), $(/usr/bin/python3 -c 'import pandas, sklearn, xgboost; print(f"pandas {pandas.__version__}, scikit-learn {sklearn.__version__}, xgboost {xgboost.__version__}")' 2>/dev/null)"
} > "$root/bench/RESULTS.md"
echo "wrote bench/RESULTS.md" >&2
cat "$root/bench/RESULTS.md"
