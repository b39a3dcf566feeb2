// DuckDB reads a Parquet file and writes it as CSV, timestamps as "YYYY-MM-DD HH:MM:SS" (UTC),
// so that a test can compare it with btcstream's own CSV output.
//   node to_csv.js FILE.parquet OUT.csv
const { DuckDBInstance } = require('@duckdb/node-api');

(async () => {
  const [file, out] = process.argv.slice(2);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  const columns = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRows();
  const select = columns.map(([name, type]) => type.startsWith('TIMESTAMP')
    ? `strftime("${name}", '%Y-%m-%d %H:%M:%S') AS "${name}"` : `"${name}"`).join(', ');
  await con.run(`COPY (SELECT ${select} FROM read_parquet('${file}')) TO '${out}' (HEADER, FORMAT csv)`);
})().catch((e) => { console.error(e.message); process.exit(1); });
