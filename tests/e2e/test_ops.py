"""Operations: the log file opened again on SIGHUP (logrotate), JSON-lines logs, Prometheus
metrics, backups taken while the server runs and their restore, and the systemd unit."""
import json
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
