#!/usr/bin/env python3
"""A local stand-in for CoinGecko's /coins/markets, for tests only: it listens on 127.0.0.1 and
answers each request with the next behaviour of a script, then logs what it was sent.

    mock_coingecko.py PORT_FILE LOG_FILE BEHAVIOUR[,BEHAVIOUR...]

Behaviours: good:PRICE (a valid answer), 429 (Too Many Requests, Retry-After: 1), 429date
(Retry-After as an HTTP date 3 s ahead), 429bare (no Retry-After), empty (`[]`, CoinGecko's
answer for an unknown coin), nulls:PRICE (24-hour figures null, as for a new listing), 500,
badjson, slow (answers after 3 s), drop (closes the connection without answering). After the
script runs out, every request gets good:99999.
"""
import json
import socket
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, script = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
lock = threading.Lock()
count = [0]


def answer(price):
    return json.dumps([{"id": "bitcoin", "symbol": "btc", "name": "Bitcoin",
                        "current_price": price, "high_24h": price + 1000, "low_24h": price - 2000,
                        "total_volume": 26503597248, "last_updated": "2025-05-12T01:22:54.181Z"}])


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        with lock:
            step = script[count[0]] if count[0] < len(script) else "good:99999"
            count[0] += 1
            with open(log_file, "a") as log:
                log.write(json.dumps({"t": time.time(), "path": self.path, "step": step,
                                      "headers": dict(self.headers.items())}) + "\n")
        if step.startswith("good:"):
            self.reply(200, answer(float(step[5:])))
        elif step == "429":
            self.reply(429, '{"status": "rate limited"}', {"Retry-After": "1"})
        elif step == "429date":
            when = formatdate(time.time() + 3, usegmt=True)
            self.reply(429, '{"status": "rate limited"}', {"Retry-After": when})
        elif step == "429bare":
            self.reply(429, '{"status": "rate limited"}')
        elif step == "empty":
            self.reply(200, "[]")
        elif step.startswith("nulls:"):
            self.reply(200, json.dumps([{"id": "bitcoin", "current_price": float(step[6:]),
                                         "high_24h": None, "low_24h": None, "total_volume": None}]))
        elif step == "500":
            self.reply(500, "oops")
        elif step == "badjson":
            self.reply(200, '[{"current_price": 1,')
        elif step == "slow":
            time.sleep(3)
            self.reply(200, answer(1.0))
        elif step == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

    def reply(self, status, body, headers=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
