# The bus on one JetStream server (127.0.0.1, started here): ingest --bus of two markets at once,
# then stream --bus, store every tick exactly once in its own market's history, never mixed,
# through a producer restarted over the same ticks (message ids), a consumer killed mid-batch
# several times (acks only after every market's commit), ticks without a market (to --history)
# and bad messages (dead letters with a reason, never redelivered). The tables equal those of
# the same ticks through the stream directory.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/tools/nats.sh"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/exactly_once.py"
trap 'kill -9 $(jobs -p) 2> /dev/null || true; nats_stop_all; rm -rf "$WORK"' EXIT # nothing outlives the test
port=$(nats_free_base 20000 10000)
BUS="nats://127.0.0.1:$port"
nats_start one "$port"
"$BTCSTREAM" bus init --bus "$BUS" > init.txt || fail "bus init"
expect_contains init.txt "stream BTCSTREAM: subjects btcstream.>" "bus init prints the stream"

n=20000
[ -n "${BS_UNDER_SANITIZER:-}" ] && n=5000
# Two markets at the same instants (different prices), so that a tick that went to the other
# market's history shows as missing from one and extra in the other; and ticks without a market.
$PY - "$n" <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
def tick(t, p, v):
    return json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p + 4, "Low": p - 4,
                       "Close": p + 1, "Volume": str(v)}) + "\n"
with open("a.json", "w") as a, open("b.json", "w") as b:
    for i in range(int(sys.argv[1])):
        t = datetime(2024, 8, 1, tzinfo=timezone.utc) + timedelta(seconds=30 * i)
        a.write(tick(t, 58000 + (i * 7919) % 1500 + 0.5, 10 + i))
        b.write(tick(t, 3000 + (i * 104729) % 700 + 0.25, 90000 + i))
with open("legacy.json", "w") as f:
    for i in range(4):
        f.write(tick(datetime(2023, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=i), 100 + i, i))
PY
# Market a's producer killed half-way and restarted over the same ticks while b's runs: the
# message ids drop the repeats. (`replay:FILE` publishes as the market replay:FILE.)
publish() { "$BTCSTREAM" ingest --source "replay:$1" --interval 0 --bus "$BUS" > /dev/null 2>> "ingest_$1.err"; }
publish a.json &
apid=$!
publish b.json &
bpid=$!
sleep 0.3
kill -9 $apid 2> /dev/null || true
wait $apid 2> /dev/null || true
publish a.json || fail "ingest --bus a: $(cat ingest_a.json.err)"
wait $bpid || fail "ingest --bus b: $(cat ingest_b.json.err)"
"$BTCSTREAM" bus status --bus "$BUS" > status.txt
expect_contains status.txt "  $((2 * n)) messages" "the stream holds each tick once (message ids)"

# Ticks without a Market (one message of three lines, one of one) go to --history.
nats_pub "$port" btcstream.sim "$(head -3 legacy.json)"
nats_pub "$port" btcstream.sim "$(tail -1 legacy.json)"
# Bad messages on the subject: dead letters, acknowledged for good. A market's tick on another
# market's subject, or a Market that is not a market name, is one too: it never lands anywhere.
nats_pub "$port" btcstream.sim '{"Datetime": "not a time", "Close": 1}'
nats_pub "$port" btcstream.sim 'binary garbage'
nats_pub "$port" btcstream.replay_b_json \
    '{"Datetime": "2022-01-01T00:00:00Z", "Market": "replay:a.json", "Close": 1}'
nats_pub "$port" btcstream.nocolon '{"Datetime": "2022-01-01T00:00:00Z", "Market": "nocolon", "Close": 1}'

# The consumer killed mid-batch a few times, then run to the end.
for k in 1 2 3 4; do
    # (stdbuf execs btcstream, so $! is its pid; its batch lines reach the file before a kill)
    stdbuf -oL "$BTCSTREAM" stream --bus "$BUS" --stream-dir B --history H.json --trigger 0 \
        --ack-wait 2s --max-files-per-trigger 500 --quiet >> stream.out 2>> stream.err &
    spid=$!
    sleep "0.$((RANDOM % 3 + 1))"
    kill -9 $spid 2> /dev/null || true
    wait $spid 2> /dev/null || true
