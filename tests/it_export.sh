# `btcstream markets` and `btcstream export` of one market against an independent computation
# (tests/export/make_history.py): three markets whose histories are shuffled, hold gaps and one
# minute stored twice; the CSV must equal Python's byte for byte, the Parquet file read by DuckDB
# must give Python's sums, and the --market flag of aggregate and train must pick the market.
. "$BS_SOURCE_DIR/tests/lib.sh"
export NODE_PATH=$BS_NODE_DIR/node_modules NODE_NO_WARNINGS=1
duck() { node "$BS_SOURCE_DIR/tests/export/duck.js" "$1"; }
$PY "$BS_SOURCE_DIR/tests/export/make_history.py" Data

"$BTCSTREAM" markets --format csv > markets.csv 2> markets.err || fail "markets: $(cat markets.err)"
diff Data/expect/markets.csv markets.csv || fail "markets table differs from the independent one"
"$BTCSTREAM" markets --format json > markets.json
expect_eq "$($PY -c 'import json,sys; print(sum(json.loads(l)["rows"] for l in open(sys.argv[1]) if "total" not in l))' markets.json)" \
    "$(tail -1 Data/expect/markets.csv | cut -d, -f4)" "json rows"
pass "markets lists each market's span, rows and missing minutes as computed independently"

cp Data/markets/kraken/BTC%2FUSD/history.json Data/bitcoin_combined.json
"$BTCSTREAM" markets > table.txt 2> table.err
expect_contains table.txt "(no market)" "legacy row"
expect_contains table.err "markets migrate --market M" "migration hint"
rm Data/bitcoin_combined.json
pass "a legacy history is listed as (no market) with the migration hint"

if "$BTCSTREAM" export > out.csv 2> ambiguous.err; then fail "export without --market accepted"; fi
for m in binance:BTCUSDT kraken:BTC/USD coingecko:bitcoin/usd; do
    expect_contains ambiguous.err "$m" "ambiguous error names $m"
done
rc=0; "$BTCSTREAM" export --market "no colon" > /dev/null 2> bad.err || rc=$?
expect_eq $rc 2 "a bad market name is a usage error"
"$BTCSTREAM" export --market binance:ETHUSDT > /dev/null 2> missing.err && fail "a market without a history exported"
expect_eq "$(wc -l < missing.err)" 1 "one line for a market without a history"
expect_contains missing.err "market binance:ETHUSDT: Data/markets/binance/ETHUSDT/history.json" "names the market and its history"
pass "without --market, several markets are an error naming them; an unknown market is one clear line"

for m in binance:BTCUSDT kraken:BTC/USD coingecko:bitcoin/usd; do
    src=${m%%:*}
    "$BTCSTREAM" export --market "$m" > $src.csv || fail "export $m"
    cmp Data/expect/$src.csv $src.csv || { diff Data/expect/$src.csv $src.csv | head >&2; fail "$m CSV differs"; }
    "$BTCSTREAM" export --market "$m" --out $src.file.csv 2> /dev/null
    cmp $src.csv $src.file.csv || fail "--out differs from stdout"
done
head -1 binance.csv | grep -qx 'Start,Open,High,Low,Close,Volume,Trades' || fail "candle header"
head -1 coingecko.csv | grep -qx 'Datetime,Open,High,Low,Close,Volume' || fail "tick header"
pass "CSV of candles and of ticks equals the independent export byte for byte (sorted, last per instant)"

"$BTCSTREAM" export --market binance:BTCUSDT --from 2024-05-01T10:00:00Z --to "2024-05-01 11:00:00" > range.csv
expect_eq "$(wc -l < range.csv)" 61 "an hour of minutes plus the header"
expect_eq "$(sed -n 2p range.csv | cut -d, -f1)" "2024-05-01 10:00:00" "--from is included"
expect_eq "$(tail -1 range.csv | cut -d, -f1)" "2024-05-01 10:59:00" "--to is left out"
pass "--from includes its time and --to leaves its own out"

"$BTCSTREAM" export --market kraken:BTC/USD --format json > kraken.json
$PY - kraken.json Data/expect/kraken.csv <<'PY' || fail "json lines"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
csv = open(sys.argv[2]).read().splitlines()[1:]
assert len(rows) == len(csv), (len(rows), len(csv))
assert all(r["Market"] == "kraken:BTC/USD" for r in rows)
for r, c in zip(rows, csv):
    cells = c.split(",")
    assert r["Datetime"][:19].replace("T", " ") == cells[0], (r, c)
    assert float(r["Close"]) == float(cells[4]) and str(r.get("Trades", "")) == cells[6], (r, c)
PY
pass "json lines carry the Market and the same rows"

