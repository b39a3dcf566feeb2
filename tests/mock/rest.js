// rest.js - a mock of the three exchanges' REST candle endpoints, for tests and the bench.
//
//   node tests/mock/rest.js [--port-file F] [--log F] [--fault EX:N=KIND ...] [--now S]
//                           [--tls CERT.pem KEY.pem]
//
// Listens on 127.0.0.1 (HTTPS with --tls), port 0 (the kernel's choice), prints "port N" on stdout (and writes N
// to --port-file). Serves, for any range, deterministic 1-minute candles (gen() below; tests
// recompute them independently):
//   GET /api/v3/klines?symbol=BTCUSDT&interval=1m&startTime&endTime&limit     (Binance)
//   GET /products/BTC-USD/candles?granularity=60&start=ISO&end=ISO            (Coinbase)
//   GET /0/public/OHLC?pair=XBTUSD&interval=1&since=S                         (Kraken)
// paginated as the real ones: Binance up to `limit` (<= 1000) klines with open time in
// [startTime, endTime], oldest first; Coinbase the minutes in [start, end] (a range of more than
// 300 is refused with 400) newest first, plus the minute before start (the real API may answer
// with candles before start), and no candle for a minute without trades; Kraken the candles after
// `since`, only the last 720, its own pair name "XXBTZUSD" as the key, no candle for a minute
// without trades. Every exchange also answers with the current, unfinished minute, whose prices
// are all 99999.99 (a marker: a client that stores it is wrong).
// Minutes without trades are those with k % 97 == 0 (k = minute index since the epoch): Binance
// gives them as klines with 0 trades, volume 0 and the previous close.
// Faults, by exchange and request number (1-based, counted per exchange):
//   429 (Retry-After: 1), 429date (Retry-After as an HTTP date 1 s ahead), 429bare (none),
//   418 (Retry-After: 1), 500, malformed (cut JSON), badprice (a negative price), dup (a minute
//   twice), krakenlimit (200 with EAPI:Rate limit exceeded), krakenerror (EQuery:Unknown asset
//   pair), 400, slow (the answer a minute late).
// Each request is logged as a JSON line {t, ex, path, status, fault}.
'use strict';
const http = require('http');
const fs = require('fs');

const args = process.argv.slice(2);
let portFile = null, logFile = null, nowFixed = null, tls = null;
const faults = {}; // "binance:3" -> kind
for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port-file') portFile = args[++i];
    else if (a === '--log') logFile = args[++i];
    else if (a === '--now') nowFixed = Number(args[++i]);
    else if (a === '--tls') tls = { cert: fs.readFileSync(args[++i]), key: fs.readFileSync(args[++i]) };
    else if (a === '--fault') {
        const m = /^(binance|coinbase|kraken):(\d+)=(\w+)$/.exec(args[++i]);
        if (!m) throw new Error('bad --fault ' + args[i]);
        faults[m[1] + ':' + m[2]] = m[3];
    } else throw new Error('unknown argument ' + a);
}
const logFd = logFile ? fs.openSync(logFile, 'a') : null;
const counts = { binance: 0, coinbase: 0, kraken: 0 };

const nowSeconds = () => (nowFixed !== null ? nowFixed : Math.floor(Date.now() / 1000));

// Prices in cents, volumes in thousandths: exact integers, printed as decimals.
function cents(v) { return `${Math.floor(v / 100)}.${String(v % 100).padStart(2, '0')}`; }
function milli(v) { return `${Math.floor(v / 1000)}.${String(v % 1000).padStart(3, '0')}`; }

function closeCents(k) { return 2000000 + ((k * 104729 + 17) % 100003); }

// The candle of minute k: {o, h, l, c} in cents, v in thousandths, n trades; n 0 when empty.
function gen(k) {
    if (k % 97 === 0) {
        const p = closeCents(k - 1);
        return { o: p, h: p, l: p, c: p, v: 0, n: 0 };
    }
    const o = 2000000 + ((k * 7919) % 100003), c = closeCents(k);
    return {
        o, c, h: Math.max(o, c) + (k % 13) * 7, l: Math.min(o, c) - (k % 11) * 5,
        v: ((k * 31) % 100000) + 1, n: (k % 500) + 1,
    };
}
const MARK = { o: 9999999, h: 9999999, l: 9999999, c: 9999999, v: 1000, n: 1 };

function candleAt(k, nowMin) { return k === nowMin ? MARK : gen(k); }

