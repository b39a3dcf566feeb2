// backfill_fetch.js - the bench's peer for `btcstream backfill`: the same Binance pages fetched
// by Node.js (http with keep-alive), each answer parsed, filtered to its page and written as one
// JSON-lines file, as a small script a user might write instead.
//   node bench/peers/backfill_fetch.js BASE_URL FROM_MS TO_MS OUT_DIR
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const [base, fromMs, toMs, outDir] = [process.argv[2], Number(process.argv[3]),
    Number(process.argv[4]), process.argv[5]];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const PAGE = 1000 * 60000;

function get(url) {
    return new Promise((resolve, reject) => {
        http.get(url, { agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString())
                : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
        }).on('error', reject);
    });
}

(async () => {
    fs.mkdirSync(outDir, { recursive: true });
    let n = 0;
    for (let s = fromMs; s < toMs; s += PAGE) {
        const e = Math.min(toMs, s + PAGE);
        const url = `${base}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${s}&endTime=${e - 1}&limit=${(e - s) / 60000}`;
        const rows = JSON.parse(await get(url)).filter((k) => k[0] >= s && k[0] < e);
        const lines = rows.map((k) => JSON.stringify({
            Datetime: new Date(k[0]).toISOString().replace('Z', '000+00:00'), Market: 'binance:BTCUSDT',
            Open: Number(k[1]), High: Number(k[2]), Low: Number(k[3]), Close: Number(k[4]),
            Volume: k[5], Trades: k[8],
        }));
        const file = path.join(outDir, `page_${n++}.json`);
        fs.writeFileSync(file + '.tmp', lines.join('\n') + '\n');
        fs.renameSync(file + '.tmp', file);
    }
    agent.destroy();
})().catch((e) => { console.error(e.message); process.exit(1); });
