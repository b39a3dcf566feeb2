#!/usr/bin/env bash
# The bus, end to end: N ticks from `ingest --bus` to the committed history through a
# three-node JetStream cluster on 127.0.0.1 (deploy/nats/, replicas 3), against the same ticks
# through the stream directory (ingest to files, the stream processor beside it), alternated in
# one invocation; the latency from publishing a tick to its batch's commit at 1,000 ticks/s,
# against the same through the stream directory (bench_bus_latency); then the time a consumer
# takes to commit again after the stream's leader is killed with SIGKILL mid-run.
#   bash bench/bus.sh [N=100000] [RUNS=3] [LATENCY_TICKS=10000]   (N 0: latency and resume only)
. "$(dirname "$0")/lib.sh"
n=${1:-100000}
runs=${2:-3}
latency_ticks=${3:-10000}
[ "$n" -gt 0 ] && src=$(ticks_file "$n")
WORK=$(mktemp -d /tmp/bench-bus.XXXXXX)
PY=/usr/bin/python3
skip() { echo "RESULT|bus|$n|-|file directory|-|-|-|>= 25,000 ticks/s|not measured: $*"; exit 0; }
fail() { echo "bench/bus.sh: $*" >&2; exit 1; }
BS_SOURCE_DIR=$BENCH_ROOT
. "$BENCH_ROOT/tests/tools/nats.sh"
trap 'nats_stop_all; rm -rf "$WORK"' EXIT
cd "$WORK"
[ "$n" -gt 0 ] && ln -s "$src" ticks.json # replay:ticks.json publishes as the market replay:ticks.json
H=markets/replay/ticks.json/history.json
base=$(nats_free_base 34000 3000)
BUS="nats://127.0.0.1:$base,nats://127.0.0.1:$((base + 1)),nats://127.0.0.1:$((base + 2))"

lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
wait_lines() { # FILE N PID: waits until FILE has N lines, while the process PID lives
    while [ "$(lines "$1")" -lt "$2" ]; do
        kill -0 "$3" 2> /dev/null || fail "the stream processor ended early: $(grep -v '^batch' stream.err | tail -5)"
        sleep 0.02
    done
}
now() { date +%s.%N; }

# fresh_cluster: the three nodes started anew on empty stores, and the stream created.
fresh_cluster() {
    nats_stop_all
    rm -rf nats-*
    for m in n1 n2 n3; do nats_start_deploy $m $base; done
    local i
    for i in $(seq 1 60); do "$BIN" bus init --bus "$BUS" --replicas 3 > /dev/null 2>&1 && break; sleep 0.5; done
}

bus_run() { # one end-to-end run through a fresh cluster; prints seconds
    fresh_cluster
    rm -rf C H.json markets
    "$BIN" stream --bus "$BUS" --stream-dir C --history H.json --trigger 0 \
        --max-files-per-trigger 5000 --quiet > /dev/null 2> stream.err &
    local cpid=$! t0
    t0=$(now)
    "$BIN" ingest --source replay:ticks.json --interval 0 --bus "$BUS" > /dev/null 2>&1
    wait_lines "$H" "$n" $cpid
    $PY -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$(now)"
    kill -TERM $cpid; wait $cpid || true
}

dir_run() {
    rm -rf S F.json
    mkdir S
    "$BIN" stream --stream-dir S --history F.json --trigger 0 --max-files-per-trigger 5000 \
        --quiet > /dev/null 2>&1 &
    local spid=$! t0
    t0=$(now)
    "$BIN" ingest --source "replay:$src" --interval 0 --stream-dir S > /dev/null 2>&1
    wait_lines F.json "$n" $spid
    $PY -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$(now)"
    kill -TERM $spid; wait $spid || true
    rm -rf S
}

