# Parquet files we write, read back by two independent readers (DuckDB and hyparquet) and
# compared value by value with independently recomputed data: empty, one row, edge values (NaN,
# infinities, -0.0, INT64 extremes, multi-byte UTF-8), several row groups, each codec, 10
# million rows; the aggregate tables and the predictions folder as DuckDB sees them.
. "$BS_SOURCE_DIR/tests/lib.sh"
gen=$(dirname "$BTCSTREAM")/bench/bench_parquet_gen
check() { node "$BS_SOURCE_DIR/tests/parquet/check.mjs" "$@" || fail "check $*"; }
# Each generation is checked on its own line: `gen && check` under set -e let a failing writer
# skip the check and the test pass.
generate() { "$gen" "$@" || fail "writer failed: $*"; }
export NODE_PATH=$BS_NODE_DIR/node_modules

for codec in snappy none zstd; do
    extra=""
    [ $codec = zstd ] && extra=--no-hyparquet # hyparquet reads zstd only with an extra package
    generate predictions p0.parquet $codec 0
    check predictions p0.parquet 0 $extra
    generate predictions p1.parquet $codec 1
    check predictions p1.parquet 1 $extra
    generate predictions pm.parquet $codec 250000 60000
    check predictions pm.parquet 250000 $extra
    generate edge e.parquet $codec
    check edge e.parquet $extra
done
big=10000000
[ -n "${BS_UNDER_SANITIZER:-}" ] && big=1000000
generate predictions big.parquet snappy $big
check predictions big.parquet $big
pass "writer: every codec, edge values, row groups, $big rows"

# The aggregate tables as Parquet hold exactly what --format csv prints.
data=$(shared_data binanceus_btcusdt_1m_2023-03-01_21.csv)
"$BTCSTREAM" aggregate --input "$data" --format parquet --out tables > /dev/null
for t in hour_of_day hourly daily moving_avg; do
    "$BTCSTREAM" aggregate --input "$data" --table $t --format csv > ours.csv
    node "$BS_SOURCE_DIR/tests/parquet/to_csv.js" tables/$t.parquet duck.csv || fail "duckdb could not read $t"
    $REF compare ours.csv duck.csv 0 > /dev/null || fail "$t: Parquet differs from CSV"
done
pass "aggregate tables in Parquet equal the CSV output exactly"
