# The bus on one JetStream server (127.0.0.1, started here): ingest --bus then stream --bus store
# every tick exactly once, through a producer restarted over the same ticks (message ids), a
# consumer killed mid-batch several times (acks only after the commit), and bad messages (dead
# letters with a reason, never redelivered). The tables equal those of the same ticks through the
# stream directory.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/tools/nats.sh"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/exactly_once.py"
trap 'kill -9 $(jobs -p) 2> /dev/null || true; nats_stop_all; rm -rf "$WORK"' EXIT # nothing outlives the test
port=$((20000 + RANDOM % 20000))
BUS="nats://127.0.0.1:$port"
nats_start one "$port"
"$BTCSTREAM" bus init --bus "$BUS" > init.txt || fail "bus init"
expect_contains init.txt "stream BTCSTREAM: subjects btcstream.>" "bus init prints the stream"

n=20000
[ -n "${BS_UNDER_SANITIZER:-}" ] && n=5000
$PY - "$n" > source.json <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
for i in range(int(sys.argv[1])):
    t = datetime(2024, 8, 1, tzinfo=timezone.utc) + timedelta(seconds=30 * i)
    p = 58000 + (i * 7919) % 1500 + 0.5
    print(json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p + 4, "Low": p - 4,
                      "Close": p + 1, "Volume": str(10 + i)}))
PY
# A producer killed half-way and restarted over the same ticks: the message ids drop the repeats.
"$BTCSTREAM" ingest --source replay:source.json --interval 0 --bus "$BUS" > /dev/null 2>&1 &
ppid=$!
sleep 0.3
kill -9 $ppid 2> /dev/null || true
wait $ppid 2> /dev/null || true
"$BTCSTREAM" ingest --source replay:source.json --interval 0 --bus "$BUS" > /dev/null 2> ingest.err ||
    fail "ingest --bus: $(cat ingest.err)"
"$BTCSTREAM" bus status --bus "$BUS" > status.txt
expect_contains status.txt "  $n messages" "the stream holds each tick once (message ids)"

# Bad messages on the subject: dead letters, acknowledged for good.
nats_pub "$port" btcstream.sim '{"Datetime": "not a time", "Close": 1}'
nats_pub "$port" btcstream.sim 'binary garbage'

# The consumer killed mid-batch a few times, then run to the end.
for k in 1 2 3 4; do
    "$BTCSTREAM" stream --bus "$BUS" --stream-dir B --history H.json --trigger 0 --ack-wait 2s \
        --max-files-per-trigger 500 --quiet > /dev/null 2>> stream.err &
    spid=$!
    sleep "0.$((RANDOM % 3 + 1))"
    kill -9 $spid 2> /dev/null || true
    wait $spid 2> /dev/null || true
done
"$BTCSTREAM" stream --bus "$BUS" --stream-dir B --history H.json --until-idle --trigger 500ms \
    --ack-wait 2s \
    --quiet > /dev/null 2> stream.err || fail "stream --bus: $(cat stream.err)"
$CHECK source.json H.json "through the bus" || exit 1
expect_eq "$(ls B/_quarantine | grep -c '^bus_.*\.json$')" 2 "dead letters"
expect_eq "$(ls B/_quarantine | grep -c '\.reason$')" 2 "dead letters' reasons"
"$BTCSTREAM" bus status --bus "$BUS" > status.txt
expect_contains status.txt "consumer btcstream: 0 waiting, 0 delivered not yet acknowledged" \
    "everything acknowledged, the dead letters included"
pass "$n ticks exactly once through the bus: producer killed and rerun, consumer killed 4 times, 2 dead letters"

# The same ticks through the stream directory give the same tables.
same_tables_as_directory source.json 1000 "the bus"

# run --bus: the whole pipeline with the producer and the stream processor meeting on the bus.
"$BTCSTREAM" run --source sim --duration 2500ms --interval 20ms --bus "$BUS" --data-dir R \
    --out-dir RO --no-upload --quiet > run.txt 2>&1 || fail "run --bus: $(grep -v "^batch\|^  " run.txt | tail -5)"
produced=$(sed -n 's/^ *ticks produced *\([0-9]*\).*/\1/p' run.txt)
[ "${produced:-0}" -gt 73 ] || fail "run --bus produced too few ticks: $(cat run.txt)"
expect_eq "$(wc -l < R/markets/sim/BTC-USD/history.json)" "$produced" "run --bus commits every tick it produced"
[ -f RO/bitcoin_predictions.zip ] || fail "run --bus did not reach the batch stages"
pass "run --bus: $produced ticks produced, committed once each through the bus, then every stage"

"$BTCSTREAM" ingest --source sim --duration 1s --interval 100ms --bus nats://127.0.0.1:1 \
    > /dev/null 2> down.err &
dpid=$!
sleep 4
kill -TERM $dpid; sleep 0.5; kill -TERM $dpid 2> /dev/null || true
wait $dpid && fail "ingest --bus with no server exited 0"
grep -q "not acknowledged yet" down.err || fail "no word of the waiting ticks: $(cat down.err)"
pass "a producer whose server is down says the ticks wait, and fails when told to give up"
