"""Dispute screening (矛盾纠纷排查): the server's sweep makes each level's task of the period on
the working calendar, once, however often it runs and however many servers share the store;
each level's staff read and record their tasks' results in their scope (nothing found is a
result; a correction is taken and audited), every bad body refused naming its field with
nothing stored; a task left past due reminds its level's staff once through the outbox."""
import json
import time

from harness import BACKEND, Data, Server, config, run

GRID = "371302001001001"       # 东关社区第1网格
VILLAGE = "371302001001"       # 东关社区
OTHER_VILLAGE = "371302002001"  # 南坛村
PASSWORD = "Screen-pass-2026"


def wait_tasks(srv, token, level="grid"):
    """The tasks of a level once the server's first sweep has made them."""
    deadline = time.time() + 30
    while True:
        status, body = srv.get(f"/api/v1/screenings?level={level}&limit=200", token=token)
        assert status == 200, body
        if body["screenings"]:
            return body["screenings"]
        assert time.time() < deadline, body
        time.sleep(0.2)


def result(srv, token, task, body, version=None, expect=200):
    headers = {} if version is False else {"If-Match": f'"{version or task["version"]}"'}
    status, _, raw = srv.request("POST", f"/api/v1/screenings/{task['id']}/result", body,
                                 headers=headers, token=token)
    answer = json.loads(raw)
    assert status == expect, (body, status, answer)
    return answer


def new_case(srv, token, grid):
    status, c = srv.json("POST", "/api/v1/disputes", {
        "source": "screening", "type": "neighbours", "risk": "yellow",
        "description": "排查发现：楼上漏水渗到楼下", "grid": grid,
        "parties": [{"role": "applicant", "name": "王秀英"},
                    {"role": "respondent", "name": "李建国"}]}, token=token)
    assert status == 201, c
    return c


def test_screenings_made_read_and_recorded_in_scope():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", VILLAGE, PASSWORD)
            south = data.add_user(srv, "south", "gridworker", OTHER_VILLAGE, PASSWORD)
            leader = data.add_user(srv, "boss", "leader", "371302", PASSWORD)
            town = data.add_user(srv, "town", "supervisor", "371302001", PASSWORD)
            mine = wait_tasks(srv, gw)
            # a grid worker of the village sees its grids' tasks, and the village's own
            assert all(t["region"].startswith(VILLAGE) for t in mine), mine
            assert GRID in {t["region"] for t in mine}, mine
            levels = {t["level"] for t in wait_tasks(srv, town, level="")}
            assert levels == {"town", "village", "grid"}, levels
            status, page = srv.get("/api/v1/screenings?level=county", token=leader)
            assert status == 200 and len(page["screenings"]) == 1, page
            county = page["screenings"][0]
            assert county["region"] == "371302" and county["period_start"].endswith("-01"), county
            task = next(t for t in mine if t["region"] == GRID)
            assert task["state"] == "open" and task["found"] == 0, task
            status, _, raw = srv.request("GET", f"/api/v1/screenings/{task['id']}", token=gw)
            got = json.loads(raw)
            assert status == 200 and got["region_name"] and got["disputes"] == [], got
            assert got["note"] == "" and got["done_by"] is None, got
            # outside one's scope a task is not there
            status, body = srv.get(f"/api/v1/screenings/{task['id']}", token=south)
            assert status == 404, body
            status, body = srv.get(f"/api/v1/screenings?region={VILLAGE}", token=south)
            assert status == 404, body
            result(srv, south, task, {"found": 0}, expect=404)
            # every bad body refused naming its field, nothing stored
            case = new_case(srv, gw, GRID)
            for body, word in [({}, "'found'"), ({"found": 1001}, "'found'"),
                               ({"found": 0, "note": "x" * 1001}, "'note'"),
                               ({"found": 0, "disputes": [case["id"]]}, "'disputes'"),
                               ({"found": 1, "disputes": [999999]}, "'disputes[0]'"),
                               ({"found": 1, "nmae": 1}, "'nmae'")]:
                e = result(srv, gw, task, body, expect=400)
                assert word in e["error"]["message"], (body, e)
            result(srv, gw, task, {"found": 0}, version=False, expect=400)
            result(srv, leader, task, {"found": 0}, expect=403)
            status, same = srv.get(f"/api/v1/screenings/{task['id']}", token=gw)
            assert same["version"] == task["version"] and same["state"] == "open", same
            # nothing found is a result; a stale version is refused; a correction is taken
            done = result(srv, gw, task, {"found": 0, "note": "本周走访未发现矛盾纠纷"})
            assert done["state"] == "done" and done["done_by"] == "gw", done
            assert done["version"] == task["version"] + 1, done
            result(srv, gw, task, {"found": 0}, expect=412)
            fixed = result(srv, gw, done, {"found": 1, "note": "王秀英家漏水纠纷",
                                           "disputes": [case["id"]]})
            assert fixed["found"] == 1 and fixed["note"] == "王秀英家漏水纠纷", fixed
            assert fixed["disputes"] == [{"id": case["id"], "number": case["number"]}], fixed
            # the figures count the screening once, the correction being the same screening
            status, figures = srv.get("/api/v1/stats/disputes?region=371302001", token=town)
            assert status == 200 and figures["totals"]["screened"] == 1, figures
            status, page = srv.get("/api/v1/screenings?state=done", token=gw)
            assert [t["id"] for t in page["screenings"]] == [task["id"]], page
            assert "note" not in page["screenings"][0], page
            status, page = srv.get("/api/v1/screenings?state=overdue", token=gw)
            assert status == 200 and page["screenings"] == [], page
            for query, word in [("state=late", "state"), ("level=city", "level"),
                                ("from=2026-02-30", "from"), ("limit=0", "limit"),
                                ("cursor=x", "cursor")]:
                status, e = srv.get(f"/api/v1/screenings?{query}", token=gw)
                assert status == 400 and word in e["error"]["message"], (query, e)
            # in pages, by due date then region
            status, page = srv.get("/api/v1/screenings?limit=1", token=town)
            assert len(page["screenings"]) == 1 and page["next_cursor"], page
            status, rest = srv.get(f"/api/v1/screenings?limit=200&cursor={page['next_cursor']}",
                                   token=town)
            first = page["screenings"][0]
            assert first["id"] not in {t["id"] for t in rest["screenings"]}, rest
            keys = [(t["due_at"], t["region"]) for t in rest["screenings"]]
            assert keys == sorted(keys) and (first["due_at"], first["region"]) <= keys[0], keys
        finally:
            srv.stop()
        # the note is sealed at rest; every result, refusals too, is on the audit log
        db = data.store()
        try:
            notes = [r[0] for r in db.execute("SELECT note FROM screening WHERE note <> ''")]
            audit = db.execute("SELECT result, detail FROM audit WHERE action = "
                               "'screening.result' ORDER BY seq").fetchall()
        finally:
            db.close()
        assert len(notes) == 1 and "王秀英" not in notes[0], notes
        assert [d for r, d in audit if r == "ok"] == ["recorded found=0", "corrected found=1"], audit
        assert len(audit) >= 10 and all("王秀英" not in (d or "") for _, d in audit), audit
    finally:
        data.close()


