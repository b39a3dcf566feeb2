# `btcstream run --source binance:BTCUSDT`, its URLs pointed at a mock exchange that drops the
# connection mid-minute and skips a range of trade ids: the pipeline collects true candles (gaps
# backfilled from the mock's REST candles) into the history, then runs the batch stages over them.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/feed.sh"

# five exchange minutes a second, so that 20 s make the ~100 candles the model needs
start_mock bin binance --speed 300 --every-ms 4000 --scenario disconnect:300,skip:700:9
point binance bin
"$BTCSTREAM" run --source binance:BTCUSDT --duration 20s --data-dir Data --out-dir out \
    --no-upload --quiet > run.out 2> run.err || { cat run.out run.err; fail "run failed"; }
expect_contains run.out "btcstream run: binance" "the start line"
expect_contains run.out "train        done" "the model trained on the candles"
history=Data/markets/binance/BTCUSDT/history.json
[ -f "$history" ] || fail "no history of the market at $history: $(find Data -name '*.json' | head)"
rows=$(wc -l < "$history")
[ "$rows" -ge 73 ] || fail "only $rows candles in the history"
$CHECK bin.trades binance:BTCUSDT "$history" --min 73 || { cat run.err; fail "history's candles"; }
expect_contains run.err "gap filled" "the gaps backfilled"
expect_contains run.err "trade ids" "the id jump found"
pass "run --source binance:BTCUSDT: $rows true candles in the history, gaps backfilled, stages run"
