// DuckDB as an independent reader of what `btcstream export` writes: runs one SQL query (UTC
// session) and prints each row as a JSON array (BIGINTs as numbers, timestamps as text).
//   node duck.js "SELECT ..."
const { DuckDBInstance } = require('@duckdb/node-api');

(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  const reader = await con.runAndReadAll(process.argv[2]);
  for (const row of reader.getRowsJson()) console.log(JSON.stringify(row));
})().catch((e) => { console.error(e.message); process.exit(1); });
