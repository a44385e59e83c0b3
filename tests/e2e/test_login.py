"""Logins under concurrency: failures counted and accounts locked exactly however many arrive
at once, a lock never lifted by a failure, the per-address limit exact, a burst of logins
that queues without stalling anyone else, and one answer for a wrong password, an unknown
name and a locked account. Each burst fires its requests together (one connection each, all
written at once), from a loopback address of its own (127.0.0.0/8 all reaches the server), so
that the bursts' failures do not count against each other's address."""
import http.client
import itertools
import json
import os
import socket
import statistics
import threading
import time
from urllib.parse import urlparse

from harness import ADMIN_PASSWORD, Data, Server, alone, real_argon2

BAD = "wrong username or password, or the account is locked for 15 minutes after 5 failed logins"


def conn(srv, source):
    u = urlparse(srv.base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=120,
                                   source_address=(source, 0))
    c.connect()
    return c


def login_on(c, username, password):
    """One login on an open connection: (status, body, seconds)."""
    t0 = time.monotonic()
    c.request("POST", "/api/v1/session", json.dumps({"username": username, "password": password}),
              {"Content-Type": "application/json"})
    r = c.getresponse()
    raw = r.read()
    return r.status, json.loads(raw) if raw else None, time.monotonic() - t0


def fire(srv, requests, source, token=None):
    """Each (method, path, body) of requests sent at once from address source: every
    connection is opened first, each by a thread of its own as separate clients open theirs
    (so the server's threads share them), then every request is written in one go (the
    server has them all within a millisecond), then the answers are read, in order."""
    u = urlparse(srv.base)
    socks = [None] * len(requests)

    def connect(i):
        socks[i] = socket.create_connection((u.hostname, u.port), timeout=120,
                                            source_address=(source, 0))
    try:
        threads = [threading.Thread(target=connect, args=(i,)) for i in range(len(requests))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        auth = b"Authorization: Bearer %s\r\n" % token.encode() if token else b""
        raws = []
        for method, path, obj in requests:
            body = json.dumps(obj).encode()
            raws.append(b"%s %s HTTP/1.1\r\nHost: x\r\n%sContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n%s"
                        % (method.encode(), path.encode(), auth, len(body), body))
        for sock, raw in zip(socks, raws):
            sock.sendall(raw)
        out = []
        for sock in socks:
            r = http.client.HTTPResponse(sock)
            r.begin()
            raw = r.read()
            out.append((r.status, json.loads(raw) if raw else None))
        return out
    finally:
        for sock in socks:
            if sock:
                sock.close()


def burst(srv, logins, source):
    """Each (username, password) of logins POSTed at once from address source (fire)."""
    return fire(srv, [("POST", "/api/v1/session", {"username": u, "password": p})
                      for u, p in logins], source)


def login_from(srv, source, username, password):
    c = conn(srv, source)
    try:
        return login_on(c, username, password)
    finally:
        c.close()


def account_state(data, username):
    """(failed, locked_until) as stored."""
    db = data.store()
    try:
        return tuple(db.execute("SELECT failed, locked_until FROM account WHERE username = ?",
                                (username,)).fetchone())
    finally:
        db.close()


def set_account_state(data, username, failed, locked_until):
    db = data.store()
    try:
        db.execute("UPDATE account SET failed = ?, locked_until = ? WHERE username = ?",
                   (failed, locked_until, username))
        db.commit()
    finally:
        db.close()


def test_concurrent_failures_lock_the_account():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            # four at once are four failures, not one
            burst(srv, [("admin", f"Wrong-pass-{i}") for i in range(4)], "127.0.0.2")
            counted, _ = account_state(data, "admin")
            set_account_state(data, "admin", 0, 0)
            answers = burst(srv, [("admin", f"Wrong-pass-{i}") for i in range(19)], "127.0.0.3")
            statuses = [s for s, _ in answers]
            failed, until = account_state(data, "admin")
            status, body, _ = login_from(srv, "127.0.0.4", "admin", ADMIN_PASSWORD)
            print(f"figure: 4 concurrent wrong passwords counted {counted}; 19 concurrent: "
                  f"{statuses.count(401)} answered 401, locked {until > time.time()} "
                  f"(failed {failed}), then the right password {status}")
            assert counted == 4, counted
            assert statuses == [401] * 19, statuses
            assert until > time.time() + 800, (failed, until)
            assert status == 401 and body["error"]["message"] == BAD, body
        finally:
            srv.stop()
    finally:
        data.close()


def test_a_failure_never_lifts_a_lock():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            unlocked = [0, 0]
            for r in range(5):
                # two failures short of the lock: of two at once the second locks; of twelve
                # at once the second locks and none of the ten after it lifts the lock
                for k, n in enumerate([2, 12] if r < 2 else [2]):
                    set_account_state(data, "admin", 3, 0)
                    burst(srv, [("admin", f"Wrong-pass-{i}") for i in range(n)],
                          f"127.0.{k + 1}.{r + 1}")
                    _, until = account_state(data, "admin")
                    unlocked[k] += until <= time.time()
            # a lock already there is neither lifted nor moved by failures (they are counted)
            until = int(time.time()) + 600
            set_account_state(data, "admin", 2, until)
            burst(srv, [("admin", f"Wrong-pass-{i}") for i in range(6)], "127.0.3.1")
            after = account_state(data, "admin")
            print(f"figure: 3 failures, then 2 at once: not locked after {unlocked[0]} of 5; "
                  f"3, then 12 at once: not locked after {unlocked[1]} of 2")
            assert unlocked == [0, 0], unlocked
            assert after == (8, until), after  # counted on, the lock as it was
        finally:
            srv.stop()
    finally:
        data.close()


def test_address_limit_is_exact_under_concurrency():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            answers = burst(srv, [("nobody", f"Wrong-pass-{i}") for i in range(64)], "127.0.4.1")
            statuses = [s for s, _ in answers]
            print(f"figure: 64 concurrent failures from one address: {statuses.count(401)} "
                  f"answered 401, {statuses.count(429)} answered 429")
            assert statuses.count(401) == 20 and statuses.count(429) == 44, statuses
            refused = next(b for s, b in answers if s == 429)
            assert "127.0.4.1" in refused["error"]["message"], refused
            # the limit is the address's: another one still gets its answer
            status, body, _ = login_from(srv, "127.0.4.2", "nobody", "Wrong-pass-x")
            assert status == 401, body
            status, body, _ = login_from(srv, "127.0.4.1", "admin", ADMIN_PASSWORD)
            assert status == 429, body
        finally:
            srv.stop()
    finally:
        data.close()


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def readers(srv, token, paths, stop, n=4, every=0.02):
    """n threads reading paths in turn, each on a schedule of one request per `every`
    seconds; a request's time runs from when it was due, so a stalled server is measured by
    every request it held up, not by one (no coordinated omission). Returns the list the
    (when due, seconds taken) go into and the threads."""
    times = []

    def reader(k):
        c = conn(srv, "127.0.0.1")
        due = time.monotonic() + k * every / n
        try:
            for i in itertools.count():
                if stop.is_set():
                    break
                time.sleep(max(0.0, due - time.monotonic()))
                path = paths[i % len(paths)]
                c.request("GET", path, headers={"Authorization": "Bearer " + token})
                r = c.getresponse()
                r.read()
                assert r.status == 200, (path, r.status)
                times.append((due, time.monotonic() - due))
                due += every
        finally:
            c.close()
    threads = [threading.Thread(target=reader, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    return times, threads


def reads_during(srv, token, paths, work):
    """The reads of paths (readers) for 3 s alone, then while work() runs: (work's result,
    seconds it took, p99 of the reads during it, p99 without it, p50 and max during it)."""
    stop = threading.Event()
    times, threads = readers(srv, token, paths, stop)
    time.sleep(3)  # the same reads without the work: what this machine answers anyway
    t0 = time.monotonic()
    result = work()
    took = time.monotonic() - t0
    stop.set()
    for t in threads:
        t.join()
    quiet = sorted(secs for due, secs in times if due < t0 - 0.2)
    during = sorted(secs for due, secs in times if t0 <= due <= t0 + took)
    return (result, took, during[int(len(during) * 0.99)], quiet[int(len(quiet) * 0.99)],
            statistics.median(during), during[-1], len(during))


def not_held_up(took, worst, n):
    """Reads went on while the hashing burst ran: they were answered all along, and none
    waited for the burst to end. Held up behind it (the hashing holding the store's
    connections), a read waits about as long as the burst itself; the check is of that
    order, not of a time, so that a machine busy with other work slows both alike. The
    times are figures for people; speed is the benchmarks' to measure."""
    assert n >= 10, n
    assert worst < took / 2, (worst, took)


def test_a_login_burst_queues_without_stalling_others():
    data = Data()
    try:
        # the sanitizer build keeps 256 MB of freed memory to catch its reuse: a little is
        # enough here, where the server's own memory is measured; passwords at the real cost
        # (the password set below is hashed by the server), whose memory is what is measured
        srv = Server(data, env=dict(real_argon2(), ASAN_OPTIONS=os.environ.get(
            "ASAN_OPTIONS", "") + ":quarantine_size_mb=16"))
        try:
            token = data.add_user(srv, "centre", "agent", "all", "Centre-pass-2026")
            status, order = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "help", "title": "路灯", "content": "路灯不亮",
                "lon": 118.303, "lat": 35.003}, token=token)
            assert status == 201, order
            # the store's connections are opened at the first burst that needs them all (on
            # PostgreSQL a server process each, tens of ms): once per server, not measured here
            burst(srv, [("centre", "Centre-pass-2026")] * 16, "127.0.0.1")
            rss_before = peak_rss_mb(srv.proc.pid)
            answers, took, p99, quiet_p99, p50, worst, n = reads_during(
                srv, token, ["/healthz", f"/api/v1/orders/{order['id']}"],
                lambda: burst(srv, [("centre", "Centre-pass-2026")] * 64, "127.0.0.1"))
            statuses = [s for s, _ in answers]
            rss = peak_rss_mb(srv.proc.pid)
            print(f"figure: 64 concurrent logins took {took:.2f} s "
                  f"({statuses.count(201)} 201); meanwhile {n} reads: p50 {p50 * 1000:.1f} ms, "
                  f"p99 {p99 * 1000:.1f} ms, max {worst * 1000:.1f} ms (without logins: p99 "
                  f"{quiet_p99 * 1000:.1f} ms); peak RSS {rss_before:.0f} -> {rss:.0f} MB")
            assert statuses == [201] * 64, statuses
            assert rss < 400, rss
            not_held_up(took, worst, n)
        finally:
            srv.stop()
    finally:
        data.close()


def test_password_changes_hold_no_store_connection():
    """Checking an old password and hashing a new one run on the password pool too: a burst of
    changes (here with a wrong old password, each one Argon2id check) holds none of the
    store's connections, and every other request is answered meanwhile."""
    data = Data()
    try:
        srv = Server(data, env=real_argon2())  # as above
        try:
            token = data.add_user(srv, "centre", "agent", "all", "Centre-pass-2026")
            burst(srv, [("centre", "Centre-pass-2026")] * 16, "127.0.0.1")  # as above
            changes = [("PUT", "/api/v1/me/password", {"old_password": f"Wrong-pass-{i}",
                                                       "new_password": "Other-pass-2026"})
                       for i in range(32)]
            answers, took, p99, quiet_p99, p50, worst, n = reads_during(
                srv, token, ["/healthz", "/api/v1/regions/371302001"],
                lambda: fire(srv, changes, "127.0.0.1", token))
            statuses = [s for s, _ in answers]
            print(f"figure: 32 concurrent password changes took {took:.2f} s; meanwhile {n} "
                  f"reads: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max "
                  f"{worst * 1000:.1f} ms (without them: p99 {quiet_p99 * 1000:.1f} ms)")
            assert statuses == [403] * 32, statuses
            not_held_up(took, worst, n)
        finally:
            srv.stop()
    finally:
        data.close()


@alone("its figures are the answers' times, which a neighbour's work would skew")
def test_locked_unknown_and_wrong_answer_alike():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            for i in range(5):
                status, body, _ = login_from(srv, "127.0.4.1", "admin", f"Wrong-pass-{i}")
                assert status == 401 and body["error"]["message"] == BAD, body
            kinds = {"locked, right password": ("admin", ADMIN_PASSWORD),
                     "locked, wrong password": ("admin", "Wrong-pass-9"),
                     "unknown name": ("ghost", "Wrong-pass-9")}
            # the kinds in turn, five rounds, so that whatever else the machine does falls
            # on each of them alike
            got = {kind: [] for kind in kinds}
            for _ in range(5):
                for n, (kind, (user, pw)) in enumerate(kinds.items()):
                    got[kind].append(login_from(srv, f"127.0.4.{n + 2}", user, pw))
            seen = {kind: ({(s, json.dumps(b, sort_keys=True)) for s, b, _ in answers},
                           statistics.median(t for _, _, t in answers))
                    for kind, answers in got.items()}
            for kind, (answers, median) in seen.items():
                print(f"figure: {kind}: {sorted(answers)} in {median * 1000:.0f} ms")
            assert len({a for answers, _ in seen.values() for a in answers}) == 1, seen
            medians = [m for _, m in seen.values()]
            assert max(medians) - min(medians) < max(0.03, 0.5 * max(medians)), medians
        finally:
            srv.stop()
    finally:
        data.close()


def test_the_right_password_after_the_lock_ends():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            for i in range(5):
                login_from(srv, "127.0.5.1", "admin", f"Wrong-pass-{i}")
            set_account_state(data, "admin", 0, int(time.time()) - 1)  # the 15 minutes are over
            status, body, _ = login_from(srv, "127.0.5.1", "admin", ADMIN_PASSWORD)
            assert status == 201, body
            failed, until = account_state(data, "admin")
            assert failed == 0 and until <= time.time(), (failed, until)
            # four failures, a success, four more: the count starts again at each success
            for round_ in range(2):
                for i in range(4):
                    login_from(srv, "127.0.5.2", "admin", f"Wrong-pass-{i}")
                assert account_state(data, "admin")[0] == 4
                status, body, _ = login_from(srv, "127.0.5.2", "admin", ADMIN_PASSWORD)
                assert status == 201, body
        finally:
            srv.stop()
    finally:
        data.close()

