"""Operations: the log file opened again on SIGHUP (logrotate), JSON-lines logs, Prometheus
metrics, backups taken while the server runs and their restore, and the systemd unit."""
import json
import re
import os
import signal
import tempfile

from harness import BIN, Data, Server, run, wait_for


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def test_log_file_is_opened_again_on_sighup():
    data = Data(grids=False)
    log = os.path.join(data.dir, "wangge.log")
    try:
        srv = Server(data, "--log", log)
        try:
            assert srv.get("/api/v1/before-rotation")[0] == 404
            assert wait_for(lambda: "GET /api/v1/before-rotation 404" in read(log))
            # logrotate: the file is renamed, then the server is told
            os.rename(log, log + ".1")
            assert srv.get("/api/v1/while-rotating")[0] == 404
            srv.proc.send_signal(signal.SIGHUP)
            assert wait_for(lambda: os.path.exists(log) and "opened again" in read(log)), \
                read(log + ".1")[-2000:]
            assert srv.get("/api/v1/after-rotation")[0] == 404
            assert wait_for(lambda: "GET /api/v1/after-rotation 404" in read(log)), read(log)
            old, new = read(log + ".1"), read(log)
            assert "before-rotation" in old and "while-rotating" in old, old
            assert "before-rotation" not in new and "while-rotating" not in new, new
            assert srv.proc.poll() is None  # SIGHUP does not stop the server
        finally:
            code, stderr = srv.stop()
        assert code == 0, stderr
        # everything went to the file: the start, the requests and the stop
        assert "stopped" in read(log), read(log)
        assert "GET /api/v1/" not in stderr, stderr
    finally:
        data.close()


def test_sighup_without_a_log_file_keeps_serving():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            srv.proc.send_signal(signal.SIGHUP)
            assert wait_for(lambda: srv.get("/healthz")[0] == 200)
        finally:
            code, log = srv.stop()
        assert code == 0 and "the log is stderr, nothing to open again" in log, log
    finally:
        data.close()


def test_json_log_lines():
    data = Data(grids=False)
    log = os.path.join(data.dir, "wangge.log")
    conf = os.path.join(data.dir, "wangge.conf")
    with open(conf, "w") as f:
        f.write(f"log_file = {log}\nlog_format = json\n")
    try:
        srv = Server(data, "--config", conf)
        try:
            assert srv.get("/healthz")[0] == 200
            # a path with a quote, a backslash, a line feed and a byte that is not UTF-8
            srv.request("GET", "/api/v1/a%22b%5Cc%FF%0A")
        finally:
            code, _ = srv.stop()
        assert code == 0
        lines = [json.loads(l) for l in read(log).splitlines()]  # every line is JSON
        assert all({"time", "level", "msg"} <= set(l) for l in lines), lines
        assert any(l["level"] == "info" and l["msg"].startswith("serving ") for l in lines)
        req = [l for l in lines if l.get("path") == "/healthz"]
        assert len(req) >= 1 and req[0]["method"] == "GET" and req[0]["status"] == 200, lines
        assert isinstance(req[0]["duration_us"], int), req
        assert any(l.get("path") == "/api/v1/a\"b\\c\ufffd\n" for l in lines), lines
    finally:
        data.close()


def test_log_settings_are_checked():
    data = Data(grids=False)
    try:
        code, _, err = run("serve", "--data", data.dir, "--listen", "127.0.0.1:0",
                           "--log-format", "xml", check=False)
        assert code == 2 and "log_format 'xml' is not text or json" in err, err
        missing = os.path.join(data.dir, "no-such-dir", "wangge.log")
        code, _, err = run("serve", "--data", data.dir, "--listen", "127.0.0.1:0", "--log",
                           missing, check=False)
        assert code != 0 and "cannot open the log file" in err and missing in err, err
    finally:
        data.close()


METRIC_LINE = re.compile(r'^([a-z_]+)(\{(?:[a-z_]+="[^"\\\n]*",?)*\})? (-?[0-9.e+]+|\+Inf)$')


def metrics(srv, headers=None):
    """GET /metrics parsed: {(name, labels): value}; every line must be a comment, blank or
    a sample of a family whose TYPE came before it."""
    status, hdrs, raw = srv.request("GET", "/metrics", headers=headers, token=None)
    assert status == 200, raw
    assert hdrs["Content-Type"].startswith("text/plain; version=0.0.4"), hdrs
    out, types = {}, {}
    for line in raw.decode().splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            types[name] = kind
            continue
        if not line or line.startswith("# HELP "):
            continue
        m = METRIC_LINE.match(line)
        assert m, f"not a sample: {line!r}"
        name, labels, value = m.groups()
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in types else name
        assert family in types, f"{name} has no TYPE line before it"
        out[(name, labels or "")] = float(value)
    return out


