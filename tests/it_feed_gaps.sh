# Gaps in exchange feeds are found and filled: a disconnect mid-minute, a skipped trade-id range,
# a stall (the connection open and silent), connections the exchange closes (24-h style) and ones
# we renew ourselves (--max-connection), a REST backfill answered 429 first, late trades held back
# across a minute. After all of it every minute is stored exactly once and equals the candle
# computed from the trades the mock made (feed_check.py), and the counts say what happened.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/feed.sh"

summary() { grep -E "^btcstream ingest: $1: [0-9]+ candles" "$2" || fail "no summary of $1: $(cat "$2")"; }
count() { echo "$1" | sed -E "s/.*$2 ([0-9]+).*/\\1/"; }

# Binance: disconnect mid-minute, then a jump over 7 trade ids, then a 3 s stall (--stall 1s),
# and the first REST requests refused with 429 Retry-After.
start_mock bin binance --scenario disconnect:60,skip:150:7,stall:260:3000,rate429:2
# Coinbase: a trade_id jump (its sequence numbers skip by design: not a gap).
start_mock cb coinbase --scenario skip:80:5 --seed 5
point binance bin
point coinbase cb
"$BTCSTREAM" ingest --source binance:BTCUSDT,coinbase:BTC-USD --duration 16s --stall 1s \
    --stream-root stream --data-dir data > out.txt 2> err.txt || { cat err.txt; fail "ingest failed"; }
$CHECK bin.trades binance:BTCUSDT stream/binance --min 10 || { cat err.txt; fail "binance candles"; }
$CHECK cb.trades coinbase:BTC-USD stream/coinbase --min 10 || { cat err.txt; fail "coinbase candles"; }
pass "after a disconnect, a skipped id range and a stall: every minute once and true"

s=$(summary binance:BTCUSDT err.txt)
[ "$(count "$s" "gaps found")" -ge 4 ] || fail "binance gaps (start, reconnect, ids, stall): $s"
expect_eq "$(count "$s" "open")" 0 "binance gaps open at the end"
[ "$(count "$s" "stalls")" -ge 1 ] || fail "no stall counted: $s"
[ "$(count "$s" "reconnects")" -ge 2 ] || fail "reconnects after the disconnect and stall: $s"
expect_contains err.txt "trade ids" "the id jump reported"
expect_contains err.txt "stall: no message for" "the stall reported"
s=$(summary coinbase:BTC-USD err.txt)
[ "$(count "$s" "gaps found")" -ge 2 ] || fail "coinbase gaps (start, trade_id jump): $s"
expect_eq "$(count "$s" "reconnects")" 0 "coinbase reconnects (sequence jumps are no gap)"
pass "gaps, stalls and reconnects counted; none open at the end"

# The gap journal beside each history: every gap found and filled, counted by `markets` the same
# as the feed's own summary said, and no hole left in the stored candles.
"$BTCSTREAM" stream --stream-dir stream --data-dir data --until-idle --quiet > stream.txt 2>&1 ||
    { cat stream.txt; fail "stream failed"; }
"$BTCSTREAM" markets --data-dir data --format json > markets.json 2> markets.err ||
    { cat markets.err; fail "markets failed"; }
for m in binance:BTCUSDT coinbase:BTC-USD; do
    s=$(summary $m err.txt)
    $PY - "$m" "$(count "$s" "gaps found")" "$(count "$s" "filled")" markets.json \
        "data/markets/${m%%:*}/${m#*:}/gaps.jsonl" <<'PY' || fail "$m: the gap journal"
import json, sys
market, found, filled, listing, journal = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
row = next(r for r in map(json.loads, open(listing)) if r["market"] == market)
events = [json.loads(l) for l in open(journal)]
j_found = sum("Found" in e for e in events)
j_filled = sum(e.get("Gaps", 0) for e in events if "Filled" in e)
for e in events:
    assert e["From"].endswith(":00.000000+00:00"), f"From is not a minute: {e}"
    if "Filled" in e:
        assert e["To"] > e["From"] and e["Candles"] >= 0, e
assert (j_found, j_filled) == (found, filled), f"journal {j_found}/{j_filled}, feed said {found}/{filled}"
assert (row["gaps_found"], row["gaps_filled"]) == (found, filled), f"markets says {row}"
assert row["holes"] == 0 and row["missing_minutes"] == 0, f"holes left: {row}"
print(f"{market}: {found} gaps found, {filled} filled, 0 holes")
PY
done
pass "the gap journal: markets counts what the feed found and filled; no hole left"

# Kraken's connections closed by the exchange every 2 s (24-h style), Binance's renewed by us
# every 1.5 s (--max-connection): each reconnect is a gap, filled from REST.
start_mock kr kraken --scenario forceclose:2000 --seed 3
start_mock bin2 binance --seed 9
point kraken kr
point binance bin2
"$BTCSTREAM" ingest --source kraken:BTC/USD,binance:BTCUSDT --duration 10s --max-connection 1500ms \
    --stream-root stream2 --data-dir data2 > out2.txt 2> err2.txt || { cat err2.txt; fail "ingest failed"; }
$CHECK kr.trades kraken:BTC/USD stream2/kraken --min 6 || { cat err2.txt; fail "kraken candles"; }
$CHECK bin2.trades binance:BTCUSDT stream2/binance --min 6 || { cat err2.txt; fail "binance candles"; }
s=$(summary kraken:BTC/USD err2.txt)
[ "$(count "$s" "reconnects")" -ge 3 ] || fail "kraken: closed every 2 s, reconnected: $s"
s=$(summary binance:BTCUSDT err2.txt)
[ "$(count "$s" "reconnects")" -ge 4 ] || fail "binance: renewed every 1.5 s: $s"
expect_contains err2.txt "reconnecting ahead of the exchange's limit" "the renewal reported"
pass "closed by the exchange or renewed ahead of its limit: reconnected, every minute true"

# Late trades: every 25th trade is held back and sent after the next minute's first trade. A late
# trade of a minute already written is counted, never merged; the other minutes stay true.
start_mock late binance --scenario late:25 --seed 21
point binance late
"$BTCSTREAM" ingest --source binance:BTCUSDT --duration 6s --stream-root stream3 --data-dir data3 \
    > out3.txt 2> err3.txt || { cat err3.txt; fail "ingest failed"; }
s=$(summary binance:BTCUSDT err3.txt)
[ "$(count "$s" "late")" -ge 1 ] || fail "no late trade counted: $s"
expect_contains err3.txt "late trade at" "late trades reported"
pass "late trades counted and reported"
