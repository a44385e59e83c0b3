"""The crash test: concurrent creates, kill -9 in the middle, restart on the same data.

Every order answered 201 must be there after the restart, whole and as answered; no order
may be half-written (each has its first timeline event and its audit record; the text index,
made behind intake on SQLite, holds exactly the orders up to its mark, and the restarted server
makes the rest; PostgreSQL searches the orders themselves); numbers stay unique and gapless per county and day, because a number is taken in
the same transaction as the order (an order that never committed gave its number back); and
the audit chain still verifies. Orders that committed but whose answer the kill cut off are
allowed: they are whole too, the client just never heard of them."""
import http.client
import json
import re
import threading
import time

from harness import BACKEND, Data, Server, post_json, run

THREADS = 12
LOAD_SECONDS = 8.0     # at most; the kill comes much sooner
KILL_AFTER = 300       # answered orders, or
KILL_SECONDS = 2.5     # seconds of load, whichever comes first


def creator(base, token, n, answered, lock, stop):
    host, port = base.split("//")[1].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    i = 0
    end = time.time() + LOAD_SECONDS
    while not stop.is_set() and time.time() < end:
        i += 1
        body = {"channel": "hotline", "type": "complaint", "item": "06028",
                "title": f"噪声扰民 {n}-{i}", "content": f"楼下烧烤店半夜很吵（线程{n}第{i}次）",
                "address": "兰山区东关社区", "lon": 118.3005 + (i % 9) * 0.001,
                "lat": 35.0005 + (n % 2) * 0.01, "reporter": {"name": "张三", "phone": "13812345678"}}
        try:
            r, raw = post_json(conn, "/api/v1/orders", token, body)
        except (OSError, http.client.HTTPException):
            return  # the server is gone; whatever was in flight is unknown
        if r.status == 201:
            with lock:
                answered.append(json.loads(raw))
        else:
            with lock:
                answered.append({"unexpected": r.status, "body": raw.decode(errors="replace")})
    conn.close()


def test_kill_during_creates_loses_no_answered_order():
    data = Data()
    try:
        srv = Server(data, "--threads", "16", "--quiet")
        token = data.add_user(srv, "crash", "agent", "371302", "Crash-pass-2026")
        answered, lock, stop = [], threading.Lock(), threading.Event()
        threads = [threading.Thread(target=creator, args=(srv.base, token, n, answered, lock, stop))
                   for n in range(THREADS)]
        for t in threads:
            t.start()
        t0 = time.time()
        while time.time() - t0 < KILL_SECONDS:
            with lock:
                if len(answered) >= KILL_AFTER:
                    break
            time.sleep(0.01)
        srv.proc.kill()  # SIGKILL: no chance to finish anything
        srv.proc.wait()
        stop.set()
        for t in threads:
            t.join(timeout=15)
        srv.log.close()
        bad = [a for a in answered if "unexpected" in a]
        assert not bad, bad[:3]
        assert len(answered) >= 20, f"only {len(answered)} orders were answered before the kill"

        # SQLite's text index as the kill left it: exactly the orders up to its mark
        if BACKEND == "sqlite":
            db = data.store()
            try:
                mark = db.execute("SELECT upto FROM order_fts_mark").fetchone()[0]
                below = {r[0] for r in db.execute("SELECT id FROM work_order WHERE id <= ?",
                                                  (mark,))}
                indexed = {r[0] for r in db.execute("SELECT rowid FROM order_fts")}
                assert indexed == below, below ^ indexed
            finally:
                db.close()

        # the same data directory, a new server: every answered order is there, as answered
        srv = Server(data, "--quiet")
        try:
            token = srv.login("crash", "Crash-pass-2026")
            for a in answered:
                status, body = srv.json("GET", f"/api/v1/orders/{a['id']}", token=token)
                assert status == 200, (a["id"], status, body)
                assert body == a, (a, body)
        finally:
            code, log = srv.stop()
        assert code == 0, log

        db = data.store()
        try:
            orders = db.execute("SELECT id, number, grid FROM work_order ORDER BY id").fetchall()
            ids = {o[0] for o in orders}
            assert {a["id"] for a in answered} <= ids
            # none half-written: the first event, SQLite's text index entry (the restarted
            # server indexed what the kill left waiting) and the audit record
            first = {r[0] for r in db.execute(
                "SELECT order_id FROM order_event WHERE seq = 1 AND action = 'create'")}
            audited = [int(r[0]) for r in db.execute(
                "SELECT object_id FROM audit WHERE action = 'order.create' AND result = 'ok'")]
            assert first == ids, ids ^ first
            if BACKEND == "sqlite":
                indexed = {r[0] for r in db.execute("SELECT rowid FROM order_fts")}
                assert indexed == ids, ids ^ indexed
            assert sorted(audited) == sorted(ids), set(audited) ^ ids
            assert db.execute("SELECT COUNT(*) FROM order_event").fetchone()[0] == len(ids)
            assert all(o[2] for o in orders)  # every one was located to its grid
            # numbers: unique, and 1..N without a gap for each county and day, N the counter
            days = {}
            for _, number, _ in orders:
                m = re.fullmatch(r"(\d{6})-(\d{8})-(\d{6})", number)
                assert m, number
                days.setdefault((m[1], m[2]), []).append(int(m[3]))
            for (county, day), seqs in days.items():
                assert sorted(seqs) == list(range(1, len(seqs) + 1)), (county, day, sorted(seqs))
                last = db.execute("SELECT last FROM order_number WHERE county = ? AND day = ?",
                                  (county, day)).fetchone()
                assert last and last[0] == len(seqs), (county, day, last, len(seqs))
        finally:
            db.close()
        code, out, err = run("audit", "verify", "--data", data.dir, check=False)
        assert code == 0, out + err
        print(f"     {len(answered)} answered before the kill, {len(ids) - len(answered)} "
              f"committed but not answered, {len(ids)} in the store", flush=True)
    finally:
        data.close()
