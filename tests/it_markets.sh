# Markets in the core commands: ingest writes into the source's market folder with the Market on
# every line; stream (no --history) commits each market folder into its own history, picks up a
# folder that appears while it runs, sets aside whole a file holding another market's lines, and
# keeps files lying in the stream root on the legacy history; import routes lines by their Market
# and the rest by --market or the only market; the same instant in two markets is two ticks.
. "$BS_SOURCE_DIR/tests/lib.sh"

tick() { # TIME CLOSE [MARKET]: one tick line at 2024-05-01TTIME
    if [ -n "${3:-}" ]; then
        printf '{"Datetime": "2024-05-01T%s+00:00", "Market": "%s", "Close": %s}\n' "$1" "$3" "$2"
    else
        printf '{"Datetime": "2024-05-01T%s+00:00", "Close": %s}\n' "$1" "$2"
    fi
}
closes() { $PY -c "import json, sys; print(sorted(float(json.loads(l)['Close']) for l in open(sys.argv[1])))" "$1"; }

# ---- ingest: a market folder, each line naming its market ------------------------------------
tick 10:00:00 100 > a.json
tick 10:01:00 101 >> a.json
"$BTCSTREAM" ingest --source replay:a.json --interval 0 > ing.txt 2> ing.err || fail "ingest: $(cat ing.err)"
expect_contains ing.err "2 ticks written to Data/stream/replay/a.json" "ingest names the market folder"
first=$(ls Data/stream/replay/a.json | head -1)
expect_contains "Data/stream/replay/a.json/$first" '"Market": "replay:a.json"' "each line names its market"
"$BTCSTREAM" ingest --source sim --interval 0 --duration 100ms > /dev/null 2>&1 || fail "ingest sim"
[ "$(ls Data/stream/sim/BTC-USD | grep -c '^ohlc_')" -gt 0 ] || fail "sim writes into sim/BTC-USD"
pass "ingest writes into STREAM_ROOT/SOURCE/SYMBOL, lines with their Market"

# ---- stream: every market into its own history ----------------------------------------------
tick 09:00:00 7 > Data/stream/ohlc_20240501_090000_0.json # a producer from before markets
mkdir -p Data/stream/kraken/BTC%2FUSD
tick 10:00:00 300 kraken:BTC/USD > Data/stream/kraken/BTC%2FUSD/ohlc_20240501_100000_0.json
tick 10:00:00 301 binance:BTCUSDT > Data/stream/kraken/BTC%2FUSD/ohlc_20240501_100000_1.json
tick 10:00:30 302 > Data/stream/kraken/BTC%2FUSD/ohlc_20240501_100030_2.json # no Market: the folder's
tick 10:00:00 8 kraken:BTC/USD > Data/stream/ohlc_20240501_100000_9.json # a market's line in the root
"$BTCSTREAM" stream --until-idle --trigger 0 --quiet > out.txt 2> err.txt || fail "stream: $(cat err.txt)"
expect_eq "$(closes Data/markets/replay/a.json/history.json)" "[100.0, 101.0]" "replay market"
expect_eq "$(closes Data/markets/kraken/BTC%2FUSD/history.json)" "[300.0, 302.0]" "kraken market"
expect_eq "$(closes Data/bitcoin_combined.json)" "[7.0]" "root files: the legacy history"
[ "$(wc -l < Data/markets/sim/BTC-USD/history.json)" -gt 0 ] || fail "sim market"
expect_contains out.txt "of kraken:BTC/USD: 2 new rows, 1 file quarantined" "batch line names the market"
expect_contains Data/stream/kraken/BTC%2FUSD/_quarantine/ohlc_20240501_100000_1.json.reason \
    'line of market "binance:BTCUSDT" in the folder of market "kraken:BTC/USD"; nothing of it was taken' \
    "another market's line: the file is set aside whole"
expect_contains Data/stream/_quarantine/ohlc_20240501_100000_9.json.reason \
    'of market "kraken:BTC/USD" in the stream root' "a market's line in the root is set aside"
[ -s Data/stream/kraken/BTC%2FUSD/_checkpoint.log ] || fail "the market folder's own log"
pass "stream: each market folder into its own history; another market's file quarantined whole"

# A bad Market is a bad line naming the field.
tick 10:02:00 5 'kraken BTC' > Data/stream/kraken/BTC%2FUSD/ohlc_20240501_100200_3.json
"$BTCSTREAM" stream --until-idle --quiet > /dev/null 2>&1 || fail "stream, bad Market"
expect_contains Data/stream/kraken/BTC%2FUSD/_quarantine/ohlc_20240501_100200_3.json.reason \
    'field "Market": market "kraken BTC": expected SOURCE:SYMBOL' "a bad Market names the field"
