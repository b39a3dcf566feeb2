# 200 event-stream clients at once while a pipeline commits ticks, one of them stalled (it asks
# for 20,000 ticks and never reads): every other client receives every committed tick exactly
# once, the stalled one really is stalled (its socket's send queue is full), and the pipeline
# commits everything. The commit-to-client latency is measured and printed, not asserted.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/browser/serve_helpers.sh"
command -v ss > /dev/null || skip "ss (iproute2) is not installed"

# A history of 20,000 ticks from an hour before now, so the stalled client has much to refuse.
$PY - > old.json <<'PYEOF'
import time, datetime
t0 = int(time.time()) - 86400
for i in range(20000):
    ts = datetime.datetime.fromtimestamp(t0 + i * 3, datetime.timezone.utc).isoformat()
    p = 90000 + (i % 500)
    print(f'{{"Datetime": "{ts}", "Open": {p}, "High": {p + 5}, "Low": {p - 5}, "Close": {p + 1}, "Volume": "1000"}}')
PYEOF
mkdir -p D
"$BTCSTREAM" import old.json --history D/bitcoin_combined.json > import.log 2>&1 || { cat import.log >&2; fail "import"; }
start_serve serve.log --data-dir D
$PY "$BS_SOURCE_DIR/tests/browser/sse_clients.py" "$SERVE_URL" --clients 199 --stalled 1 \
    --done "$WORK/done" --timeout 300 --hold 30 > clients.json 2> clients.err &
clients_pid=$!
for _ in $(seq 1 200); do
    grep -q '^btcstream_sse_clients{market="default"} 200$' <<< "$(curl -s "$SERVE_URL/metrics")" && break
    sleep 0.05
done
grep -q '^btcstream_sse_clients{market="default"} 200$' <<< "$(curl -s "$SERVE_URL/metrics")" || fail "200 clients did not connect"

interval=40ms; [ -n "${BS_UNDER_SANITIZER:-}" ] && interval=80ms
"$BTCSTREAM" stream --stream-dir D/stream --history D/bitcoin_combined.json --trigger 0 --quiet \
    > stream.log 2>&1 &
stream_pid=$!
"$BTCSTREAM" ingest --source sim --interval $interval --duration 5s --stream-dir D/stream \
    > ingest.log 2>&1 || { cat ingest.log >&2; fail "ingest"; }
for _ in $(seq 1 200); do
    [ "$(ls D/stream | grep -c '^ohlc_' || true)" -eq 0 ] && break
    sleep 0.05
done
kill -INT $stream_pid
wait $stream_pid || { cat stream.log >&2; fail "stream"; }
# Counted once the stream processor has stopped: no file is between the two folders.
produced=$(( $(ls D/stream | grep -c '^ohlc_' || true) + $(ls D/stream/_processed | wc -l) ))
# The stalled client's connection: the server's side still holds unsent bytes.
port=$(ss -tnH state established "( sport = :${SERVE_URL##*:} )" | awk '$2 > 0 {print $2}' | sort -n | tail -1)
[ -n "$port" ] || fail "no server socket with a full send queue: the stalled client was not stalled"
touch done
for _ in $(seq 1 3000); do
    [ -s clients.json ] && break
    kill -0 $clients_pid 2> /dev/null || { cat clients.err >&2; fail "the clients"; }
    sleep 0.1
done
rows=$(wc -l < D/bitcoin_combined.json)
expect_eq "$rows" "$((20000 + produced))" "every produced tick committed"
$PY - clients.json "$rows" <<'PYEOF' || fail "clients missed ticks (see above)"
import json, sys
c, rows = json.load(open(sys.argv[1])), int(sys.argv[2])
problems = []
if c["statuses"] != [200]: problems.append(f"statuses {c['statuses']}")
if c["min_last"] != rows or c["max_last"] != rows: problems.append(f"last ids {c['min_last']}..{c['max_last']}, want {rows}")
if c["duplicates"] or c["gaps"]: problems.append(f"{c['duplicates']} duplicates, {c['gaps']} gaps")
if c["closed"]: problems.append(f"{c['closed']} streams closed early")
for p in problems: print("  " + p, file=sys.stderr)
l = c["latency_ms"]
print(f"ok - 199 readers + 1 stalled: {rows - 20000} live ticks each, commit-to-client latency "
      f"p50 {l['p50']:.1f} ms p99 {l['p99']:.1f} ms max {l['max']:.1f} ms over {c['samples']} events")
sys.exit(1 if problems else 0)
PYEOF
curl -s "$SERVE_URL/metrics" | grep -E '^btcstream_commit_publish_latency_seconds_(sum|count)'
# SIGTERM while the stalled client is still connected, its send queue full: a clean exit anyway.
grep -q . <<< "$(ss -tnH state established "( sport = :${SERVE_URL##*:} )" | awk '$2 > 0')" \
    || fail "the stalled client was gone before the shutdown"
stop_serve TERM
kill $clients_pid 2> /dev/null || true
pass "200 event-stream clients with one stalled: every reader got every tick once; SIGTERM exits cleanly"
