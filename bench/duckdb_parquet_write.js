// The peer of the Parquet write benchmark: DuckDB generates the same prediction rows as
// bench_parquet_gen and writes them with COPY ... TO (FORMAT parquet, snappy).
//   node duckdb_parquet_write.js OUT.parquet ROWS
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const [out, rows] = process.argv.slice(2);
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(`COPY (
      SELECT make_timestamptz(1700000000000000 + i * 60000000) AS timestamp,
             30000 + (i % 10007) / 100 AS Close,
             30000 + (i % 10007) / 100 + (i % 13) - 6 AS prediction,
             30000 + (i % 10007) / 100 - 1 + (i % 3) AS baseline
      FROM range(${Number(rows)}) t(i)
  ) TO '${out}' (FORMAT parquet, COMPRESSION snappy)`);
})().catch((e) => { console.error(e.message); process.exit(1); });
