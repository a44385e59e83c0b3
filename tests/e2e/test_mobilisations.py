"""Mobilisation: a task broadcast to every stairwell and volunteer team of a scope, the
recipients fixed when it is made (a team made after is not called), the grid workers told
through the outbox; each team acknowledged and reported done by its own grid staff, once;
the progress (acknowledged, done, outstanding); every bad body refused naming its field with
nothing stored; a grid worker elsewhere may read the district's call but not report for
another grid's team."""
import time

from harness import Data, Server

GRID = "371302001001001"        # 东关社区第1网格
COMMUNITY = "371302001001"      # 东关社区
OTHER_GRID = "371302001002001"  # 西关社区第1网格
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
PASSWORD = "Mobilise-pass-2026"


def resident_id(seq):
    body = "37130219720101" + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(srv, token, n, grid=GRID):
    status, out = srv.json("POST", "/api/v1/persons", {
        "id_number": resident_id(n), "name": "居民", "residence": "registered", "grid": grid},
        token=token)
    assert status == 201, out
    return out["id"]


def stair_team(srv, token, code, grid, lon, n):
    status, b = srv.json("POST", "/api/v1/buildings", {
        "code": code, "name": code + "号楼", "address": "兰山区兰山街道" + code, "floors": 6,
        "use": "residential", "lon": lon, "lat": 35.005}, token=token)
    assert status == 201, b
    status, h = srv.json("POST", f"/api/v1/buildings/{code}/houses",
                         {"unit": "1", "floor": 1, "room": "101", "use": "owner_occupied"},
                         token=token)
    assert status == 201, h
    ids = [person(srv, token, n + i, grid) for i in range(3)]
    status, t = srv.json("POST", "/api/v1/stairwell-teams", {
        "building": code, "unit": "1", "head": {"person": ids[0]}, "info": {"person": ids[1]},
        "guard": {"person": ids[2]}}, token=token)
    assert status == 201, t
    return t["id"]


def deadline(days):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + days * 86400))


def test_mobilisation_broadcast_acknowledged_and_done():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", GRID, PASSWORD)
            west = data.add_user(srv, "west", "gridworker", OTHER_GRID, PASSWORD)
            sup = data.add_user(srv, "sup", "supervisor", "371302001", PASSWORD)
            leader = data.add_user(srv, "leader", "leader", "371302", PASSWORD)
            east = stair_team(srv, gw, "E1", GRID, 118.305, 1)
            status, vt = srv.json("POST", "/api/v1/volunteer-teams", {
                "name": "东关平安巡防队", "place": COMMUNITY, "kind": "patrol"}, token=sup)
            assert status == 201, vt
            patrol = vt["id"]
            good = {"title": "寒潮防御动员", "content": "今晚起寒潮降温，请各楼道排查独居老人取暖情况",
                    "deadline": deadline(3), "scope": "371302001",
                    "kinds": ["stairwell", "volunteer"]}
            bad = [({"title": ""}, "'title'"), ({"deadline": "2020-01-01"}, "'deadline'"),
                   ({"deadline": None}, "'deadline'"), ({"scope": "371302002"}, "'scope'"),
                   ({"kinds": []}, "'kinds'"), ({"kinds": ["army"]}, "'kinds[0]'"),
                   ({"scope": "371302001002"}, "'scope'"), ({"x": 1}, "'x'")]
            for change, word in bad:
                status, e = srv.json("POST", "/api/v1/mobilisations", dict(good, **change),
                                     token=sup)
                assert status == 400 and word in e["error"]["message"], (change, e)
            assert data.count("mobilisation") == 0 and data.count("mobilisation_team") == 0
            status, _ = srv.json("POST", "/api/v1/mobilisations", good, token=leader)
            assert status == 403
            before = data.count("outbox")
            status, m = srv.json("POST", "/api/v1/mobilisations", good, token=sup)
            assert status == 201, m
            mid = m["id"]
            assert m["progress"] == {"teams": 2, "acknowledged": 0, "done": 0, "outstanding": 2,
                                     "overdue": 0}, m
            assert {(t["kind"], t["team"]) for t in m["teams"]} == {("stairwell", east),
                                                                    ("volunteer", patrol)}, m
            told = data.store().execute(
                "SELECT recipient, kind FROM outbox WHERE kind = 'mobilisation'").fetchall()
            assert data.count("outbox") > before and ("gw", "mobilisation") in [
                tuple(r) for r in told], told
            # a team made after is not called
            stair_team(srv, gw, "E2", GRID, 118.306, 20)
            status, m = srv.get(f"/api/v1/mobilisations/{mid}", token=gw)
            assert status == 200 and m["progress"]["teams"] == 2, m
            # reports: the team's own grid staff, once each
            ack = {"kind": "stairwell", "team": east, "step": "ack"}
            for change, word in [({"step": "maybe"}, "'step'"), ({"kind": "army"}, "'kind'"),
                                 ({"team": 999}, "'team'"), ({"note": "x" * 501}, "'note'")]:
                status, e = srv.json("POST", f"/api/v1/mobilisations/{mid}/reports",
                                     dict(ack, **change), token=gw)
                assert status == 400 and word in e["error"]["message"], (change, e)
            status, e = srv.json("POST", f"/api/v1/mobilisations/{mid}/reports", ack, token=west)
            assert status == 403, e
            status, m = srv.json("POST", f"/api/v1/mobilisations/{mid}/reports", ack, token=gw)
            assert status == 200 and m["progress"]["acknowledged"] == 1, m
            status, e = srv.json("POST", f"/api/v1/mobilisations/{mid}/reports", ack, token=gw)
            assert status == 409, e
            status, m = srv.json("POST", f"/api/v1/mobilisations/{mid}/reports",
                                 {"kind": "volunteer", "team": patrol, "step": "done",
                                  "note": "巡防队走访独居老人12户，送取暖器3台"}, token=sup)
            assert status == 200, m
            assert m["progress"] == {"teams": 2, "acknowledged": 2, "done": 1, "outstanding": 1,
                                     "overdue": 0}, m
            status, m = srv.json("POST", f"/api/v1/mobilisations/{mid}/reports",
                                 dict(ack, step="done", note="楼道全部走到"), token=gw)
            assert m["progress"]["done"] == 2 and m["progress"]["outstanding"] == 0, m
            states = {t["kind"]: (t["state"], t["note"]) for t in m["teams"]}
            assert states == {"stairwell": ("done", "楼道全部走到"),
                              "volunteer": ("done", "巡防队走访独居老人12户，送取暖器3台")}, m
            # the list: the district's call is seen from a grid elsewhere in it
            status, page = srv.get("/api/v1/mobilisations", token=west)
            assert [x["id"] for x in page["mobilisations"]] == [mid], page
            status, page = srv.get("/api/v1/mobilisations", token=leader)
            assert page["mobilisations"][0]["progress"]["done"] == 2, page
        finally:
            srv.stop()
    finally:
        data.close()
