"""The grid workers' visits and patrols (走访巡查): recorded in one's scope, each bad input a 400
naming the field with nothing stored, a phone's repeated upload recorded once, a finding made
an order in one step and linked both ways, the persons due a visit, patrols with their track,
checks, orders and a grid's coverage."""
import time

from harness import Data, Server, config

GRID = "371302001001001"       # 东关社区第1网格
OTHER_GRID = "371302001002001"  # 西关社区第1网格
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(birth, seq):
    body = "371302" + birth + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(srv, token, n, grid=GRID, **extra):
    body = {"id_number": resident_id("19500101", n), "name": "李大爷", "residence": "registered",
            "grid": grid}
    body.update(extra)
    status, out = srv.json("POST", "/api/v1/persons", body, token=token)
    assert status == 201, out
    return out["id"]


def setup(data, srv):
    gw = data.add_user(srv, "gw", "gridworker", GRID, "Grid-pass-2026")
    west = data.add_user(srv, "west", "gridworker", OTHER_GRID, "Grid-pass-2026")
    comm = data.add_user(srv, "comm", "community", "371302001", "Comm-pass-2026")
    return gw, west, comm


def visit(pid, **extra):
    v = {"subject": {"kind": "person", "id": pid}, "method": "door",
         "content": "入户了解生活情况", "findings": ""}
    v.update(extra)
    return v


