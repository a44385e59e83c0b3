#!/usr/bin/env python3
"""A city's crowd of connections against the real `wangge serve` (default settings but
max_connections = 10,050, room for the crowd and the measuring client, and idle_timeout =
600 s, so that idle ones stay) on a
loopback port: first 10,000 idle keep-alive connections held at once; then 5,000 idle
connections and 2,000 clients that trickle their request head a line every 2 s (and come
back when the server cuts them off), while one client sends normal requests (GET /healthz
and an authenticated GET /api/v1/regions/371302) one after another and their latencies are
measured. The crowd comes from many loopback addresses (127.0.0.2 and up), as a city's
clients come from many. Prints the figures; exits non-zero when a normal request fails.
   WANGGE_BIN=build/release/wangge python3 bench/intake/crowd.py [--seconds S]"""
import http.client
import os
import selectors
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "e2e"))
from harness import Data, Server  # noqa: E402

SECONDS = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 30.0


def open_many(port, n, first_addr, per_addr=500):
    socks = []
    for i in range(n):
        addr = f"127.0.{1 + (first_addr + i // per_addr) // 250}.{2 + (first_addr + i // per_addr) % 250}"
        s = socket.create_connection(("127.0.0.1", port), source_address=(addr, 0))
        s.setblocking(False)
        socks.append(s)
    return socks


def metric(srv, name):
    _, _, raw = srv.request("GET", "/metrics")
    for line in raw.decode().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")


def main():
    data = Data(grids=False)
    conf = os.path.join(data.dir, "crowd.conf")
    with open(conf, "w") as f:  # room for the 10,000 and for the measuring client
        f.write("max_connections = 10050\nidle_timeout = 600\n")
    srv = Server(data, "--quiet", "--config", conf)
    port = int(srv.base.rsplit(":", 1)[1])
    try:
        # phase 1: 10,000 idle connections held
        t0 = time.time()
        idle = open_many(port, 10000, 0)
        time.sleep(1.0)
        held = metric(srv, "wangge_http_connections")
        t1 = time.time()
        st, _ = srv.get("/healthz")
        print(f"held: 10000 opened in {t1 - t0 - 1:.1f} s; the server counts {held:.0f} "
              f"connections; a request meanwhile: {st} in {(time.time() - t1) * 1000:.1f} ms")
        for s in idle[5000:]:
            s.close()
        idle = idle[:5000]
        time.sleep(1.0)

        # phase 2: 5,000 idle, 2,000 trickling heads, one normal client
        slow = open_many(port, 2000, 40)
        sel = selectors.EpollSelector()
        for s in slow:
            s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            sel.register(s, selectors.EVENT_READ)
        cut = reconnects = 0
        lat, failures = [], 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        auth = {"Authorization": "Bearer " + srv.token}
        end = time.time() + SECONDS
        next_line, k = time.time(), 0
        while time.time() < end:
            # a line to a 20th of the slow clients every 0.1 s: each gets one every 2 s
            if time.time() >= next_line:
                for s in slow[k::20]:
                    try:
                        s.send(b"X-Slow: 1\r\n")
                    except OSError:
                        pass
                k = (k + 1) % 20
                next_line += 0.1
            for key, _ in sel.select(timeout=0):
                s = key.fileobj
                try:
                    gone = s.recv(4096) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                if gone:  # cut off at the head deadline: the client comes straight back
                    cut += 1
                    sel.unregister(s)
                    i = slow.index(s)
                    s.close()
                    n = open_many(port, 1, 40 + i // 500)[0]
                    n.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                    sel.register(n, selectors.EVENT_READ)
                    slow[i] = n
                    reconnects += 1
            for path in ("/healthz", "/api/v1/regions/371302"):
                t = time.time()
                try:
                    conn.request("GET", path, headers=auth)
                    r = conn.getresponse()
                    r.read()
                    ok = r.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                lat.append((time.time() - t) * 1000)
                failures += not ok
            time.sleep(0.005)
        held = metric(srv, "wangge_http_connections")
        print(f"crowd: 5000 idle + 2000 trickling heads for {SECONDS:.0f} s; server counts "
              f"{held:.0f} connections; {cut} slow clients cut off at the head deadline")
        print(f"normal requests: {len(lat)}, {failures} failed; p50 {pct(lat, 0.5):.2f} ms, "
              f"p99 {pct(lat, 0.99):.2f} ms, max {max(lat):.2f} ms (goal: p99 < 50 ms)")
        for s in slow + idle:
            s.close()
        return 1 if failures else 0
    finally:
        code, log = srv.stop()
        data.close()


if __name__ == "__main__":
    sys.exit(main())
