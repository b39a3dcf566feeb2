# `btcstream run --serve ADDR`: the dashboard runs beside the pipeline, prints its address and
# serves the ticks as they commit; an address it cannot bind is said and the run goes on.
. "$BS_SOURCE_DIR/tests/lib.sh"
# A data folder from before markets (its one history, bitcoin_combined.json): what the
# dashboard shows without --market; docs/markets.md.
mkdir -p D && : > D/bitcoin_combined.json
"$BTCSTREAM" run --source sim --duration 4s --interval 50ms --data-dir D --out-dir O --no-upload \
    --quiet --serve 127.0.0.1:0 > run.log 2>&1 &
run_pid=$!
trap 'kill -KILL $run_pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
url=""
for _ in $(seq 1 100); do
    url=$(grep -o 'dashboard at http://[0-9.:]*' run.log | cut -d' ' -f3 || true)
    [ -n "$url" ] && break
    sleep 0.05
done
[ -n "$url" ] || { cat run.log >&2; fail "run did not print the dashboard's address"; }
seen=0
for _ in $(seq 1 100); do
    seen=$(curl -s "$url/api/summary" | $PY -c 'import json,sys; print(json.load(sys.stdin)["last_id"])' || echo 0)
    [ "$seen" -ge 5 ] && break
    sleep 0.05
done
[ "$seen" -ge 5 ] || fail "the dashboard showed $seen ticks while the run went on"
wait $run_pid || { cat run.log >&2; fail "run --serve failed"; }
expect_contains run.log "summary:" "the run finished its stages"

# The same address twice: the second run says so on stderr and still runs its pipeline.
mkdir -p D1 && : > D1/bitcoin_combined.json
"$BTCSTREAM" run --source sim --duration 2500ms --interval 20ms --data-dir D1 --out-dir O1 --no-upload \
    --quiet --serve=127.0.0.1:0 > a.log 2>&1 &
first=$!
for _ in $(seq 1 100); do grep -q 'dashboard at' a.log && break; sleep 0.05; done
busy=$(grep -o 'dashboard at http://[0-9.:]*' a.log | cut -d/ -f3)
mkdir -p D2 && : > D2/bitcoin_combined.json
"$BTCSTREAM" run --source sim --duration 2500ms --interval 20ms --data-dir D2 --out-dir O2 --no-upload \
    --quiet --serve "$busy" > b.log 2> b.err || { cat b.err >&2; fail "a busy dashboard address failed the run"; }
expect_contains b.err "dashboard not started: cannot listen on $busy" "busy address said"
expect_contains b.log "summary:" "the run went on"
wait $first || fail "first run"
pass "run --serve shows committed ticks while the pipeline runs"