def test_visits_checked_scoped_idempotent_and_made_orders():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west, comm = setup(data, srv)
            pid = person(srv, gw, 1, care=["alone"])
            wid = person(srv, west, 2, grid=OTHER_GRID)
            now = int(time.time())
            bad = [
                ({"subject": None}, "subject"),
                ({"subject": {"kind": "shop", "id": 1}}, "kind"),
                ({"subject": {"kind": "org", "id": 1}}, "subject"),
                ({"subject": {"kind": "person", "id": 0}}, "subject.id"),
                ({"subject": {"kind": "person", "id": 999}}, "subject"),
                ({"subject": {"kind": "person", "id": wid}}, "subject"),
                ({"method": "fax"}, "method"),
                ({"content": ""}, "content"),
                ({"content": "x" * 4001}, "content"),
                ({"visited_at": now + 86400}, "visited_at"),
                ({"visited_at": "today"}, "visited_at"),
                ({"lon": 118.3}, "lon"),
                ({"worker": "nobody"}, "worker"),
                ({"worker": "west"}, "worker"),
                ({"client_key": "x"}, "client_key"),
                ({"order": "yes"}, "order"),
                ({"order": True}, "findings"),
                ({"mood": "good"}, "mood"),
            ]
            for change, word in bad:
                status, body = srv.json("POST", "/api/v1/visits", visit(pid, **change), token=gw)
                assert status == 400 and word in body["error"]["message"], (change, status, body)
            assert data.count("visit") == 0 and data.count("work_order") == 0
            # recorded; a repeated upload under the same key is the same visit
            v = visit(pid, client_key="phone-0001-aaaa", lon=118.305, lat=35.005,
                      visited_at=now - 3600)
            status, first = srv.json("POST", "/api/v1/visits", v, token=gw)
            assert status == 201 and first["worker"] == "gw" and first["grid"] == GRID, first
            assert first["content"] == "入户了解生活情况" and first["order"] is None, first
            status, again = srv.json("POST", "/api/v1/visits", v, token=gw)
            assert status == 200 and again["id"] == first["id"], again
            assert data.count("visit") == 1
            # a community worker records one in a grid worker's name; a grid worker may not
            status, body = srv.json("POST", "/api/v1/visits", visit(pid, worker="gw",
                                                                    method="phone"), token=comm)
            assert status == 201 and body["worker"] == "gw" and body["created_by"] == "comm", body
            # read in scope, and nowhere else
            status, body = srv.get(f"/api/v1/visits?grid={GRID}&limit=1", token=gw)
            assert status == 200 and len(body["visits"]) == 1 and body["next_cursor"], body
            status, rest = srv.get(f"/api/v1/visits?grid={GRID}&cursor={body['next_cursor']}",
                                   token=gw)
            assert [x["id"] for x in body["visits"] + rest["visits"]] == [2, 1], rest
            status, body = srv.get(f"/api/v1/visits?subject_kind=person&subject_id={pid}"
                                   "&worker=gw&region=371302001", token=comm)
            assert status == 200 and len(body["visits"]) == 2, body
            for query, word in [("limit=0", "limit"), ("cursor=zz", "cursor"),
                                ("subject_kind=shop", "subject_kind"), ("from=x", "from")]:
                status, body = srv.get("/api/v1/visits?" + query, token=gw)
                assert status == 400 and word in body["error"]["message"], (query, body)
            for path in [f"/api/v1/visits/{first['id']}", f"/api/v1/visits?grid={GRID}"]:
                status, body = srv.get(path, token=west)
                assert status == 404, (path, body)
            status, body = srv.get("/api/v1/visits/abc", token=gw)
            assert status == 404, body
            # what was said: in clear to its worker and its recorder; others reveal it
            status, body = srv.get(f"/api/v1/visits/{first['id']}", token=comm)
            assert body["content"] is None and body["withheld"] is True, body
            path = f"/api/v1/visits/{first['id']}/reveal"
            for change, word in [({"field": "content"}, "reason"),
                                 ({"field": "mood", "reason": "核实走访情况"}, "field")]:
                status, body = srv.json("POST", path, change, token=comm)
                assert status == 400 and word in body["error"]["message"], (change, body)
            status, body = srv.json("POST", path, {"field": "content", "reason": "核实走访情况"},
                                    token=comm)
            assert status == 200 and body["value"] == "入户了解生活情况", body
            status, body = srv.json("POST", path, {"field": "content", "reason": "核实走访情况"},
                                    token=west)
            assert status == 404, body
            # a finding made an order in one step, linked both ways
            status, body = srv.json("POST", "/api/v1/visits", visit(
                pid, findings="楼道堆放杂物堵塞消防通道", order={"urgency": "normal"},
                lon=118.305, lat=35.005), token=gw)
            assert status == 201 and body["order"]["number"].startswith("371302-"), body
            status, order = srv.get(f"/api/v1/orders/{body['order']['id']}", token=gw)
            assert status == 200 and order["channel"] == "gridworker", order
            assert order["source"] == {"kind": "visit", "id": body["id"]}, order
            assert order["grid"] == GRID and order["title"] == "走访发现的问题", order
            # later, once: nothing found is nothing to report
            status, body = srv.json("POST", f"/api/v1/visits/{first['id']}/order", {}, token=gw)
            assert status == 400 and "content" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/visits", visit(pid, findings="独居老人家中燃气灶老化"),
                                    token=gw)
            vid = body["id"]
            orders = data.count("work_order")
            status, body = srv.json("POST", f"/api/v1/visits/{vid}/order", {"type": "fax"},
                                    token=gw)
            assert status == 400 and "type" in body["error"]["message"], body
            assert data.count("work_order") == orders
            status, body = srv.json("POST", f"/api/v1/visits/{vid}/order",
                                    {"title": "燃气灶老化隐患"}, token=gw)
            assert status == 201 and body["order"]["id"], body
            status, again = srv.json("POST", f"/api/v1/visits/{vid}/order", {}, token=gw)
            assert status == 409 and body["order"]["number"] in again["error"]["message"], again
            status, body = srv.json("POST", f"/api/v1/visits/{vid}/order", {}, token=west)
            assert status == 404, body
            assert data.count("work_order") == orders + 1
            # an organization is visited as people are
            from test_registry_orgs import org
            status, o = srv.json("POST", "/api/v1/orgs", org(1), token=gw)
            assert status == 201, o
            status, body = srv.json("POST", "/api/v1/visits", {
                "subject": {"kind": "org", "id": o["id"]}, "method": "door",
                "content": "检查燃气使用"}, token=gw)
            assert status == 201 and body["grid"] == GRID, body
            status, body = srv.get(f"/api/v1/visits?subject_kind=org&subject_id={o['id']}",
                                   token=gw)
            assert [v["subject"]["kind"] for v in body["visits"]] == ["org"], body
        finally:
            srv.stop()
    finally:
        data.close()