pass "a Market that is no market name is a bad line naming the field"

# A market folder that appears while the processor runs is picked up; --data-dir elsewhere.
mkdir -p R
"$BTCSTREAM" stream --stream-dir R --data-dir E --trigger 0 --quiet > live.txt 2> live.err &
pid=$!
trap 'kill $pid 2> /dev/null || true; rm -rf "$WORK"' EXIT
sleep 0.5
mkdir -p R/coinbase/.tmp R/coinbase/BTC-USD
tick 11:00:00 500 coinbase:BTC-USD > R/coinbase/.tmp/f
mv R/coinbase/.tmp/f R/coinbase/BTC-USD/ohlc_20240501_110000_0.json
for _ in $(seq 1 100); do
    [ -s E/markets/coinbase/BTC-USD/history.json ] && break
    sleep 0.1
done
kill -TERM $pid
wait $pid || fail "stream stopped by SIGTERM: $(cat live.err)"
trap 'rm -rf "$WORK"' EXIT
expect_eq "$(closes E/markets/coinbase/BTC-USD/history.json)" "[500.0]" "a market folder made while running"
pass "a market folder that appears while stream runs is picked up"

# Explicit --stream-dir + --history: one folder, as before markets (lines of any market taken).
mkdir -p One
tick 12:00:00 1 binance:BTCUSDT > One/ohlc_20240501_120000_0.json
tick 12:00:00 2 > One/ohlc_20240501_120000_1.json
"$BTCSTREAM" stream --stream-dir One --history one.json --until-idle --quiet > one.txt 2>&1 || fail "stream --history"
expect_contains one.txt "batch 1: 1 new row" "one folder, as before markets"
pass "stream --stream-dir D --history H works as before markets"

# ---- import ---------------------------------------------------------------------------------
printf 'open_time,open,high,low,close,volume\n1714557600000,1,2,1,100,5\n1714557660000,1,2,1,101,5\n' > usdt.csv
printf 'open_time,open,high,low,close,volume\n1714557600000,1,2,1,200,5\n1714557660000,1,2,1,201,5\n' > usd.csv
mkdir I
( cd I
  if "$BTCSTREAM" import ../usdt.csv > x.txt 2> x.err; then fail "import with no market exited 0"; fi
  expect_contains x.err "pass --market SOURCE:SYMBOL" "no market: say which flag"
  "$BTCSTREAM" import ../usdt.csv --market binance:BTCUSDT > /dev/null || fail "import BTCUSDT"
  "$BTCSTREAM" import ../usd.csv --market binance:BTCUSD > u.txt || fail "import BTCUSD"
  expect_contains u.txt "binance:BTCUSD (Data/markets/binance/BTCUSD/history.json): appended 2, skipped 0 duplicates" \
      "the same instants in another market are not duplicates"
  if "$BTCSTREAM" import ../usd.csv > y.txt 2> y.err; then fail "import with two markets exited 0"; fi
  expect_contains y.err "pass --market (one of binance:BTCUSD, binance:BTCUSDT)" "several markets: named"
  # Lines with a Market go to it; the others to --market.
  { tick 10:00:00 900 kraken:BTC/USD; tick 10:00:00 901; } > mixed.json
  "$BTCSTREAM" import mixed.json --market binance:BTCUSD > m.txt || fail "import mixed"
  expect_eq "$(closes Data/markets/kraken/BTC%2FUSD/history.json)" "[900.0]" "a line's Market wins"
  expect_eq "$(closes Data/markets/binance/BTCUSD/history.json)" "[200.0, 201.0]" \
      "and the instant the other line shares with BTCUSD's stored one is a duplicate there"
  expect_eq "$(closes Data/markets/binance/BTCUSDT/history.json)" "[100.0, 101.0]" "BTCUSDT untouched"
)
pass "import: by Market, else --market; BTCUSD after BTCUSDT both imported; several markets refused"

# A data folder from before markets: its one history is the only market.
mkdir -p L/Data
tick 08:00:00 1 > L/Data/bitcoin_combined.json
( cd L && "$BTCSTREAM" import ../usd.csv > l.txt ) || fail "import into a legacy data folder"
expect_eq "$(closes L/Data/bitcoin_combined.json)" "[1.0, 200.0, 201.0]" "legacy history took the rows"
pass "a legacy data folder's history is its only market"
