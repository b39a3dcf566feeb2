#!/usr/bin/env python3
"""Many event-stream clients of `btcstream serve` at once, standard library only (selectors).

  sse_clients.py URL --clients N [--stalled K] [--done FILE] [--rss-pid PID] [--timeout S]
                     [--hold S]

N readers connect to URL/events after the current last tick and read every event; K stalled
clients ask for everything from tick 0 with a 4 KB receive buffer and never read, so the
server's writes to them block. Once FILE exists, the readers are awaited until each holds every
committed tick (the /api/summary last_id). Prints one JSON object: per-reader checks (ticks,
duplicates, gaps), commit-to-receive latency percentiles over all events, and with --rss-pid the
largest resident size of that process seen while all clients were connected."""
import argparse
import json
import os
import selectors
import socket
import time
import urllib.request


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def connect(host, port, path, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect((host, port))
    # HTTP/1.0: the stream comes unchunked (the server closes it at the end), plain SSE text.
    s.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode())
    return s


class Reader:
    def __init__(self, sock, after):
        self.sock, self.buf, self.last, self.dups, self.gaps = sock, b"", after, 0, 0
        self.status, self.events, self.closed = None, 0, False

    def feed(self, data, latencies):
        now_us = time.time() * 1e6
        self.buf += data
        if self.status is None and b"\r\n\r\n" in self.buf:
            head, self.buf = self.buf.split(b"\r\n\r\n", 1)
            self.status = int(head.split(b" ")[1])
        while b"\n\n" in self.buf:
            raw, self.buf = self.buf.split(b"\n\n", 1)
            lines = [l for l in raw.decode().split("\n") if l and not l.startswith(":")]
            kind = next((l[7:] for l in lines if l.startswith("event: ")), None)
            data = next((l[6:] for l in lines if l.startswith("data: ")), None)
            if kind != "ticks" or data is None:
                continue
            d = json.loads(data)
            self.events += 1
            for t in d["ticks"]:
                if t["id"] <= self.last:
                    self.dups += 1
                    continue
                if t["id"] != self.last + 1:
                    self.gaps += 1
                self.last = t["id"]
            if d["summary"] and d["summary"]["health"]["commit_us"]:
                latencies.append((now_us - d["summary"]["health"]["commit_us"]) / 1000)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--clients", type=int, required=True)
    ap.add_argument("--stalled", type=int, default=0)
    ap.add_argument("--done")
    ap.add_argument("--rss-pid", type=int)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--hold", type=float, default=0,
                    help="keep the stalled clients connected this long after printing")
    a = ap.parse_args()
    host, port = a.url.split("//")[1].rstrip("/").split(":")
    port = int(port)
    start = get_json(a.url + "/api/summary")
    after, epoch = start["last_id"], start["epoch"]
    sel = selectors.DefaultSelector()
    readers = []
    for _ in range(a.clients):
        r = Reader(connect(host, port, f"/events?after={after}&epoch={epoch}"), after)
        r.sock.setblocking(False)
        sel.register(r.sock, selectors.EVENT_READ, r)
        readers.append(r)
    stalled = [connect(host, port, f"/events?after=0&epoch={epoch}", rcvbuf=4096)
               for _ in range(a.stalled)]
    latencies, rss_max, target = [], 0, None
    deadline = time.time() + a.timeout
    while time.time() < deadline:
        for key, _ in sel.select(timeout=0.1):
            r = key.data
            data = r.sock.recv(65536)
            if not data:
                r.closed = True
                sel.unregister(r.sock)
                continue
            r.feed(data, latencies)
        if a.rss_pid:
            rss_max = max(rss_max, rss_kb(a.rss_pid))
        if target is None and a.done and os.path.exists(a.done):
            target = get_json(a.url + "/api/summary")["last_id"]
        if target is None and not a.done and len(latencies) >= a.clients:
            target = max(r.last for r in readers)
        if target is not None and all(r.last >= target for r in readers):
            break
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else None
    print(json.dumps({
        "clients": a.clients, "stalled": a.stalled, "start_id": after, "target": target,
        "statuses": sorted({r.status for r in readers}, key=str),
        "min_last": min(r.last for r in readers), "max_last": max(r.last for r in readers),
        "duplicates": sum(r.dups for r in readers), "gaps": sum(r.gaps for r in readers),
        "closed": sum(r.closed for r in readers), "samples": len(latencies),
        "latency_ms": {"p50": pct(0.50), "p99": pct(0.99), "max": latencies[-1] if latencies else None},
        "rss_max_kb": rss_max or None,
        "stalled_ports": [s.getsockname()[1] for s in stalled],
    }), flush=True)
    for r in readers:
        r.sock.close()
    time.sleep(a.hold)
    for s in stalled:
        s.close()


main()
