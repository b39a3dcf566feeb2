# `btcstream run` offline: sim ticks through the stream into the history, then the tables, the
# model, the Parquet folder, its ZIP and the plot; the ZIP is valid and its Parquet reads back.
. "$BS_SOURCE_DIR/tests/lib.sh"
"$BTCSTREAM" run --source sim --duration 4s --interval 40ms --data-dir D --out-dir O --quiet > out.txt 2> err.txt \
    || fail "run failed: $(cat err.txt)"
expect_contains out.txt "hour_of_day (" "tables printed"
expect_contains out.txt "baseline  RMSE" "model stage"
H=D/markets/sim/BTC-USD/history.json # the sim's market (docs/markets.md)
rows=$(wc -l < $H)
[ "$rows" -ge 50 ] || fail "only $rows ticks in the history"
expect_contains out.txt "$H: $rows rows added" "summary counts every tick"
for f in O/model.json O/output_plot.png O/bitcoin_predictions.zip O/bitcoin_predictions.parquet/_SUCCESS; do
    [ -f "$f" ] || fail "$f missing"
done
unzip -t O/bitcoin_predictions.zip > /dev/null || fail "zip does not test clean"
mkdir unz && (cd unz && unzip -q ../O/bitcoin_predictions.zip)
cmp unz/part-*.parquet O/bitcoin_predictions.parquet/part-*.parquet || fail "zip holds another file"
NODE_PATH=$BS_NODE_DIR/node_modules node "$BS_SOURCE_DIR/tests/parquet/to_csv.js" "unz/part-*.parquet" z.csv || fail "duckdb read zip"
expect_contains out.txt "$(($(wc -l < z.csv) - 1)) to test" "rows in the zipped Parquet"
# A second run replaces the folder whole: still one part file.
"$BTCSTREAM" run --source sim --duration 1s --interval 40ms --data-dir D --out-dir O --quiet > /dev/null 2>&1 || fail "second run"
expect_eq "$(ls O/bitcoin_predictions.parquet | grep -c '^part-')" 1 "folder replaced whole"
pass "run writes history, tables, model, Parquet, ZIP and plot"
