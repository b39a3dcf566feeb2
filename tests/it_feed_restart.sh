# kill -9 of a collector in the middle of a minute, then a restart: it resumes after the last
# candle it stored (found in its stream folder) and backfills the minutes it missed, so what it
# stores equals, minute for minute, what an uninterrupted collector beside it stored from the same
# mock exchange, and both equal the candles of the mock's trades (feed_check.py).
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/feed.sh"

start_mock bin binance --seed 17
point binance bin
"$BTCSTREAM" ingest --source binance:BTCUSDT --duration 14s --stream-root whole --data-dir d1 \
    > whole.out 2> whole.err &
whole=$!
"$BTCSTREAM" ingest --source binance:BTCUSDT --stream-root cut --data-dir d2 > cut1.out 2> cut1.err &
cut=$!
# kill it once it has stored a few minutes and is in the middle of the next (the mock makes a
# minute a second: 0.5 s after a candle is mid-minute)
for _ in $(seq 1 100); do [ "$(ls cut/binance/BTCUSDT 2>/dev/null | wc -l)" -ge 3 ] && break; sleep 0.1; done
sleep 0.5
kill -9 $cut
wait $cut 2>/dev/null || true
before=$(ls cut/binance/BTCUSDT | wc -l)
[ "$before" -ge 3 ] || fail "the collector stored only $before candles before the kill"
sleep 2 # minutes pass while it is down
"$BTCSTREAM" ingest --source binance:BTCUSDT --duration 8s --stream-root cut --data-dir d2 \
    > cut2.out 2> cut2.err || { cat cut2.err; fail "restart failed"; }
wait $whole || { cat whole.err; fail "the uninterrupted collector failed"; }
expect_contains cut2.err "gap (restart)" "the restart resumes after the last stored candle"

$CHECK bin.trades binance:BTCUSDT whole --min 10 --dump whole.jsonl || fail "uninterrupted run"
$CHECK bin.trades binance:BTCUSDT cut --min 10 --dump cut.jsonl || { cat cut2.err; fail "killed and restarted run"; }
# the minutes both hold are the same candles
$PY - whole.jsonl cut.jsonl <<'PY' || fail "the runs differ"
import json, sys
a = {json.loads(l)["Datetime"]: l for l in open(sys.argv[1])}
b = {json.loads(l)["Datetime"]: l for l in open(sys.argv[2])}
common = sorted(set(a) & set(b))
assert len(common) >= 8, f"only {len(common)} minutes in common"
diff = [m for m in common if a[m] != b[m]]
assert not diff, f"{len(diff)} minutes differ, first {diff[0]}: {a[diff[0]]} vs {b[diff[0]]}"
print(f"{len(common)} minutes in common, all equal")
PY
pass "kill -9 mid-minute and restart: the same candles as an uninterrupted run"
