# /metrics in Prometheus' text format: `promtool check metrics` accepts it, and a real Prometheus
# server (loopback, a temporary config and data dir) scrapes it and answers a query for the
# committed tick count with the history's row count.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/browser/serve_helpers.sh"
command -v prometheus > /dev/null && command -v promtool > /dev/null \
    || skip "prometheus is not installed (scripts/install-deps.sh)"

# A data folder from before markets (its one history, bitcoin_combined.json): what the
# dashboard shows without --market; docs/markets.md.
mkdir -p D && : > D/bitcoin_combined.json
"$BTCSTREAM" run --source sim --duration 2500ms --interval 20ms --data-dir D --no-upload --quiet \
    --out-dir O > run.log 2>&1 || { cat run.log >&2; fail "sim run"; }
rows=$(wc -l < D/bitcoin_combined.json)
start_serve serve.log --data-dir D
curl -s "$SERVE_URL/metrics" > metrics.txt
promtool check metrics < metrics.txt > check.txt 2>&1 || { cat check.txt >&2; fail "promtool check metrics"; }
[ -s check.txt ] && { cat check.txt >&2; fail "promtool has remarks"; }
expect_contains metrics.txt "btcstream_ticks_committed_total{market=\"default\"} $rows" "tick count"

port=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > prometheus.yml <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: btcstream
    static_configs:
      - targets: ["${SERVE_URL#http://}"]
YML
prometheus --config.file=prometheus.yml --storage.tsdb.path=tsdb \
    --web.listen-address=127.0.0.1:$port > prometheus.log 2>&1 &
prom_pid=$!
trap 'kill -KILL $SERVE_PID $prom_pid 2>/dev/null || true; rm -rf "$WORK"' EXIT
query="http://127.0.0.1:$port/api/v1/query?query=btcstream_ticks_committed_total"
value=""
for _ in $(seq 1 300); do
    value=$(curl -s "$query" | $PY -c 'import json,sys
r = json.load(sys.stdin)["data"]["result"]
print(r[0]["value"][1] if r else "")' 2> /dev/null || true)
    [ -n "$value" ] && break
    sleep 0.1
done
[ -n "$value" ] || { tail -5 prometheus.log >&2; fail "Prometheus never stored the series"; }
expect_eq "$value" "$rows" "btcstream_ticks_committed_total queried back from Prometheus"
up=$(curl -s "http://127.0.0.1:$port/api/v1/query?query=up" | $PY -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
expect_eq "$up" 1 "the scrape target is up"
kill -TERM $prom_pid; wait $prom_pid || true
stop_serve TERM
pass "promtool accepts /metrics and Prometheus scrapes $rows ticks back"
