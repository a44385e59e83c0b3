"""Operations: the log file opened again on SIGHUP (logrotate), JSON-lines logs, Prometheus
metrics, backups taken while the server runs and their restore, and the systemd unit."""
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.request
from urllib.parse import quote as urllib_quote

from harness import (BIN, ROOT, Data, Server, post_json, postgresql_only, run, sqlite_only,
                     wait_for)


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
            # the access line is written once the answer is sent: wait for it, still in the
            # renamed file, before the server is told
            assert wait_for(lambda: "GET /api/v1/while-rotating 404" in read(log + ".1"))
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


def settled(m):
    """Every request of test_metrics counted and its body given back."""
    return m.get(("wangge_http_requests_total", '{method="",route="(none)",status="404"}')) \
        and m.get(("wangge_http_body_bytes", '{callers="all"}')) == 0


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
            # a request is counted, and gives its body's memory back, once its answer is
            # sent: a moment after the client has it
            scrapes = []
            assert wait_for(lambda: settled(scrapes.append(metrics(srv)) or scrapes[-1]), 5)
            m = scrapes[-1]
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
        # five creates, a dispatch and two logins (the sysadmin's, ag's) went through the group
        # commit, in at least one batch and never more batches than writes. (The server's
        # sweeps write through it too, a second after the start: before the test's writes on a
        # quick machine, among them on a busy one; so the count is not the test's alone.)
        assert m[("wangge_commit_batch_size_sum", "")] >= 8, m
        assert 1 <= m[("wangge_commit_batch_size_count", "")] <= \
            m[("wangge_commit_batch_size_sum", "")], m
        assert m[("wangge_commit_batch_size_bucket", '{le="+Inf"}')] == \
            m[("wangge_commit_batch_size_count", "")]
        assert m[("wangge_commit_queue_jobs", "")] == 0
        # the dispatch's notification waits: no webhook is set
        assert m[("wangge_outbox_backlog", '{state="pending"}')] == 1, m
        assert m[("wangge_outbox_backlog", '{state="sending"}')] == 0
        assert m[("wangge_sessions_active", "")] == 2  # the administrator and the agent
        assert m[("wangge_http_connections", "")] >= 1
        assert m[("wangge_http_suspended_requests", "")] == 0
        assert m[("wangge_http_body_bytes", '{callers="all"}')] == 0  # the scrape has no body
        assert m[("wangge_http_body_budget_bytes", "")] >= 16 << 20
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


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
HOLIDAYS = {"holidays": {"2026-10-01": "National Day,国庆节,8"}, "workdays": {}}


def restored(data, directory):
    """A Data for a directory restored from data's backup (the same accounts)."""
    other = object.__new__(Data)
    other.__dict__.update(data.__dict__)
    other.dir, other.dbname, other.npm_before = directory, None, False
    return other


def new_dir():
    """A path for a data directory that does not exist yet."""
    path = tempfile.mkdtemp(prefix="wangge-e2e-restore-")
    os.rmdir(path)
    return path


def check_sums(path):
    """The backup read as any tar reader reads it: its members, each checked against
    SHA256SUMS as sha256sum -c would."""
    with tarfile.open(path) as tar:
        names = tar.getnames()
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    sums = dict(reversed(l.split("  ", 1)) for l in files["SHA256SUMS"].decode().splitlines())
    assert set(sums) == set(files) - {"SHA256SUMS"}, (sums, names)
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name
    return names, files


def order_body(i):
    return {"channel": "hotline", "type": "complaint", "title": f"备份期间的诉求{i}",
            "content": "夜间施工噪声", "lon": 118.303, "lat": 35.003}


