// A second independent reader (hyparquet, pure JavaScript) of an exported Parquet file: prints
// [rows, trades known, sum of trades, sum of close] as JSON, so a test can check the optional
// trades column's definition levels the way another implementation decodes them.
//   node hyparquet_sum.mjs FILE.parquet
import { pathToFileURL } from 'url';
const modules = process.env.BS_NODE_DIR + '/node_modules/';
const { parquetReadObjects } = await import(pathToFileURL(modules + 'hyparquet/src/index.js'));
const { asyncBufferFromFile } = await import(pathToFileURL(modules + 'hyparquet/src/node.js'));
const file = await asyncBufferFromFile(process.argv[2]);
const rows = await parquetReadObjects({ file, columns: ['close', 'trades'] });
let known = 0, trades = 0n, close = 0;
for (const r of rows) {
  if (r.trades !== null && r.trades !== undefined) { known++; trades += BigInt(r.trades); }
  close += r.close;
}
console.log(JSON.stringify([rows.length, known, trades.toString(), close]));
