#!/usr/bin/env python3
"""feed_check.py - checks the candles an exchange feed stored against the trades the mock
exchange made (tests/mock/exchange.js --trades-out), computed here independently with Decimal.

    feed_check.py TRADES.jsonl MARKET DIR [DIR...] [--min N] [--late-ok] [--dump FILE]

Every stream file (ohlc_*.json, any line) under the DIRs whose Market is MARKET is read (a DIR
may also be a history file, whose lines need not carry Market). Checks:
  - no other market's line is in the DIRs' market folder (markets never mix);
  - each minute is stored exactly once, and the minutes form one run without a hole from the
    first to the last stored one (an empty minute is stored explicitly);
  - every stored minute equals the truth computed from the trades: Open the first trade, High,
    Low, Close the last trade (in id order: the exchange's order), exactly; Volume the sum of the
    quantities (within 1e-9, relative: the stored one is a sum of doubles); Trades the count when
    stored; a minute without a trade has Trades 0, Volume 0 and O = H = L = C = the previous close;
  - at least --min minutes were stored.
--dump writes the stored candles as sorted JSON lines (to compare two runs).
Exits 1 with a line per difference.
"""
import glob
import json
import os
import sys
from decimal import Decimal
from datetime import datetime, timezone


def minute_of(ms):
    return ms // 60000 * 60000


def truth(path):
    by = {}
    for line in open(path):
        t = json.loads(line)
        m = minute_of(t["ts_ms"])
        c = by.setdefault(m, {"trades": []})
        c["trades"].append(t)
    out = {}
    for m, c in by.items():
        ts = sorted(c["trades"], key=lambda t: t["id"])
        prices = [Decimal(t["price"]) for t in ts]
        out[m] = {"open": prices[0], "high": max(prices), "low": min(prices), "close": prices[-1],
                  "volume": sum(Decimal(t["qty"]) for t in ts), "trades": len(ts)}
    return out


def stored(market, dirs):
    rows, problems = [], []
    for d in dirs:
        files = [d] if os.path.isfile(d) else sorted(
            glob.glob(os.path.join(d, "**", "ohlc_*.json"), recursive=True))
        for f in files:
            for n, line in enumerate(open(f), 1):
                if not line.strip():
                    continue
                r = json.loads(line)
                if r.get("Market", market) != market:  # a history's lines may not say
                    problems.append(f"{f}:{n}: market {r.get('Market')!r} in {market}'s folder")
                    continue
                dt = datetime.fromisoformat(r["Datetime"].replace("Z", "+00:00"))
                r["_ms"] = int(dt.astimezone(timezone.utc).timestamp() * 1000)
                r["_file"] = f"{f}:{n}"
                rows.append(r)
    return rows, problems


def main():
    argv = sys.argv[1:]
    opts = {"--min": "1", "--dump": None}
    rest = []
    while argv:
        a = argv.pop(0)
        if a in opts:
            opts[a] = argv.pop(0)
        else:
            rest.append(a)
    trades_path, market, dirs = rest[0], rest[1], rest[2:]
    want = truth(trades_path)
    rows, problems = stored(market, dirs)
    seen = {}
    for r in rows:
        if r["_ms"] in seen:
            problems.append(f"{r['_file']}: minute {r['Datetime']} stored twice "
                            f"(also {seen[r['_ms']]['_file']})")
        seen[r["_ms"]] = r
    minutes = sorted(seen)
    for a, b in zip(minutes, minutes[1:]):
        if b - a != 60000:
            problems.append(f"hole: nothing stored between {seen[a]['Datetime']} and {seen[b]['Datetime']}")
    prev_close = None
    for m in minutes:
        r = seen[m]
        w = want.get(m)
        if w is None:
            exp = {"open": prev_close, "high": prev_close, "low": prev_close, "close": prev_close,
                   "volume": Decimal(0), "trades": 0}
        else:
            exp = w
        if exp["open"] is not None:
            for k, name in (("open", "Open"), ("high", "High"), ("low", "Low"), ("close", "Close")):
                if float(exp[k]) != float(r[name]):
                    problems.append(f"{r['_file']}: {r['Datetime']} {name} {r[name]} != {exp[k]}")
            v, ev = Decimal(str(r["Volume"])), exp["volume"]
            if abs(v - ev) > Decimal("1e-9") * max(Decimal(1), ev):
                problems.append(f"{r['_file']}: {r['Datetime']} Volume {v} != {ev}")
            if "Trades" in r and r["Trades"] != exp["trades"]:
                problems.append(f"{r['_file']}: {r['Datetime']} Trades {r['Trades']} != {exp['trades']}")
        prev_close = Decimal(str(r["Close"]))
    if len(minutes) < int(opts["--min"]):
        problems.append(f"only {len(minutes)} minutes stored, wanted at least {opts['--min']}")
    if opts["--dump"]:
        with open(opts["--dump"], "w") as f:
            for m in minutes:
                r = {k: v for k, v in seen[m].items() if not k.startswith("_") and k != "Received"}
                r["Volume"] = str(round(Decimal(str(r["Volume"])), 8))
                f.write(json.dumps(r, sort_keys=True) + "\n")
    for p in problems[:30]:
        print(p)
    if problems:
        print(f"{len(problems)} problems in {len(minutes)} minutes")
        sys.exit(1)
    print(f"{len(minutes)} minutes, each once, equal to the trades' candles")


main()
