// Reads a Parquet file written by btcstream with two independent readers, DuckDB and hyparquet,
// and compares every value with what the generator's formulas give (recomputed here).
//   node check.mjs predictions FILE ROWS [--no-hyparquet]
//   node check.mjs edge FILE
//   node check.mjs same FILE_A.parquet FILE_B.csv   (a table file against our CSV output)
import { createRequire } from 'module';
import { pathToFileURL } from 'url';
// ES modules ignore NODE_PATH: load the peers from the test's node_modules by path.
const modules = process.env.BS_NODE_DIR + '/node_modules/';
const { parquetReadObjects, parquetMetadataAsync } = await import(pathToFileURL(modules + 'hyparquet/src/index.js'));
const { asyncBufferFromFile } = await import(pathToFileURL(modules + 'hyparquet/src/node.js'));
const require = createRequire(modules);
const { DuckDBInstance } = require('@duckdb/node-api');

const [kind, file, arg] = process.argv.slice(2);
const useHyparquet = !process.argv.includes('--no-hyparquet');
const fail = (msg) => { console.error('FAIL: ' + msg); process.exit(1); };
const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

async function duck(sql) {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run("SET TimeZone = 'UTC'");
  return (await con.runAndReadAll(sql)).getRows();
}

async function predictions() {
  const rows = Number(arg);
  const expect = (i) => {
    const close = 30000 + (i % 10007) / 100;
    return [1700000000000000n + BigInt(i) * 60000000n, close, close + (i % 13) - 6, close - 1 + (i % 3)];
  };
  // DuckDB: aggregates over all rows (a 10-million-row file is not pulled into JS), plus a sample.
  let sumClose = 0, sumPred = 0, sumTs = 0n;
  for (let i = 0; i < rows; i++) { const e = expect(i); sumClose += e[1]; sumPred += e[2]; sumTs += e[0] / 60000000n; }
  const [agg] = await duck(`SELECT count(*), sum(Close), sum(prediction), sum(epoch_us(timestamp) // 60000000),
      min(timestamp) = make_timestamptz(1700000000000000), typeof(any_value(timestamp)) FROM read_parquet('${file}')`);
  if (Number(agg[0]) !== rows) fail(`duckdb count ${agg[0]} != ${rows}`);
  if (rows && Math.abs(agg[1] - sumClose) > 1e-6 * Math.abs(sumClose)) fail(`duckdb sum(Close) ${agg[1]} != ${sumClose}`);
  if (rows && Math.abs(agg[2] - sumPred) > 1e-6 * Math.abs(sumPred)) fail(`duckdb sum(prediction) ${agg[2]} != ${sumPred}`);
  if (BigInt(agg[3] ?? 0) !== sumTs) fail(`duckdb timestamps ${agg[3]} != ${sumTs}`);
  if (rows && agg[5] !== 'TIMESTAMP WITH TIME ZONE') fail(`timestamp type ${agg[5]}`);
  const sample = await duck(`SELECT epoch_us(timestamp), Close, prediction, baseline FROM read_parquet('${file}')
      WHERE epoch_us(timestamp) % 7919 = 0 OR epoch_us(timestamp) < 1700000300000000 ORDER BY 1`);
  for (const r of sample) {
    const i = Number((BigInt(r[0]) - 1700000000000000n) / 60000000n), e = expect(i);
    if (BigInt(r[0]) !== e[0] || !same(r[1], e[1]) || !same(r[2], e[2]) || !same(r[3], e[3])) fail(`duckdb row ${i}: ${r}`);
  }
  if (!useHyparquet || rows > 2000000) return `duckdb: ${rows} rows`;
  const buf = await asyncBufferFromFile(file);
  const meta = await parquetMetadataAsync(buf);
  const objs = await parquetReadObjects({ file: buf });
  if (objs.length !== rows) fail(`hyparquet read ${objs.length} rows`);
  objs.forEach((o, i) => {
    const e = expect(i);
    const us = o.timestamp instanceof Date ? BigInt(o.timestamp.getTime()) * 1000n : BigInt(o.timestamp);
    if (us !== e[0] || !same(o.Close, e[1]) || !same(o.prediction, e[2]) || !same(o.baseline, e[3]))
      fail(`hyparquet row ${i}: ${JSON.stringify(o, (k, v) => typeof v === 'bigint' ? v.toString() : v)}`);
  });
  return `duckdb and hyparquet: ${rows} rows in ${meta.row_groups.length} row groups`;
}

async function edge() {
  const names = ['', 'plain ascii', 'café', '日本語', 'rocket 🚀', 'z'];
  const values = [-0, NaN, Infinity, -Infinity, 1e-300, 1.7976931348623157e308];
  const ints = [0n, -1n, 9223372036854775807n, -9223372036854775808n, 42n, 7n];
  const ts = [0n, -86400000000n, 1747012974181814n, 1n, -1n, 253402300799000000n];
  const rows = await duck(`SELECT name, value, n, epoch_us(ts) FROM read_parquet('${file}')`);
  rows.forEach((r, i) => {
    if (r[0] !== names[i] || !same(r[1], values[i]) || BigInt(r[2]) !== ints[i] || BigInt(r[3]) !== ts[i])
      fail(`duckdb edge row ${i}: ${r}`);
  });
  if (rows.length !== 6) fail(`duckdb read ${rows.length} edge rows`);
  if (!useHyparquet) return 'duckdb: edge cases';
  const objs = await parquetReadObjects({ file: await asyncBufferFromFile(file) });
  objs.forEach((o, i) => {
    if (o.name !== names[i] || !same(o.value, values[i]) || BigInt(o.n) !== ints[i]) fail(`hyparquet edge row ${i}: ${o.name} ${o.value} ${o.n}`);
  });
  return 'duckdb and hyparquet: edge cases';
}

const run = { predictions, edge }[kind];
if (!run) fail(`unknown kind ${kind}`);
run().then((msg) => console.log('ok - ' + msg)).catch((e) => fail(e.stack || e.message));
