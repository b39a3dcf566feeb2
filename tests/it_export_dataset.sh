# The Hive-partitioned dataset of `btcstream export --format parquet --partition` (issue 13):
# DuckDB reads it with hive_partitioning and its per-day aggregates equal an independent
# computation (tests/export/make_history.py); a second export after a new minute rewrites only
# the partition that changed (inodes and mtimes of the others untouched); the dataset uploaded to
# the local S3 server of it_s3.sh is listed and read back byte for byte with AWS's own SDK, and a
# re-upload sends only what changed.
. "$BS_SOURCE_DIR/tests/lib.sh"
export NODE_PATH=$BS_NODE_DIR/node_modules NODE_NO_WARNINGS=1
duck() { node "$BS_SOURCE_DIR/tests/export/duck.js" "$1"; }
$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data
ds=$WORK/ds

check_days() { # compares DuckDB's per-day aggregates of the dataset with Python's
    duck "SELECT market, strftime(date, '%Y-%m-%d'), count(*), sum(close),
          coalesce(sum(volume) FILTER (WHERE NOT isnan(volume)), 0), count(trades), coalesce(sum(trades), 0),
          bool_and(strftime(timestamp, '%Y-%m-%d') = strftime(date, '%Y-%m-%d'))
          FROM read_parquet('$ds/*/*/*.parquet', hive_partitioning = true, hive_types = {'date': DATE})
          GROUP BY ALL ORDER BY ALL" > days.duck || fail "duckdb reads the dataset"
    $PY - days.duck Data/expect/days.json <<'PY' || fail "dataset aggregates differ: $1"
import json, sys
want = json.load(open(sys.argv[2]))
got = [json.loads(l) for l in open(sys.argv[1])]
n = 0
for market, day, rows, close, vol, known, trades, same_day in got:
    # DuckDB decodes the Hive value (binance%3ABTCUSDT): the market comes back as it was
    w = want[market][day]
    assert int(rows) == w[0] and int(known) == w[3] and int(trades) == w[4], (market, day, rows, w)
    assert abs(close - w[1]) <= 1e-9 * w[1] and abs(vol - w[2]) <= 1e-9 * max(w[2], 1), (market, day)
    assert same_day, (market, day)
    n += 1
assert n == sum(len(d) for d in want.values()), (n, want.keys())
PY
}

"$BTCSTREAM" export --format parquet --partition --out "$ds" > first.txt || fail "export: $(cat first.txt)"
check_days "first export"
for m in "market=binance%3ABTCUSDT" "market=kraken%3ABTC%2FUSD" "market=coingecko%3Abitcoin%2Fusd"; do
    [ -f "$ds/$m/date=2024-05-01/part-00000.parquet" ] || fail "no $m partition (Hive escaping)"
done
[ -f "$ds/_btcstream_manifest.json" ] || fail "no manifest"
pass "the dataset's per-day rows and sums, read by DuckDB with hive_partitioning, equal Python's"

stamp() { find "$ds" -name '*.parquet' -printf '%P %i %T@\n' | sort; }
stamp > before.txt
sleep 1.1 # mtimes in whole seconds on some file systems: a rewrite must show
"$BTCSTREAM" export --format parquet --partition --out "$ds" > same.txt
expect_contains same.txt "wrote 0 (0 bytes)" "an unchanged re-run writes nothing"
stamp > same_stamp.txt
cmp before.txt same_stamp.txt || fail "an unchanged re-run touched files"
$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data --append
"$BTCSTREAM" export --format parquet --partition --out "$ds" > second.txt
expect_contains second.txt "wrote 1 (" "one partition rewritten"
stamp > after.txt
changed=$(diff before.txt after.txt | grep '^>' | cut -d' ' -f2 || true)
expect_eq "$changed" "market=binance%3ABTCUSDT/date=2024-05-03/part-00000.parquet" "the rewritten partition"
check_days "after the new minute"
pass "a new minute rewrites its day's partition only (the others keep inode and mtime)"

rm "$ds/market=kraken%3ABTC%2FUSD/date=2024-05-02/part-00000.parquet"
"$BTCSTREAM" export --format parquet --partition --out "$ds" > repair.txt
expect_contains repair.txt "wrote 1 (" "a missing partition is written again"
check_days "after the repair"
pass "a partition file gone missing is written again"

