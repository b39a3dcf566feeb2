# Exchange feeds against mock exchanges (tests/mock/exchange.js): Binance, Coinbase and Kraken,
# all three markets in one `ingest` process. Every minute stored must equal the candle computed
# independently from the trades the mock made (tests/tools/feed_check.py), exactly once and
# without a hole, each market only in its own folder; malformed and unknown messages are counted
# and skipped, never fatal. Some messages come in fragments, with a ping between them, and the
# servers ping: every ping must be answered with its payload.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/feed.sh"

start_mock bin binance --scenario malformed:40,fragment:7,ping:300
start_mock cb coinbase --scenario malformed:50,fragment:5,ping:400 --seed 11
start_mock kr kraken --scenario malformed:60,fragment:3 --seed 13
point binance bin
point coinbase cb
point kraken kr

"$BTCSTREAM" ingest --source binance:BTCUSDT,coinbase:BTC-USD,kraken:BTC/USD --duration 8s \
    --stream-root stream --data-dir data --raw raw > out.txt 2> err.txt || { cat err.txt; fail "ingest failed"; }
for m in binance:BTCUSDT coinbase:BTC-USD kraken:BTC/USD; do
    grep -qE "^btcstream ingest: $m: [0-9]+ candles" err.txt || fail "no summary of $m"
done
$CHECK bin.trades binance:BTCUSDT stream/binance --min 5 || fail "binance candles"
$CHECK cb.trades coinbase:BTC-USD stream/coinbase --min 5 || fail "coinbase candles"
$CHECK kr.trades kraken:BTC/USD stream/kraken --min 5 || fail "kraken candles"
[ -d "stream/kraken/BTC%2FUSD" ] || fail "kraken's folder is not stream/kraken/BTC%2FUSD"
pass "three exchanges in one process: true candles, each market in its own folder"

for name in bin cb; do
    ! grep -q "no pong\|pong unexpected" $name.log || fail "$name: $(grep -m3 'no pong\|pong unexpected' $name.log)"
    rounds=$(grep -c "^pong ok round" $name.log || true)
    mids=$(grep -c "^pong ok mid" $name.log || true)
    [ "$rounds" -ge 10 ] && [ "$mids" -ge 3 ] || fail "$name: $rounds pongs to pings, $mids to pings between fragments"
done
pass "every ping answered with its payload, between fragments too ($(grep -c '^pong ok' bin.log) on binance)"

# the stream processor sends each market's folder to that market's history: they never mix
"$BTCSTREAM" stream --stream-dir stream --data-dir data --until-idle --quiet > stream.txt 2>&1 ||
    { cat stream.txt; fail "stream failed"; }
$CHECK bin.trades binance:BTCUSDT data/markets/binance/BTCUSDT/history.json --min 5 || fail "binance history"
$CHECK cb.trades coinbase:BTC-USD data/markets/coinbase/BTC-USD/history.json --min 5 || fail "coinbase history"
$CHECK kr.trades kraken:BTC/USD "data/markets/kraken/BTC%2FUSD/history.json" --min 5 || fail "kraken history"
# (feed_check.py refuses a line naming another market; a line without one must still be a
# candle of this market's trades, which another market's, from another tape, are not)
[ "$(ls -d data/markets/*/*/ | wc -l)" -eq 3 ] || fail "histories: $(ls -d data/markets/*/*/)"
pass "each market's candles in its own history, none in another's"

for m in binance:BTCUSDT coinbase:BTC-USD kraken:BTC/USD; do
    bad=$(grep -E "^btcstream ingest: $m: [0-9]+ candles" err.txt | sed -E 's/.*\(([0-9]+) bad\).*/\1/')
    [ "$bad" -gt 0 ] || fail "$m: no bad message counted: $(grep -E "ingest: $m: [0-9]+ candles" err.txt)"
done
grep -q "bad message skipped" err.txt || fail "bad messages not reported"
pass "malformed and unknown messages counted and skipped"

# the per-flush line: one a candle, with the gap counts
grep -qE '^binance:BTCUSDT .* -> ohlc_.* \| gaps found [0-9]+ filled [0-9]+ open 0' out.txt ||
    fail "no per-candle line with gaps: $(head -3 out.txt)"
pass "one line per candle with gaps found, filled, open"

# --raw: every message received, one recording line each (raw.h), in the market's own folder;
# a malformed message is kept as a JSON string, the others as themselves.
for m in binance:BTCUSDT coinbase:BTC-USD kraken:BTC/USD; do
    msgs=$(grep -E "^btcstream ingest: $m: [0-9]+ candles" err.txt | sed -E 's/.* ([0-9]+) messages.*/\1/')
    dir=raw/${m%%:*}/$(echo "${m#*:}" | sed 's|/|%2F|')
    $PY - "$m" "$msgs" "$dir" <<'PY' || fail "$m's raw recording"
import glob, json, sys
market, want, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = glob.glob(folder + "/raw_*.jsonl")
assert len(files) == 1, f"{folder}: recording files {files}"
lines = open(files[0]).read().splitlines()
assert len(lines) == want, f"{len(lines)} lines for {want} messages"
strings = 0
for n, line in enumerate(lines, 1):
    r = json.loads(line)
    assert r["market"] == market and r["recv"].endswith("+00:00"), f"line {n}: {line[:120]}"
    strings += isinstance(r["msg"], str)
assert strings > 0, "no malformed message kept as a string"
print(f"{market}: {len(lines)} messages recorded, {strings} malformed kept as strings")
PY
done
pass "--raw keeps every message, each market in its own recording"