def test_visits_due_by_cadence():
    data = Data()
    try:
        path = config(data, visit_daily_regions="371302001001", visit_cadence="hardship=60",
                      patrol_checklist="学校周边,桥梁涵洞", patrol_track_days=30)
        srv = Server(data, "--config", path)
        try:
            gw, west, _ = setup(data, srv)
            alone = person(srv, gw, 1, care=["alone"])
            hard = person(srv, gw, 2, care=["hardship"])
            person(srv, gw, 3)  # in no group: never due
            west_alone = person(srv, west, 4, grid=OTHER_GRID, care=["alone"])
            status, body = srv.get(f"/api/v1/visits/due?grid={GRID}", token=gw)
            assert status == 200, body
            due = {d["person"]["id"]: d for d in body["due"]}
            assert set(due) == {alone, hard}, body
            assert due[alone]["cadence_days"] == 1 and due[alone]["group"] == "alone", due
            assert due[hard]["cadence_days"] == 60 and not due[hard]["overdue"], due
            assert due[alone]["person"]["name"] == "李*", due
            assert due[alone]["due_date"] > body["today"], due
            # east's daily visiting is east's choice: west visits its alone quarterly
            status, body = srv.get(f"/api/v1/visits/due?grid={OTHER_GRID}", token=west)
            assert [d["cadence_days"] for d in body["due"]] == [90], body
            assert body["due"][0]["person"]["id"] == west_alone
            # a visit moves the due date on from the visit's day
            status, body = srv.json("POST", "/api/v1/visits", visit(hard), token=gw)
            assert status == 201, body
            status, body = srv.get(f"/api/v1/visits/due?grid={GRID}&status=overdue", token=gw)
            assert status == 200 and body["due"] == [], body
            status, body = srv.get("/api/v1/visits/due?region=371302001", token=gw)
            assert status == 200 and {d["grid"] for d in body["due"]} == {GRID}, body  # narrowed
            status, body = srv.get(f"/api/v1/visits/due?grid={GRID}&limit=1", token=gw)
            assert len(body["due"]) == 1 and body["next_cursor"], body
            for query, word in [("status=late", "status"), ("limit=500", "limit"),
                                ("cursor=1", "cursor")]:
                status, body = srv.get(f"/api/v1/visits/due?grid={GRID}&{query}", token=gw)
                assert status == 400 and word in body["error"]["message"], (query, body)
            status, body = srv.get(f"/api/v1/visits/due?grid={GRID}", token=west)
            assert status == 404, body
            # the patrols' checklist and retention are the deployment's
            status, body = srv.get("/api/v1/patrols/checklist", token=gw)
            assert body == {"places": ["学校周边", "桥梁涵洞"], "track_days": 30}, body
        finally:
            srv.stop()
    finally:
        data.close()


def test_overdue_visits_soonest_first_with_totals_and_by_grid():
    data = Data()
    try:
        path = config(data, visit_cadence="hardship=60")
        srv = Server(data, "--config", path)
        try:
            gw, west, comm = setup(data, srv)
            now = int(time.time())
            a = person(srv, gw, 11, care=["hardship"])
            b = person(srv, gw, 12, care=["hardship"])
            c = person(srv, west, 13, grid=OTHER_GRID, care=["hardship"])
            person(srv, gw, 14, care=["hardship"])  # recorded today: due in 60 days
            for pid, days, token in [(a, 80, gw), (b, 70, gw), (c, 90, west)]:
                status, body = srv.json("POST", "/api/v1/visits",
                                        visit(pid, visited_at=now - days * 86400), token=token)
                assert status == 201, body
            # the longest overdue first, counted
            status, body = srv.get("/api/v1/visits/due?region=371302001&status=overdue",
                                   token=comm)
            assert status == 200, body
            assert [d["person"]["id"] for d in body["due"]] == [c, a, b], body
            assert body["total"] == 3 and body["total_exact"] is True, body
            assert all(d["overdue"] and d["overdue_days"] > 0 for d in body["due"]), body
            status, page = srv.get("/api/v1/visits/due?region=371302001&status=overdue&limit=2",
                                   token=comm)
            assert [d["person"]["id"] for d in page["due"]] == [c, a], page
            cursor = page["next_cursor"]
            status, page = srv.get(f"/api/v1/visits/due?region=371302001&status=overdue&limit=2"
                                   f"&cursor={cursor}", token=comm)
            assert [d["person"]["id"] for d in page["due"]] == [b], page
            assert page["next_cursor"] is None, page
            status, body = srv.get("/api/v1/visits/due?region=371302001&status=due", token=comm)
            assert body["total"] == 3, body
            # by grid for the map; a grid worker sees their own grid's
            status, body = srv.get("/api/v1/visits/due/grids?region=371302001", token=comm)
            assert status == 200, body
            assert body["grids"] == [{"grid": GRID, "overdue": 2},
                                     {"grid": OTHER_GRID, "overdue": 1}], body
            assert body["total"] == 3 and body["total_exact"] is True, body
            status, body = srv.get("/api/v1/visits/due/grids?region=371302001", token=gw)
            assert body["grids"] == [{"grid": GRID, "overdue": 2}], body
            # a visit today takes a person off at once
            status, body = srv.json("POST", "/api/v1/visits", visit(a), token=gw)
            assert status == 201, body
            status, body = srv.get("/api/v1/visits/due?region=371302001&status=overdue",
                                   token=comm)
            assert [d["person"]["id"] for d in body["due"]] == [c, b], body
            status, body = srv.get("/api/v1/visits/due/grids?region=371302001", token=comm)
            assert body["total"] == 2, body
            # and after the minute's sweep has worked it out, the same
            time.sleep(1.5)
            status, body = srv.get("/api/v1/visits/due?region=371302001&status=overdue",
                                   token=comm)
            assert [d["person"]["id"] for d in body["due"]] == [c, b], body
            for query, word in [("grid=37x", "grid"), ("grid=371302002001001", "outside")]:
                status, body = srv.get(f"/api/v1/visits/due/grids?{query}", token=gw)
                assert status in (400, 404) and word in body["error"]["message"], (query, body)
            status, body = srv.get(f"/api/v1/visits/due?grid={GRID}&status=overdue&cursor=1.2",
                                   token=gw)
            assert status == 400 and "cursor" in body["error"]["message"], body
        finally:
            srv.stop()
    finally:
        data.close()


