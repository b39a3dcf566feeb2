# Helpers for the dashboard's tests (tests/it_serve*.sh), sourced after tests/lib.sh.

# start_serve LOG ARGS...: starts `btcstream serve --listen 127.0.0.1:0 ARGS` in the background;
# sets SERVE_PID and SERVE_URL (http://127.0.0.1:PORT) once it prints its address. The EXIT trap
# stops it.
start_serve() {
    local log=$1
    shift
    "$BTCSTREAM" serve --listen 127.0.0.1:0 "$@" > "$log" 2>&1 &
    SERVE_PID=$!
    trap 'kill -KILL $SERVE_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
    for _ in $(seq 1 200); do
        SERVE_URL=$(grep -o 'http://[0-9.:]*' "$log" | head -1 || true)
        [ -n "$SERVE_URL" ] && return 0
        kill -0 $SERVE_PID 2>/dev/null || { cat "$log" >&2; fail "serve exited at start"; }
        sleep 0.05
    done
    cat "$log" >&2
    fail "serve did not print its address"
}

# stop_serve SIGNAL: sends it and checks a clean exit (status 0, "stopped") within 5 s.
stop_serve() {
    kill -"$1" $SERVE_PID
    for _ in $(seq 1 100); do
        kill -0 $SERVE_PID 2>/dev/null || break
        sleep 0.05
    done
    kill -0 $SERVE_PID 2>/dev/null && fail "serve still running 5 s after SIG$1"
    wait $SERVE_PID || fail "serve exited with status $? on SIG$1"
}

need_node_module() {
    [ -d "$BS_NODE_DIR/node_modules/$1" ] || skip "npm package $1 is not installed (scripts/install-node-deps.sh)"
}

# history_before_now FILE HOURS STEP_S: a random walk of ticks every STEP_S seconds over the
# HOURS before now, ending at the sim source's first price (95000), for pages with a past.
history_before_now() {
    $PY - "$2" "$3" > "$1" <<'PYEOF'
import datetime, random, sys, time
hours, step = float(sys.argv[1]), int(sys.argv[2])
n = int(hours * 3600 / step)
rng = random.Random(7)
walk = [0.0]
for _ in range(n - 1):
    walk.append(walk[-1] + rng.gauss(0, 12))
t0 = int(time.time()) - n * step - 5
prev = None
for i, w in enumerate(walk):
    p = round(95000 + w - walk[-1], 2)
    o = prev if prev is not None else p
    ts = datetime.datetime.fromtimestamp(t0 + i * step, datetime.timezone.utc).isoformat()
    print(f'{{"Datetime": "{ts}", "Open": {o}, "High": {max(o, p)}, "Low": {min(o, p)}, "Close": {p}, "Volume": "1000"}}')
    prev = p
PYEOF
}
