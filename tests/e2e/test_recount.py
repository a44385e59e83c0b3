"""`wangge stats recount`: a store whose contact counters read 0, as on a store counted before
migration 26, shows 响应率 with no denominator; the recount (a dry run first, which writes
nothing) puts back every figure the server answered before, a second run changes nothing, and
bad arguments are refused before anything is read."""
import datetime
import time

from harness import Data, Server, run

PASSWORD = "Recount-pass-2026"
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def day(offset=0):
    return (datetime.datetime.now(CHINA).date() + datetime.timedelta(days=offset)).isoformat()


def summary(srv, token):
    status, body = srv.json("GET", "/api/v1/stats/summary?scope=region:371302"
                            f"&from={day(-59)}&to={day()}", token=token)
    assert status == 200, body
    return body["indicators"]


def wait_folded(data):
    """Until the server's sweep has folded the whole change log into the roll-up rows."""
    deadline = time.time() + 30
    while True:
        db = data.store()
        pos = db.execute("SELECT seq FROM stat_roll_pos").fetchone()[0]
        last = db.execute("SELECT MAX(seq) FROM stat_log").fetchone()[0]
        db.close()
        if pos == last:
            return
        assert time.time() < deadline, (pos, last)
        time.sleep(0.5)


def sql(data, *statements):
    db = data.store()
    try:
        for s in statements:
            db.execute(s)
        db.commit()
    finally:
        db.close()


def test_recount_mends_a_store_counted_before_the_contact_counters():
    data = Data(grids=False, npm=True)
    try:
        data.generate_district()
        run("orders", "generate", "--data", data.dir, "--county", "371302", "--days", "60",
            "--orders", "600")
        srv = Server(data)
        try:
            leader = data.add_user(srv, "ld", "leader", "371302", PASSWORD)
            before = summary(srv, leader)
            wait_folded(data)
        finally:
            srv.stop()
        assert before["response_rate"]["denominator"] > 0, before["response_rate"]
        # as an older release left them: no contact counts in the cells nor the roll-ups
        sql(data, "UPDATE stat_cell SET contact_due = 0, contacted_on_time = 0",
            "UPDATE stat_roll SET contact_due = 0, contacted_on_time = 0")
        srv = Server(data)
        try:
            leader = srv.login("ld", PASSWORD)
            assert summary(srv, leader)["response_rate"]["denominator"] == 0
        finally:
            srv.stop()
        cells = data.count("stat_cell")

        # a dry run: what differs, nothing written
        _, out, _ = run("stats", "recount", "--data", data.dir, "--dry-run")
        assert "contact_due 0 -> " in out and "a dry run: nothing written" in out, out
        assert "contact_due        differed in" in out, out
        db = data.store()
        assert db.execute("SELECT SUM(contact_due) FROM stat_cell").fetchone()[0] == 0
        db.close()

        _, out, _ = run("stats", "recount", "--data", data.dir)
        differed = int(out.split(" differed")[0].rsplit(" ", 1)[1])
        assert differed > 0 and f"{differed} corrected" in out, out
        assert data.count("stat_cell") == cells
        db = data.store()
        audit = db.execute("SELECT detail FROM audit WHERE action = 'stats.recount'").fetchall()
        db.close()
        assert len(audit) == 1 and f"{differed} corrected" in audit[0][0], audit

        # twice is once
        _, out, _ = run("stats", "recount", "--data", data.dir)
        assert "; 0 differed, 0 corrected; 0 roll-up rows corrected" in out, out

        srv = Server(data)
        try:
            leader = srv.login("ld", PASSWORD)
            after = summary(srv, leader)
        finally:
            srv.stop()
        assert after == before, {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    finally:
        data.close()


def test_recount_refuses_bad_arguments():
    data = Data(grids=False)
    try:
        for args, word in [(["--from", "2026-13-01"], "--from '2026-13-01'"),
                           (["--to", "yesterday"], "--to 'yesterday'"),
                           (["--from", "2026-05-02", "--to", "2026-05-01"], "--from is after --to"),
                           (["--days", "3"], "usage: wangge stats recount")]:
            code, out, err = run("stats", "recount", "--data", data.dir, *args, check=False)
            assert code == 2 and word in err, (args, code, err)
            assert "recounting" not in out
        code, _, err = run("stats", "rebuild", "--data", data.dir, check=False)
        assert code == 2 and "usage: wangge stats recount" in err, err
        # a period of a store with no orders: nothing to change
        _, out, _ = run("stats", "recount", "--data", data.dir, "--from", "2026-01-01",
                        "--to", "2026-01-31")
        assert "0 orders and 0 events replayed" in out and "0 differed" in out, out
    finally:
        data.close()