med() { sort -n "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
if [ "$n" -gt 0 ]; then
: > bus.times
: > dir.times
for r in $(seq 1 "$runs"); do
    bus_run >> bus.times
    dir_run >> dir.times
done
bus_s=$(med bus.times)
dir_s=$(med dir.times)
rate() { $PY -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$n" "$1"; }
echo "RESULT|bus end to end, 3-node R=3 cluster|$n ticks|$bus_s|file directory|$dir_s|-|-|>= 25,000 ticks/s exactly once|$(rate "$bus_s") ticks/s through the cluster, $(rate "$dir_s") through the directory (medians of $runs)"
fi

# Latency publish -> commit at 1,000 ticks/s: a fresh cluster a run, the producer and the
# stream processor in one process (bench/bus_latency.c); the same through the stream directory
# (a file a tick, fsync'd, as `ingest` writes) in turn. The median run by p99 is reported.
tool=$BENCH_ROOT/build/bench/bench_bus_latency
: > bus.latency
: > dir.latency
for r in $(seq 1 "$runs"); do
    fresh_cluster
    rm -rf L D
    "$tool" bus "$BUS" L 1000 "$latency_ticks" | tee -a bus.latency |
        awk '{ printf "bus latency run: %d ticks in %s s: p50 %s ms, p99 %s ms, max %s ms (%d batches)\n", $1, $2, $3, $4, $5, $6 }' >&2
    "$tool" dir D 1000 "$latency_ticks" | tee -a dir.latency |
        awk '{ printf "directory latency run: %d ticks in %s s: p50 %s ms, p99 %s ms, max %s ms (%d batches)\n", $1, $2, $3, $4, $5, $6 }' >&2
    rm -rf L D
done
median_by() { sort -g -k"$1","$1" | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'; }
read -r ln ls l50 l99 lmax _ < <(median_by 4 < bus.latency)
read -r dn ds d50 d99 dmax _ < <(median_by 4 < dir.latency)
drate=$($PY -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$dn" "$ds")
echo "RESULT|bus latency publish->commit, 3-node R=3 cluster|1,000 ticks/s, $ln ticks|p50 $l50 ms, p99 $l99 ms|file directory, same rate asked|p50 $d50 ms, p99 $d99 ms|-|-|p50/p99 at 1,000 ticks/s|max $lmax ms through the bus, $dmax ms through the directory (which kept up $drate ticks/s); median of $runs runs by p99"

# Resume after a leader kill: ticks flow at about 1,000 a second; the leader dies; how long until
# the history grows again.
fresh_cluster
rm -rf C H.json markets
"$BIN" stream --bus "$BUS" --stream-dir C --history H.json --trigger 0 --quiet > /dev/null 2>&1 &
cpid=$!
"$BIN" ingest --source sim --interval 1ms --duration 20s --bus "$BUS" > /dev/null 2>&1 &
ppid=$!
sleep 4
leader=$("$BIN" bus status --bus "$BUS" 2> /dev/null | sed -n "s/.*leader \(n[0-9]\).*/\1/p" || true)
nats_kill "$leader" &
# The longest stretch without a commit in the 10 s after the kill: the outage a user sees.
# (sim's ticks carry their market, sim:BTC-USD: the bus routes them to its history)
resume=$($PY - markets/sim/BTC-USD/history.json <<'PY'
import os, sys, time
path, last_size, last_growth, longest, end = sys.argv[1], -1, time.time(), 0.0, time.time() + 10
while time.time() < end:
    size = os.path.getsize(path) if os.path.exists(path) else 0
    now = time.time()
    if size != last_size:
        longest = max(longest, now - last_growth)
        last_size, last_growth = size, now
    time.sleep(0.002)
print(f"{longest:.2f}")
PY
)
kill $ppid 2> /dev/null || true
kill -TERM $cpid 2> /dev/null || true
wait $ppid $cpid 2> /dev/null || true
[ "$(lines markets/sim/BTC-USD/history.json)" -gt 0 ] || fail "the resume run committed nothing"
echo "RESULT|bus resume after the leader is killed|1,000 ticks/s|$resume|-|-|-|-|as short as the cluster's election|the longest stretch without a commit after SIGKILL of leader $leader"
