#!/usr/bin/env python3
"""The 1-minute candles of a trade stream, computed independently of lib/candle.c.

Reads an events file (what tests/test_candle.c writes) and prints the candles candle.h promises,
one per line, then the number of late trades. lib/candle.c folds trade by trade with frontiers
and a held list; this script states the rules as a whole instead:

  - the closed frontier only moves forward, and a trade before it is late;
  - a minute's candle is computed from all of its accepted trades at once: sorted by (exchange
    time, trade id) keeping arrival order for ties, Open is the first and Close the last, Volume
    is math.fsum (exact), Received the receipt time of the last one to arrive;
  - every minute from the first candle up to the final frontier is emitted: a filled minute as
    the exchange's candle (or empty when the fill has none for it), else from its trades, else
    empty with the previous candle's close.

Events, one a line (numbers in text that round-trips: %.17g):
  G,grace_us                     first line
  R,start,o,h,l,c,v,trades       resume after this stored candle
  T,ts_us,recv_us,price,qty,id   a trade
  C,now_us                       bs_candle_clock
  H,from_us                      bs_candle_hold (at or after the frontier; several may stand)
  F,until_us,n                   bs_candle_fill with the n K lines that follow (from the oldest hold)
  K,start,o,h,l,c,v,trades       one of the fill's candles
  X                              bs_candle_flush
Output: start,open,high,low,close,volume,trades,received per candle, then late,N.
"""
import math
import sys

MINUTE = 60_000_000


def floor_minute(us):
    return us // MINUTE * MINUTE


def main(path):
    grace = 2_000_000
    frontier = None  # the first minute not closed
    is_open = False  # a trade has opened the frontier minute
    last_trade = None  # (ts, recv) of the last trade received, late ones included
    accepted = {}  # minute -> [(ts, id, arrival, price, qty, recv)]
    late = 0
    resumed = None  # the stored candle resumed after
    holds = set()  # the starts of the holds standing
    fills = []  # (from, until, {minute: candle})
    arrival = 0
    lines = [line.rstrip("\n").split(",") for line in open(path) if line.strip()]
    i = 0
    while i < len(lines):
        f = lines[i]
        i += 1
        kind = f[0]
        if kind == "G":
            grace = int(f[1])
        elif kind == "R":
            resumed = (int(f[1]), float(f[5]))
            frontier = floor_minute(resumed[0]) + MINUTE
        elif kind == "T":
            ts, recv, price, qty, tid = int(f[1]), int(f[2]), float(f[3]), float(f[4]), int(f[5])
            last_trade = (ts, recv)
            m = floor_minute(ts)
            if frontier is not None and m < frontier:
                late += 1
                continue
            arrival += 1
            accepted.setdefault(m, []).append((ts, tid, arrival, price, qty, recv))
            frontier = m if frontier is None else max(frontier, m)
            is_open = True
        elif kind == "C":
            if last_trade is None:
                continue
            now = int(f[1])
            estimate = last_trade[0] + max(0, now - last_trade[1])
            m = floor_minute(estimate - grace)
            if m > frontier:
                frontier, is_open = m, False
        elif kind == "X":
            if is_open:
                frontier, is_open = frontier + MINUTE, False
        elif kind == "H":
            h = floor_minute(int(f[1]))  # at or after the frontier: nothing to clamp
            holds.add(h)
        elif kind == "F":
            until, n = floor_minute(int(f[1])), int(f[2])
            got = {}
            for k in lines[i:i + n]:
                start = floor_minute(int(k[1]))
                got[start] = (float(k[2]), float(k[3]), float(k[4]), float(k[5]), float(k[6]),
                              int(k[7]))
            i += n
            if holds and until > min(holds):
                fills.append((min(holds), until, got))
                if frontier is None or until > frontier:
                    frontier, is_open = until, False
                holds = {h for h in holds if h >= until}  # a later gap stays held
    out = []
    starts = [m for m in accepted] + [h for h, _, _ in fills]
    if resumed is not None:
        first, prev = floor_minute(resumed[0]) + MINUTE, resumed[1]
    elif starts:
        first, prev = min(starts), None
    else:
        first, prev = None, None
    k = first
    while first is not None and frontier is not None and k < frontier:
        filled = [got for h, u, got in fills if h <= k < u]
        candle = None
        if filled:
            if k in filled[-1]:
                o, h, l, c, v, n = filled[-1][k]
                candle = (k, o, h, l, c, v, n, 0)
        elif k in accepted:
            ts = sorted(accepted[k], key=lambda t: (t[0], t[1], t[2]))
            by_arrival = sorted(accepted[k], key=lambda t: t[2])
            prices = [t[3] for t in ts]
            candle = (k, prices[0], max(prices), min(prices), prices[-1],
                      math.fsum(t[4] for t in ts), len(ts), by_arrival[-1][5])
        if candle is None and prev is not None:
            candle = (k, prev, prev, prev, prev, 0.0, 0, 0)
        if candle is not None:
            out.append(candle)
            prev = candle[4]
        k += MINUTE
    for c in out:
        print("%d,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%d" % c)
    print("late,%d" % late)


if __name__ == "__main__":
    main(sys.argv[1])
