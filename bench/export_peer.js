// The peer of the export benchmark: DuckDB reads the same market history (JSON lines) and either
// sums it up as `btcstream markets` does (rows, first, last, missing minutes, holes) or writes it
// sorted as Parquet, as `btcstream export --format parquet` does.
//   node export_peer.js markets HISTORY      node export_peer.js parquet HISTORY OUT.parquet
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const [kind, history, out] = process.argv.slice(2);
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run("SET TimeZone = 'UTC'");
  const rows = `read_json('${history}', format = 'newline_delimited', columns = {Datetime: 'TIMESTAMPTZ',
      Market: 'VARCHAR', Open: 'DOUBLE', High: 'DOUBLE', Low: 'DOUBLE', Close: 'DOUBLE', Volume: 'VARCHAR',
      Trades: 'BIGINT'})`;
  if (kind === 'markets') {
    const r = await con.runAndReadAll(`WITH m AS (SELECT DISTINCT epoch(Datetime)::BIGINT // 60 AS minute FROM ${rows}),
        g AS (SELECT minute - lag(minute) OVER (ORDER BY minute) - 1 AS missing FROM m)
        SELECT (SELECT count(*) FROM ${rows}), (SELECT min(Datetime) FROM ${rows}), (SELECT max(Datetime) FROM ${rows}),
               sum(missing) FILTER (WHERE missing > 0), count(*) FILTER (WHERE missing > 0) FROM g`);
    console.log(JSON.stringify(r.getRowsJson()[0]));
  } else {
    await con.run(`COPY (SELECT Market AS market, Datetime AS start, Open AS open, High AS high, Low AS low,
        Close AS close, Volume::DOUBLE AS volume, Trades AS trades FROM ${rows} ORDER BY start)
        TO '${out}' (FORMAT parquet, COMPRESSION snappy)`);
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