@sqlite_only("wangge backup copies SQLite stores; a PostgreSQL store has pg_basebackup")
def test_backup_under_write_load_restores_every_acknowledged_order():
    data = Data()
    target = new_dir()
    out = os.path.join(tempfile.mkdtemp(prefix="wangge-e2e-backup-"), "wangge.tar")
    try:
        run("calendar", "load", "--data", data.dir, data.write(HOLIDAYS, "days.json"))
        srv = Server(data)
        try:
            agent = data.add_user(srv, "ag", "agent", "371302", "Backup-pass-2026")
            status, first = srv.json("POST", "/api/v1/orders",
                                     {**order_body(0), "title": "带照片的第一件"}, token=agent)
            assert status == 201, first
            status, _, raw = srv.request("POST", f"/api/v1/orders/{first['id']}/photos", PNG,
                                         token=agent)
            assert status == 201, raw
            photo = json.loads(raw)["sha256"]
            acked, stop, errors = [], threading.Event(), []

            def writer(n):
                conn = http.client.HTTPConnection(srv.base.split("//")[1], timeout=30)
                i = 0
                while not stop.is_set():
                    i += 1
                    r, body = post_json(conn, "/api/v1/orders", agent, order_body(f"{n}-{i}"))
                    if r.status != 201:
                        errors.append((r.status, body))
                        return
                    acked.append((time.monotonic(), json.loads(body)))  # acknowledged now
                conn.close()

            threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
            for t in threads:
                t.start()
            assert wait_for(lambda: len(acked) >= 100, timeout=30), (len(acked), errors)
            began = time.monotonic()
            rc, stdout, stderr = run("backup", "--data", data.dir, "--out", out, check=False)
            ended = time.monotonic()
            time.sleep(0.3)
            stop.set()
            for t in threads:
                t.join()
            assert rc == 0, stderr
            assert not errors, errors
            before = [o for at, o in acked if at < began]
            during = [o for at, o in acked if began <= at <= ended]
            # the writers kept being answered while the backup ran
            assert len(during) > 0, (len(before), len(acked), ended - began)
        finally:
            code, log = srv.stop()
        assert code == 0, log
        assert "backup: " + out in stdout and "holiday tables: 1, photos: 1;" in stdout, stdout
        assert os.listdir(os.path.dirname(out)) == ["wangge.tar"]  # no copy or part left
        names, files = check_sums(out)
        assert names[0] == "BACKUP" and names[-1] == "SHA256SUMS", names
        assert "wangge.db-search" not in names and not any(n.endswith(".tmp") for n in names)
        assert f"photos/{photo[:2]}/{photo}" in names and "calendar/holidays.json" in names
        assert files["BACKUP"].decode().startswith("wangge-backup 1\n"), files["BACKUP"]

        _, stdout, _ = run("restore", "--from", out, "--data", target)
        assert "every member matches its SHA-256" in stdout, stdout
        copy = restored(data, target)
        _, verify, _ = run("audit", "verify", "--data", target)
        assert "chain intact" in verify, verify
        assert not os.path.exists(os.path.join(target, "BACKUP"))
        srv = Server(copy)
        try:
            missing = []
            for o in [first] + before:  # the agent's session came back with the store
                status, body = srv.get(f"/api/v1/orders/{o['id']}", token=agent)
                if status != 200 or body["number"] != o["number"]:
                    missing.append((o["id"], status))
            assert not missing, f"{len(missing)} of {len(before) + 1} acknowledged orders: {missing[:5]}"
            status, _, raw = srv.request("GET", f"/api/v1/photos/{photo}", token=agent)
            assert status == 200 and raw == PNG
            # the text index is made again from the orders: a search finds the first order
            status, body = srv.get("/api/v1/orders?q=" + urllib_quote("照片的第一"),
                                   token=agent)
            assert status == 200 and [o["id"] for o in body["orders"]] == [first["id"]], body
            status, body = srv.get("/api/v1/calendar?year=2026")
            assert status == 200 and body["loaded"] and "2026-10-01" in body["holidays"], body
        finally:
            code, log = srv.stop()
        assert code == 0, log
        print(f"    {len(before)} orders acknowledged before the backup, {len(during)} during it "
              f"({ended - began:.2f} s), all found after the restore")
    finally:
        data.close()
        shutil.rmtree(target, ignore_errors=True)
        shutil.rmtree(os.path.dirname(out), ignore_errors=True)


