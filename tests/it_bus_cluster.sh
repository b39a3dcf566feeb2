# The bus through a node failure: a three-node JetStream cluster on 127.0.0.1 (three nats-server
# processes started from deploy/nats/, ports moved), the stream replicated three times. Two
# producers publish 100,000 ticks of two markets at once, one killed and restarted mid-run; the
# stream's leader is killed with SIGKILL mid-run and restarted; the consumer is killed mid-batch
# several times. Afterwards each market's history holds its ticks exactly once and its tables
# equal those of the same ticks through the stream directory. Then quorum is lost (two nodes
# down): the producer says so, keeps its ticks, and they all arrive once the nodes are back.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/tools/nats.sh"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/exactly_once.py"
trap 'kill -9 $(jobs -p) 2> /dev/null || true; nats_stop_all; rm -rf "$WORK"' EXIT # nothing outlives the test
base=$(nats_free_base 30000 4000)
p1=$base p2=$((base + 1)) p3=$((base + 2))
start_node() { nats_start_deploy "$1" "$base"; } # deploy/nats/*.conf, the documented cluster
for n in n1 n2 n3; do start_node $n; done
BUS="nats://127.0.0.1:$p1,nats://127.0.0.1:$p2,nats://127.0.0.1:$p3"
for i in $(seq 1 60); do # the cluster elects its JetStream leader first
    "$BTCSTREAM" bus init --bus "$BUS" --replicas 3 > init.txt 2> init.err && break
    sleep 0.5
done
expect_contains init.txt "3 replicas" "bus init --replicas 3"
# The stream's leader; asked again while the cluster has none (an election, a request timing out).
leader() {
    local i name
    for i in $(seq 1 40); do
        name=$("$BTCSTREAM" bus status --bus "$BUS" 2> /dev/null |
            sed -n 's/.*leader \(n[0-9]\).*/\1/p' || true)
        [ -n "$name" ] && { echo "$name"; return 0; }
        sleep 0.25
    done
}

n=100000
[ -n "${BS_UNDER_SANITIZER:-}" ] && n=20000
$PY - "$n" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
n = int(sys.argv[1])
with open("a.json", "w") as a, open("b.json", "w") as b:
    for i in range(n):
        t = datetime(2024, 9, 1, tzinfo=timezone.utc) + timedelta(seconds=15 * i)
        p = 61000 + (i * 7919) % 2500 + 0.25
        line = json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p + 4, "Low": p - 4,
                           "Close": p + 1, "Volume": str(i)}) + "\n"
        (a if i % 2 == 0 else b).write(line)
PY
# exec: run in the background (`publish a.json &`), the process killed is btcstream itself.
publish() { exec "$BTCSTREAM" ingest --source "replay:$1" --interval 0 --bus "$BUS" > /dev/null 2>> "pub_$1.err"; }
consume() { "$BTCSTREAM" stream --bus "$BUS" --stream-dir C --history H.json --trigger 0 \
    --max-files-per-trigger 1000 --ack-wait 2s --quiet "$@" > /dev/null 2>> stream.err; }
consume_bg() { exec "$BTCSTREAM" stream --bus "$BUS" --stream-dir C --history H.json --trigger 0 \
    --max-files-per-trigger 1000 --ack-wait 2s --quiet > /dev/null 2>> stream.err; }

started=$(date +%s.%N)
publish a.json &
pa=$!
publish b.json &
pb=$!
consume_bg &
cpid=$!
sleep 0.5
kill -9 $pb 2> /dev/null || true; wait $pb 2> /dev/null || true # a producer dies mid-run...
publish b.json &                                                 # ...and starts over
pb=$!
old=$(leader)
[ -n "$old" ] || fail "no stream leader"
nats_kill "$old"                                                 # the leader dies mid-run
for k in 1 2 3; do                                               # the consumer dies mid-batch
    sleep 0.7
    kill -9 $cpid 2> /dev/null || true; wait $cpid 2> /dev/null || true
    consume_bg &
    cpid=$!
done
start_node "$old"
wait $pa || fail "producer a: $(tail -3 pub_a.json.err)"
wait $pb || fail "producer b: $(tail -3 pub_b.json.err)"
kill -TERM $cpid 2> /dev/null || fail "the consumer died: $(grep -v '^batch' stream.err | tail -3)"
wait $cpid || true
consume --until-idle || fail "the last consumer: $(grep -v '^batch' stream.err | tail -4)"
took=$($PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)")
# Each producer publishes its own market (replay:a.json, replay:b.json): each history holds its
# ticks exactly once, and none of the other's.
$CHECK a.json markets/replay/a.json/history.json "market a through the cluster" || exit 1
$CHECK b.json markets/replay/b.json/history.json "market b through the cluster" || exit 1
new=$(leader)
pass "$n ticks exactly once through a 3-node R=3 cluster in $took s: a producer killed and rerun, the leader $old killed (now $new), the consumer killed 3 times"

same_tables_as_directory a.json 5000 "the cluster" markets/replay/a.json/history.json

# ---- quorum lost: two of three nodes down ----------------------------------------------------------
$PY - > late.json <<'PY'
import json
from datetime import datetime, timedelta, timezone
for i in range(200):
    t = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=i)
    print(json.dumps({"Datetime": t.isoformat(), "Open": 1, "High": 2, "Low": 0.5,
                      "Close": 70000 + i, "Volume": "1"}))
PY
nats_kill n2
nats_kill n3
"$BTCSTREAM" ingest --source replay:late.json --interval 20ms --bus "$BUS" > /dev/null 2> quorum.err &
qpid=$!
for i in $(seq 1 40); do grep -q "not acknowledged yet" quorum.err && break; sleep 0.5; done
grep -q "not acknowledged yet" quorum.err || fail "the producer did not report the lost quorum: $(tail -3 quorum.err)"
start_node n2
start_node n3
wait $qpid || fail "the producer did not finish once quorum was back: $(tail -3 quorum.err)"
consume --until-idle || fail "consumer after the quorum loss: $(grep -v '^batch' stream.err | tail -4)"
$CHECK late.json markets/replay/late.json/history.json "after the quorum loss" || exit 1
pass "quorum lost: the producer reported it, kept its 200 ticks, and all arrived once the nodes were back"