def servers(data):
    """One server, or on PostgreSQL two started at once sharing the store."""
    return [Server(data) for _ in range(2 if BACKEND == "postgresql" else 1)]


def test_screenings_made_once_and_overdue_reminded_once():
    data = Data()
    try:
        started = servers(data)
        try:
            srv = started[0]
            gw = data.add_user(srv, "gw", "gridworker", VILLAGE, PASSWORD)
            data.add_user(srv, "cs", "community", VILLAGE, PASSWORD)
            wait_tasks(srv, gw)
        finally:
            for s in started:
                s.stop()
        # a task for every region of each level and every grid, made once between the servers
        made = data.count("screening")
        db = data.store()
        try:
            regions = db.execute("SELECT COUNT(*) FROM region WHERE level IN ('county', 'town', "
                                 "'village')").fetchone()[0]
            grids = db.execute("SELECT COUNT(*) FROM grid WHERE valid_to IS NULL AND kind <> "
                               "'micro'").fetchone()[0]
        finally:
            db.close()
        assert made == regions + grids, (made, regions, grids)
        db = data.store()
        db.execute("UPDATE screening SET due_at = ? WHERE region IN (?, ?)",
                   (int(time.time()) - 3600, GRID, VILLAGE))
        db.commit()
        db.close()
        # each server sweeps about a second after it starts: the tasks are there already, the
        # two past due remind their staff once, however often the servers sweep
        for _ in range(2):
            started = servers(data)
            try:
                deadline = time.time() + 30
                while True:
                    db = data.store()
                    reminded = db.execute("SELECT COUNT(*) FROM screening WHERE reminded_at > 0"
                                          ).fetchone()[0]
                    db.close()
                    if reminded == 2:
                        break
                    assert time.time() < deadline, reminded
                    time.sleep(0.2)
                time.sleep(1.5)
            finally:
                for s in started:
                    s.stop()
        assert data.count("screening") == made
        db = data.store()
        try:
            rows = db.execute("SELECT recipient, payload FROM outbox WHERE kind = "
                              "'screening_overdue' ORDER BY recipient").fetchall()
        finally:
            db.close()
        assert [r[0] for r in rows] == ["cs", "gw"], rows
        village = json.loads(rows[0][1])
        assert village["level"] == "village" and village["region"] == VILLAGE, village
        assert json.loads(rows[1][1])["region"] == GRID, rows
    finally:
        data.close()


def test_screening_cadence_setting():
    data = Data()
    try:
        for value, word in [("county=daily", "daily"), ("city=weekly", "city")]:
            path = config(data, screening_cadence=value)
            rc, out, errtext = run("serve", "--data", data.dir, "--config", path, check=False)
            assert rc != 0 and "screening_cadence" in errtext and word in errtext, errtext
        path = config(data, screening_cadence="county=off,town=off,village=off,grid=monthly")
        srv = Server(data, "--config", path)
        try:
            leader = data.add_user(srv, "boss", "leader", "371302", PASSWORD)
            tasks = wait_tasks(srv, leader)
            assert all(t["period_start"].endswith("-01") for t in tasks), tasks
            status, page = srv.get("/api/v1/screenings?level=town", token=leader)
            assert status == 200 and page["screenings"] == [], page
        finally:
            srv.stop()
        assert data.count("screening") == len(tasks)
    finally:
        data.close()
