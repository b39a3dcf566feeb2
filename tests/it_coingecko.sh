# The CoinGecko producer against a local mock on 127.0.0.1: good answers, 429 with Retry-After,
# 500, invalid JSON, an answer slower than the timeout and a dropped connection. The producer
# survives each, the ticks it writes carry the course project's mapping, the API key goes in its
# plan's header and never into any output, and an unreachable host fails fast with a hint.
. "$BS_SOURCE_DIR/tests/lib.sh"

start_mock() { # SCRIPT
    rm -f port.txt requests.log
    $PY "$BS_SOURCE_DIR/tests/tools/mock_coingecko.py" port.txt requests.log "$1" &
    mock=$!
    for _ in $(seq 1 50); do [ -s port.txt ] && break; sleep 0.1; done
    [ -s port.txt ] || fail "mock server did not start"
    export COINGECKO_BASE_URL="http://127.0.0.1:$(cat port.txt)/api/v3"
}
stop_mock() { kill $mock 2>/dev/null || true; wait $mock 2>/dev/null || true; }
trap 'stop_mock; rm -rf "$WORK"' EXIT

secret="demo-key-$RANDOM-do-not-print"
start_mock "good:100000.5,429,500,badjson,slow,drop,good:100100"
COINGECKO_API_KEY=$secret "$BTCSTREAM" ingest --source coingecko --interval 300ms --timeout 1s \
    --duration 7s --stream-dir S > out.txt 2> err.txt || fail "ingest exited non-zero: $(cat err.txt)"
stop_mock
! grep -q -- "$secret" out.txt err.txt || fail "the API key was printed"
expect_contains err.txt "HTTP 429" "429 reported"
expect_contains err.txt "HTTP 500" "500 reported"
expect_contains err.txt "not valid JSON" "bad JSON reported"
expect_contains err.txt "imeout" "timeout reported"
$PY - requests.log S <<'PY' || fail "requests or ticks are wrong"
import glob, json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
steps = [r["step"] for r in reqs]
assert steps[:7] == ["good:100000.5", "429", "500", "badjson", "slow", "drop", "good:100100"], steps
for r in reqs:
    h = {k.lower(): v for k, v in r["headers"].items()}
    assert r["path"] == "/api/v3/coins/markets?vs_currency=usd&ids=bitcoin", r["path"]
    assert h["user-agent"].startswith("btcstream/"), h
    assert h.get("x-cg-demo-api-key", "").startswith("demo-key-"), h
    assert "x-cg-pro-api-key" not in h
# After the 429 (Retry-After: 1) the next request waited at least a second.
assert reqs[2]["t"] - reqs[1]["t"] >= 0.95, reqs[2]["t"] - reqs[1]["t"]
ticks = [json.loads(open(f).read()) for f in sorted(glob.glob(sys.argv[2] + "/ohlc_*.json"))]
closes = [t["Close"] for t in ticks]
assert 100000.5 in closes and 100100 in closes, closes
for t in ticks:
    assert t["Open"] == t["Close"] and t["High"] == t["Close"] + 1000 and t["Low"] == t["Close"] - 2000, t
    assert t["Volume"] == "26503597248", t
    assert t["Datetime"].endswith("+00:00"), t
PY
pass "producer survives 429, 500, bad JSON, a slow answer and a dropped connection"

# 429 with Retry-After as an HTTP date, then with none (exponential back-off from 1 s): the
# producer waits before asking again, then writes the next good tick.
start_mock "429date,good:5000,429bare,good:6000"
"$BTCSTREAM" ingest --source coingecko --interval 100ms --timeout 1s --duration 5s --stream-dir R \
    > /dev/null 2> err.txt || fail "ingest exited non-zero: $(cat err.txt)"
stop_mock
$PY - requests.log R <<'PY' || fail "429 waits are wrong"
import glob, json, sys
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["step"] for r in reqs[:4]] == ["429date", "good:5000", "429bare", "good:6000"], reqs
assert reqs[1]["t"] - reqs[0]["t"] >= 1.9, ("HTTP-date Retry-After not honoured", reqs[1]["t"] - reqs[0]["t"])
assert reqs[3]["t"] - reqs[2]["t"] >= 0.95, ("no back-off without Retry-After", reqs[3]["t"] - reqs[2]["t"])
closes = sorted(json.loads(open(f).read())["Close"] for f in glob.glob(sys.argv[2] + "/ohlc_*.json"))
assert closes[:2] == [5000, 6000], closes
PY
pass "429 with an HTTP-date Retry-After and without one"

# An empty answer (unknown coin) says which coin and currency; null 24-hour figures fall back to
# the price and no volume.
start_mock "empty,nulls:5000"
"$BTCSTREAM" ingest --source coingecko --interval 100ms --duration 450ms --stream-dir N \
    > /dev/null 2> err.txt || fail "ingest exited non-zero: $(cat err.txt)"
stop_mock
expect_contains err.txt 'no market data for coin "bitcoin" in "usd" (check --coin and --vs)' "empty answer"
tick=$(cat "$(ls N/ohlc_*.json | head -1)")
$PY - "$tick" <<'PY' || fail "null fallbacks: $tick"
import json, sys
t = json.loads(sys.argv[1])
assert (t["Open"], t["High"], t["Low"], t["Close"]) == (5000, 5000, 5000, 5000), t
assert "Volume" not in t, t
PY
pass "empty answer and null 24-hour figures"

# The pro plan uses its own header.
start_mock "good:50000"
COINGECKO_API_KEY=$secret COINGECKO_API_PLAN=pro "$BTCSTREAM" ingest --source coingecko \
    --interval 1s --duration 500ms --stream-dir P > /dev/null 2>&1 || fail "pro ingest failed"
stop_mock
grep -q '"X-Cg-Pro-Api-Key": "demo-key-\|"x-cg-pro-api-key": "demo-key-' requests.log || fail "pro header missing"
pass "pro plan header"

# Nothing listening: run fails fast, in one line that points at the offline sources.
export COINGECKO_BASE_URL="http://127.0.0.1:9/api/v3"
start=$(date +%s)
if "$BTCSTREAM" run --source coingecko --duration 5s --data-dir D > /dev/null 2> err.txt; then fail "run succeeded offline"; fi
[ $(( $(date +%s) - start )) -le 3 ] || fail "run did not fail fast"
expect_eq "$(wc -l < err.txt)" 1 "one line"
expect_contains err.txt "--source sim or --source replay:FILE" "offline hint"
[ ! -e D ] || fail "a failed first run left a tree behind: $(find D)"
pass "offline run fails fast with a hint, and leaves no empty data folder"