def test_visit_settings_refused_when_wrong():
    data = Data()
    try:
        for key, value, word in [("visit_cadence", "rich=7", "rich"),
                                 ("visit_cadence", "alone=400", "alone"),
                                 ("visit_daily_regions", "37a", "37a"),
                                 ("patrol_track_days", "0", "patrol_track_days")]:
            path = config(data, **{key: value})
            from harness import run
            rc, out, errtext = run("serve", "--data", data.dir, "--config", path, check=False)
            assert rc != 0 and word in errtext, (key, value, errtext)
    finally:
        data.close()


def test_patrols_track_checks_orders_and_coverage():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west, comm = setup(data, srv)
            status, checklist = srv.get("/api/v1/patrols/checklist", token=gw)
            assert status == 200 and "学校周边" in checklist["places"], checklist
            assert checklist["track_days"] == 180
            for body, word in [({"grid": OTHER_GRID}, "grid"), ({"grid": "37x"}, "grid"),
                               ({"started_at": "now"}, "started_at"), ({"speed": 1}, "speed")]:
                status, out = srv.json("POST", "/api/v1/patrols", body, token=gw)
                assert status == 400 and word in out["error"]["message"], (body, out)
            assert data.count("patrol") == 0
            start = int(time.time()) - 600
            status, p = srv.json("POST", "/api/v1/patrols",
                                 {"client_key": "patrol-key-1", "started_at": start}, token=gw)
            assert status == 201 and p["grid"] == GRID and p["stopped_at"] is None, p
            status, again = srv.json("POST", "/api/v1/patrols", {"client_key": "patrol-key-1"},
                                     token=gw)
            assert status == 200 and again["id"] == p["id"], again
            pts = [[118.3050, 35.0050, start + 60], [118.3060, 35.0050, start + 120],
                   [118.3060, 35.0060, start + 180]]
            path = f"/api/v1/patrols/{p['id']}/points"
            for body, word in [({"points": pts}, "batch"), ({"batch": "b1", "points": []}, "points"),
                               ({"batch": "b1", "points": [[200, 35, start + 60]]}, "points"),
                               ({"batch": "b1", "points": [[118.3, 35, start - 3600]]}, "points")]:
                status, out = srv.json("POST", path, body, token=gw)
                assert status == 400 and word in out["error"]["message"], (body, out)
            status, out = srv.json("POST", path, {"batch": "b1", "points": pts}, token=comm)
            assert status == 403, out
            status, out = srv.json("POST", path, {"batch": "b1", "points": pts}, token=gw)
            assert status == 200 and out["added"] and out["points"] == 3, out
            assert 180 < out["distance_m"] < 260, out  # about 91 m east, 111 m north
            status, out = srv.json("POST", path, {"batch": "b1", "points": pts}, token=gw)
            assert status == 200 and not out["added"] and out["points"] == 3, out
            status, out = srv.json("POST", path, {"batch": "b2", "points": [[118.3060, 35.0070,
                                                                           start + 240]]},
                                   token=gw)
            assert out["points"] == 4 and out["distance_m"] > 290, out
            status, out = srv.json("POST", path, {"batch": "b3", "points": pts}, token=west)
            assert status == 404, out
            # a finding on the way: an order in one step, linked both ways
            status, out = srv.json("POST", f"/api/v1/patrols/{p['id']}/order",
                                   {"content": "路灯不亮", "lon": 118.306, "lat": 35.006}, token=gw)
            assert status == 201 and out["order"]["number"], out
            status, order = srv.get(f"/api/v1/orders/{out['order']['id']}", token=gw)
            assert order["source"] == {"kind": "patrol", "id": p["id"]}, order
            assert order["channel"] == "gridworker" and order["title"] == "巡查发现的问题", order
            status, out = srv.json("POST", f"/api/v1/patrols/{p['id']}/order",
                                   {"content": "x", "urgency": "soon"}, token=gw)
            assert status == 400 and "urgency" in out["error"]["message"], out
            # stopped once, with the places checked against the checklist
            stop = f"/api/v1/patrols/{p['id']}/stop"
            for body, word in [({"checks": [{"place": "月球", "ok": True}]}, "place"),
                               ({"checks": "all"}, "checks"),
                               ({"checks": [{"place": "学校周边", "ok": "yes"}]}, "ok"),
                               ({"stopped_at": start - 10}, "stopped_at")]:
                status, out = srv.json("POST", stop, body, token=gw)
                assert status == 400 and word in out["error"]["message"], (body, out)
            status, out = srv.json("POST", stop, {"checks": [
                {"place": "学校周边", "ok": True}, {"place": "消防通道", "ok": False,
                                                 "note": "3号楼通道堆物"}]}, token=gw)
            assert status == 200 and out["stopped_at"] and len(out["checks"]) == 2, out
            status, out = srv.json("POST", stop, {}, token=gw)
            assert status == 409, out
            status, out = srv.json("POST", path, {"batch": "b9", "points": pts}, token=gw)
            assert status == 409, out
            status, out = srv.get(f"/api/v1/patrols/{p['id']}", token=comm)
            assert status == 200 and len(out["track"]) == 4 and len(out["orders"]) == 1, out
            assert out["checks"][1]["note"] == "3号楼通道堆物", out
            status, out = srv.get(f"/api/v1/patrols/{p['id']}", token=west)
            assert status == 404, out
            status, out = srv.get(f"/api/v1/patrols?grid={GRID}", token=gw)
            assert [x["id"] for x in out["patrols"]] == [p["id"]], out
            assert "track" not in out["patrols"][0], out
            # coverage: households visited (themselves or through a member) / in the grid
            ids = [person(srv, gw, n) for n in (1, 2, 3)]
            for n, head in enumerate(ids[:2]):
                status, out = srv.json("POST", "/api/v1/households", {
                    "number": f"H-{n}", "grid": GRID, "address": "东关街道1号", "head": head},
                    token=gw)
                assert status == 201, out
            status, out = srv.json("POST", "/api/v1/visits", visit(ids[0]), token=gw)
            assert status == 201, out
            month = time.strftime("%Y-%m", time.gmtime(time.time() + 8 * 3600))
            status, cov = srv.get(f"/api/v1/patrols/coverage?grid={GRID}&month={month}",
                                  token=gw)
            assert status == 200 and cov["households"] == 2, cov
            assert cov["households_visited"] == 1 and cov["coverage"] == 0.5, cov
            assert cov["patrols"] == 1 and cov["visits"] == 1, cov
            for query, word in [(f"grid={GRID}&month=2026-13", "month"), ("month=2026-01", "grid")]:
                status, out = srv.get("/api/v1/patrols/coverage?" + query, token=gw)
                assert status == 400 and word in out["error"]["message"], (query, out)
            status, out = srv.get(f"/api/v1/patrols/coverage?grid={GRID}&month={month}",
                                  token=west)
            assert status == 404, out
        finally:
            srv.stop()
    finally:
        data.close()
