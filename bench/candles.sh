#!/usr/bin/env bash
# Workload: exchange trades parsed and folded into 1-minute candles, in process, from a recording
# (raw.h) of N Binance trade messages made by bench_gen_trades (seeded). Ours is
# bs_raw_replay_candles() (bench_candles_fold); the peer is a Node.js collector doing JSON.parse
# and the same fold (bench/candles_peer.js) on the same file in the same run. Both print their
# candles' checksum, which must agree. Times are CPU seconds of the whole replay (reading the
# file from the page cache, parsing the line and the message, folding): on this shared 2-core
# machine a process's wall time is mostly waiting for a core; the wall times are in the note.
# Goal: >= 1,000,000 trades/s on one core.
# The same fold end to end over a WebSocket, with latency, is bench/feed.sh.
#   bash bench/candles.sh [N=5000000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
n=${1:-5000000}
runs=${2:-3}
file=$BENCH_DATA/trades_binance_$n.jsonl
if [ ! -s "$file" ]; then
    echo "generating $n trade messages ..." >&2
    "$BENCH_ROOT/build/bench/bench_gen_trades" "$n" 1 > "$file.tmp" && mv "$file.tmp" "$file"
fi
cat "$file" > /dev/null # both sides start from a warm page cache

: > "$BENCH_OUT/candles_ours" && : > "$BENCH_OUT/candles_peer"
for _ in $(seq 1 "$runs"); do
    "$BENCH_ROOT/build/bench/bench_candles_fold" "$file" | tee -a "$BENCH_OUT/candles_ours" >&2
    node "$BENCH_ROOT/bench/candles_peer.js" "$file" | tee -a "$BENCH_OUT/candles_peer" >&2
done
# median_of FILE COLUMN
median_of() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
ours_cpu=$(median_of "$BENCH_OUT/candles_ours" 5)
peer_cpu=$(median_of "$BENCH_OUT/candles_peer" 5)
ours_wall=$(median_of "$BENCH_OUT/candles_ours" 4)
peer_wall=$(median_of "$BENCH_OUT/candles_peer" 4)
ours_rate=$(median_of "$BENCH_OUT/candles_ours" 6)
peer_rate=$(median_of "$BENCH_OUT/candles_peer" 6)
read -r trades candles late _ < "$BENCH_OUT/candles_ours"
ours_sum=$(awk '{print $7}' "$BENCH_OUT/candles_ours" | sort -u)
peer_sum=$(awk '{print $7}' "$BENCH_OUT/candles_peer" | sort -u)
same="same candles (checksum $ours_sum)"
if [ "$ours_sum" != "$peer_sum" ]; then
    same="CANDLES DIFFER: ours $ours_sum, peer $peer_sum"
fi
echo "RESULT|candles: parse + fold a recording|$n Binance trades|$ours_cpu|node JSON.parse + fold|$peer_cpu|-|-|>= 1,000,000 trades/s a core|CPU s; ours $ours_rate trades/s, node $peer_rate trades/s; wall ours ${ours_wall} s, node ${peer_wall} s; $candles candles, $late late; $same"
[ "$ours_sum" = "$peer_sum" ] || exit 1