if "$BTCSTREAM" export --market binance:BTCUSDT --format parquet 2> pq.err; then fail "parquet to stdout"; fi
expect_contains pq.err "--out" "parquet needs --out"
for m in binance:BTCUSDT coingecko:bitcoin/usd; do
    src=${m%%:*}
    "$BTCSTREAM" export --market "$m" --format parquet --out $src.parquet 2> /dev/null || fail "parquet $m"
    time_col=$( [ $src = binance ] && echo start || echo timestamp )
    duck "SELECT count(*), count(trades), coalesce(sum(trades), 0), sum(close), coalesce(sum(volume) FILTER (WHERE NOT isnan(volume)), 0),
          count(*) FILTER (WHERE isnan(volume)), min(market), max(market),
          strftime(min($time_col), '%Y-%m-%d %H:%M:%S'), typeof(any_value($time_col))
          FROM read_parquet('$src.parquet')" > $src.duck || fail "duckdb reads $m"
    $PY - $src.duck $src.csv "$m" <<'PY' || fail "$m Parquet differs from the CSV's sums"
import json, math, sys
got = json.loads(open(sys.argv[1]).read())
lines = open(sys.argv[2]).read().splitlines()
candle = lines[0].endswith("Trades")
rows = [l.split(",") for l in lines[1:]]
trades = [int(r[6]) for r in rows if candle and r[6] != ""]
close = math.fsum(float(r[4]) for r in rows)
vol = math.fsum(float(r[5]) for r in rows if r[5] != "")
nan = sum(1 for r in rows if r[5] == "")
assert int(got[0]) == len(rows) and int(got[1]) == len(trades) and int(got[2]) == sum(trades), got
assert abs(got[3] - close) <= 1e-9 * close and abs(got[4] - vol) <= 1e-9 * max(vol, 1), (got, close, vol)
assert int(got[5]) == nan and got[6] == got[7] == sys.argv[3], got
assert got[8] == rows[0][0][:19].replace("T", " ") and got[9] == "TIMESTAMP WITH TIME ZONE", got
PY
done
for src in binance coingecko; do
    node "$BS_SOURCE_DIR/tests/export/hyparquet_sum.mjs" $src.parquet > $src.hyp || fail "hyparquet reads $src.parquet"
    $PY - $src.hyp $src.duck <<'PY' || fail "hyparquet and DuckDB disagree on $src.parquet"
import json, sys
h, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert [h[0], h[1], int(h[2])] == [int(d[0]), int(d[1]), int(d[2])], (h, d)
assert abs(h[3] - d[3]) <= 1e-9 * d[3], (h, d)
PY
done
pass "Parquet read by DuckDB and hyparquet: market, UTC timestamps, null trades and NaN volumes as in the CSV"

"$BTCSTREAM" aggregate --market kraken:BTC/USD --table daily --format csv > by_market.csv
"$BTCSTREAM" aggregate --input Data/markets/kraken/BTC%2FUSD/history.json --table daily --format csv > by_input.csv
cmp by_market.csv by_input.csv || fail "aggregate --market differs from --input"
mkdir other
"$BTCSTREAM" aggregate --data-dir other --table daily > /dev/null 2> none.err && fail "empty data dir accepted"
expect_contains none.err "other/bitcoin_combined.json" "a data dir without markets names the history it lacks"
pass "aggregate --market reads the market's history; a data dir without one fails as before"

"$BTCSTREAM" aggregate --market kraken:BTC/USD --table daily --format parquet --out tables > /dev/null
duck "SELECT count(*), min(market), max(market), sum(Daily_Avg_Close) FROM read_parquet('tables/daily.parquet')" > tables.duck
$PY - tables.duck by_market.csv <<'PY' || fail "the daily table's Parquet with its market"
import json, sys
got = json.load(open(sys.argv[1]))
rows = [l.split(",") for l in open(sys.argv[2]).read().splitlines()[1:]]
assert int(got[0]) == len(rows) and got[1] == got[2] == "kraken:BTC/USD", got
assert abs(got[3] - sum(float(r[1]) for r in rows)) < 1e-6, got
PY
"$BTCSTREAM" aggregate --input Data/markets/kraken/BTC%2FUSD/history.json --table daily --format parquet --out plain > /dev/null
duck "SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet('plain/daily.parquet')) WHERE column_name = 'market'" > plain.duck
expect_eq "$(cat plain.duck)" '["0"]' "no market column when the market is unknown"
pass "aggregate's Parquet tables carry the market column when the market is known"

"$BTCSTREAM" train --market kraken:BTC/USD --max-iter 5 --out-dir k > train.txt || fail "train --market"
duck "SELECT count(*), min(market), max(market) FROM read_parquet('k/bitcoin_predictions.parquet/*.parquet')" > pred.duck
expect_eq "$($PY -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r[1], r[2])' pred.duck)" "kraken:BTC/USD kraken:BTC/USD" "predictions market"
"$BTCSTREAM" predict --model k/model.json --market kraken:BTC/USD > predict.txt || fail "predict --market"
"$BTCSTREAM" plot --predictions k/bitcoin_predictions.parquet --market binance:BTCUSDT --out p.png 2> plot.err && fail "plot of another market's predictions"
expect_contains plot.err "holds predictions for kraken:BTC/USD" "plot names the predictions' market"
"$BTCSTREAM" plot --predictions k/bitcoin_predictions.parquet --market kraken:BTC/USD --out p.png > /dev/null || fail "plot --market"
pass "train --market writes predictions with their market column; predict and plot follow --market"
