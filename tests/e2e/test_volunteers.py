"""Volunteers: teams in a place with their points rate, volunteers as registry persons (names
masked, one team each), service hours earning points at the team's rate with at most 24 hours
on a day, redemptions that never take the balance below zero — not even two at once — the
balance and history, rankings of volunteers and teams by hours; every bad body refused naming
its field with nothing stored; outside the scope nothing is seen."""
import threading
import time

from harness import Data, Server

GRID = "371302001001001"        # 东关社区第1网格
COMMUNITY = "371302001001"      # 东关社区
OTHER_GRID = "371302001002001"  # 西关社区第1网格
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
PASSWORD = "Volunteer-pass-2026"


def resident_id(seq):
    body = "37130219780101" + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(srv, token, n, name, grid=GRID):
    status, out = srv.json("POST", "/api/v1/persons", {
        "id_number": resident_id(n), "name": name, "residence": "registered", "grid": grid},
        token=token)
    assert status == 201, out
    return out["id"]


def day(offset=0):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset * 86400))


def test_volunteer_hours_points_and_redemptions():
    data = Data()
    try:
        srv = Server(data)
        try:
            comm = data.add_user(srv, "comm", "community", "371302001", PASSWORD)
            west = data.add_user(srv, "west", "gridworker", OTHER_GRID, PASSWORD)
            leader = data.add_user(srv, "leader", "leader", "371302", PASSWORD)
            good = {"name": "东关社区党员志愿服务队", "place": COMMUNITY, "kind": "party", "rate": 2}
            for change, word in [({"place": "371302002"}, "'place'"), ({"kind": "band"}, "'kind'"),
                                 ({"rate": 0}, "'rate'"), ({"name": ""}, "'name'"),
                                 ({"x": 1}, "'x'")]:
                status, e = srv.json("POST", "/api/v1/volunteer-teams", dict(good, **change),
                                     token=comm)
                assert status == 400 and word in e["error"]["message"], (change, e)
            status, t = srv.json("POST", "/api/v1/volunteer-teams", good, token=comm)
            assert status == 201, t
            party = t["id"]
            status, e = srv.json("POST", "/api/v1/volunteer-teams", good, token=comm)
            assert status == 409, e
            status, t = srv.json("POST", "/api/v1/volunteer-teams", {
                "name": "东关巾帼志愿服务队", "place": COMMUNITY, "kind": "women"}, token=comm)
            women = t["id"]
            status, _ = srv.json("POST", "/api/v1/volunteer-teams", good, token=leader)
            assert status == 403
            zhang = person(srv, comm, 1, "张桂兰")
            li = person(srv, comm, 2, "李明")
            far = person(srv, comm, 3, "孙立", grid=OTHER_GRID)
            vol = {"person": zhang, "team": party, "skills": ["理发", "量血压"]}
            for change, word in [({"person": 999999}, "'person'"), ({"team": 999}, "'team'"),
                                 ({"skills": ["x" * 21]}, "'skills[0]'"),
                                 ({"since": "2099-01-01"}, "'since'")]:
                status, e = srv.json("POST", "/api/v1/volunteers", dict(vol, **change), token=comm)
                assert status == 400 and word in e["error"]["message"], (change, e)
            status, v = srv.json("POST", "/api/v1/volunteers", vol, token=comm)
            assert status == 201, v
            vz = v["id"]
            status, e = srv.json("POST", "/api/v1/volunteers", vol, token=comm)
            assert status == 409 and "'person'" in e["error"]["message"], e
            status, v = srv.json("POST", "/api/v1/volunteers", {"person": li, "team": women},
                                 token=comm)
            vl = v["id"]
            status, e = srv.json("POST", "/api/v1/volunteers", {"person": far, "team": party},
                                 token=west)
            assert status == 400 and "'team'" in e["error"]["message"], e
            # hours: points at the team's rate, 24 a day at most
            for change, word in [({"hours": 0}, "'hours'"), ({"hours": 24.5}, "'hours'"),
                                 ({"hours": 1.25}, "'hours'"), ({"date": day(1)}, "'date'"),
                                 ({"date": day(-400)}, "'date'"), ({"activity": ""}, "'activity'"),
                                 ({"team": 999}, "'team'")]:
                body = dict({"date": day(), "hours": 3, "activity": "为独居老人理发"}, **change)
                status, e = srv.json("POST", f"/api/v1/volunteers/{vz}/hours", body, token=comm)
                assert status == 400 and word in e["error"]["message"], (change, e)
            assert data.count("volunteer_hours") == 0
            for d, h, what in [(day(), 3, "为独居老人理发"), (day(), 20.5, "防汛值守"),
                               (day(-1), 2.5, "楼道清理")]:
                status, out = srv.json("POST", f"/api/v1/volunteers/{vz}/hours",
                                       {"date": d, "hours": h, "activity": what}, token=comm)
                assert status == 201, out
            status, e = srv.json("POST", f"/api/v1/volunteers/{vz}/hours",
                                 {"date": day(), "hours": 1, "activity": "再一小时"}, token=comm)
            assert status == 400 and "24" in e["error"]["message"], e
            status, out = srv.json("POST", f"/api/v1/volunteers/{vl}/hours",
                                   {"date": day(), "hours": 4, "activity": "巾帼宣讲"},
                                   token=comm)
            assert status == 201
            status, v = srv.get(f"/api/v1/volunteers/{vz}", token=comm)
            assert status == 200 and v["name"] == "张*" and "张桂兰" not in str(v), v
            assert v["earned"] == 52.0 and v["balance"] == 52.0, v  # 26 hours at 2 points
            assert sorted(h["hours"] for h in v["history"]) == [2.5, 3.0, 20.5], v
            # redemptions: never below zero, even two at once
            for change, word in [({"points": 0}, "'points'"), ({"points": 1.5}, "'points'"),
                                 ({"what": ""}, "'what'")]:
                status, e = srv.json("POST", f"/api/v1/volunteers/{vz}/redemptions",
                                     dict({"points": 5, "what": "洗衣液"}, **change), token=comm)
                assert status == 400 and word in e["error"]["message"], (change, e)
            status, e = srv.json("POST", f"/api/v1/volunteers/{vz}/redemptions",
                                 {"points": 53, "what": "电饭煲"}, token=comm)
            assert status == 409 and "52.0" in e["error"]["message"], e
            results = []

            def redeem():
                results.append(srv.json("POST", f"/api/v1/volunteers/{vz}/redemptions",
                                        {"points": 30, "what": "米面油"}, token=comm)[0])
            threads = [threading.Thread(target=redeem) for _ in range(2)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            assert sorted(results) == [201, 409], results
            status, v = srv.get(f"/api/v1/volunteers/{vz}", token=comm)
            assert v["redeemed"] == 30.0 and v["balance"] == 22.0, v
            assert [(h["points"], h["what"]) for h in v["history"] if h["kind"] == "redemption"
                    ] == [(30.0, "米面油")], v
            assert data.count("volunteer_redemption") == 1
            # lists and rankings
            status, page = srv.get(f"/api/v1/volunteers?team={party}", token=comm)
            assert [x["id"] for x in page["volunteers"]] == [vz], page
            status, r = srv.get("/api/v1/volunteers/rankings", token=leader)
            assert status == 200, r
            assert [(x["volunteer"], x["hours"]) for x in r["volunteers"]] == [(vz, 26.0),
                                                                                (vl, 4.0)], r
            assert [(x["team"], x["hours"]) for x in r["teams"]] == [(party, 26.0),
                                                                     (women, 4.0)], r
            status, r = srv.get(f"/api/v1/volunteers/rankings?from={day()}&to={day()}", token=comm)
            assert [x["hours"] for x in r["volunteers"]] == [23.5, 4.0], r
            status, ts = srv.get("/api/v1/volunteer-teams", token=comm)
            assert {x["id"]: (x["members"], x["hours"]) for x in ts["teams"]} == {
                party: (1, 26.0), women: (1, 4.0)}, ts
            for path in [f"/api/v1/volunteers/{vz}", "/api/v1/volunteers?scope=" + COMMUNITY]:
                status, _ = srv.get(path, token=west)
                assert status == 404, path
            status, page = srv.get("/api/v1/volunteers", token=west)
            assert page["volunteers"] == [], page
        finally:
            srv.stop()
    finally:
        data.close()
