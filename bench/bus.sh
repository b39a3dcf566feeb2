#!/usr/bin/env bash
# The bus, end to end: N ticks from `ingest --bus` to the committed history through a
# three-node JetStream cluster on 127.0.0.1 (deploy/nats/, replicas 3), against the same ticks
# through the stream directory (ingest to files, the stream processor beside it), alternated in
# one invocation; then the time a consumer takes to commit again after the stream's leader is
# killed with SIGKILL mid-run.   bash bench/bus.sh [N] [RUNS]
. "$(dirname "$0")/lib.sh"
n=${1:-100000}
runs=${2:-3}
src=$(ticks_file "$n")
WORK=$(mktemp -d /tmp/bench-bus.XXXXXX)
PY=/usr/bin/python3
skip() { echo "RESULT|bus|$n|-|file directory|-|-|-|>= 25,000 ticks/s|not measured: $*"; exit 0; }
fail() { echo "bench/bus.sh: $*" >&2; exit 1; }
BS_SOURCE_DIR=$BENCH_ROOT
. "$BENCH_ROOT/tests/tools/nats.sh"
trap 'nats_stop_all; rm -rf "$WORK"' EXIT
cd "$WORK"
base=$((23000 + (RANDOM % 300) * 10))
BUS="nats://127.0.0.1:$base,nats://127.0.0.1:$((base + 1)),nats://127.0.0.1:$((base + 2))"

lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
wait_lines() { # FILE N: waits until FILE has N lines
    while [ "$(lines "$1")" -lt "$2" ]; do sleep 0.02; done
}
now() { date +%s.%N; }

bus_run() { # one end-to-end run through a fresh cluster; prints seconds
    nats_stop_all
    rm -rf nats-* C H.json
    for m in n1 n2 n3; do nats_start_deploy $m $base; done
    local i
    for i in $(seq 1 60); do "$BIN" bus init --bus "$BUS" --replicas 3 > /dev/null 2>&1 && break; sleep 0.5; done
    "$BIN" stream --bus "$BUS" --stream-dir C --history H.json --trigger 0 \
        --max-files-per-trigger 5000 --quiet > /dev/null 2>&1 &
    local cpid=$! t0
    t0=$(now)
    "$BIN" ingest --source "replay:$src" --interval 0 --bus "$BUS" > /dev/null 2>&1
    wait_lines H.json "$n"
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
    wait_lines F.json "$n"
    $PY -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$t0" "$(now)"
    kill -TERM $spid; wait $spid || true
    rm -rf S
}

: > bus.times
: > dir.times
for r in $(seq 1 "$runs"); do
    bus_run >> bus.times
    dir_run >> dir.times
done
med() { sort -n "$1" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
bus_s=$(med bus.times)
dir_s=$(med dir.times)
rate() { $PY -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$n" "$1"; }
echo "RESULT|bus end to end, 3-node R=3 cluster|$n ticks|$bus_s|file directory|$dir_s|-|-|>= 25,000 ticks/s exactly once|$(rate "$bus_s") ticks/s through the cluster, $(rate "$dir_s") through the directory (medians of $runs)"

# Resume after a leader kill: ticks flow at about 1,000 a second; the leader dies; how long until
# the history grows again.
nats_stop_all
rm -rf nats-* C H.json
for m in n1 n2 n3; do nats_start_deploy $m $base; done
for i in $(seq 1 60); do "$BIN" bus init --bus "$BUS" --replicas 3 > /dev/null 2>&1 && break; sleep 0.5; done
"$BIN" stream --bus "$BUS" --stream-dir C --history H.json --trigger 0 --quiet > /dev/null 2>&1 &
cpid=$!
"$BIN" ingest --source sim --interval 1ms --duration 20s --bus "$BUS" > /dev/null 2>&1 &
ppid=$!
sleep 4
leader=$("$BIN" bus status --bus "$BUS" 2> /dev/null | sed -n "s/.*leader \(n[0-9]\).*/\1/p" || true)
nats_kill "$leader" &
# The longest stretch without a commit in the 10 s after the kill: the outage a user sees.
resume=$($PY - H.json <<'PY'
import os, sys, time
path, last_size, last_growth, longest, end = sys.argv[1], -1, time.time(), 0.0, time.time() + 10
while time.time() < end:
    size = os.path.getsize(path)
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
echo "RESULT|bus resume after the leader is killed|1,000 ticks/s|$resume|-|-|-|-|as short as the cluster's election|the longest stretch without a commit after SIGKILL of leader $leader"
