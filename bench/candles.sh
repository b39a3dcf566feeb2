#!/usr/bin/env bash
# Workload: exchange trades parsed and folded into 1-minute candles, in process, from a recording
# (raw.h) of N Binance trade messages made by bench_gen_trades (seeded). Ours is
# bs_raw_replay_candles() (bench_candles_fold); the peer is a Node.js collector doing JSON.parse
# and the same fold (bench/candles_peer.js) on the same file in the same run. Both print their
# candles' checksum, which must agree. Times are CPU seconds of the whole replay (reading the
# file from the page cache, parsing the line and the message, folding): on this shared 2-core
# machine a process's wall time is mostly waiting for a core; the wall times are in the note.
# Goal: >= 1,000,000 trades/s on one core.
#
# Then end to end: the first N_WS messages sent by a local WebSocket server
# (candles_ws_server.js, as fast as the socket takes them) to bench_candles_ws (a minimal
# bench-only client: socket read, bs_exchange_parse(), the builder) and to a Node.js client doing
# JSON.parse and the same fold (candles_ws_peer.js), alternately, with the latency from each
# socket read to the candle update of each message in it (p50/p99; goal p99 < 1 ms).
#   bash bench/candles.sh [N=5000000] [RUNS=3] [N_WS=1000000]
. "$(dirname "$0")/lib.sh"
n=${1:-5000000}
runs=${2:-3}
n_ws=${3:-1000000}
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

# --- end to end over a local WebSocket
ws_file=$BENCH_DATA/trades_binance_ws_$n_ws.jsonl
[ -s "$ws_file" ] || head -n "$n_ws" "$file" > "$ws_file"
node "$BENCH_ROOT/bench/candles_ws_server.js" "$ws_file" > "$BENCH_OUT/candles_ws_port" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do [ -s "$BENCH_OUT/candles_ws_port" ] && break; sleep 0.1; done
port=$(cat "$BENCH_OUT/candles_ws_port")
: > "$BENCH_OUT/candles_ws_ours" && : > "$BENCH_OUT/candles_ws_peer"
for _ in $(seq 1 "$runs"); do
    "$BENCH_ROOT/build/bench/bench_candles_ws" "$port" | tee -a "$BENCH_OUT/candles_ws_ours" >&2
    node "$BENCH_ROOT/bench/candles_ws_peer.js" "$port" | tee -a "$BENCH_OUT/candles_ws_peer" >&2
done
kill "$server" 2>/dev/null || true
# columns: messages trades candles late wall cpu rate_wall rate_cpu p50_us p99_us checksum
m() { median_of "$BENCH_OUT/candles_ws_$1" "$2"; }
ws_sum_ours=$(awk '{print $11}' "$BENCH_OUT/candles_ws_ours" | sort -u)
ws_sum_peer=$(awk '{print $11}' "$BENCH_OUT/candles_ws_peer" | sort -u)
same="same candles"
[ "$ws_sum_ours" = "$ws_sum_peer" ] || same="CANDLES DIFFER: ours $ws_sum_ours, peer $ws_sum_peer"
echo "RESULT|candles: WebSocket to candle, end to end|$n_ws Binance trades|$(m ours 5)|node socket + JSON.parse + fold|$(m peer 5)|-|-|>= 1,000,000 trades/s, p99 < 1 ms|wall s (median); ours $(m ours 7) trades/s wall, $(m ours 8) a CPU s, read-to-candle p50 $(m ours 9) us p99 $(m ours 10) us; node $(m peer 7) trades/s wall, p50 $(m peer 9) us p99 $(m peer 10) us; bench-only ws:// client, not lib/ws_client.c; $same"
[ "$ws_sum_ours" = "$ws_sum_peer" ]
