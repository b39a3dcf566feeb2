# Two markets under one stream root, the processor killed at every I/O step: `stream` (no
# --history) commits each market folder into its own history with its own checkpoint log. The
# processor is killed just before its K-th file-changing call for every K of a run that commits
# three batches a market, the restart that recovers is killed in turn at its first calls, and a
# clean restart must then leave in each market's history its own ticks exactly once and nothing
# of the other's (both markets have ticks at the same instants, with different prices).
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/fault/fault.sh"
recovery_kills=6
[ -n "${BS_UNDER_SANITIZER:-}" ] && recovery_kills=3

make_ticks 9 0 30 > a.json
# The other market: the same instants, every price 1000 higher, so a mix-up cannot hide.
$PY - a.json > b.json <<'PY'
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    for k in ("Open", "High", "Low", "Close"):
        o[k] += 1000
    print(json.dumps(o))
PY
# seed MARKET FOLDER SOURCE: one stream file per tick, each line naming its market, as a
# market's producer writes them.
seed() {
    mkdir -p "seed/$2"
    local i=0
    while read -r line; do
        printf '%s\n' "$line" | $PY -c '
import json, sys
o = json.loads(sys.stdin.read())
print(json.dumps({"Datetime": o.pop("Datetime"), "Market": sys.argv[1], **o}))' "$1" \
            > "seed/$2/ohlc_20240301_0000$(printf %02d $i)_$i.json"
        i=$((i + 1))
    done < "$3"
}
seed binance:BTCUSDT binance/BTCUSDT a.json
seed kraken:BTC/USD kraken/BTC%2FUSD b.json
HA=D/markets/binance/BTCUSDT/history.json
HB=D/markets/kraken/BTC%2FUSD/history.json

cat > stream.sh <<SH
exec "$BTCSTREAM" stream --stream-dir S --data-dir D --until-idle --trigger 0 \
    --max-files-per-trigger 3 --quiet
SH
fresh() { rm -rf S D; mkdir S; cp -r seed/* S/; }

fresh
bash stream.sh > out.txt 2> err.txt || fail "clean run: $(cat err.txt)"
expect_contains out.txt "batch 3 of binance:BTCUSDT: 3 new rows" "the batch line names its market"
expect_contains out.txt "batch 3 of kraken:BTC/USD: 3 new rows" "each market numbers its batches"
$CHECK a.json "$HA" "binance:BTCUSDT, clean run" || exit 1
$CHECK b.json "$HB" "kraken:BTC/USD, clean run" || exit 1
[ -s S/binance/BTCUSDT/_checkpoint.log ] && [ -s S/kraken/BTC%2FUSD/_checkpoint.log ] ||
    fail "each market folder keeps its own checkpoint log"
[ ! -e D/bitcoin_combined.json ] || fail "no legacy history made for a root without files"
pass "two markets: each folder into its own history, with its own log and batch numbers"

fresh
total=$(count_calls bash stream.sh)
[ "$total" -gt 40 ] || fail "a six-batch run made only $total file-changing calls"
runs=0
for k in $(seq 1 "$total"); do
    fresh
    with_fault BS_FAULT_KILL_AT="$k" -- bash stream.sh > /dev/null 2>&1 \
        && fail "kill at call $k of $total did not happen"
    for j in $(seq 1 "$recovery_kills"); do
        with_fault BS_FAULT_KILL_AT="$j" -- bash stream.sh > /dev/null 2>&1 || true
        runs=$((runs + 1))
    done
    bash stream.sh > /dev/null 2> err.txt || fail "restart after a kill at call $k: $(cat err.txt)"
    $CHECK a.json "$HA" "binance:BTCUSDT, killed at call $k of $total" || exit 1
    $CHECK b.json "$HB" "kraken:BTC/USD, killed at call $k of $total" || exit 1
    left=$(find S -name 'ohlc_*' -not -path '*/_processed/*' | wc -l)
    expect_eq "$left" 0 "files left waiting after a kill at call $k"
done
pass "two markets: killed at each of $total file-changing calls, recovery killed $runs more times: each history exactly once, never mixed"