def tar_of(members):
    """A tar file's bytes holding (name, bytes) members, as any tar writer makes them."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, body in members:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return raw.getvalue()


def with_sums(members):
    sums = "".join(f"{hashlib.sha256(b).hexdigest()}  {n}\n" for n, b in members)
    return members + [("SHA256SUMS", sums.encode())]


@sqlite_only("wangge backup copies SQLite stores; a PostgreSQL store has pg_basebackup")
def test_restore_refuses_damaged_and_foreign_backups_and_live_stores():
    data = Data(grids=False)
    work = tempfile.mkdtemp(prefix="wangge-e2e-backup-")
    out = os.path.join(work, "b.tar")
    try:
        run("backup", "--data", data.dir, "--out", out)
        # a backup never replaces another
        rc, _, err = run("backup", "--data", data.dir, "--out", out, check=False)
        assert rc == 2 and "exists already" in err, err
        assert not os.path.exists(out + ".partial") and not os.path.exists(out + ".store.partial")
        good = open(out, "rb").read()
        _, files = check_sums(out)
        members = [(n, files[n]) for n in ["BACKUP", "wangge.db", "keys/pii.key"]]

        def refused(raw, word, target=None):
            path = os.path.join(work, "bad.tar")
            with open(path, "wb") as f:
                f.write(raw)
            target = target or new_dir()
            rc, _, err = run("restore", "--from", path, "--data", target, check=False)
            assert rc != 0 and word in err, (word, err)
            # nothing left behind: neither the directory nor the one it was unpacked in
            leftovers = [n for n in os.listdir(os.path.dirname(target))
                         if n.startswith(os.path.basename(target) + ".restore-")]
            assert not leftovers, leftovers
            return target, err

        # a byte of the store changed: its SHA-256 no longer matches
        at = good.index(b"SQLite format 3") + 4096
        target, err = refused(good[:at] + bytes([good[at] ^ 1]) + good[at + 1:],
                              "does not match its SHA-256")
        assert "wangge.db" in err and not os.path.exists(target), err
        # cut short, before its SHA256SUMS
        refused(good[:good.index(b"keys/pii.key")], "cut short")
        # a member no backup holds, one climbing out of the directory, a link
        refused(tar_of(with_sums(members + [("../escape", b"x")])), "not a member of a wangge")
        assert not os.path.exists(os.path.join(work, "escape"))
        refused(tar_of(with_sums(members + [("photos/ab/" + "cd" * 32, PNG)])),
                "not a member of a wangge")
        photo = hashlib.sha256(PNG).hexdigest()
        refused(tar_of(with_sums(members + [(f"photos/{photo[:2]}/{photo}", PNG + b"!")])),
                "does not match its name")
        # SHA256SUMS that names a member the backup lacks, or lacks one it holds
        refused(tar_of(members + [("SHA256SUMS", b"0" * 64 + b"  calendar/x.json\n")]),
                "does not hold")
        refused(tar_of(with_sums(members[:2]) + [members[2]]), "after SHA256SUMS")
        refused(tar_of(with_sums(members[1:])), "not a wangge backup")
        refused(tar_of(with_sums([("BACKUP", b"wangge-backup 9\n")] + members[1:])),
                "format this wangge does not read")
        refused(tar_of(with_sums(members[:2])), "lacks keys/pii.key")
        refused(b"not a tar file at all" * 40, "not a ustar header")
        # the live data directory, or any directory that holds something, is never written
        before = sorted(os.listdir(data.dir))
        _, err = refused(good, "is not empty", target=data.dir)
        assert sorted(os.listdir(data.dir)) == before
        rc, _, err = run("restore", "--from", out, "--data", data.dir, "--store",
                         "sqlite:" + data.dir, check=False)
        assert rc == 2 and "takes no --store" in err, err
        # an empty directory made for it (by its owner, with its mode) is filled
        target = new_dir()
        os.mkdir(target, 0o750)
        _, stdout, _ = run("restore", "--from", out, "--data", target)
        assert os.path.exists(os.path.join(target, "wangge.db")), stdout
        assert oct(os.stat(os.path.join(target, "keys", "pii.key")).st_mode & 0o777) == "0o600"
        shutil.rmtree(target)
        # a backup repacked by GNU tar (directories listed) restores as well
        unpacked = os.path.join(work, "unpacked")
        os.mkdir(unpacked)
        with tarfile.open(out) as tar:
            # Debian 12's Python (3.11.2) predates extraction filters; the archive is the
            # test's own backup
            tar.extractall(unpacked, **({"filter": "data"} if hasattr(tarfile, "data_filter")
                                        else {}))
        repacked = os.path.join(work, "repacked.tar")
        names = ["BACKUP", "wangge.db", "keys", "SHA256SUMS"]
        subprocess.run(["tar", "-cf", repacked, "-C", unpacked, *names], check=True)
        target = new_dir()
        run("restore", "--from", repacked, "--data", target)
        shutil.rmtree(target)
    finally:
        data.close()
        shutil.rmtree(work, ignore_errors=True)


@postgresql_only("a PostgreSQL store is backed up with pg_basebackup, not wangge backup")
def test_backup_of_a_postgresql_store_is_refused():
    data = Data(grids=False)
    work = tempfile.mkdtemp(prefix="wangge-e2e-backup-")
    try:
        out = os.path.join(work, "b.tar")
        rc, _, err = run("backup", "--data", data.dir, "--out", out, check=False)
        assert rc == 2 and "pg_basebackup" in err and "docs/DEPLOY.md" in err, err
        assert "keys/" in err and not os.listdir(work), err
    finally:
        data.close()
        shutil.rmtree(work, ignore_errors=True)


def unit_lines(path):
    """The unit file's key=value lines, as (key, value) in order."""
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            out.append((key, value))
    return out


