#!/usr/bin/env bash
# Backfill of one year of Binance 1-minute candles (525,600 candles, 526 requests) from the mock
# REST server (tests/mock/rest.js, 127.0.0.1): `btcstream backfill` into stream files against a
# Node.js script fetching, parsing and writing the same pages (bench/peers/backfill_fetch.js).
# Both share the mock, which generates every answer, so the ratio measures the client's part
# on top of a common floor; the client's own CPU time (user + sys) is given as a note.
#   bash bench/backfill.sh [RUNS=3] [DAYS=365]
. "$(dirname "$0")/lib.sh"
runs=${1:-3}
days=${2:-365}
command -v node > /dev/null || { echo "RESULT|backfill|-|-|-|-|-|-|-|not measured: no node"; exit 0; }

port_file=$BENCH_OUT/backfill_port.txt
log=$BENCH_OUT/backfill_requests.log
rm -f "$port_file" "$log"
node "$BENCH_ROOT/tests/mock/rest.js" --port-file "$port_file" --log "$log" > /dev/null 2>&1 &
mock=$!
trap 'kill $mock 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$port_file" ] && break; sleep 0.1; done
BASE=http://127.0.0.1:$(cat "$port_file")
TO_S=$(( ($(date +%s) / 86400 - 1) * 86400 )) # midnight before yesterday's: whole, finished minutes
FROM_S=$((TO_S - days * 86400))
OUT=$BENCH_OUT/backfill_stream
FROM_ISO=$(date -u -d "@$FROM_S" +%Y-%m-%dT%H:%M:%SZ) TO_ISO=$(date -u -d "@$TO_S" +%Y-%m-%dT%H:%M:%SZ)
export BASE TO_S FROM_S OUT FROM_ISO TO_ISO

ours_cmd() {
    rm -rf "$OUT"
    BINANCE_API_URL=$BASE "$BIN" backfill --market binance:BTCUSDT --from "$FROM_ISO" \
        --to "$TO_ISO" --stream-dir "$OUT" --progress 0 --quiet
}
peer_cmd() {
    rm -rf "$OUT.peer"
    node "$BENCH_ROOT/bench/peers/backfill_fetch.js" "$BASE" $((FROM_S * 1000)) $((TO_S * 1000)) "$OUT.peer"
}
alternate "$runs" backfill_ours backfill_peer

# What ours wrote: every minute once.
candles=$(cat "$OUT"/binance/BTCUSDT/ohlc_*.json | wc -l)
files=$(ls "$OUT"/binance/BTCUSDT | wc -l)
peer_candles=$(cat "$OUT.peer"/page_*.json | wc -l)
[ "$candles" = $((days * 1440)) ] && [ "$peer_candles" = "$candles" ] ||
    { echo "RESULT|backfill|-|-|-|-|-|-|-|failed: $candles candles (peer $peer_candles)"; exit 0; }
requests=$(( $(wc -l < "$log") / (2 * runs) ))
# The client's own CPU (user + sys), apart from the mock's, which dominates the wall time.
cpu() { /usr/bin/time -f "%U %S" -o "$BENCH_OUT/backfill_cpu.last" bash -c "$1" > /dev/null
    awk '{printf "%.2f", $1 + $2}' "$BENCH_OUT/backfill_cpu.last"; }
cpu_ours=$(cpu ours_cmd) cpu_peer=$(cpu peer_cmd)
cpu_ratio=$(awk -v a="$cpu_peer" -v b="$cpu_ours" 'BEGIN {printf "%.1f", a / b}')
o=$(median backfill_ours 1)
rate=$(awk -v n="$candles" -v t="$o" 'BEGIN {printf "%.0f", n / t}')
echo "RESULT|backfill one year of 1-minute candles (mock REST)|$candles candles, $requests requests|$o|node http script (same pages)|$(median backfill_peer 1)|$(( $(median backfill_ours 2) / 1024 ))|$(( $(median backfill_peer 2) / 1024 ))|-|$rate candles/s; $files stream files, fsync'd; the mock shared by both sets the wall time; client CPU ours $cpu_ours s, peer $cpu_peer s (${cpu_ratio}x)"
