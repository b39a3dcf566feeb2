# `run`'s batch stages and exit status, and the messages of issue 14 (items 2, 3, 5 and 10):
# the default sim demo makes every output in a data folder of its own, a second run goes on with
# the walk, a run too short for the model says so up front, a stage that could not do what was
# asked makes the exit non-zero (an unwritable --out-dir, a refused upload, a missing file to
# upload, an ingest whose every request failed), --quiet prints no batch lines, R², plurals,
# --duration 0, and what `stream` waits for.
. "$BS_SOURCE_DIR/tests/lib.sh"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN S3_BUCKET_NAME S3_ENDPOINT_URL
stage() { grep -E "^  $1 +$2:" "$3" > /dev/null || { cat "$3" >&2; fail "stage $1 is not $2"; }; }

# A local server that refuses every request with 403, for S3 and CoinGecko alike.
$PY - port.txt <<'PYEOF' > /dev/null 2>&1 &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Refuse(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def refuse(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n: self.rfile.read(n)
        body = b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>"
        self.send_response(403)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_PUT = do_POST = do_HEAD = refuse
server = ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
open(sys.argv[1] + ".tmp", "w").write(str(server.server_address[1]))
__import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PYEOF
refuser=$!
trap 'kill $refuser 2>/dev/null || true; wait $refuser 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do [ -s port.txt ] && break; sleep 0.1; done
[ -s port.txt ] || fail "refusing server did not start"
refuse_url="http://127.0.0.1:$(cat port.txt)"

# Item 3 and 2: the default demo makes every output, kept in Data/sim, and says nothing is short.
"$BTCSTREAM" run --source sim --quiet --out-dir O > demo.txt 2> demo.err || fail "demo run: $(cat demo.err)"
expect_contains demo.txt "every 0.25 s for 30 s into Data/sim/stream/sim/BTC-USD" "sim defaults"
grep -q "too short" demo.txt && fail "the default demo is too short for the model"
for s in tables train predictions zip plot; do stage $s done demo.txt; done
stage upload skipped demo.txt
for f in O/model.json O/output_plot.png O/bitcoin_predictions.zip O/bitcoin_predictions.parquet/_SUCCESS; do
    [ -f "$f" ] || fail "$f missing"
done
[ -f Data/sim/markets/sim/BTC-USD/history.json ] || fail "the sim history is not in Data/sim"
[ ! -e Data/bitcoin_combined.json ] || fail "sim ticks landed in the real history Data/"
grep -q "^batch " demo.txt && fail "--quiet printed batch lines"
expect_contains demo.txt "  model     RMSE" "model line"
grep -Eq "^  model .* R² -?[0-9]+\.[0-9]{4} " demo.txt || fail "R² not printed"
pass "the default sim demo makes every output in Data/sim, quietly, with R²"

# Item 2: the next run goes on with the seeded walk where the history ends, not at its start.
first=$(wc -l < Data/sim/markets/sim/BTC-USD/history.json)
"$BTCSTREAM" run --source sim --duration 1s --interval 50ms --out-dir O > again.txt 2>&1 || fail "second run: $(cat again.txt)"
grep -q "^batch " again.txt || fail "without --quiet there are batch lines"
$PY - "$first" <<'PYEOF' || fail "the second run did not go on with the walk"
import json, sys
rows = [json.loads(l) for l in open("Data/sim/markets/sim/BTC-USD/history.json")]
n = int(sys.argv[1])
assert len(rows) > n + 5, len(rows)
assert rows[n]["Open"] == rows[n - 1]["Close"], (rows[n - 1], rows[n])
old = [r["Close"] for r in rows[:5]]
new = [r["Close"] for r in rows[n:n + 5]]
assert old != new, "the same path again"
PYEOF
pass "a second sim run goes on with the walk"

# Item 3: a run too short for the model says so up front with the duration it needs
# (73 ticks at 100 ms from an empty history: 7.3 s), and fails at the train stage.
if "$BTCSTREAM" run --source sim --duration 1s --interval 100ms --data-dir S --out-dir OS > short.txt 2> short.err; then
    fail "a run too short for the model succeeded"
fi
expect_eq "$(sed -n 2p short.txt)" "note: too short for the model: 1 s at one tick every 0.1 s gives 10 ticks and S/markets/sim/BTC-USD/history.json holds 0; the model needs 73. Run for at least 7.3 s (--duration), or the train stage will fail." "up-front note"
stage train failed short.txt
stage zip skipped short.txt
expect_eq "$(wc -l < short.err)" 1 "one line on stderr"
pass "a short run says up front how long it must be"

# Item 5: an output folder that cannot be made is a failure, not a skip.
if "$BTCSTREAM" run --source sim --duration 200ms --interval 100ms --quiet --out-dir /proc/nope > proc.txt 2> proc.err; then
    fail "run --out-dir /proc/nope succeeded"
fi
stage train failed proc.txt
expect_contains proc.err "/proc/nope" "the error names the folder"
pass "run --out-dir /proc/nope exits non-zero"

# Item 5 (issue 10 item 15): a configured upload that the server refuses fails the run.
set +e
AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret S3_BUCKET_NAME=b S3_ENDPOINT_URL=$refuse_url \
    "$BTCSTREAM" run --source sim --duration 200ms --interval 100ms --quiet --out-dir O > up.txt 2> up.err
rc=$?
set -e
[ $rc -ne 0 ] || fail "run exited 0 although the upload was refused"
stage upload failed up.txt
expect_contains up.err "403" "the refusal is named"
"$BTCSTREAM" run --source sim --duration 200ms --interval 100ms --quiet --out-dir O --no-upload > no.txt 2>&1 \
    || fail "run --no-upload: $(cat no.txt)"
stage upload "skipped" no.txt
pass "a refused upload fails the run; --no-upload skips it"

# Item 5: upload of a missing file fails whatever the settings; only "not configured" skips.
if "$BTCSTREAM" upload missing.zip > m.txt 2> m.err; then fail "upload missing.zip exited 0"; fi
expect_contains m.err "missing.zip: No such file or directory" "missing file named"
"$BTCSTREAM" upload O/bitcoin_predictions.zip > s.txt 2>&1 || fail "unconfigured upload failed"
expect_contains s.txt "upload skipped" "not configured is a skip"
pass "upload: a missing file is an error, no settings a skip"

# Item 5: an ingest whose every request failed exits non-zero (and says 1 failed request).
set +e
COINGECKO_BASE_URL=$refuse_url "$BTCSTREAM" ingest --interval 1s --duration 500ms --stream-dir I > i.txt 2> i.err
rc=$?
set -e
[ $rc -ne 0 ] || fail "ingest exited 0 with every request failed"
expect_contains i.err "0 ticks written to I, 1 failed request" "ingest totals, singular"
pass "ingest whose every request failed exits non-zero"

# Item 2, and the defaults that work together (ingest then stream, no paths): an explicit
# `ingest --source sim` goes where `stream` looks, and says on every line that it is simulated.
mkdir -p defaults && cd defaults
"$BTCSTREAM" ingest --source sim --duration 300ms > ing.txt 2>&1 || fail "ingest sim: $(cat ing.txt)"
expect_contains ing.txt "written to Data/stream" "ingest --source sim writes the default stream"
expect_contains ing.txt "(simulated)" "ingest marks simulated ticks"
"$BTCSTREAM" stream --until-idle --quiet > /dev/null 2>&1 || fail "stream after ingest, no paths"
[ -s Data/markets/sim/BTC-USD/history.json ] || fail "stream did not pick up what ingest wrote"
cd ..
pass "ingest --source sim then stream agree on their defaults, and the ticks say they are simulated"

# Item 10: plurals, from a replay of exactly one tick.
echo '{"Datetime": "2025-05-12T01:22:54+00:00", "Close": 100}' > one.json
"$BTCSTREAM" run --source replay:one.json --interval 0 --quiet --out-dir OR > one.txt 2>&1 || true
expect_contains one.txt "1 row added in 1 batch," "singular row and batch"
expect_contains one.txt "(0 failed requests)" "plural of zero"
expect_contains one.txt "Data/replay/markets/replay/one.json/history.json" "replays are kept in Data/replay"
pass "plurals"

# Item 10: --duration 0 means until stopped, and says so; stream says what it waits for.
"$BTCSTREAM" run --source sim --duration 0 --interval 100ms --data-dir Z --quiet --no-upload > z.txt 2>&1 &
pid=$!
for _ in $(seq 1 50); do [ -s z.txt ] && break; sleep 0.1; done
kill -INT $pid
wait $pid || true
expect_contains z.txt "every 0.1 s until stopped (Ctrl-C) into Z/stream/sim/BTC-USD" "--duration 0"
"$BTCSTREAM" stream --stream-dir Z/stream --history Z/bitcoin_combined.json --duration 500ms > st.txt 2> st.err
expect_contains st.err "waiting for new stream files in Z/stream" "stream says it waits"
pass "--duration 0 says until stopped; stream says what it waits for"

# The source registry: --help, run --help and ingest --help list every source type from it.
for cmd in "" run ingest; do
    "$BTCSTREAM" $cmd --help > help.txt
    for name in coingecko sim replay:FILE; do
        grep -Eq "^  $name +" help.txt || fail "'btcstream $cmd --help' does not list the source $name"
    done
done
pass "--help lists the sources from the registry"
