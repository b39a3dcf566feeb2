// exchange.js - a mock exchange for the feed tests and bench: one exchange's public trade feed
// over WebSocket (node `ws`) and its REST candles, on 127.0.0.1, from one generated trade tape.
//
//   node exchange.js --exchange binance|coinbase|kraken --symbol S --port-file F
//        [--trades-out F] [--start-ms T] [--speed X] [--every-ms M] [--seed N] [--limit N]
//        [--tls-cert F --tls-key F] [--scenario a,b,...] [--replay FILE --replay-out F]
//
// The tape: trades every ~every-ms of exchange time (deterministic from the seed), exchange time
// running `speed` times faster than the wall clock from start-ms, so that an hour of minutes takes
// a minute. Every trade of the tape is written to --trades-out (JSON lines: id, ts_ms, price, qty
// as the exchange's decimal strings) whether or not a client received it: the truth the test
// compares the stored candles with. REST candles are computed from the same tape (closed minutes
// only), in each exchange's documented format, so a backfill gives the true candles.
//
// Scenarios (comma list; N counts the tape's trades, whoever is connected):
//   disconnect:N     drop every connection once the Nth trade is made (mid-minute)
//   skip:N:K         never send the K trades after the Nth (a trade-id jump; REST has them)
//   stall:N:MS       after the Nth trade, send nothing for MS wall ms on open connections
//   forceclose:MS    close every connection MS wall ms after it opened (24-h style, code 1001)
//   malformed:N      every Nth message is followed by a malformed and an unknown message
//   late:N           every Nth trade is held back and sent after the next minute's first trade
//   empty:M          the tape's minute number M (from the start) has no trade
//   rate429:N        the first N REST requests are answered 429 with Retry-After: 1
//   fragment:N       every Nth message is sent in three fragments, a ping between the first two
//                    when ping is on too (RFC 6455 lets a control frame come between fragments)
//   ping:MS          ping every live connection every MS wall ms; each pong that echoes an
//                    outstanding ping is logged "pong ok PAYLOAD", a ping unanswered for a whole
//                    round "no pong PAYLOAD" (the connection is then dropped, as exchanges do)
//
// --replay FILE: instead of the tape, send every line of FILE (one message a line) to each client
// as fast as it takes them, then close: the bench's load. --replay-out F gets the send start time.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const { WebSocketServer } = require('ws'); // NODE_PATH: tests/node/node_modules

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const ex = args.exchange || 'binance';
const symbol = args.symbol || (ex === 'binance' ? 'BTCUSDT' : ex === 'coinbase' ? 'BTC-USD' : 'BTC/USD');
const speed = Number(args.speed || 60);
const everyMs = Number(args['every-ms'] || 2000);
const startMs = Number(args['start-ms'] || Math.floor((Date.now() - 300 * 60000) / 60000) * 60000);
const limit = Number(args.limit || 1e9);
const scen = {};
for (const s of (args.scenario || '').split(',').filter(Boolean)) {
  const [name, ...rest] = s.split(':');
  scen[name] = rest.map(Number);
}

