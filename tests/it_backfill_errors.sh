# btcstream backfill when the exchange answers badly (mock REST server, 127.0.0.1): each error
# names the request's path and the HTTP status or the field at fault, the pages stored before it
# stay and reach the history, and a rerun completes the range with every minute once.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/rest.sh"
now_min=$(($(date +%s) / 60))
from=$(((now_min - 2600) * 60)) to=$(((now_min - 100) * 60))
check() { $PY "$BS_SOURCE_DIR/tests/tools/backfill_check.py" "$@"; }

# expect_fail CODE WHAT ARGS...: backfill exits with CODE; its stderr is in err.txt.
expect_fail() {
    local code=$1 what=$2 rc=0
    shift 2
    "$BTCSTREAM" backfill "$@" > out.txt 2> err.txt || rc=$?
    [ "$rc" = "$code" ] || fail "$what: exit $rc, expected $code: $(cat err.txt)"
}

# ---- A cut answer on page 2 of 3: page 1 stays and reaches the history; a rerun completes ------
start_mock --fault binance:2=malformed
expect_fail 1 "cut answer" --market binance:BTCUSDT --from "$(iso $from)" --to "$(iso $to)" \
    --stream-dir S
stop_mock
expect_contains err.txt "GET /api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=$(((from + 60000) * 1000))" "path named"
grep -qE "candle|not valid JSON" err.txt || fail "the fault is not named: $(cat err.txt)"
expect_contains err.txt "1 stream files with the minutes before" "what was written is said"
[ "$(ls S/binance/BTCUSDT | wc -l)" = 1 ] || fail "expected 1 stream file: $(ls S/binance/BTCUSDT)"
"$BTCSTREAM" stream --stream-dir S/binance/BTCUSDT --history h.json --until-idle --quiet > /dev/null 2>&1
check h.json binance $from $((from + 60000)) > /dev/null || fail "page 1 did not reach the history"
start_mock
"$BTCSTREAM" backfill --market binance:BTCUSDT --from "$(iso $from)" --to "$(iso $to)" \
    --stream-dir S --quiet 2> err.txt || fail "rerun failed: $(cat err.txt)"
stop_mock
"$BTCSTREAM" stream --stream-dir S/binance/BTCUSDT --history h.json --until-idle > stream.out 2>&1
expect_contains stream.out "1000 duplicates skipped" "the repeated page is skipped"
check h.json binance $from $to > /dev/null || fail "the rerun did not complete the history"
pass "a cut answer fails naming the path; the page before stays; a rerun completes exactly"

# ---- Bad candles: each names the path and the candle; nothing of the page is written -------------
start_mock --fault coinbase:1=badprice --fault binance:1=dup --fault kraken:1=krakenerror
expect_fail 1 "negative price" --market coinbase:BTC-USD --from now-100m --stream-dir B
expect_contains err.txt "GET /products/BTC-USD/candles?granularity=60&start=" "coinbase path"
grep -qE "candle [0-9]+.*(not positive|do not bound|not a number)" err.txt || fail "bad price: $(cat err.txt)"
expect_fail 1 "a minute twice" --market binance:BTCUSDT --from now-100m --stream-dir B
expect_contains err.txt "comes twice" "duplicate minute"
expect_fail 1 "kraken error" --market kraken:BTC/USD --from now-100m --stream-dir B
expect_contains err.txt "GET /0/public/OHLC?pair=XBTUSD" "kraken path"
expect_contains err.txt "Kraken says: EQuery:Unknown asset pair" "kraken's words"
[ -z "$(find B -name 'ohlc_*' 2> /dev/null)" ] || fail "a bad page was written: $(find B -name 'ohlc_*')"
pass "a bad price, a repeated minute and a Kraken error fail, naming path and candle; nothing written"

# ---- HTTP errors: 400 at once with the exchange's words; 500 retried, then given up --------------
expect_fail 1 "unknown symbol" --market binance:NOSUCH --from now-100m --stream-dir B
expect_contains err.txt "GET /api/v3/klines?symbol=NOSUCH" "path"
expect_contains err.txt "HTTP 400" "status"
expect_contains err.txt "Invalid symbol." "binance's words"
stop_mock
start_mock --fault binance:1=500 --fault binance:2=500 --fault binance:3=500
expect_fail 1 "500s" --market binance:BTCUSDT --from now-100m --stream-dir B --retries 1
expect_contains err.txt "HTTP 500" "status"
expect_contains err.txt "gave up after 1 retries" "retries said"
expect_eq "$(wc -l < requests.log)" 2 "requests made (1 + 1 retry)"
stop_mock
pass "HTTP 400 fails at once with Binance's words; 500 is retried, then given up"

# ---- 429 without Retry-After and 500: backed off, then fine ------------------------------------
start_mock --fault binance:1=429bare --fault binance:2=500
"$BTCSTREAM" backfill --market binance:BTCUSDT --from now-100m --stream-dir R > out.txt 2> err.txt ||
    fail "backfill failed: $(cat err.txt)"
stop_mock
expect_contains out.txt "3 requests, 1 rate limited, 2 retries" "summary"
$PY - requests.log <<'PY' || fail "no backoff between the retries"
import json, sys
t = [json.loads(l)["t"] for l in open(sys.argv[1])]
assert t[1] - t[0] >= 0.24 and t[2] - t[1] >= 0.49, t  # 500 ms doubling, half of it fixed
PY
pass "429 without Retry-After and 500 back off exponentially, then succeed"

# ---- Ctrl-C during a slow answer: the transfer is abandoned, not waited for --------------------
start_mock --fault binance:1=slow
"$BTCSTREAM" backfill --market binance:BTCUSDT --from now-100m --stream-dir C > out.txt 2> err.txt &
pid=$!
for _ in $(seq 1 100); do [ -s requests.log ] && break; sleep 0.1; done
[ -s requests.log ] || fail "the request never reached the mock"
start=$(date +%s)
kill -INT $pid
rc=0
wait $pid || rc=$?
took=$(($(date +%s) - start))
stop_mock
expect_eq "$rc" 1 "exit status after Ctrl-C"
expect_contains err.txt "stopped" "the stop is said"
# the answer would have come after 60 s: the transfer was cut, not sat out
[ "$took" -lt 30 ] || fail "Ctrl-C waited ${took}s for the slow answer"
pass "Ctrl-C during a slow answer stops at once"

# ---- Usage and unreachable -----------------------------------------------------------------------
expect_fail 2 "unsupported" --market coingecko:bitcoin --from now-1h
expect_contains err.txt "no REST candles for source \"coingecko\"" "unsupported source"
expect_fail 2 "backwards" --market binance:BTCUSDT --from 2025-01-02T00:00:00Z --to 2025-01-01T00:00:00Z
expect_contains err.txt "--from must be before --to" "backwards range"
expect_fail 2 "no market" --from now-1h
expect_contains err.txt "missing --market" "missing market"
BINANCE_API_URL=http://127.0.0.1:1 expect_fail 1 "unreachable" --market binance:BTCUSDT \
    --from now-10m --retries 0 --stream-dir U
expect_contains err.txt "GET /api/v3/klines?" "path named when unreachable"
pass "usage errors exit 2; an unreachable host fails naming the path"
