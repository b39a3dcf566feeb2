#!/usr/bin/env python3
"""The rows the dashboard must show for a history, computed independently with the standard
library: the hourly, daily and 1-hour moving-average rows that hold the newest tick (DESIGN.md
defines the tables; Spark windows of 1 h sliding by 30 min, aligned to the epoch).
Usage: expected_rows.py HISTORY  -> prints one JSON object."""
import json
import sys
from datetime import datetime, timezone


def micros(text):
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    delta = t - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds


ticks = []
with open(sys.argv[1]) as f:
    for line in f:
        if line.strip():
            r = json.loads(line)
            ticks.append((micros(r["Datetime"]), float(r["Open"]), float(r["High"]),
                          float(r["Low"]), float(r["Close"])))
HOUR, DAY, SLIDE = 3600 * 10**6, 86400 * 10**6, 1800 * 10**6
newest = max(t[0] for t in ticks)
hour = newest // HOUR * HOUR
in_hour = [t for t in ticks if hour <= t[0] < hour + HOUR]
first = min(in_hour, key=lambda t: t[0])                       # ties: the first read
last = max(reversed(in_hour), key=lambda t: t[0])              # ties: the last read
day = newest // DAY * DAY
in_day = [t[4] for t in ticks if day <= t[0] < day + DAY]
win = newest // SLIDE * SLIDE
in_win = [t[4] for t in ticks if win <= t[0] < win + HOUR]
fmt = lambda us: datetime.fromtimestamp(us // 10**6, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
closes = [t[4] for t in ticks]
sq = [(b - a) ** 2 for a, b in zip(closes, closes[1:])]
print(json.dumps({
    "rows": len(ticks),
    "close": ticks[-1][4],
    "hourly": {"Hour_Start": fmt(hour), "Open": first[1], "High": max(t[2] for t in in_hour),
               "Low": min(t[3] for t in in_hour), "Close": last[4],
               "Avg_Close": sum(t[4] for t in in_hour) / len(in_hour), "Count": len(in_hour)},
    "daily": {"Day": fmt(day)[:10], "Daily_Avg_Close": sum(in_day) / len(in_day),
              "Daily_Min_Close": min(in_day), "Daily_Max_Close": max(in_day)},
    "moving_avg": {"Start": fmt(win), "Moving_Avg_Close": sum(in_win) / len(in_win)},
    "persistence_rmse": (sum(sq) / len(sq)) ** 0.5 if sq else None,
}))
