"""一长二员 stairwell teams: a team per stairwell (a building's unit) with its head and two
members, every bad body refused naming its field with nothing stored, a second team of the
stairwell refused, changes under the version (409 on a stale one), names masked; a month of
visits walked — each visit shows in the registry's visits, a phone's batch under client keys
recorded once, coverage checked against the households living in the stairwell's houses, the
unvisited listed — a finding made an order through the registry; the grid's coverage of
stairwells; another grid's worker sees none of it."""
import time

from harness import Data, Server

GRID = "371302001001001"        # 东关社区第1网格
OTHER_GRID = "371302001002001"  # 西关社区第1网格
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
PASSWORD = "Stair-pass-2026"


def resident_id(seq):
    body = "37130219650101" + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(srv, token, n, name, grid=GRID):
    status, out = srv.json("POST", "/api/v1/persons", {
        "id_number": resident_id(n), "name": name, "residence": "registered", "grid": grid},
        token=token)
    assert status == 201, out
    return out["id"]


def stairwell(srv, token):
    """Building 东关小区3号楼: unit 1 with four houses (one household each, 301 empty) and
    unit 2 with two; the households' addresses are their houses'."""
    status, b = srv.json("POST", "/api/v1/buildings", {
        "code": "DG-3", "name": "东关小区3号楼", "address": "兰山区兰山街道东关社区金雀山路18号3号楼",
        "floors": 6, "use": "residential", "lon": 118.305, "lat": 35.005}, token=token)
    assert status == 201, b
    homes = {}
    for unit, rooms in [("1", ["101", "102", "201", "301"]), ("2", ["101", "102"])]:
        for room in rooms:
            status, h = srv.json("POST", "/api/v1/buildings/DG-3/houses", {
                "unit": unit, "floor": int(room[0]), "room": room,
                "use": "empty" if room == "301" else "owner_occupied"}, token=token)
            assert status == 201, h
            if room == "301":
                continue
            status, hh = srv.json("POST", "/api/v1/households", {
                "number": f"DG3-{unit}-{room}", "grid": GRID, "address": h["address"]},
                token=token)
            assert status == 201, hh
            homes[(unit, room)] = (h["id"], hh["id"])
    return homes


