# btcstream backfill against the mock REST server (tests/mock/rest.js) on 127.0.0.1: for each
# exchange a range spanning several pages with a rate limit in the middle, merged by the stream
# processor into the market's history, where every minute must be present exactly once with the
# mock's values (recomputed independently by tests/tools/backfill_check.py); the requests must
# tile the range exactly (no minute asked twice, none skipped); Retry-After must be obeyed.
. "$BS_SOURCE_DIR/tests/lib.sh"
. "$BS_SOURCE_DIR/tests/mock/rest.sh"
now_min=$(($(date +%s) / 60))

# files_once DIR: the stream files the backfill wrote hold no minute twice (the history would hide
# a duplicate: it keeps the first tick of an instant), each line naming the market.
files_once() {
    $PY - "$1" <<'PY' || fail "stream files in $1 hold a minute twice"
import glob, json, sys
seen = {}
for f in sorted(glob.glob(sys.argv[1] + "/ohlc_*_backfill_*.json")):
    for line in open(f):
        r = json.loads(line)
        assert r["Datetime"] not in seen, (r["Datetime"], f, seen[r["Datetime"]])
        assert r["Market"] in ("binance:BTCUSDT", "coinbase:BTC-USD", "kraken:BTC/USD"), r
        seen[r["Datetime"]] = f
assert seen, "no stream file"
PY
}

# stream DIR HISTORY: merge a market's stream folder into a history.
stream() {
    "$BTCSTREAM" stream --stream-dir "$1" --history "$2" --until-idle --quiet > stream.out 2>&1 ||
        fail "stream failed: $(cat stream.out)"
}

# ---- Binance: 4321 minutes = 5 pages of <= 1000, a 429 and a 418 on the way ----------------------
from=$(((now_min - 4421) * 60)) to=$(((now_min - 100) * 60))
start_mock --fault binance:2=429 --fault binance:4=418
"$BTCSTREAM" backfill --market binance:BTCUSDT --from "$(iso $from)" --to "$(iso $to)" \
    --stream-dir S --progress 2 > out.txt 2> err.txt || fail "backfill failed: $(cat err.txt)"
stop_mock
expect_contains out.txt "4321 candles, 0 empty minutes filled, 0 absent; 5 stream files; 7 requests, 2 rate limited, 2 retries" "summary"
expect_contains err.txt "backfill: 2/5 pages" "progress line"
files_once S/binance/BTCUSDT
stream S/binance/BTCUSDT binance.json
$PY "$BS_SOURCE_DIR/tests/tools/backfill_check.py" binance.json binance $from $to ||
    fail "binance history is wrong"
$PY - requests.log $from $to <<'PY' || fail "binance requests do not tile the range"
import json, sys
from urllib.parse import urlparse, parse_qs
reqs = [json.loads(l) for l in open(sys.argv[1])]
lo, hi = int(sys.argv[2]) * 1000, int(sys.argv[3]) * 1000
assert [r["status"] for r in reqs] == [200, 429, 200, 418, 200, 200, 200], [r["status"] for r in reqs]
# each rate-limited request is repeated as it was, after its Retry-After (1 s)
for i in (1, 3):
    assert reqs[i + 1]["path"] == reqs[i]["path"]
    assert reqs[i + 1]["t"] - reqs[i]["t"] >= 0.95, reqs[i + 1]["t"] - reqs[i]["t"]
ok = [parse_qs(urlparse(r["path"]).query) for r in reqs if r["status"] == 200]
cursor = lo
for q in ok:
    s, e, n = int(q["startTime"][0]), int(q["endTime"][0]), int(q["limit"][0])
    assert s == cursor and (e + 1 - s) == n * 60000 and n <= 1000, (s, e, n, cursor)
    cursor = e + 1
assert cursor == hi, (cursor, hi)
assert all(r["ua"].startswith("btcstream/") for r in reqs)
PY
pass "binance: 5 pages with a 429 and a 418 (Retry-After obeyed) give every minute once, exact"

# ---- Coinbase: 1000 minutes = 4 pages of <= 299, newest-first answers that start before the page,
# minutes without trades filled between candles, a 429 with an HTTP-date Retry-After ------------
from=$(((now_min - 1050) * 60)) to=$(((now_min - 50) * 60))
start_mock --fault coinbase:3=429date
"$BTCSTREAM" backfill --market coinbase:BTC-USD --from "$(iso $from)" --to "$(iso $to)" \
    --stream-dir S > out.txt 2> err.txt || fail "backfill failed: $(cat err.txt)"
