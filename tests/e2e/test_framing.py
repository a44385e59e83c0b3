"""Bad framing gets a clear answer from the head, and the server goes on: 431 for a head over
16 KiB, 414 for a URL over 15 KiB, 400 for a query of more than 100 parameters, each with the
usual JSON error body; 400 for a malformed header line; a garbage request line or a chunk
declared at 2^64-1 bytes closes the connection at once instead of holding it."""
import json
import socket
import time

from harness import Data, Server


def exchange(srv, raw, timeout=5):
    """Sends raw bytes on a new connection; returns (status or None, headers, body, seconds)
    once the answer is whole or the server closed the connection."""
    host, port = srv.base.split("//")[1].split(":")
    t0 = time.time()
    out = b""
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        try:
            s.sendall(raw)
        except OSError:
            pass
        while True:
            try:
                chunk = s.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if b"\r\n\r\n" in out:
                head, _, body = out.partition(b"\r\n\r\n")
                length = [int(x.split(b":")[1]) for x in head.split(b"\r\n")
                          if x.lower().startswith(b"content-length:")]
                if length and len(body) >= length[0]:
                    break
    took = time.time() - t0
    if not out:
        return None, b"", b"", took
    head, _, body = out.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body, took


def error_of(body):
    return json.loads(body)["error"]


def test_oversized_head_url_and_query_are_answered_with_json():
    data = Data(grids=False)
    srv = None
    try:
        srv = Server(data)
        status, _, body, _ = exchange(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                      b"a" * 20000 + b"\r\n\r\n")
        assert status == 431, (status, body)
        assert "at most 16384" in error_of(body)["message"], body
        status, _, body, _ = exchange(srv, b"GET /healthz?x=" + b"a" * 16000 +
                                      b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 414, (status, body)
        assert "longer than 15360 bytes" in error_of(body)["message"], body
        query = b"&".join(b"p%d=1" % i for i in range(480))
        status, _, body, took = exchange(srv, b"GET /api/v1/regions?" + query +
                                         b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 400 and took < 2, (status, body, took)
        assert "more than 100 parameters" in error_of(body)["message"], body
        # at the limits, requests are served: a 12 KiB URL (a 4 KiB search text, encoded)
        status, _, body, _ = exchange(srv, b"GET /healthz?x=" + b"%E5%85%B0" * 1360 +
                                      b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 200, (status, body)
        query = b"&".join(b"p%d=1" % i for i in range(100))
        status, _, body, _ = exchange(srv, b"GET /healthz?" + query +
                                      b" HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 15000 +
                                      b"\r\n\r\n")
        assert status == 200, (status, body)
        assert srv.get("/healthz")[0] == 200
    finally:
        if srv:
            srv.stop()
        data.close()


def test_malformed_requests_are_refused_and_closed_at_once():
    data = Data(grids=False)
    srv = None
    try:
        srv = Server(data)
        status, _, body, _ = exchange(srv, b"GET /healthz HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n")
        assert status == 400, (status, body)
        status, _, body, _ = exchange(srv, b"GET /healthz HTTP/x\r\n\r\n")
        assert status == 400, (status, body)
        # a line that is no request line at all: closed, not held (libmicrohttpd answers it
        # nothing)
        status, _, body, took = exchange(srv, b"garbage\r\n\r\n")
        assert status in (None, 400) and took < 2, (status, body, took)
        # a chunk declared larger than anything a route takes: 413 is not possible in the
        # middle of a body, so the connection is closed once a further cap's worth came
        raw = (b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n" + b"a" * 3000000)
        status, _, body, took = exchange(srv, raw)
        assert status in (None, 413) and took < 3, (status, body, took)
        assert srv.get("/healthz")[0] == 200
        code, log = srv.stop()
        assert code == 0, log
    finally:
        if srv:
            srv.stop()
        data.close()
