// candles_ws_peer.js - the end-to-end peer of bench_feed_ws: a Node.js client of the same local
// WebSocket server (candles_ws_server.js; the frames read off a plain or TLS socket, as a `ws`
// client does underneath), JSON.parse of each message and the same fold (candles_fold.js), with
// the latency from each socket read to the candle update of each message in it. Prints what
// bench_feed_ws prints. With CA_FILE, the connection is TLS (wss://) verified against it.
//   node bench/candles_ws_peer.js PORT [GRACE_MS=2000] [CA_FILE]
'use strict';
const net = require('net');
const tls = require('tls');
const fs = require('fs');
const {makeFold} = require('./candles_fold.js');

const port = Number(process.argv[2]);
const fold = makeFold((process.argv[3] ? Number(process.argv[3]) : 2000) * 1000);
const lat = [];
let messages = 0;
const wall0 = Date.now() * 1000, mono0 = process.hrtime.bigint();
const nowUs = () => wall0 + Number(process.hrtime.bigint() - mono0) / 1000;

const upgrade = () => sock.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
               'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' +
               'Sec-WebSocket-Version: 13\r\n\r\n');
const sock = process.argv[4]
    ? tls.connect({port, host: '127.0.0.1', ca: fs.readFileSync(process.argv[4])}, upgrade)
    : net.connect(port, '127.0.0.1', upgrade);
let buf = Buffer.alloc(0), upgraded = false, done = false;
sock.on('data', (data) => {
    const readAt = process.hrtime.bigint(), recv = nowUs();
    buf = buf.length ? Buffer.concat([buf, data]) : data;
    if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end === -1) return;
        if (!buf.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) throw new Error('no upgrade');
        buf = buf.subarray(end + 4);
        upgraded = true;
    }
    let p = 0;
    while (buf.length - p >= 2) {
        const op = buf[p] & 0x0f;
        let len = buf[p + 1] & 0x7f, head = 2;
        if (len === 126) { if (buf.length - p < 4) break; len = buf.readUInt16BE(p + 2); head = 4; }
        else if (len === 127) { if (buf.length - p < 10) break; len = Number(buf.readBigUInt64BE(p + 2)); head = 10; }
        if (buf.length - p < head + len) break;
        if (op === 8) { done = true; break; }
        if (op === 1) {
            const msg = JSON.parse(buf.toString('utf8', p + head, p + head + len));
            fold.clock(recv);
            if (msg.e === 'trade') fold.add(msg.T * 1000, recv, parseFloat(msg.p), parseFloat(msg.q), msg.t);
            lat.push(Number(process.hrtime.bigint() - readAt) / 1000);
            messages++;
        }
        p += head + len;
    }
    buf = buf.subarray(p);
    if (done) sock.destroy();
});
sock.on('close', () => {
    const wall = Number(process.hrtime.bigint() - mono0) / 1e9;
    fold.flush();
    const r = fold.result();
    const cpu = process.cpuUsage(), cpuSecs = (cpu.user + cpu.system) / 1e6;
    const sorted = Float64Array.from(lat).sort();
    const pct = (q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
    console.log(`${messages} ${r.trades} ${r.candles} ${r.late} ${wall.toFixed(3)} ${cpuSecs.toFixed(3)} ` +
                `${Math.round(r.trades / wall)} ${Math.round(r.trades / cpuSecs)} ` +
                `${pct(0.5).toFixed(1)} ${pct(0.99).toFixed(1)} ${r.checksum}`);
});
