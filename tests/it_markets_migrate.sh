# `btcstream markets migrate --market M`: a data folder from before markets given to a market,
# killed (tests/fault/fault_shim.c) just before each of its file-changing calls. After each kill
# the history is whole in exactly one place (the legacy one or the market's), a second migrate
# finishes or says it is done, and a stream run afterwards appends to the market's history.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/fault/fault.sh"
"$BTCSTREAM" markets migrate --help > /dev/null 2>&1 ||
    skip "'markets migrate' is not wired into the markets command in this build"
M=coingecko:bitcoin/usd
H=Data/markets/coingecko/bitcoin%2Fusd/history.json

make_ticks 6 0 60 > first.json
make_ticks 2 6 60 > later.json
cat first.json later.json > all.json
# A legacy data folder: its stream root committed into Data/bitcoin_combined.json.
legacy() {
    rm -rf Data && mkdir -p Data/stream
    local i=0
    while read -r line; do
        printf '%s\n' "$line" > "Data/stream/ohlc_20240301_0000$(printf %02d $i)_$i.json"
        i=$((i + 1))
    done < first.json
    "$BTCSTREAM" stream --stream-dir Data/stream --history Data/bitcoin_combined.json \
        --until-idle --quiet > /dev/null 2>&1 || fail "legacy stream run"
}

legacy
"$BTCSTREAM" markets migrate --market $M > out.txt 2> err.txt || fail "migrate: $(cat err.txt)"
[ ! -e Data/bitcoin_combined.json ] || fail "the legacy history is still there"
$CHECK first.json $H "migrated history" || exit 1
if "$BTCSTREAM" markets migrate --market $M > /dev/null 2> again.err; then fail "a second migrate exited 0"; fi
expect_contains again.err "has a history already" "a second migrate refuses"
pass "markets migrate moves the legacy history to the market's place"

legacy
total=$(count_calls "$BTCSTREAM" markets migrate --market $M)
[ "$total" -ge 3 ] || fail "a migration made only $total file-changing calls"
for k in $(seq 1 "$total"); do
    legacy
    with_fault BS_FAULT_KILL_AT="$k" -- "$BTCSTREAM" markets migrate --market $M \
        > /dev/null 2>&1 && fail "kill at call $k of $total did not happen"
    if [ -e Data/bitcoin_combined.json ]; then
        [ ! -e $H ] || fail "after a kill at call $k both histories exist"
        $CHECK first.json Data/bitcoin_combined.json "legacy history after a kill at call $k" || exit 1
        "$BTCSTREAM" markets migrate --market $M > /dev/null 2> err.txt ||
            fail "migrate again after a kill at call $k: $(cat err.txt)"
    fi
    $CHECK first.json $H "market history after a kill at call $k" || exit 1
    # The market's producer goes on: its files land after the migrated rows, exactly once.
    mkdir -p Data/stream/coingecko/bitcoin%2Fusd
    i=0
    while read -r line; do
        printf '%s\n' "$line" > "Data/stream/coingecko/bitcoin%2Fusd/ohlc_20240301_0100$(printf %02d $i)_$i.json"
        i=$((i + 1))
    done < later.json
    "$BTCSTREAM" stream --until-idle --quiet > /dev/null 2> err.txt || fail "stream after a kill at call $k: $(cat err.txt)"
    $CHECK all.json $H "stream after a migration killed at call $k" || exit 1
    [ ! -e Data/bitcoin_combined.json ] || fail "a legacy history came back after a kill at call $k"
done
pass "markets migrate killed at each of its $total file-changing calls: the history whole in one place, finished by running it again"