stop_mock
expect_contains out.txt "4 stream files; 5 requests, 1 rate limited, 1 retries" "summary"
files_once S/coinbase/BTC-USD
stream S/coinbase/BTC-USD coinbase.json
$PY "$BS_SOURCE_DIR/tests/tools/backfill_check.py" coinbase.json coinbase $from $to --fill ||
    fail "coinbase history is wrong"
$PY - requests.log $from $to <<'PY' || fail "coinbase requests do not tile the range"
import json, sys
from datetime import datetime
from urllib.parse import urlparse, parse_qs
reqs = [json.loads(l) for l in open(sys.argv[1])]
assert reqs[2]["fault"] == "429date" and reqs[3]["path"] == reqs[2]["path"]
assert reqs[3]["t"] - reqs[2]["t"] >= 0.95, reqs[3]["t"] - reqs[2]["t"]
ts = lambda s: int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())
cursor = int(sys.argv[2])
for r in reqs:
    if r["fault"]: continue
    q = parse_qs(urlparse(r["path"]).query)
    s, e = ts(q["start"][0]), ts(q["end"][0])
    assert s == cursor and 0 < e - s <= 299 * 60, (s, e, cursor)
    cursor = e
assert cursor == int(sys.argv[3])
PY
pass "coinbase: 4 pages of 299 minutes, a 429 with a date, empty minutes filled, every minute once"

# ---- Kraken: a range reaching past its 720-minute horizon; the rate limit is in the body ---------
from=$(((now_min - 1000) * 60)) to=$(((now_min - 10) * 60))
start_mock --fault kraken:1=krakenlimit
"$BTCSTREAM" backfill --market kraken:BTC/USD --from "$(iso $from)" --to "$(iso $to)" \
    --stream-dir S > out.txt 2> err.txt || fail "backfill failed: $(cat err.txt)"
stop_mock
expect_contains err.txt "older than kraken:BTC/USD keeps and were not fetched" "horizon warning"
expect_contains out.txt "1 rate limited, 1 retries" "summary"
grep -q '"path":"/0/public/OHLC?pair=XBTUSD&interval=1&since=' requests.log ||
    fail "kraken pair not mapped to XBTUSD: $(cat requests.log)"
files_once S/kraken/BTC%2FUSD
stream S/kraken/BTC%2FUSD kraken.json
$PY "$BS_SOURCE_DIR/tests/tools/backfill_check.py" kraken.json kraken \
    $(((now_min - 719) * 60)) $to --fill --lo-slack 3 || fail "kraken history is wrong"
pass "kraken: the last 720 minutes, its own pair key, a body rate limit retried"

# ---- Up to now: the current, unfinished minute (the mock marks it) is never stored --------------
start_mock
"$BTCSTREAM" backfill --market binance:BTCUSDT --from now-20m --stream-dir N --quiet \
    2> err.txt || fail "backfill failed: $(cat err.txt)"
stop_mock
after_min=$(($(date +%s) / 60))
stream N/binance/BTCUSDT now.json
$PY - now.json $after_min <<'PY' || fail "the unfinished minute was stored"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert 19 <= len(rows) <= 21, len(rows)
assert all(r["Close"] != 99999.99 for r in rows), rows[-1]
PY
pass "the current minute is never taken as final"

# ---- The defaults work together: backfill, stream and export with no paths -----------------------
mkdir defaults && cd defaults
from=$(((now_min - 150) * 60)) to=$(((now_min - 30) * 60))
start_mock
"$BTCSTREAM" backfill --market coinbase:BTC-USD --from "$(iso $from)" --to "$(iso $to)" --quiet \
    2> err.txt || fail "backfill with the default stream root failed: $(cat err.txt)"
stop_mock
"$BTCSTREAM" stream --until-idle --quiet > stream.out 2>&1 || fail "stream failed: $(cat stream.out)"
"$BTCSTREAM" export --market coinbase:BTC-USD --format csv > c.csv 2> err.txt ||
    fail "export failed: $(cat err.txt)"
$PY - c.csv $from $to <<'PY' || fail "export after the default backfill + stream is not the range"
import csv, datetime, sys
rows = list(csv.DictReader(open(sys.argv[1])))
want = [datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        for t in range(int(sys.argv[2]), int(sys.argv[3]), 60)]
got = [r["Start"] for r in rows]
assert got == want, (len(got), len(want), got[:2], want[:2])
PY
cd ..
pass "backfill, stream --until-idle and export --market agree on their defaults"
