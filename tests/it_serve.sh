# `btcstream serve` at the HTTP level: only its own routes (unknown paths and traversal attempts
# are 404, other methods 405), security headers on every answer and no CORS, JSON endpoints that
# agree with the history, /events resuming after Last-Event-ID with no duplicate and no gap, the
# cap on event-stream clients (503), a bad --listen refused, and a clean exit on SIGINT and
# SIGTERM with event streams open.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/browser/serve_helpers.sh"
command -v curl > /dev/null || skip "curl is not installed"

# A data folder from before markets (its one history, bitcoin_combined.json): what the
# dashboard shows without --market; docs/markets.md.
mkdir -p D && : > D/bitcoin_combined.json
"$BTCSTREAM" run --source sim --duration 2500ms --interval 20ms --data-dir D --no-upload --quiet \
    --out-dir O > run.log 2>&1 || { cat run.log >&2; fail "sim run"; }
rows=$(wc -l < D/bitcoin_combined.json)
start_serve serve.log --data-dir D --max-clients 2
case "$SERVE_URL" in http://127.0.0.1:*) ;; *) fail "not on loopback: $SERVE_URL" ;; esac

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
for path in /nope /index.html /api /api/ /api/summary/ /events/x /metrics.txt /app.js.map; do
    expect_eq "$(code "$SERVE_URL$path")" 404 "GET $path"
done
# Traversal: raw paths (curl would normalise them), encoded dots and slashes, absolute paths.
for path in /../../../../etc/passwd /..%2f..%2fetc%2fpasswd /%2e%2e/%2e%2e/etc/passwd \
            //etc/passwd /static/../../etc/passwd /./app.js/../../etc/hosts; do
    got=$(curl -s --path-as-is -w '\n%{http_code}' "$SERVE_URL$path")
    expect_eq "$(tail -1 <<< "$got")" 404 "GET $path"
    grep -q "root:" <<< "$got" && fail "$path leaked a file"
