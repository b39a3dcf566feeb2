#!/usr/bin/env bash
# The dashboard (btcstream serve): commit-to-browser latency over 1,000 ticks measured in a real
# page (goal p99 < 20 ms), the bytes of a first page load (goal < 150 KB), and the server's peak
# RSS with 100 event-stream clients (goal < 30 MB). No peer tool shows a live page of this
# pipeline, so these are absolute figures against the goals.
#   bash bench/dashboard.sh [TICKS]
. "$(dirname "$0")/lib.sh"
ticks=${1:-1000}
work=$BENCH_OUT/dashboard
rm -rf "$work" && mkdir -p "$work/D"
cd "$work"
"$BIN" serve --listen 127.0.0.1:0 --data-dir D > serve.log 2>&1 &
serve_pid=$!
trap 'kill $serve_pid $stream_pid 2>/dev/null || true' EXIT
stream_pid=
for _ in $(seq 1 100); do grep -q 'http://' serve.log && break; sleep 0.05; done
url=$(grep -o 'http://[0-9.:]*' serve.log)

# 1. Latency: the page is open, then a producer writes a tick every 10 ms and the stream
#    processor commits each as it arrives.
"$BIN" stream --stream-dir D/stream --history D/bitcoin_combined.json --trigger 0 --quiet > stream.log 2>&1 &
stream_pid=$!
node "$BENCH_ROOT/bench/dashboard_latency.js" "$url/" "$ticks" ready > latency.json &
page_pid=$!
for _ in $(seq 1 600); do [ -f ready ] && break; sleep 0.1; done
"$BIN" ingest --source sim --interval 10ms --duration "$((ticks / 100 + 2))s" --stream-dir D/stream > ingest.log 2>&1
wait $page_pid
read -r events p50 p99 max < <(/usr/bin/python3 -c 'import json; d = json.load(open("latency.json")); print(d["events"], d["p50_ms"], d["p99_ms"], d["max_ms"])')
echo "RESULT|dashboard commit-to-browser latency|$ticks ticks|$(awk -v v="$p50" 'BEGIN {printf "%.4f", v / 1000}')|-|-|-|-|p99 < 0.020 s|p50 ${p50} ms, p99 ${p99} ms, max ${max} ms over $events events (ours column: p50 in s)"

# 2. Page weight: every byte a first load fetches (page, script, styles, uPlot, the markets,
#    the last 1,000 ticks and the summary), uncompressed.
total=0
parts=""
for path in / /app.js /style.css /uplot.js /uplot.css /api/markets "/api/ticks?limit=1000&compact=1" /api/summary; do
    n=$(curl -s -o /dev/null -w '%{size_download}' "$url$path")
    total=$((total + n))
    parts="$parts $path=$n"
done
echo "RESULT|dashboard page weight|first load, 1000 ticks|-|-|-|-|-|< 150 KB|$((total / 1024)) KB:$parts"

# 3. RSS with 100 clients reading while ticks keep coming.
"$BIN" ingest --source sim --interval 20ms --duration 4s --stream-dir D/stream > ingest2.log 2>&1 &
ingest_pid=$!
/usr/bin/python3 "$BENCH_ROOT/tests/browser/sse_clients.py" "$url" --clients 100 --rss-pid $serve_pid \
    --timeout 30 > clients.json
wait $ingest_pid
rss=$(/usr/bin/python3 -c 'import json; print(json.load(open("clients.json"))["rss_max_kb"])')
idle=$(awk '/VmHWM/ {print $2}' /proc/$serve_pid/status)
echo "RESULT|dashboard RSS, 100 event-stream clients|100 clients|-|-|-|$((rss / 1024))|-|< 30 MB|peak RSS ${rss} kB while 100 clients read (process high-water mark ${idle} kB)"
