"""The server's hold on its connections: a request head that is trickled past head_timeout
is cut off while a normal request is still answered; one address holds at most
per_address_connections of them while another address still gets in; the descriptor limit is
raised at start and the log says so; and SIGTERM stops at once with nothing acknowledged lost.
Everything talks to 127.0.0.1 (and 127.0.0.2, a loopback address too)."""
import http.client
import json
import resource
import socket
import threading
import time

from harness import Data, Server, alone, config, post_json


def host_port(srv):
    host, port = srv.base.split("//")[1].split(":")
    return host, int(port)


def is_closed(sock, wait=0.0):
    """True when the peer closed (or reset) the connection, looking for up to wait seconds."""
    sock.settimeout(wait if wait > 0 else 0.01)
    try:
        return sock.recv(4096) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


def healthz(srv):
    status, body = srv.json("GET", "/healthz", token=None)
    return status


def served_again(srv, timeout=5.0):
    """Once the server has seen the held connections close, a new one is served: /healthz
    answers 200 within timeout seconds (a connection refused or cut meanwhile is retried)."""
    end = time.time() + timeout
    while True:
        try:
            assert healthz(srv) == 200
            return
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.1)


@alone("the head deadline is timed to about a second")
def test_trickled_head_is_cut_off_at_head_timeout():
    data = Data(grids=False)
    srv = None
    try:
        srv = Server(data, "--config", config(data, head_timeout=2))
        slow = socket.create_connection(host_port(srv))
        idle = socket.create_connection(host_port(srv))  # sends nothing: only idle_timeout applies
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        t0 = time.time()
        closed_after = None
        while time.time() - t0 < 8:
            try:
                slow.sendall(b"X-Trickle: 1\r\n")  # a line every 0.3 s: never idle
            except OSError:
                closed_after = time.time() - t0
                break
            if is_closed(slow, 0.3):
                closed_after = time.time() - t0
                break
            assert healthz(srv) == 200, "a normal request was not answered meanwhile"
        assert closed_after is not None, "a head trickled for 8 s was never cut off"
        assert 1.5 <= closed_after <= 4.5, f"cut off after {closed_after:.1f} s, not about 2 s"
        assert not is_closed(idle), "an idle connection was closed by the head deadline"
        idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        idle.settimeout(5)
        assert idle.recv(4096).startswith(b"HTTP/1.1 200"), "the idle connection was not served"
        slow.close()
        idle.close()
        code, log = srv.stop()
        assert code == 0, log
        assert "request head took over 2 s" in log, log
    finally:
        if srv:
            srv.stop()
        data.close()


def test_one_address_holds_at_most_its_share():
    data = Data(grids=False)
    srv = None
    try:
        srv = Server(data, "--threads", "2", "--config",
                     config(data, per_address_connections=4))
        time.sleep(0.3)  # the harness's own connections are gone
        socks = [socket.create_connection(host_port(srv)) for _ in range(10)]
        time.sleep(0.5)
        held = [s for s in socks if not is_closed(s, 0.05)]
        assert len(held) <= 4, f"one address holds {len(held)} connections, not at most 4"
        # another address is not crowded out
        other = socket.create_connection(host_port(srv), source_address=("127.0.0.2", 0))
        other.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        other.settimeout(5)
        assert other.recv(4096).startswith(b"HTTP/1.1 200")
        other.close()
        for s in socks:
            s.close()
        # once the server has seen them close, the address has its share again
        served_again(srv)
    finally:
        if srv:
            srv.stop()
        data.close()


def test_the_server_holds_at_most_max_connections():
    data = Data(grids=False)
    srv = None
    try:
        srv = Server(data, "--threads", "4", "--config",
                     config(data, max_connections=16))
        time.sleep(0.3)
        socks = [socket.create_connection(host_port(srv), source_address=(f"127.0.0.{2 + i}", 0))
                 for i in range(40)]
        time.sleep(0.5)
        held = [s for s in socks if not is_closed(s, 0.05)]
        # a few may pass at once, one per thread at most
        assert 16 <= len(held) <= 20, f"the server holds {len(held)} connections, not 16"
        for s in socks:
            s.close()
        served_again(srv)
    finally:
        if srv:
            srv.stop()
        data.close()


def test_descriptor_limit_is_raised_and_said():
    data = Data(grids=False)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    srv = None
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))  # the server inherits it
        try:
            srv = Server(data, "--config", config(data, max_connections=5000))
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        pid = srv.proc.pid
        with open(f"/proc/{pid}/limits") as f:
            line = next(x for x in f if x.startswith("Max open files"))
        assert int(line.split()[3]) >= 5256 or hard < 5256, line
        code, log = srv.stop()
        assert code == 0, log
        if hard >= 5256:
            assert "descriptors: limit raised from 1024 to 5256 for 5000 connections" in log, log
        else:
            assert "taking" in log, log
    finally:
        if srv:
            srv.stop()
        data.close()


@alone("the stop is timed: within a second")
def test_sigterm_under_load_loses_nothing_acknowledged_and_exits_fast():
    data = Data()
    srv = None
    try:
        srv = Server(data, "--threads", "8", "--quiet")
        token = data.add_user(srv, "stop", "agent", "371302", "Stop-pass-2026")
        idle = [socket.create_connection(host_port(srv)) for _ in range(20)]  # keep-alive idlers
        answered, lock, stop = [], threading.Lock(), threading.Event()

        def creator(n):
            conn = http.client.HTTPConnection(*host_port(srv), timeout=10)
            i = 0
            while not stop.is_set():
                i += 1
                body = {"channel": "hotline", "type": "complaint", "item": "06028",
                        "title": f"停机 {n}-{i}", "content": "停机时的受理", "address": "兰山区",
                        "lon": 118.3005, "lat": 35.0005,
                        "reporter": {"name": "张三", "phone": "13812345678"}}
                try:
                    r, raw = post_json(conn, "/api/v1/orders", token, body)
                except (OSError, http.client.HTTPException):
                    return
                if r.status == 201:
                    with lock:
                        answered.append(json.loads(raw)["id"])
                if r.getheader("Connection", "").lower() == "close":
                    return

        threads = [threading.Thread(target=creator, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        t0 = time.time()
        srv.proc.send_signal(15)
        try:
            srv.proc.wait(timeout=10)
        finally:
            stop.set()
        took = time.time() - t0
        for t in threads:
            t.join()
        code, log = srv.stop()
        assert code == 0, log
        assert took < 1.0, f"SIGTERM under load took {took:.2f} s"
        print(f"     SIGTERM with 8 creating clients and 20 idle connections: exit in "
              f"{took * 1000:.0f} ms, {len(answered)} orders answered before it")
        assert len(answered) > 20, f"only {len(answered)} orders were answered"
        for s in idle:
            s.close()
        # every order answered 201 is there after a restart
        srv = Server(data, "--quiet")
        token = srv.login("stop", "Stop-pass-2026")
        for oid in answered:
            status, body = srv.get(f"/api/v1/orders/{oid}", token=token)
            assert status == 200, f"order {oid} was answered 201 but is gone: {status} {body}"
    finally:
        if srv:
            srv.stop()
        data.close()