// ---------------------------------------------------------------- the tape
let seed = BigInt(args.seed || 7);
function rand() { // splitmix64, in [0, 1)
  seed = (seed + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
  let z = seed;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
  return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
}
const tape = [];   // {id, ts, cents, units}: price = cents/100, qty = units/1e5
let nextTs = startMs + 1 + Math.floor(rand() * everyMs), cents = 6500000, nextId = 1000;
const out = args['trades-out'] ? fs.openSync(args['trades-out'], 'w') : null;
const price = (t) => (t.cents / 100).toFixed(2);
const qty = (t) => (t.units / 1e5).toFixed(5);
function exchangeNow() { return startMs + (Date.now() - wallStart) * speed; }
function grow(upTo) { // makes the trades up to exchange time upTo
  const made = [];
  while (nextTs <= upTo && tape.length < limit) {
    const minute = Math.floor((nextTs - startMs) / 60000);
    if (scen.empty && scen.empty.includes(minute)) { nextTs = startMs + (minute + 1) * 60000 + 1; continue; }
    cents = Math.max(100, cents + Math.round((rand() - 0.5) * 2000));
    const t = { id: nextId++, ts: nextTs, cents, units: 1 + Math.floor(rand() * 100000) };
    tape.push(t);
    made.push(t);
    if (out) fs.writeSync(out, JSON.stringify({ id: t.id, ts_ms: t.ts, price: price(t), qty: qty(t) }) + '\n');
    nextTs += 1 + Math.floor(rand() * 2 * everyMs);
  }
  return made;
}

// ---------------------------------------------------------------- messages
const iso = (ms) => new Date(ms).toISOString().replace('Z', '000Z');
let seq = 50000;
function tradeMsg(t) {
  if (ex === 'binance')
    return JSON.stringify({ e: 'trade', E: t.ts + 3, s: symbol, t: t.id, p: price(t), q: qty(t), T: t.ts, m: t.id % 2 === 0, M: true });
  if (ex === 'coinbase') {
    seq += 1 + (t.id % 3); // other order book events take sequence numbers too
    return JSON.stringify({ type: 'match', trade_id: t.id, maker_order_id: 'm' + t.id, taker_order_id: 't' + t.id,
      side: t.id % 2 ? 'buy' : 'sell', size: qty(t), price: price(t), product_id: symbol, sequence: seq, time: iso(t.ts) });
  }
  return null; // kraken batches: krakenMsg
}
function krakenMsg(trades, type) {
  return JSON.stringify({ channel: 'trade', type, data: trades.map((t) => ({ symbol, side: t.id % 2 ? 'buy' : 'sell',
    price: Number(price(t)), qty: Number(qty(t)), ord_type: 'market', trade_id: t.id, timestamp: iso(t.ts) })) });
}

// ---------------------------------------------------------------- REST candles
function candles(fromMs, toMs) { // closed minutes [fromMs, toMs] of the tape, oldest first
  pump(); // the tape up to now, its new trades sent to the clients as always
  const closedEnd = Math.floor(exchangeNow() / 60000) * 60000; // minutes before it have ended
  const by = new Map();
  for (const t of tape) {
    const m = Math.floor(t.ts / 60000) * 60000;
    if (m < fromMs || m > toMs || m >= closedEnd) continue;
    let c = by.get(m);
    if (!c) by.set(m, (c = { m, o: t.cents, h: t.cents, l: t.cents, c: t.cents, units: 0, n: 0 }));
    c.h = Math.max(c.h, t.cents); c.l = Math.min(c.l, t.cents); c.c = t.cents; c.units += t.units; c.n++;
  }
  return [...by.values()].sort((a, b) => a.m - b.m);
}
const dec = (cents) => (cents / 100).toFixed(2);
const vol = (units) => (units / 1e5).toFixed(5);
let restCalls = 0;
function rest(req, res) {
  const url = new URL(req.url, 'http://x');
  restCalls++;
  if (scen.rate429 && restCalls <= scen.rate429[0]) {
    res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' });
    return res.end('{"code":-1003,"msg":"Too many requests"}');
  }
  const send = (body) => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
  if (url.pathname === '/api/v3/klines') {
    const from = Number(url.searchParams.get('startTime')), to = Number(url.searchParams.get('endTime'));
    const lim = Number(url.searchParams.get('limit') || 500);
    return send(candles(from, to).slice(0, lim).map((c) => [c.m, dec(c.o), dec(c.h), dec(c.l), dec(c.c), vol(c.units),
      c.m + 59999, '0', c.n, '0', '0', '0']));
  }
  let m = url.pathname.match(/^\/products\/([^/]+)\/candles$/);
  if (m) {
    const from = Date.parse(url.searchParams.get('start')), to = Date.parse(url.searchParams.get('end'));
    return send(candles(from, to).reverse().map((c) => [c.m / 1000, c.l / 100, c.h / 100, c.o / 100, c.c / 100, c.units / 1e5]));
  }
  if (url.pathname === '/0/public/OHLC') {
    const since = Number(url.searchParams.get('since') || 0) * 1000;
    const rows = candles(since + 1, 8e15).slice(-720);
    return send({ error: [], result: { XXBTZUSD: rows.map((c) => [c.m / 1000, dec(c.o), dec(c.h), dec(c.l), dec(c.c), '0', vol(c.units), c.n]),
      last: rows.length ? rows[rows.length - 1].m / 1000 : since / 1000 } });
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('not found');
}

// ---------------------------------------------------------------- connections
const server = args['tls-cert']
  ? https.createServer({ cert: fs.readFileSync(args['tls-cert']), key: fs.readFileSync(args['tls-key']) }, rest)
  : http.createServer(rest);
const wss = new WebSocketServer({ server });
const clients = new Set();
let connections = 0, wallStart = Date.now();

let pings = 0;
function ping(c, what) {
  const payload = what + ' ' + (++pings);
  c.outstanding.set(payload, Date.now());
  c.ws.ping(payload);
}
function send(c, msg) {
  if (c.ws.readyState !== 1) return;
  if (scen.fragment && (c.sent + 1) % scen.fragment[0] === 0 && msg.length >= 3) {
    const a = Math.floor(msg.length / 3), b = Math.floor(2 * msg.length / 3);
    c.ws.send(msg.slice(0, a), { fin: false });
    if (scen.ping) ping(c, 'mid');
    c.ws.send(msg.slice(a, b), { fin: false });
    c.ws.send(msg.slice(b), { fin: true });
  } else {
    c.ws.send(msg);
  }
  c.sent++;
  if (scen.malformed && c.sent % scen.malformed[0] === 0) {
    c.ws.send('{"e":"trade","t":');                                  // cut short
    c.ws.send(JSON.stringify({ e: 'outboundAccountPosition', x: 1 })); // a kind nobody asked for
  }
}

// Scenarios count the tape's trades (the Nth trade made), whoever is connected then.
let silentUntil = 0, dropped = false;
function deliver(c, trades) {
  for (const t of trades) {
    const n = t.id - 999;
    if (scen.skip && n > scen.skip[0] && n <= scen.skip[0] + scen.skip[1]) continue;
    if (scen.stall && n === scen.stall[0] + 1 && !silentUntil) silentUntil = Date.now() + scen.stall[1];
    if (Date.now() < silentUntil) continue;
    if (!c.live) continue;
    if (scen.late && n % scen.late[0] === 0 && !c.held) { c.held = t; continue; }
    const batch = [t];
    if (c.held && Math.floor(t.ts / 60000) > Math.floor(c.held.ts / 60000)) { batch.push(c.held); c.held = null; }
    else if (c.held) { batch.unshift(c.held); c.held = null; }
    for (const b of batch) {
      send(c, ex === 'kraken' ? krakenMsg([b], 'update') : tradeMsg(b));
      c.lastSentId = Math.max(c.lastSentId || 0, b.id);
    }
  }
}
function pump() {
  const made = grow(exchangeNow());
  for (const c of clients) deliver(c, made);
  if (scen.disconnect && !dropped && tape.length >= scen.disconnect[0]) { // mid-minute
    dropped = true;
    for (const c of clients) { c.live = false; c.ws.terminate(); }
  }
}

wss.on('connection', (ws, req) => {
  connections++;
  const c = { ws, live: ex === 'binance', sent: 0, held: null, outstanding: new Map() };
  ws.on('pong', (data) => {
    const payload = String(data);
    if (c.outstanding.delete(payload)) console.log('pong ok ' + payload);
    else console.log('pong unexpected ' + payload);
  });
  clients.add(c);
  if (ex === 'binance' && req.url !== '/ws/' + symbol.toLowerCase() + '@trade') {
    ws.close(1008, 'unknown stream ' + req.url);
    return;
  }
  if (ex === 'kraken') ws.send(JSON.stringify({ channel: 'status', type: 'update', data: [{ api_version: 'v2', system: 'online' }] }));
  if (ex !== 'binance') // Coinbase closes a connection that has not subscribed within 5 s
    c.subscribeTimer = setTimeout(() => { if (!c.live) ws.close(1008, 'no subscription'); }, 5000);
  if (scen.forceclose) c.closeTimer = setTimeout(() => ws.close(1001, 'connection too old'), scen.forceclose[0]);
  ws.on('message', (data) => {
    let m;
    try { m = JSON.parse(String(data)); } catch (e) { return ws.send(JSON.stringify({ type: 'error', message: 'bad json' })); }
    if (ex === 'coinbase' && m.type === 'subscribe' && (m.product_ids || []).includes(symbol)) {
      c.live = true;
      ws.send(JSON.stringify({ type: 'subscriptions', channels: [{ name: 'matches', product_ids: [symbol] }, { name: 'heartbeat', product_ids: [symbol] }] }));
    } else if (ex === 'kraken' && m.method === 'subscribe' && m.params && m.params.channel === 'trade' &&
               (m.params.symbol || []).includes(symbol)) {
      ws.send(JSON.stringify({ method: 'subscribe', result: { channel: 'trade', symbol, snapshot: true }, success: true }));
      if (m.params.snapshot !== false) ws.send(krakenMsg(tape.slice(-50), 'snapshot'));
      c.live = true;
    } else {
      ws.send(JSON.stringify({ type: 'error', message: 'unknown request' }));
    }
  });
  ws.on('close', () => { clients.delete(c); clearTimeout(c.closeTimer); clearTimeout(c.subscribeTimer); });
});

function heartbeat() {
  const last = tape.length ? tape[tape.length - 1].id : 0;
  for (const c of clients) {
    if (!c.live || Date.now() < silentUntil) continue;
    if (ex === 'coinbase') send(c, JSON.stringify({ type: 'heartbeat', sequence: seq, last_trade_id: c.lastSentId || last, product_id: symbol, time: iso(exchangeNow()) }));
    if (ex === 'kraken') send(c, JSON.stringify({ channel: 'heartbeat' }));
  }
}

function pingRound() {
  for (const c of clients) {
    if (!c.live || c.ws.readyState !== 1) continue;
    // a ping sent a moment ago (between fragments) has had no time yet: a whole round it has
    const overdue = [...c.outstanding].filter(([, at]) => Date.now() - at >= scen.ping[0]);
    if (overdue.length) {
      for (const [p] of overdue) console.log('no pong ' + p);
      c.ws.terminate();
      continue;
    }
    ping(c, 'round');
  }
}

// --replay: the bench's load, every line to each client as fast as it drains, then close.
function replayTo(ws) {
  const lines = fs.readFileSync(args.replay, 'utf8').split('\n').filter(Boolean);
  if (args['replay-out']) fs.writeFileSync(args['replay-out'], String(Date.now()));
  let i = 0;
  (function more() {
    while (i < lines.length) {
      ws.send(lines[i++]);
      if (ws.bufferedAmount > 1 << 22) return setImmediate(more);
    }
    ws.close(1000, 'done');
  })();
}

server.listen(0, '127.0.0.1', () => {
  wallStart = Date.now();
  if (args.replay) {
    wss.removeAllListeners('connection');
    wss.on('connection', (ws) => replayTo(ws));
  } else {
    setInterval(pump, 5);
    setInterval(heartbeat, 1000);
    if (scen.ping) setInterval(pingRound, scen.ping[0]);
  }
  fs.writeFileSync(args['port-file'] + '.tmp', String(server.address().port));
  fs.renameSync(args['port-file'] + '.tmp', args['port-file']);
});
process.on('SIGTERM', () => process.exit(0));
