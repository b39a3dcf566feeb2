// candles_peer.js - the candles benchmark's peer: what a Node.js collector would do with the same
// recording (bench_gen_trades): JSON.parse each line and its Binance message, then fold the trades
// into 1-minute candles by lib/candle.c's rules (candles_fold.js). Prints what bench_candles_fold
// prints:
//   trades candles late seconds cpu_seconds trades_per_cpu_second checksum
//   node bench/candles_peer.js FILE [GRACE_MS=2000]
'use strict';
const fs = require('fs');
const {makeFold} = require('./candles_fold.js');

const fold = makeFold((process.argv[3] ? Number(process.argv[3]) : 2000) * 1000);

function line(text) {
    const rec = JSON.parse(text);
    const r = rec.recv; // 2023-11-14T22:13:20.006061+00:00
    const recv = Date.parse(r.slice(0, 19) + 'Z') * 1000 + Number(r.slice(20, 26));
    fold.clock(recv);
    const msg = rec.msg;
    if (msg.e !== 'trade') return;
    fold.add(msg.T * 1000, recv, parseFloat(msg.p), parseFloat(msg.q), msg.t);
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
fold.flush();
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage();
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const r = fold.result();
console.log(`${r.trades} ${r.candles} ${r.late} ${secs.toFixed(3)} ${cpuSecs.toFixed(3)} ` +
            `${Math.round(r.trades / cpuSecs)} ${r.checksum}`);
