// candles_peer.js - the candles benchmark's peer: what a Node.js collector would do with the same
// recording (bench_gen_trades): JSON.parse each line and its Binance message, then fold the trades
// into 1-minute candles by the same rules as lib/candle.c (exchange time, the clock from the last
// trade plus the time since it was received, a grace, empty minutes, late trades, Open/Close the
// first/last by (time, id), a compensated volume sum). Prints what bench_candles_fold prints:
//   trades candles late seconds cpu_seconds trades_per_cpu_second checksum
//   node bench/candles_peer.js FILE [GRACE_MS=2000]
'use strict';
const fs = require('fs');

const MIN = 60e6;
const grace = (process.argv[3] ? Number(process.argv[3]) : 2000) * 1000;
const candles = [];
let closed = null; // the first minute not closed
let cur = null; // the open minute's accumulator
let prevClose = null;
let lastTs = null, lastRecv = 0;
let trades = 0, late = 0;

function emit(c) { candles.push(c); prevClose = c.close; }

function closeUntil(until) {
    if (cur && cur.start < until) {
        emit({start: cur.start, open: cur.open, high: cur.high, low: cur.low, close: cur.close,
              volume: cur.sum + cur.comp, trades: cur.n});
        closed = cur.start + MIN;
        cur = null;
    }
    if (closed === null || closed >= until) return;
    if (prevClose !== null)
        for (let k = closed; k < until; k += MIN)
            emit({start: k, open: prevClose, high: prevClose, low: prevClose, close: prevClose,
                  volume: 0, trades: 0});
    closed = until;
}

function clock(now) {
    if (lastTs === null) return;
    const est = lastTs + Math.max(0, now - lastRecv);
    closeUntil(Math.floor((est - grace) / MIN) * MIN);
}

function add(ts, recv, price, qty, id) {
    lastTs = ts;
    lastRecv = recv;
    const m = Math.floor(ts / MIN) * MIN;
    if (closed !== null && m < closed) { late++; return; }
    if (closed !== null && (!cur || m > cur.start)) closeUntil(m);
    if (!cur) {
        cur = {start: m, n: 0};
        if (closed === null) closed = m;
    }
    if (cur.n === 0) {
        Object.assign(cur, {open: price, high: price, low: price, close: price, ots: ts, oid: id,
                            cts: ts, cid: id, sum: qty, comp: 0});
    } else {
        if (price > cur.high) cur.high = price;
        if (price < cur.low) cur.low = price;
        if (ts < cur.ots || (ts === cur.ots && id < cur.oid)) { cur.open = price; cur.ots = ts; cur.oid = id; }
        if (!(ts < cur.cts || (ts === cur.cts && id < cur.cid))) { cur.close = price; cur.cts = ts; cur.cid = id; }
        const s = cur.sum + qty;
        cur.comp += Math.abs(cur.sum) >= Math.abs(qty) ? (cur.sum - s) + qty : (qty - s) + cur.sum;
        cur.sum = s;
    }
    cur.n++;
    trades++;
}

function line(text) {
    const rec = JSON.parse(text);
    const r = rec.recv; // 2023-11-14T22:13:20.006061+00:00
    const recv = Date.parse(r.slice(0, 19) + 'Z') * 1000 + Number(r.slice(20, 26));
    clock(recv);
    const msg = rec.msg;
    if (msg.e !== 'trade') return;
    add(msg.T * 1000, recv, parseFloat(msg.p), parseFloat(msg.q), msg.t);
}

const t0 = process.hrtime.bigint();
const fd = fs.openSync(process.argv[2], 'r');
const buf = Buffer.alloc(16 << 20);
let have = 0;
for (;;) {
    const got = fs.readSync(fd, buf, have, buf.length - have, null);
    const end = have + got;
    let start = 0, nl;
    while ((nl = buf.indexOf(10, start)) !== -1 && nl < end) {
        if (nl > start) line(buf.toString('utf8', start, nl));
        start = nl + 1;
    }
    if (got === 0) {
        if (start < end) line(buf.toString('utf8', start, end));
        break;
    }
    buf.copy(buf, 0, start, end);
    have = end - start;
}
if (cur) closeUntil(cur.start + MIN);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage();
const cpuSecs = (cpu.user + cpu.system) / 1e6;
let sum = 0;
for (const c of candles) sum += c.open + c.high + c.low + c.close + c.volume + c.trades;
console.log(`${trades} ${candles.length} ${late} ${secs.toFixed(3)} ${cpuSecs.toFixed(3)} ` +
            `${Math.round(trades / cpuSecs)} ${sum.toFixed(6)}`);
