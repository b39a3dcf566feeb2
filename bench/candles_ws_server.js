// candles_ws_server.js - a local WebSocket server for the candles benchmark (no dependencies:
// the handshake and unmasked server frames of RFC 6455 are a few lines). It takes the messages of
// a recording (bench_gen_trades; the "msg" of each line), encodes them as text frames once, then
// sends them all to each client that connects, as fast as the socket takes them, and a close
// frame. Prints its port on stdout; runs until killed.
//   node bench/candles_ws_server.js FILE
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const crypto = require('crypto');

const text = fs.readFileSync(process.argv[2]);
const marker = Buffer.from(',"msg":');
const chunks = [];
let out = Buffer.alloc(16 << 20), used = 0, messages = 0;
for (let start = 0; start < text.length;) {
    let nl = text.indexOf(10, start);
    if (nl === -1) nl = text.length;
    const m = text.indexOf(marker, start);
    if (m !== -1 && m < nl) {
        const from = m + marker.length, to = nl - 1; // the line's closing brace
        const len = to - from;
        const head = len < 126 ? 2 : len < 65536 ? 4 : 10;
        if (used + head + len > out.length) {
            chunks.push(out.subarray(0, used));
            out = Buffer.alloc(Math.max(16 << 20, head + len));
            used = 0;
        }
        out[used] = 0x81; // FIN, text
        if (len < 126) out[used + 1] = len;
        else if (len < 65536) { out[used + 1] = 126; out.writeUInt16BE(len, used + 2); }
        else { out[used + 1] = 127; out.writeBigUInt64BE(BigInt(len), used + 2); }
        text.copy(out, used + head, from, to);
        used += head + len;
        messages++;
    }
    start = nl + 1;
}
chunks.push(out.subarray(0, used));
chunks.push(Buffer.from([0x88, 0x02, 0x03, 0xe8])); // close, 1000

const refuse = (req, res) => { res.writeHead(426); res.end(); };
const server = process.argv[3] // CERT KEY: wss://, TLS as an exchange serves it
    ? https.createServer({cert: fs.readFileSync(process.argv[3]), key: fs.readFileSync(process.argv[4])}, refuse)
    : http.createServer(refuse);
server.on('upgrade', (req, socket) => {
    const accept = crypto.createHash('sha1')
        .update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
        .digest('base64');
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n' +
                 'Connection: Upgrade\r\nSec-WebSocket-Accept: ' + accept + '\r\n\r\n');
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let i = 0;
    const pump = () => {
        while (i < chunks.length)
            if (!socket.write(chunks[i++])) return socket.once('drain', pump);
        socket.end();
    };
    pump();
});
server.listen(0, '127.0.0.1', () => {
    console.log(server.address().port);
    console.error(`candles_ws_server: ${messages} messages in ${chunks.length - 1} chunks`);
});
