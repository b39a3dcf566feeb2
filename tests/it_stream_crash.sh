# Exactly-once under SIGKILL: ticks are replayed into the stream directory while the stream
# processor is killed at random moments (KILLS times, 100 in `make test`, 1,000 in `make soak`)
# and restarted while files keep arriving; at the end the history holds every tick exactly once
# (checked by Python against the source), and the lost and duplicated counts are reported.
. "$BS_SOURCE_DIR/tests/lib.sh"

kills=${BS_SOAK_KILLS:-100}
n=${BS_SOAK_TICKS:-$((kills * 100))}
max_delay_ms=${BS_SOAK_MAX_DELAY_MS:-150}
started=$(date +%s.%N)
$PY - "$n" > source.json <<'PY'
import json, sys
from datetime import datetime, timedelta, timezone
t = datetime(2024, 1, 1, tzinfo=timezone.utc)
for i in range(int(sys.argv[1])):
    t += timedelta(seconds=30 + i % 7, microseconds=i)
    p = 40000 + (i * 7919) % 5000 + 0.25
    print(json.dumps({"Datetime": t.isoformat(), "Open": p, "High": p + 5, "Low": p - 5,
                      "Close": p + 1, "Volume": str(1000 + i)}))
PY

"$BTCSTREAM" ingest --source replay:source.json --interval 0 --stream-dir S > ingest.log 2>&1 &
producer=$!

killed=0
while [ $killed -lt $kills ] || kill -0 $producer 2>/dev/null; do
    "$BTCSTREAM" stream --stream-dir S --history H.json --trigger 0 --max-files-per-trigger 150 \
        --quiet > /dev/null 2>> stream.err &
    pid=$!
    sleep "0.$(printf '%03d' $((RANDOM % max_delay_ms + 5)))"
    if kill -9 $pid 2>/dev/null; then killed=$((killed + 1)); fi
    wait $pid 2>/dev/null || true
done
wait $producer || fail "ingest failed: $(cat ingest.log)"
"$BTCSTREAM" stream --stream-dir S --history H.json --until-idle --trigger 0 --quiet > /dev/null
[ $killed -ge "$kills" ] || fail "only $killed kills"
grep -v "^btcstream stream: [0-9]* batch\|^btcstream stream: recovered: batch\|^btcstream stream: waiting for\|^btcstream stream: committing the files" stream.err | grep . \
    && fail "stream printed errors"
# How many kills landed between a batch's begin and its commit (the cut-and-redo path).
interrupted=$(grep -c "recovered: batch" stream.err || true)

$PY - source.json H.json <<'PY' || fail "history differs from the source"
import json, sys
from datetime import datetime
src = [json.loads(l) for l in open(sys.argv[1])]
hist = [json.loads(l) for l in open(sys.argv[2])]
key = lambda o: (datetime.fromisoformat(o["Datetime"]), float(o["Close"]), o["Volume"])
want = sorted(key(o) for o in src)
got = sorted(key(o) for o in hist)
lost, duplicated = len(set(want) - set(got)), len(got) - len(set(got))
print(f"ticks lost: {lost}, duplicated: {duplicated}, of {len(want)}")
if lost or duplicated or got != want:
    sys.exit(f"history has {len(got)} ticks, source {len(want)}")
PY
expect_eq "$(ls S | grep -c '^ohlc_')" 0 "stream directory drained"
expect_eq "$(ls S/_processed | wc -l)" "$n" "every file processed once"
took=$($PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.0f}')" "$started" "$(date +%s.%N)")
pass "$n ticks exactly once through $killed SIGKILLs ($interrupted in the middle of a batch) in $took s"