def test_stairwell_team_month_walked_into_the_registry():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw = data.add_user(srv, "gw", "gridworker", GRID, PASSWORD)
            west = data.add_user(srv, "west", "gridworker", OTHER_GRID, PASSWORD)
            comm = data.add_user(srv, "comm", "community", "371302001", PASSWORD)
            homes = stairwell(srv, gw)
            zhang = person(srv, gw, 1, "张建国")
            li = person(srv, gw, 2, "李秀英")
            wang = person(srv, gw, 3, "王海")
            zhao = person(srv, gw, 4, "赵敏")
            far = person(srv, west, 5, "孙立", grid=OTHER_GRID)
            team = {"building": "DG-3", "unit": "1", "head": {"person": zhang, "since": "2025-03-01"},
                    "info": {"person": li}, "guard": {"person": wang}}
            bad = [({"building": "NOPE"}, "'building'"), ({"unit": "9"}, "'unit'"),
                   ({"head": None}, "'head'"), ({"head": {"person": 999999}}, "'head.person'"),
                   ({"info": {"person": far}}, "'info.person'"),
                   ({"guard": {"person": zhang}}, "'guard.person'"),
                   ({"head": {"person": zhang, "since": "2099-01-01"}}, "'head.since'"),
                   ({"mood": 1}, "'mood'")]
            for change, word in bad:
                status, e = srv.json("POST", "/api/v1/stairwell-teams", dict(team, **change),
                                     token=gw)
                assert status == 400 and word in e["error"]["message"], (change, e)
            assert data.count("stairwell_team") == 0
            status, _ = srv.json("POST", "/api/v1/stairwell-teams", team, token=west)
            assert status == 400
            status, t = srv.json("POST", "/api/v1/stairwell-teams", team, token=gw)
            assert status == 201, t
            tid = t["id"]
            assert t["head"]["name"] == "张*" and t["info"]["name"] == "李*", t
            assert t["head"]["since"] == "2025-03-01" and t["version"] == 1, t
            assert "张建国" not in str(t) and t["month"]["households"] == 3, t
            status, e = srv.json("POST", "/api/v1/stairwell-teams", team, token=comm)
            assert status == 409 and f"team {tid}" in e["error"]["message"], e
            # members changed as a whole under the version
            members = {"head": {"person": zhang}, "info": {"person": li}, "guard": {"person": zhao}}
            status, e = srv.json("PUT", f"/api/v1/stairwell-teams/{tid}", members, token=gw)
            assert status == 400 and "If-Match" in e["error"]["message"], e
            status, t = srv.json("PUT", f"/api/v1/stairwell-teams/{tid}", members, token=gw,
                                 headers={"If-Match": '"1"'})
            assert status == 200 and t["guard"]["person"] == zhao and t["version"] == 2, t
            status, e = srv.json("PUT", f"/api/v1/stairwell-teams/{tid}", members, token=gw,
                                 headers={"If-Match": '"1"'})
            assert status == 409, e
            status, _ = srv.get(f"/api/v1/stairwell-teams/{tid}", token=west)
            assert status == 404
            # the month's visits
            now = int(time.time())
            h101, hh101 = homes[("1", "101")]
            h102, hh102 = homes[("1", "102")]
            h201, hh201 = homes[("1", "201")]
            _, hh2_101 = homes[("2", "101")]
            one = {"household": hh101, "visited_at": now - 3600, "by": "head",
                   "content": "入户了解家中老人身体情况", "findings": "楼道灯不亮"}
            bad = [({"household": hh2_101}, "'household'"), ({"household": None}, "'household'"),
                   ({"house": 999999, "household": None}, "'house'"),
                   ({"by": "cook"}, "'by'"), ({"content": ""}, "'content'"),
                   ({"visited_at": now + 86400}, "'visited_at'"),
                   ({"client_key": "x"}, "'client_key'"), ({"mood": 1}, "'mood'")]
            for change, word in bad:
                status, e = srv.json("POST", f"/api/v1/stairwell-teams/{tid}/visits",
                                     dict(one, **change), token=gw)
                assert status == 400 and word in e["error"]["message"], (change, e)
            assert data.count("stairwell_visit") == 0 and data.count("visit") == 0
            status, out = srv.json("POST", f"/api/v1/stairwell-teams/{tid}/visits", one, token=gw)
            assert status == 201, out
            v = out["visits"][0]
            assert v["household"] == hh101 and v["house"] == h101 and v["member"] == "head", v
            status, reg = srv.get(f"/api/v1/visits/{v['visit']}", token=gw)
            assert status == 200 and reg["method"] == "stair", reg
            assert reg["subject"] == {"kind": "household", "id": hh101}, reg
            assert "楼道长" in reg["content"] and reg["findings"] == "楼道灯不亮", reg
            status, reg = srv.get(f"/api/v1/visits?subject_kind=household&subject_id={hh101}",
                                  token=comm)
            assert [x["id"] for x in reg["visits"]] == [v["visit"]] and reg["visits"][0][
                "withheld"], reg
            # the finding becomes an order as any visit's does
            status, made = srv.json("POST", f"/api/v1/visits/{v['visit']}/order",
                                    {"item": "06028"}, token=gw)
            assert status in (200, 201) and made["order"]["number"], made
            # a phone's batch: a bad one refuses it all, then stored once under its keys
            batch = {"visits": [
                {"house": h102, "visited_at": now - 1800, "by": "info", "content": "更新底数",
                 "client_key": "phone-dg3-0001"},
                {"household": hh201, "visited_at": now - 600, "by": "guard",
                 "content": "邀请参加楼道议事", "client_key": "phone-dg3-0002"}]}
            broken = {"visits": batch["visits"] + [{"household": hh201, "by": "head"}]}
            status, e = srv.json("POST", f"/api/v1/stairwell-teams/{tid}/visits", broken, token=gw)
            assert status == 400 and "visits[2]" in e["error"]["message"], e
            assert data.count("stairwell_visit") == 1
            status, out = srv.json("POST", f"/api/v1/stairwell-teams/{tid}/visits", batch, token=gw)
            assert status == 201 and [x["repeated"] for x in out["visits"]] == [False, False], out
            status, again = srv.json("POST", f"/api/v1/stairwell-teams/{tid}/visits", batch,
                                     token=gw)
            assert status == 200 and [x["repeated"] for x in again["visits"]] == [True, True]
            assert [x["id"] for x in again["visits"]] == [x["id"] for x in out["visits"]]
            assert data.count("stairwell_visit") == 3 and data.count("visit") == 3
            # the month: the households of unit 1 (301 is empty: three), all visited now
            status, m = srv.get(f"/api/v1/stairwell-teams/{tid}/month", token=comm)
            assert status == 200, m
            assert m["households"] == 3 and m["visited"] == 3 and m["coverage"] == 1.0, m
            assert m["unvisited"] == [] and len(m["visits"]) == 3, m
            status, m = srv.get(f"/api/v1/stairwell-teams/{tid}/month?month=2020-01", token=gw)
            assert m["visited"] == 0 and sorted(u["household"] for u in m["unvisited"]) == sorted(
                [hh101, hh102, hh201]), m
            status, e = srv.get(f"/api/v1/stairwell-teams/{tid}/month?month=2026-13", token=gw)
            assert status == 400 and "'month'" in e["error"]["message"], e
            # the grid: two stairwells, one with a team, its coverage
            status, g = srv.get("/api/v1/stairwell-teams", token=gw)
            assert status == 200 and g["grid"] == GRID, g
            assert g["stairwells"] == 2 and g["with_team"] == 1 and g["coverage"] == 0.5, g
            assert g["teams"][0]["households"] == 3 and g["teams"][0]["visited"] == 3, g
            assert [(w["building"], w["unit"]) for w in g["without_team"]] == [("DG-3", "2")], g
            status, e = srv.get("/api/v1/stairwell-teams", token=comm)
            assert status == 400 and "'grid'" in e["error"]["message"], e
            status, e = srv.get(f"/api/v1/stairwell-teams?grid={GRID}", token=west)
            assert status == 404, e
            status, audit = srv.get("/api/v1/audit?action=stairwell.visit")
            assert status in (200, 403)
        finally:
            srv.stop()
    finally:
        data.close()