k=Data/markets/kraken/BTC%2FUSD/history.json
cp $k kraken.keep
grep -v '"2024-05-02T' kraken.keep > $k
"$BTCSTREAM" export --format parquet --partition --out "$ds" > removed.txt
expect_contains removed.txt "removed 1," "a day without rows any more"
[ ! -e "$ds/market=kraken%3ABTC%2FUSD/date=2024-05-02" ] || fail "the emptied day's partition is still there"
cp kraken.keep $k
"$BTCSTREAM" export --format parquet --partition --out "$ds" > back.txt
check_days "after the day came back"
pass "a day that no longer holds a row loses its partition, and gets it back with its rows"

cp "$ds/_btcstream_manifest.json" manifest.keep
sed -i '3s/"rows": [0-9]*/"rows": many/' "$ds/_btcstream_manifest.json"
"$BTCSTREAM" export --format parquet --partition --out "$ds" > damaged.txt 2>&1 && fail "a damaged manifest trusted"
expect_contains damaged.txt "_btcstream_manifest.json:3: not a partition entry" "names the manifest's line"
cp manifest.keep "$ds/_btcstream_manifest.json"
pass "a damaged manifest is refused naming its line, not trusted"

echo '{"Datetime": "2024-05-01T25:00:00Z", "Close": 1}' >> Data/markets/coingecko/bitcoin%2Fusd/history.json
"$BTCSTREAM" export --format parquet --partition --out "$ds" > bad.txt 2> bad.err
expect_contains bad.err "1 bad lines skipped" "bad lines are counted"
expect_contains bad.txt "wrote 0 (0 bytes)" "a bad line changes no partition"
pass "bad lines in a history are skipped and counted"

# S3: the server of it_s3.sh (s3rver behind a proxy checking every SigV4 signature)
server_pid=""
trap '[ -n "$server_pid" ] && kill $server_pid 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir store
S3_TEST_DIR=$WORK/store node "$BS_SOURCE_DIR/tests/s3/server.js" > ports.json 2> server.err &
server_pid=$!
for _ in $(seq 1 100); do
    [ -s ports.json ] && [ "$(tail -c 1 ports.json | od -An -c | tr -d ' ')" = '\n' ] && break
    kill -0 $server_pid 2>/dev/null || fail "S3 test server exited: $(cat server.err)"
    sleep 0.1
done
proxy=$($PY -c "import json; print(json.load(open('ports.json'))['proxy'])")
s3rver=$($PY -c "import json; print(json.load(open('ports.json'))['s3rver'])")
export S3_ENDPOINT_URL=http://127.0.0.1:$proxy AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
get() { node "$BS_SOURCE_DIR/tests/s3/get.js" "$s3rver" test-bucket "$@" 2>> server.err; }
stage=$WORK/stage
"$BTCSTREAM" export --format parquet --partition --out s3://test-bucket/btc/ds --stage "$stage" > up.txt 2>&1 \
    || fail "upload: $(cat up.txt)"
get --list > listing.txt
expect_eq "$(grep -c '\.parquet ' listing.txt)" "$(find "$stage" -name '*.parquet' | wc -l)" "objects listed"
grep -q '^btc/ds/_btcstream_manifest.json ' listing.txt || fail "no manifest in the bucket"
while read -r key size; do
    get "$key" back.bin || fail "get $key"
    cmp back.bin "$stage/${key#btc/ds/}" || fail "$key differs from the local dataset"
done < listing.txt
pass "the dataset uploaded to S3 lists every partition and the manifest, byte for byte"

$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data --append
printf '%s\n' "$(tail -1 Data/markets/binance/BTCUSDT/history.json | sed 's/T02:00:00/T02:01:00/')" >> Data/markets/binance/BTCUSDT/history.json
"$BTCSTREAM" export --format parquet --partition --out s3://test-bucket/btc/ds --stage "$stage" > up2.txt 2>&1
expect_contains up2.txt "1 partition and the manifest" "only the changed partition is uploaded"
get btc/ds/market=binance%3ABTCUSDT/date=2024-05-03/part-00000.parquet back.bin
cmp back.bin "$stage/market=binance%3ABTCUSDT/date=2024-05-03/part-00000.parquet" || fail "changed partition not uploaded"
pass "a re-upload sends only the changed partition, then the manifest"
