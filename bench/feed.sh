#!/usr/bin/env bash
# Workload: the exchange feed's WebSocket path end to end: N Binance trade messages (a seeded
# recording made by bench_gen_trades) sent by a local WebSocket server (candles_ws_server.js, as
# fast as the socket takes them) to bench_feed_ws, which receives them with the feed runner's own
# client (lib/ws_client.c: libwebsockets' raw connection, our TLS and frames), parses and folds
# them, and to a Node.js socket client doing JSON.parse and the same fold (candles_ws_peer.js),
# alternately, in the same invocation: over ws:// and then over wss:// (TLS, a CA made here by
# tests/tls/make-certs.sh, verified by both). Both print their candles' checksum, which must
# agree. Reported: trades/s (wall and a CPU second: on this shared 2-core machine wall time is
# mostly waiting for a core) and the latency from a socket read to the candle update of each
# message in it (p50/p99). Goal: >= 1,000,000 trades/s on one core, p99 < 1 ms.
#   bash bench/feed.sh [N=1000000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
n=${1:-1000000}
runs=${2:-3}
file=$BENCH_DATA/trades_binance_ws_feed_$n.jsonl
if [ ! -s "$file" ]; then
    echo "generating $n trade messages ..." >&2
    "$BENCH_ROOT/build/bench/bench_gen_trades" "$n" 1 > "$file.tmp" && mv "$file.tmp" "$file"
fi
bash "$BENCH_ROOT/tests/tls/make-certs.sh" "$BENCH_OUT" feed
median_of() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
status=0

# one_scheme ws|wss: a server, RUNS alternate runs of ours and node's, one RESULT row
one_scheme() {
    local scheme=$1 server port tls_server=() ours_tls=() peer_ca=()
    if [ "$scheme" = wss ]; then
        tls_server=("$BENCH_OUT/feed-server.pem" "$BENCH_OUT/feed-server.key")
        ours_tls=(2000 tls)
        peer_ca=(2000 "$BENCH_OUT/feed-ca.pem")
    fi
    rm -f "$BENCH_OUT/feed_ws_port"
    node "$BENCH_ROOT/bench/candles_ws_server.js" "$file" "${tls_server[@]}" > "$BENCH_OUT/feed_ws_port" &
    server=$!
    for _ in $(seq 1 600); do [ -s "$BENCH_OUT/feed_ws_port" ] && break; sleep 0.1; done
    port=$(cat "$BENCH_OUT/feed_ws_port")
    : > "$BENCH_OUT/feed_${scheme}_ours" && : > "$BENCH_OUT/feed_${scheme}_peer"
    for _ in $(seq 1 "$runs"); do
        BTCSTREAM_CA_FILE=$BENCH_OUT/feed-ca.pem "$BENCH_ROOT/build/bench/bench_feed_ws" "$port" \
            "${ours_tls[@]}" | tee -a "$BENCH_OUT/feed_${scheme}_ours" >&2
        node "$BENCH_ROOT/bench/candles_ws_peer.js" "$port" "${peer_ca[@]}" |
            tee -a "$BENCH_OUT/feed_${scheme}_peer" >&2
    done
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    # columns: messages trades candles late wall cpu rate_wall rate_cpu p50_us p99_us checksum
    m() { median_of "$BENCH_OUT/feed_${scheme}_$1" "$2"; }
    local sum_ours sum_peer same="same candles" ratio
    sum_ours=$(awk '{print $11}' "$BENCH_OUT/feed_${scheme}_ours" | sort -u)
    sum_peer=$(awk '{print $11}' "$BENCH_OUT/feed_${scheme}_peer" | sort -u)
    [ "$sum_ours" = "$sum_peer" ] || { same="CANDLES DIFFER: ours $sum_ours, peer $sum_peer"; status=1; }
    ratio=$(awk -v a="$(m ours 8)" -v b="$(m peer 8)" 'BEGIN { printf "%.2f", a / b }')
    echo "RESULT|feed: $scheme:// to candle, end to end (lib/ws_client.c)|$n Binance trades|$(m ours 6)|node $scheme socket + JSON.parse + fold|$(m peer 6)|-|-|>= 1,000,000 trades/s a core, p99 < 1 ms|CPU s (median); ours $(m ours 8) trades a CPU s ($ratio x node), $(m ours 7) trades/s wall, read-to-candle p50 $(m ours 9) us p99 $(m ours 10) us; node $(m peer 8) a CPU s, $(m peer 7) wall, p50 $(m peer 9) us p99 $(m peer 10) us; $same"
}
one_scheme ws
one_scheme wss
exit $status
