# Shared by the benchmark scripts (sourced): data paths, timing of whole processes, medians.
# Every workload prints one line "RESULT|workload|size|ours_s|peer|peer_s|ours_rss_mb|peer_rss_mb|goal|note"
# that bench/run.sh gathers into bench/RESULTS.md.
set -euo pipefail
set -a # the workloads' variables reach the shells that /usr/bin/time starts
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=$BENCH_ROOT/build/btcstream
BENCH_DATA=$BENCH_ROOT/bench/data
BENCH_OUT=$BENCH_ROOT/bench/out
mkdir -p "$BENCH_DATA" "$BENCH_OUT"
export NODE_PATH=$BENCH_ROOT/tests/node/node_modules

# ticks_file N: a deterministic N-tick history (generated once, then reused).
ticks_file() {
    local f=$BENCH_DATA/ticks_$1.json
    if [ ! -s "$f" ]; then
        echo "generating $1 ticks ..." >&2
        "$BENCH_ROOT/build/bench/bench_gen_ticks" "$1" 1 > "$f.tmp" && mv "$f.tmp" "$f"
    fi
    cat "$f" > /dev/null # every side starts from a warm page cache
    echo "$f"
}

# timed NAME CMD...: runs CMD once (stdout discarded) and appends "seconds peak_rss_kb" to NAME's log.
timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$BENCH_OUT/$name.last" "$@" > /dev/null
    tail -1 "$BENCH_OUT/$name.last" >> "$BENCH_OUT/$name.times"
}

# median NAME COLUMN: the median of a column (1 = seconds, 2 = RSS kB) of NAME's log.
median() {
    sort -n -k"$2" "$BENCH_OUT/$1.times" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

# alternate RUNS OURS_NAME PEER_NAME: runs ours_cmd and peer_cmd (functions) in turn, RUNS times,
# each as a whole process under /usr/bin/time.
alternate() {
    local runs=$1 ours=$2 peer=$3
    export -f ours_cmd peer_cmd
    rm -f "$BENCH_OUT/$ours.times" "$BENCH_OUT/$peer.times"
    for _ in $(seq 1 "$runs"); do
        timed "$ours" bash -c ours_cmd
        timed "$peer" bash -c peer_cmd
    done
}

# result WORKLOAD SIZE OURS_NAME PEER_LABEL PEER_NAME GOAL [NOTE]: prints the RESULT line.
result() {
    local o p om pm
    o=$(median "$3" 1); p=$(median "$5" 1); om=$(median "$3" 2); pm=$(median "$5" 2)
    echo "RESULT|$1|$2|$o|$4|$p|$((om / 1024))|$((pm / 1024))|$6|${7:-}"
}

# per_run_ms N CMD...: mean wall time of N back-to-back runs of a short command, in ms.
per_run_ms() {
    local n=$1
    shift
    local start end
    start=$(date +%s%N)
    for _ in $(seq 1 "$n"); do "$@" > /dev/null 2>&1; done
    end=$(date +%s%N)
    awk -v a="$start" -v b="$end" -v n="$n" 'BEGIN {printf "%.3f", (b - a) / n / 1e6}'
}
