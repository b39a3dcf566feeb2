"""Checks a history a backfill filled against the mock REST server's candles, recomputed here.

    backfill_check.py HISTORY EXCHANGE FROM_S TO_S [--fill] [--lo-slack MINUTES]

The candle of minute k (k = unix seconds / 60) is worked out from the mock's rule
(tests/mock/rest.js, written independently of this file's arithmetic, which uses Python's
integers and decimal strings, never floats): prices in cents, volume in thousandths; a minute
with k % 97 == 0 has no trades (Binance gives it as an empty kline with the previous close,
Coinbase and Kraken give nothing: with --fill btcstream writes it as an empty minute between two
candles). Every minute in [FROM, TO) that should be there must be in the history exactly once
with exactly these values, and nothing else may be there. --lo-slack lets the first stored
minute be up to that many minutes after FROM (Kraken's 720-minute horizon moves with the clock).
"""
import json
import sys
from decimal import Decimal

path, exchange, lo, hi = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
fill = "--fill" in sys.argv
slack = int(sys.argv[sys.argv.index("--lo-slack") + 1]) if "--lo-slack" in sys.argv else 0


def close_cents(k):
    return 2000000 + (k * 104729 + 17) % 100003


def candle(k):
    """(open, high, low, close) in cents, volume in thousandths, trades."""
    if k % 97 == 0:
        p = close_cents(k - 1)
        return (p, p, p, p), 0, 0
    o, c = 2000000 + (k * 7919) % 100003, close_cents(k)
    return (o, max(o, c) + (k % 13) * 7, min(o, c) - (k % 11) * 5, c), (k * 31) % 100000 + 1, k % 500 + 1


def minute_of(dt):
    # "YYYY-MM-DDTHH:MM:SS.ffffff+00:00" -> unix minute, without the local time zone
    from datetime import datetime, timezone
    d = datetime.strptime(dt[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    assert dt[19:] == ".000000+00:00", dt
    return int(d.timestamp()) // 60


rows = [json.loads(line) for line in open(path) if line.strip()]
seen = {}
for r in rows:
    k = minute_of(r["Datetime"])
    assert k not in seen, f"minute {r['Datetime']} stored twice"
    seen[k] = r
    assert r["Open"] != 99999.99, f"the unfinished minute {r['Datetime']} was stored"

first, last = lo // 60, hi // 60  # minutes [first, last)
has = [k for k in range(first, last) if exchange == "binance" or k % 97 != 0]
if exchange != "binance":  # only minutes between two candles are filled, never the edges
    lo_k, hi_k = has[0], has[-1]
    want = [k for k in range(lo_k, hi_k + 1) if fill or k % 97 != 0]
else:
    want = list(range(first, last))
if slack:
    start = min(seen) if seen else first
    assert first <= start <= first + slack, (first, start)
    want = [k for k in want if k >= start]
    if exchange != "binance" and want and want[0] % 97 == 0:
        want = want[1:]
extra = sorted(set(seen) - set(want))
missing = sorted(set(want) - set(seen))
assert not extra, f"{len(extra)} minutes stored that should not be, first {extra[:3]}"
assert not missing, f"{len(missing)} minutes missing, first {missing[:3]}"
for k in want:
    r = seen[k]
    (o, h, l, c), v, n = candle(k)
    got = (Decimal(str(r["Open"])), Decimal(str(r["High"])), Decimal(str(r["Low"])),
           Decimal(str(r["Close"])))
    exp = tuple(Decimal(x) / 100 for x in (o, h, l, c))
    assert got == exp, (k, got, exp)
    assert Decimal(r["Volume"]) == Decimal(v) / 1000, (k, r["Volume"], v)
    if exchange == "coinbase" and n > 0:
        assert "Trades" not in r, (k, r)  # Coinbase candles carry no trade count
    else:
        assert r.get("Trades") == n, (k, r.get("Trades"), n)
print(f"{len(want)} minutes exact")
