# The mock REST server (tests/mock/rest.js) for the backfill tests, sourced after tests/lib.sh:
# start_mock [--fault EX:N=KIND ...] [--tls CERT KEY] starts it on 127.0.0.1 with requests logged to
# requests.log and points BINANCE_API_URL, COINBASE_API_URL and KRAKEN_API_URL at it;
# stop_mock stops it. The test's exit trap stops it too, pass or fail.
command -v node > /dev/null || skip "node is not installed"

mock=
start_mock() {
    rm -f port.txt requests.log
    node "$BS_SOURCE_DIR/tests/mock/rest.js" --port-file port.txt --log requests.log "$@" \
        > mock.out 2>&1 &
    mock=$!
    for _ in $(seq 1 100); do [ -s port.txt ] && break; sleep 0.1; done
    [ -s port.txt ] || fail "mock REST server did not start: $(cat mock.out)"
    local scheme=http
    [[ " $* " == *" --tls "* ]] && scheme=https
    local url="$scheme://127.0.0.1:$(cat port.txt)"
    export BINANCE_API_URL=$url COINBASE_API_URL=$url KRAKEN_API_URL=$url
}
stop_mock() {
    [ -n "$mock" ] && { kill "$mock" 2> /dev/null || true; wait "$mock" 2> /dev/null || true; }
    mock=
}
trap 'stop_mock; rm -rf "$WORK"' EXIT

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
