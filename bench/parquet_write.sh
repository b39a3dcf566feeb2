#!/usr/bin/env bash
# Workload 4: writing 10 million prediction rows as snappy Parquet: our writer (bench_parquet_gen)
# against DuckDB's COPY ... TO (FORMAT parquet) of the same rows, generated in-process on both
# sides, alternating; both files are then read by DuckDB and must hold the same sums.
#   bash bench/parquet_write.sh [ROWS=10000000] [RUNS=3]
. "$(dirname "$0")/lib.sh"
rows=${1:-10000000}
runs=${2:-3}
ours_cmd() { "$BENCH_ROOT/build/bench/bench_parquet_gen" predictions "$BENCH_OUT/ours.parquet" snappy "$rows"; }
peer_cmd() { node "$BENCH_ROOT/bench/duckdb_parquet_write.js" "$BENCH_OUT/duckdb.parquet" "$rows"; }
alternate "$runs" pq_ours pq_duckdb
node -e "
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => { const c = await (await DuckDBInstance.create(':memory:')).connect();
  // Row by row: no row of one file is missing from the other (sums would differ in the last
  // bits with the summation order, which follows each file's row groups).
  const r = await c.runAndReadAll(\"SELECT (SELECT count(*) FROM read_parquet('$BENCH_OUT/ours.parquet')), \" +
    \"(SELECT count(*) FROM (SELECT * FROM read_parquet('$BENCH_OUT/ours.parquet') EXCEPT ALL \" +
    \"SELECT * FROM read_parquet('$BENCH_OUT/duckdb.parquet')))\");
  const [rows, different] = r.getRowsJson()[0];
  if (rows !== '$rows' || different !== '0') { console.error('differ', rows, different); process.exit(1); }
})();" || { echo "parquet: outputs differ" >&2; exit 1; }
size_ours=$(stat -c %s "$BENCH_OUT/ours.parquet"); size_duck=$(stat -c %s "$BENCH_OUT/duckdb.parquet")
rm -f "$BENCH_OUT/ours.parquet" "$BENCH_OUT/duckdb.parquet"
result "4. Parquet write (snappy)" "$rows rows" pq_ours "DuckDB COPY TO parquet" pq_duckdb ">= 1x (as fast)" \
    "files: ours $((size_ours >> 20)) MB, DuckDB $((size_duck >> 20)) MB; same rows"