done
expect_eq "$(code -X POST "$SERVE_URL/api/summary")" 405 "POST"
# DNS rebinding: on loopback, a request naming another host is refused.
expect_eq "$(code -H 'Host: evil.example:8080' "$SERVE_URL/api/summary")" 403 "foreign Host"
expect_eq "$(code -H "Host: localhost:${SERVE_URL##*:}" "$SERVE_URL/api/summary")" 200 "localhost Host"
expect_eq "$(code -X DELETE "$SERVE_URL/")" 405 "DELETE"

# Headers on a page, an asset, the API, a 404 and the metrics; never a CORS grant.
for path in / /app.js /uplot.js /api/summary /nope /metrics; do
    curl -s -D h.txt -o /dev/null -H 'Origin: http://evil.example' "$SERVE_URL$path"
    expect_contains h.txt "Content-Security-Policy: default-src 'none'; script-src 'self'" "CSP on $path"
    expect_contains h.txt "X-Content-Type-Options: nosniff" "nosniff on $path"
    grep -qi '^Access-Control-Allow-Origin' h.txt && fail "CORS header on $path"
done
curl -s -D h.txt -o /dev/null "$SERVE_URL/app.js"
expect_contains h.txt "Content-Type: text/javascript" "script type"

# The JSON endpoints agree with the history (all rows, the newest close, the tick ids 1..rows).
curl -s "$SERVE_URL/api/summary" > summary.json
curl -s "$SERVE_URL/api/ticks?limit=100000" > ticks.json
curl -s "$SERVE_URL/api/markets" > markets.json
$PY "$BS_SOURCE_DIR/tests/browser/expected_rows.py" D/bitcoin_combined.json > expected.json
$PY - summary.json ticks.json markets.json expected.json <<'PYEOF' || fail "API differs from the history"
import json, sys
s, t, m, want = (json.load(open(p)) for p in sys.argv[1:5])
assert s["last_id"] == want["rows"] == t["last_id"], (s["last_id"], want["rows"])
assert [x["id"] for x in t["ticks"]] == list(range(1, want["rows"] + 1))
assert t["ticks"][-1]["c"] == want["close"] == s["price"]["close"]
assert s["hourly"]["Count"] == want["hourly"]["Count"]
assert abs(s["moving_avg"]["Moving_Avg_Close"] - want["moving_avg"]["Moving_Avg_Close"]) < 1e-6
assert m["selected"] == "default" and len(m["markets"]) == 1
PYEOF
after=$(curl -s "$SERVE_URL/api/ticks?after=$((rows - 3))" | $PY -c 'import json,sys; print([t["id"] for t in json.load(sys.stdin)["ticks"]])')
expect_eq "$after" "[$((rows - 2)), $((rows - 1)), $rows]" "/api/ticks?after"

# /events after Last-Event-ID E:N sends exactly the ticks N+1.. in one event whose id is the last.
curl -s -N --max-time 1 -H "Last-Event-ID: 0:$((rows - 5))" "$SERVE_URL/events" > ev.txt || true
expect_contains ev.txt "retry: 1000" "retry hint"
expect_contains ev.txt "id: 0:$rows" "event id is the last tick's"
ids=$(grep '^data: ' ev.txt | head -1 | cut -c7- | $PY -c 'import json,sys; print([t["id"] for t in json.load(sys.stdin)["ticks"]])')
expect_eq "$ids" "[$((rows - 4)), $((rows - 3)), $((rows - 2)), $((rows - 1)), $rows]" "resume after Last-Event-ID"
# An id from another epoch (or older than what is kept) makes the page load again.
curl -s -N --max-time 1 -H "Last-Event-ID: 7:3" "$SERVE_URL/events" > ev.txt || true
expect_contains ev.txt "event: reset" "reset on a stale epoch"

# The cap: two streams open, the third is refused with 503 and counted. The streams closed
# above free their slots within a second (serve notices a peer that left while it waits).
for _ in $(seq 1 100); do
    curl -s "$SERVE_URL/metrics" | grep -q '^btcstream_sse_clients{market="default"} 0$' && break
    sleep 0.05
done
curl -s "$SERVE_URL/metrics" | grep -q '^btcstream_sse_clients{market="default"} 0$' \
    || fail "closed streams still hold their slots after 5 s"
curl -s -N --max-time 20 "$SERVE_URL/events" > s1.txt & c1=$!
curl -s -N --max-time 20 "$SERVE_URL/events" > s2.txt & c2=$!
for _ in $(seq 1 100); do
    curl -s "$SERVE_URL/metrics" | grep -q '^btcstream_sse_clients{market="default"} 2$' && break
    sleep 0.05
done
curl -s -w '\n%{http_code}' "$SERVE_URL/events" > third.txt
expect_eq "$(tail -1 third.txt)" 503 "third stream over the cap"
expect_contains third.txt "too many event-stream clients (the cap is 2)" "503 says why"
curl -s "$SERVE_URL/metrics" > m.txt
expect_contains m.txt 'btcstream_sse_rejected_total{market="default"} 1' "rejection counted"

# SIGTERM with both streams open: exits 0 at once, the streams end.
stop_serve TERM
expect_contains serve.log "btcstream serve: stopped" "stop message"
wait $c1 $c2 || true

# SIGINT on an idle server, and a bad or busy address.
start_serve serve2.log --data-dir D
stop_serve INT
"$BTCSTREAM" serve --listen nowhere:80 --data-dir D > bad.txt 2>&1 && fail "bad --listen accepted"
expect_contains bad.txt "is not HOST:PORT" "bad --listen message"
start_serve serve3.log --data-dir D
"$BTCSTREAM" serve --listen "${SERVE_URL#http://}" --data-dir D > busy.txt 2>&1 && fail "busy port accepted"
expect_contains busy.txt "cannot listen on" "busy port message"
stop_serve INT
pass "serve: own routes only, headers, API, resume, 503 cap, clean shutdown"
