// The peer for the aggregate benchmark: DuckDB (its default threads) reads the same tick JSON
// lines file and computes the same hourly table as `btcstream aggregate --table hourly`, written
// as CSV in the same shape so that the two outputs can be compared.
//   node duckdb_hourly.js HISTORY OUT.csv
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [input, output] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  const src = `read_json('${input}', format = 'newline_delimited', columns = {
      Datetime: 'TIMESTAMPTZ', Open: 'DOUBLE', High: 'DOUBLE', Low: 'DOUBLE', Close: 'DOUBLE',
      Volume: 'VARCHAR'})`;
  await con.run(`COPY (
      SELECT strftime(time_bucket(INTERVAL 1 hour, Datetime), '%Y-%m-%d %H:%M:%S') AS Hour_Start,
             arg_min(Open, Datetime) AS Open, max(High) AS High, min(Low) AS Low,
             arg_max(Close, Datetime) AS Close, avg(Close) AS Avg_Close, count(*) AS Count
      FROM ${src} GROUP BY time_bucket(INTERVAL 1 hour, Datetime) ORDER BY 1
  ) TO '${output}' (FORMAT csv, HEADER)`);
}
main().catch((e) => { console.error(e.message); process.exit(1); });
