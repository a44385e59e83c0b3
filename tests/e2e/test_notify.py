"""Notifications: the delivery outbox and its webhook worker. A dispatch, an urge and a return
each leave a row for whoever must act; the worker POSTs them to a webhook (a tiny HTTP server
of this test on a free 127.0.0.1 port) with retries and backoff, ending delivered or dead;
an https webhook gets TLS with the certificate checked; with no webhook the rows wait;
GET /api/v1/notifications lists the caller's own."""
import http.server
import json
import os
import ssl
import subprocess
import threading

from harness import Data, Server, config, run, wait_for, act

PASSWORD = "Notify-pass-2026"


class Hook:
    """A webhook answering the scripted statuses in turn, then the last one for ever; over
    TLS with tls=(certificate file, key file)."""

    def __init__(self, statuses, tls=None):
        self.statuses = list(statuses)
        self.received = []  # (path, headers, body as JSON)
        self.lock = threading.Lock()
        hook = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with hook.lock:
                    status = hook.statuses[min(len(hook.received), len(hook.statuses) - 1)]
                    hook.received.append((self.path, dict(self.headers), json.loads(body)))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*tls)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}/hook?token=s3cret"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self):
        with self.lock:
            return [b for _, _, b in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def account(data, srv, name, role, scope):
    pwfile = os.path.join(data.dir, "pw-" + name)
    with open(pwfile, "w") as f:
        f.write("Initial-pass-1\n")
    run("user", "add", "--data", data.dir, "--username", name, "--role", role, "--scope", scope,
        "--password-file", pwfile)
    token = srv.login(name, "Initial-pass-1")
    status, body = srv.json("PUT", "/api/v1/me/password",
                            {"old_password": "Initial-pass-1", "new_password": PASSWORD}, token=token)
    assert status == 200, body
    return token


def setup(data, srv):
    """The unit cgzf, an agent of the county and a handler of the unit; one new order."""
    status, body = srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "城管执法局",
                                                      "kind": "department", "regions": ["371302"]})
    assert status == 201, body
    ag = account(data, srv, "ag", "agent", "371302")
    hd = account(data, srv, "h1", "handler", "unit:cgzf")
    status, order = srv.json("POST", "/api/v1/orders", {
        "channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
        "content": "夜间施工", "lon": 118.303, "lat": 35.003,
        "reporter": {"name": "张三", "phone": "13812345678"}}, token=ag)
    assert status == 201, order
    return ag, hd, order


def mine(srv, token, query=""):
    status, body = srv.get("/api/v1/notifications" + query, token=token)
    assert status == 200, body
    return body["notifications"]


def test_delivered_after_retries_and_each_recipient_sees_their_own():
    data = Data()
    hook = Hook([500, 500, 200])
    try:
        srv = Server(data, "--config", config(data, notify_backoff_seconds=1),
                     "--webhook", hook.url)
        try:
            ag, hd, order = setup(data, srv)
            assert mine(srv, hd) == []
            order = act(srv, ag, order, "dispatch", {"unit": "cgzf"})
            # committed with the dispatch, before any delivery
            rows = mine(srv, hd)
            assert len(rows) == 1 and rows[0]["kind"] == "dispatch", rows
            assert rows[0]["recipient"] == "unit:cgzf" and rows[0]["order_id"] == order["id"]
            # 500, 1 s, 500, 2 s, 200
            assert wait_for(lambda: mine(srv, hd)[0]["state"] == "delivered", 20), mine(srv, hd)
            row = mine(srv, hd)[0]
            assert row["attempts"] == 3 and row["delivered_at"], row
            assert "last_error" not in row and "next_attempt_at" not in row, row
            assert row["payload"]["order"]["number"] == order["number"], row
            with hook.lock:
                received = list(hook.received)
            assert len(received) == 3, received
            assert [b["attempt"] for _, _, b in received] == [1, 2, 3]
            for path, headers, body in received:
                assert path == "/hook?token=s3cret"
                assert headers["Content-Type"].startswith("application/json"), headers
                assert headers["X-Wangge-Delivery"] == str(row["id"]), headers
                assert body["id"] == row["id"] and body["kind"] == "dispatch"
                assert body["recipient"] == "unit:cgzf" and body["channel"] == "webhook"
                p = body["payload"]
                assert p["kind"] == "dispatch" and p["by"] == "ag", p
                assert p["order"] == {"id": order["id"], "number": order["number"],
                                      "title": "噪声扰民", "item": "06028", "urgency": "normal",
                                      "grid": "371302001001001", "unit": "cgzf",
                                      "state": "dispatched"}, p
                assert set(p["deadlines"]) == {"sign", "reply"}, p
                raw = json.dumps(body, ensure_ascii=False)
                assert "13812345678" not in raw and "张三" not in raw and "夜间施工" not in raw
            # an urge goes to the unit; a return the unit asks for goes to who took the order in
            order = act(srv, ag, order, "urge", {"note": "请尽快处理"})
            order = act(srv, hd, order, "return", {"reason": "不属于本单位职责"})
            assert wait_for(lambda: len(hook.bodies()) == 5, 20), hook.bodies()
            assert wait_for(lambda: all(r["state"] == "delivered"
                                        for r in mine(srv, hd) + mine(srv, ag)), 20)
            rows = mine(srv, hd)
            assert [r["kind"] for r in rows] == ["urge", "dispatch"], rows  # newest first
            assert rows[0]["payload"]["note"] == "请尽快处理" and rows[0]["attempts"] == 1, rows
            rows = mine(srv, ag)
            assert [(r["kind"], r["recipient"]) for r in rows] == [("return", "ag")], rows
            assert rows[0]["payload"]["reason"] == "不属于本单位职责", rows
            assert rows[0]["payload"]["order"]["state"] == "returning", rows
            assert mine(srv, srv.token) == []  # the admin was sent nothing
            assert [r["kind"] for r in mine(srv, hd, "?limit=1&offset=1")] == ["dispatch"]
            for bad in ["?limit=0", "?limit=1001", "?limit=x", "?offset=-1"]:
                status, body = srv.get("/api/v1/notifications" + bad, token=hd)
                assert status == 400, (bad, body)
            # a note is nobody's call to act: no notification
            act(srv, ag, order, "note", {"note": "已联系"})
            assert len(mine(srv, hd)) + len(mine(srv, ag)) == 3
        finally:
            srv.stop()
    finally:
        hook.close()
        data.close()


