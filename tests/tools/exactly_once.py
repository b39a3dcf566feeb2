"""Checks a history against the ticks that were generated: every tick exactly once, every line
whole. Usage: exactly_once.py SOURCE.json HISTORY.json [WHAT]. Exits non-zero with the reason."""
import json
import sys
from datetime import datetime


def key(o):
    return (datetime.fromisoformat(o["Datetime"]), float(o["Close"]), str(o["Volume"]))


def main():
    src = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    try:
        lines = open(sys.argv[2]).read().split("\n")
    except FileNotFoundError:
        lines = []
    what = sys.argv[3] if len(sys.argv) > 3 else ""
    if lines and lines[-1] != "":
        sys.exit(f"{what}: the history ends in a torn line: {lines[-1][:60]!r}")
    hist = []
    for n, l in enumerate(lines[:-1], 1):
        try:
            hist.append(json.loads(l))
        except ValueError:
            sys.exit(f"{what}: line {n} of the history is not a whole tick: {l[:60]!r}")
    want = sorted(key(o) for o in src)
    got = sorted(key(o) for o in hist)
    if len(got) != len(set(got)):
        sys.exit(f"{what}: {len(got) - len(set(got))} duplicated ticks")
    if got != want:
        sys.exit(f"{what}: history has {len(got)} ticks, source {len(want)}; "
                 f"missing {len(set(want) - set(got))}, extra {len(set(got) - set(want))}")


main()
