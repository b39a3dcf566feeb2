"""Writes test histories for the export tests and prints what they must give, computed here
independently of btcstream (its own parsing, sorting, gap counting and number formatting).

  make_history.py DATA_DIR            writes the histories, and DATA_DIR/expect/*: per market the
                                      exported CSV, the `markets --format csv` table, and the
                                      per-day aggregates of the dataset as JSON
  make_history.py DATA_DIR --append   appends a minute to the last day of binance:BTCUSDT and
                                      rewrites DATA_DIR/expect/ for the new state
"""
import datetime, json, os, random, sys

T0 = 1714521600  # 2024-05-01T00:00:00Z
MARKETS = {"binance:BTCUSDT": ("binance", "BTCUSDT"), "kraken:BTC/USD": ("kraken", "BTC%2FUSD"),
           "coingecko:bitcoin/usd": ("coingecko", "bitcoin%2Fusd")}


def iso(us):
    d = datetime.datetime.fromtimestamp(us // 1000000, datetime.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S") + ".%06d+00:00" % (us % 1000000)


def text_time(us):
    return datetime.datetime.fromtimestamp(us // 1000000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def num(x):
    """Shortest text that reads back to x: Python's repr, without a trailing .0."""
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def candles(seed, minutes, skip):
    """(ts_us, o, h, l, c, v, trades) rows, in stored order: shuffled, one minute stored twice."""
    rnd = random.Random(seed)
    rows = []
    for m in range(minutes):
        if m in skip:
            continue
        o = 60000 + rnd.randrange(-50000, 50000) / 100
        rows.append([(T0 + 60 * m) * 1000000, o, o + rnd.randrange(0, 900) / 100,
                     o - rnd.randrange(0, 900) / 100, o + rnd.randrange(-400, 400) / 100,
                     rnd.randrange(0, 10 ** 6) / 1000, 0 if m % 97 == 0 else rnd.randrange(1, 500)])
    rnd.shuffle(rows)
    dup = list(rows[5])
    dup[4] += 1.25  # the same minute stored again later, corrected: the later line wins
    rows.append(dup)
    return rows


def ticks(seed, n):
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        c = 3000 + rnd.randrange(0, 10 ** 5) / 100
        rows.append([(T0 + 3600 * 20) * 1000000 + i * 37500000 + rnd.randrange(0, 999), c, c, c, c,
                     float("nan") if i % 3 == 0 else rnd.randrange(1, 10 ** 9), -1])
    return rows


def line(r, market):
    d = {"Datetime": iso(r[0]), "Market": market, "Open": r[1], "High": r[2], "Low": r[3], "Close": r[4]}
    if r[5] == r[5]:
        d["Volume"] = num(r[5])
    if r[6] >= 0:
        d["Trades"] = r[6]
    return json.dumps(d)


def exported(rows):
    last = {}
    for r in rows:  # in stored order: a later line for the same instant replaces the earlier one
        last[r[0]] = r
    return [last[k] for k in sorted(last)]


def csv_text(rows):
    candle = any(r[6] >= 0 for r in rows)
    out = ["Start,Open,High,Low,Close,Volume,Trades" if candle else "Datetime,Open,High,Low,Close,Volume"]
    for r in exported(rows):
        t = text_time(r[0]) if candle else iso(r[0])
        v = num(r[5]) if r[5] == r[5] else ""
        cells = [t, num(r[1]), num(r[2]), num(r[3]), num(r[4]), v]
        if candle:
            cells.append(str(r[6]) if r[6] >= 0 else "")
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


def markets_table(histories):
    # gaps_found and gaps_filled come from a feed's journal, which these histories have not
    out = ["market,first,last,rows,kind,missing_minutes,holes,gaps_found,gaps_filled"]
    tot = [None, None, 0, 0, 0]
    for name in sorted(histories):
        rows = histories[name]
        ts = [r[0] for r in rows]
        exchange = name.split(":")[0] in ("binance", "coinbase", "kraken")
        minutes = sorted({r[0] // 60000000 for r in rows
                          if r[6] >= 0 or (exchange and r[0] % 60000000 == 0)})
        missing = sum(b - a - 1 for a, b in zip(minutes, minutes[1:]) if b - a > 1)
        holes = sum(1 for a, b in zip(minutes, minutes[1:]) if b - a > 1)
        kind = "candles" if minutes else "ticks"
        out.append("%s,%s,%s,%d,%s,%d,%d,0,0" % (name, text_time(min(ts)), text_time(max(ts)), len(rows),
                                             kind, missing, holes))
        tot[0] = min(ts) if tot[0] is None else min(tot[0], min(ts))
        tot[1] = max(ts) if tot[1] is None else max(tot[1], max(ts))
        tot[2] += len(rows)
        tot[3] += missing
        tot[4] += holes
    out.append("total,%s,%s,%d,-,%d,%d,0,0" % (text_time(tot[0]), text_time(tot[1]), tot[2], tot[3], tot[4]))
    return "\n".join(out) + "\n"


def day_aggregates(histories):
    """market -> date -> [rows, sum close, sum volume (nulls out), trades known, sum trades]."""
    out = {}
    for name, rows in histories.items():
        for r in exported(rows):
            day = datetime.datetime.fromtimestamp(r[0] // 1000000, datetime.timezone.utc).strftime("%Y-%m-%d")
            a = out.setdefault(name, {}).setdefault(day, [0, 0.0, 0.0, 0, 0])
            a[0] += 1
            a[1] += r[4]
            a[2] += r[5] if r[5] == r[5] else 0
            a[3] += r[6] >= 0
            a[4] += max(r[6], 0)
    return out


def main():
    data, append = sys.argv[1], "--append" in sys.argv
    histories = {"binance:BTCUSDT": candles(1, 3000, {100, 101, 102, 777, 2000}),
                 "kraken:BTC/USD": candles(2, 1500, set()), "coingecko:bitcoin/usd": ticks(3, 400)}
    if append:
        extra = [(T0 + 60 * 3000) * 1000000, 61000.5, 61001, 61000, 61000.75, 2.5, 7]
        histories["binance:BTCUSDT"].append(extra)
    for name, rows in histories.items():
        src, enc = MARKETS[name]
        d = os.path.join(data, "markets", src, enc)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "history.json"), "w") as f:
            f.write("".join(line(r, name) + "\n" for r in rows))
    exp = os.path.join(data, "expect")
    os.makedirs(exp, exist_ok=True)
    for name, rows in histories.items():
        with open(os.path.join(exp, MARKETS[name][0] + ".csv"), "w") as f:
            f.write(csv_text(rows))
    with open(os.path.join(exp, "markets.csv"), "w") as f:
        f.write(markets_table(histories))
    with open(os.path.join(exp, "days.json"), "w") as f:
        json.dump(day_aggregates(histories), f)


main()
