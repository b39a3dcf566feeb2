#!/usr/bin/env python3
"""An independent reading of price files and the four aggregate tables of DESIGN.md.

Written from the specification with Python's standard library only (csv, json, datetime,
decimal-free float parsing), sharing no code or logic with the C implementation, so that tests
can compare btcstream's output against it.

  reference_tables.py ticks FILE                     -> CSV "ts_us,open,high,low,close" sorted
  reference_tables.py table NAME FILE [WINDOW SLIDE] -> the table as CSV, like --format csv
  reference_tables.py compare EXPECTED.csv ACTUAL.csv [REL] -> exit 1 unless equal to a
                                                       relative REL (default 1e-9)
"""
import csv
import json
import math
import sys
from datetime import datetime, timezone, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def to_us(text):
    """Parses the timestamp variants of DESIGN.md with datetime, naive meaning UTC."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if text.endswith(" UTC"):
        text = text[:-4] + "+00:00"
    frac = ""
    # fromisoformat in 3.11 takes up to 6 fraction digits; cut the rest (truncation, as specified).
    if "." in text:
        head, rest = text.split(".", 1)
        digits = ""
        while rest and rest[0].isdigit():
            digits += rest[0]
            rest = rest[1:]
        frac = digits[:6].ljust(6, "0")
        text = head + rest
    dt = datetime.fromisoformat(text.replace(" ", "T", 1))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    us = (dt - EPOCH) // timedelta(microseconds=1)
    return us + (int(frac) if frac else 0)


def read_ticks(path):
    """Returns [(ts_us, open, high, low, close)] in time order (stable for equal times)."""
    rows = []
    with open(path, newline="") as f:
        first = f.readline()
        f.seek(0)
        if first.lstrip().startswith("{"):
            for line in f:
                if not line.strip():
                    continue
                try:
                    o = json.loads(line)
                    c = float(o["Close"])
                    row = (to_us(o["Datetime"]), float(o.get("Open", c)), float(o.get("High", c)),
                           float(o.get("Low", c)), c)
                except (ValueError, KeyError, TypeError):
                    continue
                if all(math.isfinite(v) and v > 0 for v in row[1:]):
                    rows.append(row)
        else:
            reader = csv.reader(f)
            header = None
            if not first[0].isdigit():
                header = [h.strip().lower() for h in next(reader)]
            for cells in reader:
                if not cells:
                    continue
                if header is None:  # Kraken: unix_seconds,open,high,low,close,volume,count
                    ts = int(round(float(cells[0]) * 1e6))
                    o, h, l, c = (float(x) for x in cells[1:5])
                else:  # by column name; a text time is preferred to an epoch column
                    d = dict(zip(header, cells))
                    key = next(k for k in ("open_time", "timestamp", "date", "datetime", "time",
                                           "snapped_at") if k in d)
                    ts = to_us(d[key])
                    c = float(d["close"] if "close" in d else d["price"])
                    o, h, l = (float(d.get(k, c)) for k in ("open", "high", "low"))
                rows.append((ts, o, h, l, c))
    rows.sort(key=lambda r: r[0])
    return rows


def fmt_time(us):
    return (EPOCH + timedelta(microseconds=us)).strftime("%Y-%m-%d %H:%M:%S")


def floor_to(us, step):
    return (us // step) * step


def table(name, rows, window_us=3600 * 10**6, slide_us=1800 * 10**6):
    hour = 3600 * 10**6
    day = 24 * hour
    out = []
    if name == "hour_of_day":
        out.append(["Hour", "Hourly_Avg_Close", "Hourly_Min_Close", "Hourly_Max_Close"])
        groups = {}
        for ts, o, h, l, c in rows:
            groups.setdefault((ts - floor_to(ts, day)) // hour, []).append(c)
        for k in sorted(groups):
            v = groups[k]
            out.append([k, sum(v) / len(v), min(v), max(v)])
    elif name == "daily":
        out.append(["Day", "Daily_Avg_Close", "Daily_Min_Close", "Daily_Max_Close"])
        groups = {}
        for ts, o, h, l, c in rows:
            groups.setdefault(floor_to(ts, day), []).append(c)
        for k in sorted(groups):
            v = groups[k]
            out.append([fmt_time(k)[:10], sum(v) / len(v), min(v), max(v)])
    elif name == "hourly":
        out.append(["Hour_Start", "Open", "High", "Low", "Close", "Avg_Close", "Count"])
        groups = {}
        for r in rows:  # rows are in time order, stable: first and last follow file order on ties
            groups.setdefault(floor_to(r[0], hour), []).append(r)
        for k in sorted(groups):
            g = groups[k]
            closes = [r[4] for r in g]
            out.append([fmt_time(k), g[0][1], max(r[2] for r in g), min(r[3] for r in g),
                        g[-1][4], sum(closes) / len(closes), len(g)])
    elif name == "moving_avg":
        out.append(["Start", "End", "Moving_Avg_Close"])
        groups = {}
        for ts, o, h, l, c in rows:
            # Every window start s = k * slide with s <= ts < s + window.
            s = floor_to(ts, slide_us)
            while s > ts - window_us:
                groups.setdefault(s, []).append(c)
                s -= slide_us
        for k in sorted(groups):
            v = groups[k]
            out.append([fmt_time(k), fmt_time(k + window_us), sum(v) / len(v)])
    else:
        raise SystemExit("unknown table " + name)
    return out


def compare(expected_path, actual_path, rel=1e-9):
    with open(expected_path) as f:
        expected = list(csv.reader(f))
    with open(actual_path) as f:
        actual = list(csv.reader(f))
    if len(expected) != len(actual):
        print(f"row count differs: expected {len(expected)}, got {len(actual)}")
        return 1
    for i, (e, a) in enumerate(zip(expected, actual)):
        if len(e) != len(a):
            print(f"row {i}: column count differs: {e} vs {a}")
            return 1
        for x, y in zip(e, a):
            if x == y:
                continue
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                print(f"row {i}: {x!r} != {y!r}")
                return 1
            if not math.isclose(fx, fy, rel_tol=rel, abs_tol=0.0):
                print(f"row {i}: {fx!r} != {fy!r} (relative tolerance {rel})")
                return 1
    print(f"equal: {len(expected) - 1} rows")
    return 0


def main(argv):
    if argv[1] == "ticks":
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(["ts_us", "open", "high", "low", "close"])
        for r in read_ticks(argv[2]):
            w.writerow([r[0]] + [repr(v) for v in r[1:]])
        return 0
    if argv[1] == "table":
        kw = {}
        if len(argv) > 4:
            kw = {"window_us": int(argv[4]), "slide_us": int(argv[5])}
        w = csv.writer(sys.stdout, lineterminator="\n")
        for row in table(argv[2], read_ticks(argv[3]), **kw):
            w.writerow([repr(v) if isinstance(v, float) else v for v in row])
        return 0
    if argv[1] == "compare":
        return compare(argv[2], argv[3], *(float(x) for x in argv[4:5]))
    raise SystemExit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
