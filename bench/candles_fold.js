// candles_fold.js - the Node.js peers' fold of trades into 1-minute candles, by the same rules as
// lib/candle.c (exchange time, the clock from the last trade plus the time since it was received,
// a grace, empty minutes, late trades, Open/Close the first/last by (time, id), a compensated
// volume sum); used by candles_peer.js (a recording) and candles_ws_peer.js (a WebSocket).
'use strict';

function makeFold(graceUs) {
    const grace = graceUs;
    const MIN = 60e6;
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

    function flush() { if (cur) closeUntil(cur.start + MIN); }
    function result() {
        let sum = 0;
        for (const c of candles) sum += c.open + c.high + c.low + c.close + c.volume + c.trades;
        return {trades, late, candles: candles.length, checksum: sum.toFixed(6)};
    }
    return {clock, add, flush, result};
}

module.exports = {makeFold};