def test_systemd_unit_and_example_config():
    unit = os.path.join(ROOT, "dist", "wangge.service")
    conf = os.path.join(ROOT, "dist", "wangge.conf")
    keys = unit_lines(unit)
    values = dict(keys)
    argv = values["ExecStart"].split()
    assert argv[:2] == ["/opt/wangge/wangge", "serve"], argv
    assert values["ExecReload"] == "/bin/kill -HUP $MAINPID"
    for key, want in [("NoNewPrivileges", "yes"), ("PrivateTmp", "yes"),
                      ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                      ("CapabilityBoundingSet", ""), ("User", "wangge")]:
        assert values.get(key) == want, (key, values.get(key))
    assert set(values["ReadWritePaths"].split()) == {"/var/lib/wangge", "/var/log/wangge"}
    work = tempfile.mkdtemp(prefix="wangge-e2e-unit-")
    data = Data(grids=False)
    try:
        if shutil.which("systemd-analyze"):
            # the unit as installed, with this build's binary where /opt/wangge/wangge would be
            local = os.path.join(work, "wangge.service")
            with open(local, "w") as f:
                f.write(open(unit).read().replace("/opt/wangge/wangge", os.path.abspath(BIN)))
            p = subprocess.run(["systemd-analyze", "verify", local], capture_output=True,
                               text=True, timeout=60)
            assert p.returncode == 0 and "wangge.service:" not in p.stderr, p.stderr
            p = subprocess.run(["systemd-analyze", "security", "--offline=yes", local],
                               capture_output=True, text=True, timeout=60)
            level = re.search(r"Overall exposure level for wangge.service: ([0-9.]+)", p.stdout)
            if level:  # systemd 250 and later can judge a unit file alone
                assert float(level.group(1)) < 2.0, p.stdout[-3000:]
        # the example settings, with this test's directories, started as the unit starts it
        logs = os.path.join(work, "log")
        os.mkdir(logs)
        text = open(conf).read().replace("/var/lib/wangge", data.dir) \
            .replace("/var/log/wangge", logs).replace("127.0.0.1:8080", "127.0.0.1:0")
        assert text.count(data.dir) == 1 and logs in text, text
        local_conf = os.path.join(work, "wangge.conf")
        with open(local_conf, "w") as f:
            f.write(text)
        args = [a.replace("/etc/wangge/wangge.conf", local_conf) for a in argv[1:]]
        if data.url:  # on PostgreSQL, the test's database instead of the example's SQLite
            args += ["--store", data.url]
        proc = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            assert "listening on" in line, line + proc.stderr.read() if proc.poll() else line
            base = line.strip().split()[-1]
            with urllib.request.urlopen(base + "/healthz", timeout=10) as r:
                assert r.status == 200
            log = os.path.join(logs, "wangge.log")
            assert wait_for(lambda: "GET /healthz 200" in read(log)), read(log)
            os.rename(log, log + ".1")
            proc.send_signal(signal.SIGHUP)  # systemctl reload
            assert wait_for(lambda: os.path.exists(log) and "opened again" in read(log))
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=30)
        assert proc.returncode == 0
        rotate = open(os.path.join(ROOT, "dist", "wangge.logrotate")).read()
        assert "/var/log/wangge/*.log" in rotate and "systemctl reload wangge" in rotate
    finally:
        data.close()
        shutil.rmtree(work, ignore_errors=True)