function send(res, status, body, headers = {}) {
    res.writeHead(status, Object.assign({ 'Content-Type': 'application/json' }, headers));
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function binance(q, nowMin) {
    if (q.get('symbol') !== 'BTCUSDT') return [400, { code: -1121, msg: 'Invalid symbol.' }];
    if (q.get('interval') !== '1m') return [400, { code: -1120, msg: 'Invalid interval.' }];
    const limit = Number(q.get('limit') || 500);
    if (!(limit >= 1 && limit <= 1000)) return [400, { code: -1130, msg: 'Invalid limit.' }];
    const start = Number(q.get('startTime')), end = Number(q.get('endTime'));
    const out = [];
    for (let k = Math.ceil(start / 60000); k * 60000 <= end && k <= nowMin && out.length < limit; k++) {
        const g = candleAt(k, nowMin);
        out.push([k * 60000, cents(g.o), cents(g.h), cents(g.l), cents(g.c), milli(g.v),
            k * 60000 + 59999, '0', g.n, '0', '0', '0']);
    }
    return [200, out];
}

function coinbase(q, nowMin, product) {
    if (product !== 'BTC-USD') return [404, { message: 'NotFound' }];
    if (q.get('granularity') !== '60') return [400, { message: 'Unsupported granularity' }];
    const start = Date.parse(q.get('start')) / 1000, end = Date.parse(q.get('end')) / 1000;
    if (!(start <= end)) return [400, { message: 'start must be before end' }];
    const first = Math.ceil(start / 60), last = Math.floor(end / 60);
    if (last - first + 1 > 300)
        return [400, { message: 'granularity too small for the requested time range. Count of aggregations requested exceeds 300' }];
    const out = [];
    for (let k = first - 1; k <= last && k <= nowMin; k++) {
        const g = candleAt(k, nowMin);
        if (g.n === 0) continue;
        // numbers, not strings; [time, low, high, open, close, volume]
        out.push(`[${k * 60},${cents(g.l)},${cents(g.h)},${cents(g.o)},${cents(g.c)},${milli(g.v)}]`);
    }
    return [200, '[' + out.reverse().join(',') + ']'];
}

function kraken(q, nowMin) {
    const pair = q.get('pair');
    if (pair !== 'XBTUSD' && pair !== 'XXBTZUSD')
        return [200, { error: ['EQuery:Unknown asset pair'] }];
    const since = Number(q.get('since') || 0);
    const rows = [];
    for (let k = Math.max(nowMin - 719, Math.floor(since / 60) + 1); k <= nowMin; k++) {
        const g = candleAt(k, nowMin);
        if (g.n === 0) continue;
        rows.push(`[${k * 60},"${cents(g.o)}","${cents(g.h)}","${cents(g.l)}","${cents(g.c)}","${cents(g.c)}","${milli(g.v)}",${g.n}]`);
    }
    return [200, `{"error":[],"result":{"XXBTZUSD":[${rows.join(',')}],"last":${(nowMin - 1) * 60}}}`];
}

// Applies a fault to a good answer, or answers instead of it.
function withFault(kind, res, status, body) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    switch (kind) {
    case '429': return send(res, 429, { code: -1003, msg: 'Too many requests.' }, { 'Retry-After': '1' });
    case '429date':
        return send(res, 429, {}, { 'Retry-After': new Date(Date.now() + 1500).toUTCString() });
    case '429bare': return send(res, 429, {});
    case '418': return send(res, 418, { code: -1003, msg: 'Way too many requests; IP banned.' }, { 'Retry-After': '1' });
    case '500': return send(res, 500, 'Internal Server Error');
    case '400': return send(res, 400, { message: 'bad request' });
    case 'malformed': return send(res, 200, text.slice(0, Math.floor(text.length / 2)));
    case 'badprice': { // a price in the middle of the answer (not the unfinished minute's)
        const half = Math.floor(text.length / 2), rest = text.slice(half);
        return send(res, 200, text.slice(0, half) + rest.replace(/\d+\.\d\d/, '-1.00'));
    }
    case 'dup': {
        // the first row repeated (Kraken: inside its result array)
        const m = /\[\d+,[^\[\]]*\]/.exec(text);
        return send(res, 200, m ? text.replace(m[0], m[0] + ',' + m[0]) : text);
    }
    case 'slow': return setTimeout(() => send(res, status, text), 60000); // an answer a minute late
    case 'krakenlimit': return send(res, 200, { error: ['EAPI:Rate limit exceeded'] });
    case 'krakenerror': return send(res, 200, { error: ['EQuery:Unknown asset pair'] });
    default: return send(res, status, text);
    }
}

const handler = (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const nowMin = Math.floor(nowSeconds() / 60);
    let ex = null, answer = null;
    let m;
    if (url.pathname === '/api/v3/klines') ex = 'binance', answer = binance(url.searchParams, nowMin);
    else if ((m = /^\/products\/([^/]+)\/candles$/.exec(url.pathname)))
        ex = 'coinbase', answer = coinbase(url.searchParams, nowMin, decodeURIComponent(m[1]));
    else if (url.pathname === '/0/public/OHLC') ex = 'kraken', answer = kraken(url.searchParams, nowMin);
    else return send(res, 404, { message: 'no such endpoint' });
    const n = ++counts[ex];
    const fault = faults[ex + ':' + n] || null;
    if (logFd !== null) {
        fs.writeSync(logFd, JSON.stringify({ t: Date.now() / 1000, ex, n, path: req.url,
            status: fault && /^\d+/.test(fault) ? parseInt(fault, 10) : answer[0], fault,
            ua: req.headers['user-agent'] || '' }) + '\n');
    }
    if (ex === 'binance') res.setHeader('X-MBX-USED-WEIGHT-1M', String(2 * n % 100));
    if (fault) return withFault(fault, res, answer[0], answer[1]);
    return send(res, answer[0], answer[1]);
};
const server = tls ? require('https').createServer(tls, handler) : http.createServer(handler);

server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    if (portFile) fs.writeFileSync(portFile + '.tmp', String(port)), fs.renameSync(portFile + '.tmp', portFile);
    process.stdout.write(`port ${port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