def test_always_failing_webhook_ends_dead():
    data = Data()
    hook = Hook([500])
    try:
        srv = Server(data, "--config", config(data, notify_backoff_seconds=1, notify_attempts=3,
                                              webhook_url=hook.url))
        try:
            ag, hd, order = setup(data, srv)
            act(srv, ag, order, "dispatch", {"unit": "cgzf"})
            assert wait_for(lambda: mine(srv, hd)[0]["state"] == "dead", 20), mine(srv, hd)
            row = mine(srv, hd)[0]
            assert row["attempts"] == 3 and "delivered_at" not in row, row
            assert len(hook.bodies()) == 3
        finally:
            _, log = srv.stop()
        assert f"notification {row['id']} (dispatch to unit:cgzf) is dead after 3 attempts" in log
        db = data.store()
        try:
            state, error = db.execute("SELECT state, last_error FROM outbox WHERE id = ?",
                                      (row["id"],)).fetchone()
        finally:
            db.close()
        assert state == "dead" and "HTTP 500" in error and "s3cret" not in error, error
    finally:
        hook.close()
        data.close()


def test_https_webhook_speaks_tls_and_checks_the_certificate():
    """https:// webhooks are accepted since the client is libcurl. The receiver's certificate
    must verify against the system's roots: a self-signed one is refused, so the row ends dead
    with a TLS error and the receiver never sees a request."""
    data = Data()
    cert, key = os.path.join(data.dir, "hook.crt"), os.path.join(data.dir, "hook.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    hook = Hook([200], tls=(cert, key))
    try:
        srv = Server(data, "--config", config(data, notify_backoff_seconds=1, notify_attempts=2,
                                              webhook_url=hook.url))
        try:
            ag, hd, order = setup(data, srv)
            act(srv, ag, order, "dispatch", {"unit": "cgzf"})
            assert wait_for(lambda: mine(srv, hd)[0]["state"] == "dead", 20), mine(srv, hd)
            assert mine(srv, hd)[0]["attempts"] == 2
        finally:
            _, log = srv.stop()
        assert hook.bodies() == []
        db = data.store()
        try:
            (error,) = db.execute("SELECT last_error FROM outbox").fetchone()
        finally:
            db.close()
        assert error.startswith("POST https://127.0.0.1:") and "TLS with 127.0.0.1:" in error, error
        assert "certificate" in error and "s3cret" not in error, error
        assert "is dead after 2 attempts" in log, log
    finally:
        hook.close()
        data.close()


def test_no_webhook_keeps_rows_pending_and_says_so_once():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag, hd, order = setup(data, srv)
            order = act(srv, ag, order, "dispatch", {"unit": "cgzf"})
            act(srv, ag, order, "supervise", {"level": "yellow"})
            rows = mine(srv, hd)
            assert [(r["kind"], r["state"], r["attempts"]) for r in rows] == [
                ("supervise", "pending", 0), ("dispatch", "pending", 0)], rows
            assert rows[0]["payload"]["level"] == "yellow" and rows[0]["next_attempt_at"], rows
        finally:
            _, log = srv.stop()
        assert log.count("no webhook_url is configured") == 1, log
    finally:
        data.close()


def test_webhook_settings_are_checked():
    data = Data(grids=False)
    try:
        for args, word in [(["--webhook", "ftp://hooks.example.com/x"], "https://"),
                           (["--webhook", "http://u:p@relay/"], "credentials"),
                           (["--config", config(data, "a.conf", notify_attempts=0)], "notify_attempts"),
                           (["--config", config(data, "b.conf", notify_backoff_seconds=7200)],
                            "notify_backoff_seconds")]:
            rc, _, err = run("serve", "--data", data.dir, "--listen", "127.0.0.1:0", *args,
                             check=False)
            assert rc != 0 and word in err, (args, err)
    finally:
        data.close()