def test_metrics():
    data = Data()
    try:
        srv = Server(data)
        try:
            agent = data.add_user(srv, "ag", "agent", "371302", "Metrics-pass-2026")
            status, body = srv.json("POST", "/api/v1/units", {
                "id": "cgzf", "name": "城管执法局", "kind": "department", "regions": ["371302"]})
            assert status == 201, body
            orders = []
            for i in range(5):
                status, order = srv.json("POST", "/api/v1/orders", {
                    "channel": "hotline", "type": "complaint", "title": f"噪声{i}",
                    "content": "夜间施工", "lon": 118.303, "lat": 35.003}, token=agent)
                assert status == 201, order
                orders.append(order)
            status, _, _ = srv.request("POST", f"/api/v1/orders/{orders[0]['id']}/actions/dispatch",
                                       {"unit": "cgzf"},
                                       headers={"If-Match": f'"{orders[0]["version"]}"'},
                                       token=agent)
            assert status == 200
            assert srv.get("/api/v1/orders/999999", token=agent)[0] == 404
            assert srv.json("POST", "/api/v1/no-such-route", {})[0] == 404  # matches no route
            m = metrics(srv)
        finally:
            code, log = srv.stop()
        assert code == 0, log
        route = 'method="POST",route="/api/v1/orders"'
        assert m[("wangge_http_requests_total", "{%s,status=\"201\"}" % route)] == 5, m
        assert m[("wangge_http_requests_total",
                  '{method="GET",route="/api/v1/orders/{id}",status="404"}')] == 1
        assert m[("wangge_http_requests_total", '{method="",route="(none)",status="404"}')] == 1
        # the latency histogram of the creates: cumulative, ending with every create
        buckets = sorted((float(re.search(r'le="([^"]+)"', k[1]).group(1)), v) for k, v in m.items()
                         if k[0] == "wangge_http_request_duration_seconds_bucket" and route in k[1])
        assert buckets[-1] == (float("inf"), 5) and len(buckets) == 15, buckets
        assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), buckets
        assert m[("wangge_http_request_duration_seconds_count", "{%s}" % route)] == 5
        assert 0 < m[("wangge_http_request_duration_seconds_sum", "{%s}" % route)] < 30
        # five creates and a dispatch went through the group commit, in at least one batch
        assert m[("wangge_commit_batch_size_sum", "")] >= 6, m
        assert 1 <= m[("wangge_commit_batch_size_count", "")] <= 6
        assert m[("wangge_commit_batch_size_bucket", '{le="+Inf"}')] == \
            m[("wangge_commit_batch_size_count", "")]
        assert m[("wangge_commit_queue_jobs", "")] == 0
        # the dispatch's notification waits: no webhook is set
        assert m[("wangge_outbox_backlog", '{state="pending"}')] == 1, m
        assert m[("wangge_outbox_backlog", '{state="sending"}')] == 0
        assert m[("wangge_sessions_active", "")] == 2  # the administrator and the agent
        assert m[("wangge_http_connections", "")] >= 1
        assert m[("wangge_http_suspended_requests", "")] == 0
    finally:
        data.close()


def test_metrics_from_elsewhere_need_a_key_with_metrics():
    data = Data(grids=False)
    try:
        _, out, _ = run("apikey", "add", "--data", data.dir, "--name", "prometheus", "--scope",
                        "all", "--permissions", "metrics")
        key = out.strip().splitlines()[-1]
        _, out, _ = run("apikey", "add", "--data", data.dir, "--name", "map", "--scope", "all",
                        "--permissions", "map_read")
        map_key = out.strip().splitlines()[-1]
        srv = Server(data)
        try:
            proxied = {"X-Forwarded-For": "203.0.113.9"}
            status, body = srv.json("GET", "/metrics", token=None, headers=proxied)
            assert status == 401 and "X-Api-Key" in body["error"]["message"], body
            assert "'metrics' permission" in body["error"]["message"], body
            status, _ = srv.json("GET", "/metrics", headers=proxied)  # the sysadmin's session
            assert status == 403
            status, _ = srv.json("GET", "/metrics", token=None,
                                 headers={**proxied, "X-Api-Key": map_key})
            assert status == 403
            for header in ["X-Forwarded-For", "Forwarded", "X-Real-IP"]:
                status, _, _ = srv.request("GET", "/metrics", token=None,
                                           headers={header: "for=203.0.113.9"})
                assert status == 401, header
            assert ("wangge_sessions_active", "") in metrics(srv, {**proxied, "X-Api-Key": key})
            # the console's administrators can make such a key too
            status, body = srv.json("POST", "/api/v1/apikeys", {
                "name": "scraper", "scope": "all", "permissions": ["metrics"]})
            assert status == 201, body
            status, body = srv.get("/api/v1/apikeys")
            assert [k["permissions"] for k in body["apikeys"] if k["name"] == "scraper"] == \
                [["metrics"]], body
        finally:
            srv.stop()
    finally:
        data.close()