done
"$BTCSTREAM" stream --bus "$BUS" --stream-dir B --history H.json --until-idle --trigger 500ms \
    --ack-wait 2s >> stream.out 2> stream.err || fail "stream --bus: $(cat stream.err)"
A=markets/replay/a.json/history.json
$CHECK a.json $A "market replay:a.json through the bus" || exit 1
$CHECK b.json markets/replay/b.json/history.json "market replay:b.json through the bus" || exit 1
$CHECK legacy.json H.json "ticks without a market through the bus" || exit 1
for m in a b; do # the batch lines of every run, the killed ones included
    grep -q "^batch [0-9]* of replay:$m.json: " stream.out || fail "no batch line names replay:$m.json: $(head -3 stream.out)"
done
for m in a b; do
    grep -q "^commit .* J:[0-9]*$" B/replay/$m.json/_checkpoint.log ||
        fail "market $m's checkpoint records no stream sequence: $(tail -2 B/replay/$m.json/_checkpoint.log)"
done
expect_eq "$(ls B/_quarantine | grep -c '^bus_.*\.json$')" 4 "dead letters"
expect_eq "$(ls B/_quarantine | grep -c '\.reason$')" 4 "dead letters' reasons"
grep -q "Market replay:a.json does not match the subject btcstream.replay_b_json" B/_quarantine/*.reason ||
    fail "no reason names the Market against its subject: $(cat B/_quarantine/*.reason)"
"$BTCSTREAM" bus status --bus "$BUS" > status.txt
expect_contains status.txt "consumer btcstream: 0 waiting, 0 delivered not yet acknowledged" \
    "everything acknowledged, the dead letters included"
pass "2 markets x $n ticks exactly once each through the bus, never mixed: a producer killed and rerun, consumer killed 4 times, 4 ticks without a market to --history, 4 dead letters"

# The same ticks through the stream directory give the same tables.
same_tables_as_directory a.json 1000 "the bus" "$A"

# run --bus: the whole pipeline with the producer and the stream processor meeting on the bus.
"$BTCSTREAM" run --source sim --duration 2500ms --interval 20ms --bus "$BUS" --data-dir R \
    --out-dir RO --no-upload --quiet > run.txt 2>&1 || fail "run --bus: $(grep -v "^batch\|^  " run.txt | tail -5)"
produced=$(sed -n 's/^ *ticks produced *\([0-9]*\).*/\1/p' run.txt)
[ "${produced:-0}" -gt 73 ] || fail "run --bus produced too few ticks: $(cat run.txt)"
expect_eq "$(wc -l < R/markets/sim/BTC-USD/history.json)" "$produced" "run --bus commits every tick it produced"
[ -f RO/bitcoin_predictions.zip ] || fail "run --bus did not reach the batch stages"
grep -q "^ *ticks produced *$produced (0 failed requests) into the bus $BUS\$" run.txt ||
    fail "run --bus's summary does not name the bus: $(grep 'ticks produced' run.txt)"
grep -q "^btcstream run: .* into the bus $BUS\$" run.txt ||
    fail "run --bus's first line does not name the bus: $(head -1 run.txt)"
pass "run --bus: $produced ticks produced, committed once each through the bus, then every stage"

"$BTCSTREAM" ingest --source sim --duration 1s --interval 100ms --bus nats://127.0.0.1:1 \
    > /dev/null 2> down.err &
dpid=$!
sleep 4
kill -TERM $dpid; sleep 0.5; kill -TERM $dpid 2> /dev/null || true
wait $dpid && fail "ingest --bus with no server exited 0"
grep -q "not acknowledged yet" down.err || fail "no word of the waiting ticks: $(cat down.err)"
pass "a producer whose server is down says the ticks wait, and fails when told to give up"
