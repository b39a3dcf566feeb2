# Helpers of the exchange feed tests (tests/it_feed_*.sh), sourced after tests/lib.sh: mock
# exchanges (tests/mock/exchange.js) on 127.0.0.1, stopped when the test exits, pass or fail.
export NODE_PATH=$BS_NODE_DIR/node_modules NODE_NO_WARNINGS=1
[ -d "$NODE_PATH/ws" ] || skip "node ws is not installed (scripts/install-node-deps.sh)"
CHECK="$PY $BS_SOURCE_DIR/tests/tools/feed_check.py"
mock_pids=()
stop_mocks() {
    for p in "${mock_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    mock_pids=()
}
trap 'stop_mocks; rm -rf "$WORK"' EXIT

# start_mock NAME EXCHANGE [exchange.js flags...]: starts a mock; its port is in NAME.port, its
# tape in NAME.trades, its log in NAME.log.
start_mock() {
    local name=$1 ex=$2
    shift 2
    rm -f "$name.port"
    node "$BS_SOURCE_DIR/tests/mock/exchange.js" --exchange "$ex" --port-file "$name.port" \
        --trades-out "$name.trades" "$@" > "$name.log" 2>&1 &
    mock_pids+=($!)
    for _ in $(seq 1 100); do
        [ -s "$name.port" ] && return 0
        kill -0 "${mock_pids[-1]}" 2>/dev/null || fail "mock $name exited: $(cat "$name.log")"
        sleep 0.1
    done
    fail "mock $name did not start: $(cat "$name.log")"
}

# point EXCHANGE NAME [SCHEME]: the exchange's WebSocket and REST URLs at mock NAME.
point() {
    local var=$(echo "$1" | tr a-z A-Z) port
    port=$(cat "$2.port")
    export "${var}_WS_URL=${3:-ws}://127.0.0.1:$port" "${var}_API_URL=http${3:+s}://127.0.0.1:$port"
    [ "${3:-ws}" = wss ] && export "${var}_API_URL=https://127.0.0.1:$port"
    return 0
}
