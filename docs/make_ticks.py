#!/usr/bin/env python3
"""Writes a reproducible price file for the walkthroughs (docs/example.md, docs/tutorial.md).

    python3 docs/make_ticks.py [--minutes 600] [--seed 7] [--start 2024-03-01T00:00:00] > ticks.csv

One-minute candles of a random walk with Bitcoin's volatility (about 60% a year), as a CSV with
the header Datetime,Open,High,Low,Close,Volume that `btcstream import` and `--source replay:FILE`
read. Python's random module with an integer seed gives the same numbers on every version and
machine, so the walkthroughs' outputs can be checked by a test. Python standard library only.
"""
import argparse
import datetime
import math
import random


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--minutes", type=int, default=600)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--start", default="2024-03-01T00:00:00")
    p.add_argument("--price", type=float, default=62000.0)
    a = p.parse_args()
    rng = random.Random(a.seed)
    start = datetime.datetime.fromisoformat(a.start).replace(tzinfo=datetime.timezone.utc)
    sigma = 0.6 * math.sqrt(60 / 31536000)  # one minute's share of 60% a year
    close = a.price
    print("Datetime,Open,High,Low,Close,Volume")
    for i in range(a.minutes):
        # Box-Muller from random(), whose sequence Python guarantees across versions.
        u1, u2 = rng.random(), rng.random()
        z = math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)
        open_ = close
        close = round(open_ * math.exp(sigma * z), 2)
        wiggle = abs(open_ - close) * rng.random()
        high = round(max(open_, close) + wiggle, 2)
        low = round(min(open_, close) - wiggle, 2)
        volume = round(5 + 20 * rng.random(), 4)
        t = start + datetime.timedelta(minutes=i)
        print(f"{t:%Y-%m-%dT%H:%M:%S}Z,{open_:.2f},{high:.2f},{low:.2f},{close:.2f},{volume}")


if __name__ == "__main__":
    main()
