"""Assessment (考核评价): the schemes checked whole (the field named, 409 on a lost race), a
month's run whose computed items are checked against the orders, visits and patrols that
produced them, self and reviewer entries by the right people with the bonus capped, freezing,
corrections with their history, grid classes per town, rankings and the awards shortlist;
every write audited."""
import time

from harness import Data, Server

GRID = "371302001001001"   # 东关社区第1网格
GRID2 = "371302001001002"  # 东关社区第2网格
TOWN = "371302001"
PASSWORD = "Assess-pass-2026"


WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(seq):
    body = "37130219500101" + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def month(offset=0):
    t = time.gmtime(time.time() + 8 * 3600)
    k = t.tm_year * 12 + t.tm_mon - 1 + offset
    return f"{k // 12}-{k % 12 + 1:02d}"


def rows(data, sql, params=()):
    db = data.store()
    try:
        return [tuple(r) for r in db.execute(sql, params).fetchall()]
    finally:
        db.close()


def item(result, code):
    return next(i for i in result["items"] if i["code"] == code)


def put(srv, token, result, code, body, expect=200):
    body = dict(body)
    body.setdefault("version", result["version"])
    status, out = srv.json("PUT", f"/api/v1/assessments/{result['id']}/items/{code}", body,
                           token=token)
    assert status == expect, (code, body, status, out)
    return out


def setup(data, srv):
    t = {"sup": data.add_user(srv, "sup", "supervisor", TOWN, PASSWORD),
         "gw": data.add_user(srv, "gw", "gridworker", GRID, PASSWORD),
         "gw2": data.add_user(srv, "gw2", "gridworker", GRID2, PASSWORD),
         "comm": data.add_user(srv, "comm", "community", TOWN, PASSWORD),
         "agent": data.add_user(srv, "agent", "agent", TOWN, PASSWORD),
         "south": data.add_user(srv, "south", "supervisor", "371302002", PASSWORD)}
    # two persons due visits; one visited, with a finding made an order
    pids = []
    for n, idn in enumerate([resident_id(1), resident_id(2)]):
        status, body = srv.json("POST", "/api/v1/persons", {
            "id_number": idn, "name": "李大爷" if n == 0 else "王奶奶",
            "residence": "registered", "grid": GRID, "care": ["alone"]}, token=t["gw"])
        assert status == 201, body
        pids.append(body["id"])
    status, body = srv.json("POST", "/api/v1/visits", {
        "subject": {"kind": "person", "id": pids[0]}, "method": "door",
        "content": "入户了解生活情况", "findings": "楼道堆放杂物堵塞消防通道",
        "order": {"urgency": "normal"}, "lon": 118.305, "lat": 35.005}, token=t["gw"])
    assert status == 201 and body["order"]["id"], body
    # a patrol today
    status, body = srv.json("POST", "/api/v1/patrols", {"started_at": int(time.time()) - 600},
                            token=t["gw"])
    assert status == 201, body
    return t


SCHEME_BAD = [
    (lambda s: s["groups"][0].update(score=40), "groups[0].items"),
    (lambda s: s["groups"][1]["items"][0].update(code="G1.1"), "groups[1].items[0].code"),
    (lambda s: s["groups"][0]["items"][0].update(metric="likes"), "groups[0].items[0].metric"),
    (lambda s: s["groups"][0]["items"][0].update(formula={"type": "rate", "target": 0.9}),
     "groups[0].items[0].formula.type"),
    (lambda s: s["groups"][2]["items"][1].update(method="guess"), "groups[2].items[1]"),
    (lambda s: s["classes"].update(B=95), "classes.B"),
    (lambda s: s.update(bonus_cap=50), "bonus_cap"),
    (lambda s: s.update(mood=1), "mood"),
]


def check_schemes(data, srv, t):
    status, body = srv.get("/api/v1/assessments/schemes", token=t["gw"])
    assert status == 200 and [s["kind"] for s in body["schemes"]] == ["grid", "worker", "unit",
                                                                       "town"], body
    assert {m["name"] for m in body["metrics"]} >= {"findings", "visit_rate", "ontime_rate"}
    status, grid = srv.get("/api/v1/assessments/schemes/grid", token=t["sup"])
    assert status == 200 and grid["version"] == 0 and grid["bonus_cap"] == 10, grid
    assert [g["score"] for g in grid["groups"]] == [50, 30, 20], grid
    assert [g["name"] for g in grid["groups"]] == ["网格运行", "履职", "作风"], grid
    for change, field in SCHEME_BAD:
        s = {k: v for k, v in grid.items() if k != "kind"}
        s = __import__("json").loads(__import__("json").dumps(s))
        change(s)
        status, out = srv.json("PUT", "/api/v1/assessments/schemes/grid", s, token=t["sup"])
        assert status == 400 and field in out["error"]["message"], (field, status, out)
    assert data.count("assess_scheme") == 0
    s = {k: v for k, v in grid.items() if k != "kind"}
    status, out = srv.json("PUT", "/api/v1/assessments/schemes/grid", s, token=t["gw"])
    assert status == 403, out
    status, out = srv.get("/api/v1/assessments/schemes/road", token=t["sup"])
    assert status == 404, out
    return grid


def test_month_of_grid_assessment_from_its_data():
    data = Data()
    try:
        srv = Server(data)
        try:
            t = setup(data, srv)
            grid_scheme = check_schemes(data, srv, t)
            # the run: bad bodies refused, nothing stored
            for body, word in [({"kind": "road", "period": month()}, "kind"),
                               ({"kind": "grid", "period": "2026-13"}, "period"),
                               ({"kind": "grid", "period": month(2)}, "period"),
                               ({"kind": "grid"}, "period"), ({"kind": "grid", "x": 1}, "x")]:
                status, out = srv.json("POST", "/api/v1/assessments", body, token=t["sup"])
                assert status == 400 and word in out["error"]["message"], (body, out)
            assert data.count("assess_result") == 0
            status, out = srv.json("POST", "/api/v1/assessments",
                                   {"kind": "grid", "period": month()}, token=t["gw"])
            assert status == 403, out
            status, run = srv.json("POST", "/api/v1/assessments",
                                   {"kind": "grid", "period": month()}, token=t["sup"])
            assert status == 201 and run["created"] == 3 and run["scheme_version"] == 0, run
            status, again = srv.json("POST", "/api/v1/assessments",
                                     {"kind": "grid", "period": month()}, token=t["sup"])
            assert again["updated"] == 3 and again["created"] == 0, again
            status, lst = srv.get(f"/api/v1/assessments?kind=grid&period={month()}",
                                  token=t["sup"])
            assert status == 200 and len(lst["results"]) == 3, lst
            assert lst["summary"]["grids"] == 3 and lst["summary"]["target"] == 0.9, lst
            assert lst["summary"]["towns"][0]["code"] == TOWN, lst
            rid = next(r["id"] for r in lst["results"] if r["object"] == GRID)
            status, res = srv.get(f"/api/v1/assessments/{rid}", token=t["gw"])
            assert status == 200 and res["state"] == "draft" and res["can_self"], res
            assert not res["can_review"], res
            # computed items against the data: findings are the grid workers' orders
            orders = rows(data, "SELECT id FROM work_order WHERE channel = 'gridworker' AND "
                                "grid = ? ORDER BY id", (GRID,))
            f = item(res, "G1.1")
            assert f["figure"]["count"] == len(orders) == 1, f
            assert f["figure"]["ids"] == [o[0] for o in orders], f
            assert f["computed"] == min(15, len(orders) * 1.0), f
            # visits done against due: persons visited and those still due by the month's end
            v = item(res, "G1.3")["figure"]
            visited = rows(data, "SELECT COUNT(DISTINCT subject_id) FROM visit WHERE grid = ? "
                                 "AND subject_kind = 'person'", (GRID,))[0][0]
            assert v["num"] == visited == 1 and v["den"] >= v["num"], v
            share = v["num"] / v["den"]
            assert item(res, "G1.3")["computed"] == round(15 * min(1, share / 0.95), 1), v
            p = item(res, "G1.4")["figure"]
            patrols = rows(data, "SELECT id FROM patrol WHERE grid = ?", (GRID,))
            assert p["num"] == 1 and p["ids"] == [x[0] for x in patrols], p
            assert item(res, "G1.4")["computed"] == round(10 * min(1, p["num"] / p["den"] / 0.9),
                                                          1), p
            # nothing rated yet: nothing was missed
            assert item(res, "G3.1")["figure"]["value"] is None
            assert item(res, "G3.1")["computed"] == 10
            # the other grid's findings are none
            other = next(r for r in lst["results"] if r["object"] == GRID2)
            status, other = srv.get(f"/api/v1/assessments/{other['id']}", token=t["sup"])
            assert item(other, "G1.1")["figure"]["count"] == 0

            # self entries by the grid's own people only, on self items, within the score
            put(srv, t["gw2"], res, "G3.2", {"self": 9}, expect=404)  # not theirs to see
            put(srv, t["sup"], res, "G3.2", {"self": 9}, expect=403)
            put(srv, t["gw"], res, "G1.1", {"self": 9}, expect=400)
            put(srv, t["gw"], res, "G3.2", {"self": 11}, expect=400)
            put(srv, t["gw"], res, "G9.9", {"self": 1}, expect=404)
            put(srv, t["gw"], res, "G3.2", {"self": 9, "version": res["version"] + 5}, expect=409)
            res = put(srv, t["gw"], res, "G3.2", {"self": 9.5, "evidence": ["order:1"]})
            assert item(res, "G3.2")["final"] == 9.5, res
            # reviewer entries by a supervisor in scope, with a reason
            put(srv, t["gw"], res, "G3.2", {"reviewer": 8, "reason": "迟到一次"}, expect=403)
            put(srv, t["sup"], res, "G3.2", {"reviewer": 8}, expect=400)
            res = put(srv, t["sup"], res, "G3.2", {"reviewer": 8, "reason": "考勤记录迟到一次"})
            assert item(res, "G3.2")["final"] == 8 and item(res, "G3.2")["self"] == 9.5
            # the bonus is capped at 10
            res = put(srv, t["sup"], res, "B1", {"reviewer": 5, "reason": "经验被市里推广"})
            res = put(srv, t["sup"], res, "B2", {"reviewer": 5, "reason": "获市级表彰"})
            res = put(srv, t["gw"], res, "B3", {"self": 4})
            assert res["bonus"]["got"] == 10, res["bonus"]
            main = sum(i["final"] for i in res["items"] if i["group"] != "bonus")
            assert abs(res["total"] - round(main + 10, 1)) < 1e-6, res
            cls = "A" if res["total"] >= 90 else "B" if res["total"] >= 75 else "C"
            assert res["class"] == cls, res
            # a run again keeps what people entered
            srv.json("POST", "/api/v1/assessments", {"kind": "grid", "period": month()},
                     token=t["sup"])
            status, res = srv.get(f"/api/v1/assessments/{rid}", token=t["sup"])
            assert item(res, "G3.2")["reviewer"] == 8 and item(res, "B3")["self"] == 4, res

            # frozen: no more entries; corrections with a reason, kept in the history
            status, out = srv.json("POST", f"/api/v1/assessments/{rid}/corrections",
                                   {"version": res["version"], "code": "G3.2", "score": 9,
                                    "reason": "复核"}, token=t["sup"])
            assert status == 409, out
            status, out = srv.json("POST", f"/api/v1/assessments/{rid}/freeze",
                                   {"version": res["version"]}, token=t["gw"])
            assert status == 403, out
            status, res = srv.json("POST", f"/api/v1/assessments/{rid}/freeze",
                                   {"version": res["version"]}, token=t["sup"])
            assert status == 200 and res["state"] == "frozen", res
            put(srv, t["gw"], res, "G3.2", {"self": 10}, expect=409)
            before = res["total"]
            for body, word in [({"code": "G3.2", "score": 9}, "reason"),
                               ({"code": "G3.2", "score": 99, "reason": "复核"}, "score"),
                               ({"code": "ZZ", "score": 1, "reason": "复核"}, "code")]:
                body["version"] = res["version"]
                status, out = srv.json("POST", f"/api/v1/assessments/{rid}/corrections", body,
                                       token=t["sup"])
                assert status == 400 and word in out["error"]["message"], (body, out)
            status, res = srv.json("POST", f"/api/v1/assessments/{rid}/corrections",
                                   {"version": res["version"], "code": "G3.2", "score": 10,
                                    "reason": "考勤系统误记，经核实未迟到"}, token=t["sup"])
            assert status == 201 and item(res, "G3.2")["final"] == 10, res
            assert abs(res["total"] - (before + 2)) < 1e-6 and res["state"] == "frozen", res
            h = [x for x in res["history"] if x["action"] == "correct"]
            assert h == [{"at": h[0]["at"], "actor": "sup", "action": "correct", "code": "G3.2",
                          "old": "8.0", "new": "10.0", "reason": "考勤系统误记，经核实未迟到"}], h
            assert [x["action"] for x in res["history"]][:3] == ["compute", "recompute", "self"]
            # the month frozen in scope; outside scope nothing is seen
            status, out = srv.json("POST", "/api/v1/assessments/freeze",
                                   {"kind": "grid", "period": month()}, token=t["sup"])
            assert status == 200 and out["frozen"] == 2, out
            status, out = srv.get(f"/api/v1/assessments/{rid}", token=t["south"])
            assert status == 404, out
            status, out = srv.get(f"/api/v1/assessments?kind=grid&region={TOWN}",
                                  token=t["south"])
            assert status == 404, out
            audit = rows(data, "SELECT action, result FROM audit WHERE action LIKE 'assess.%'")
            assert ("assess.correct", "ok") in audit and ("assess.item", "denied") in audit, \
                audit

            # a scheme edit under its version; the frozen month keeps the version it used
            s = {k: v for k, v in grid_scheme.items() if k != "kind"}
            s["classes"] = {"A": 92, "B": 80}
            status, out = srv.json("PUT", "/api/v1/assessments/schemes/grid", s, token=t["sup"])
            assert status == 200 and out["version"] == 1, out
            status, out = srv.json("PUT", "/api/v1/assessments/schemes/grid", s, token=t["sup"])
            assert status == 409, out
            status, run = srv.json("POST", "/api/v1/assessments",
                                   {"kind": "grid", "period": month(-1)}, token=t["sup"])
            assert run["scheme_version"] == 1 and run["created"] == 3, run
            status, run = srv.json("POST", "/api/v1/assessments",
                                   {"kind": "grid", "period": month()}, token=t["sup"])
            assert run["frozen"] == 3 and run["updated"] == 0, run
            status, res = srv.get(f"/api/v1/assessments/{rid}", token=t["sup"])
            assert res["scheme_version"] == 0, res

            # workers and units: rankings; the year's shortlist from frozen results. A worker
            # no grid team names goes by the account's real name, masked, where it has one
            status, body = srv.json("POST", "/api/v1/users", {
                "username": "gw3", "role": "gridworker", "scope": GRID2, "name": "刘晓燕"})
            assert status == 201, body
            status, run = srv.json("POST", "/api/v1/assessments",
                                   {"kind": "worker", "period": month()}, token=t["sup"])
            assert status == 201 and run["created"] == 3, run
            status, rk = srv.get(f"/api/v1/assessments/rankings?kind=worker&period={month()}",
                                 token=t["sup"])
            assert status == 200 and [r["rank"] for r in rk["rankings"]][0] == 1, rk
            gwr = next(r for r in rk["rankings"] if r["object"] == "gw")
            gw2r = next(r for r in rk["rankings"] if r["object"] == "gw2")
            named = next(r for r in rk["rankings"] if r["object"] == "gw3")
            assert named["name"].startswith("刘") and "*" in named["name"] and \
                "晓燕" not in named["name"], named
            assert gwr["name"] == "gw", gwr  # no real name on record: the account's
            totals = [r["total"] for r in rk["rankings"]]
            assert totals == sorted(totals, reverse=True) and "stars" in gwr, rk
            # a worker's own findings: the order gw took in, none of gw2's
            status, mine = srv.get(f"/api/v1/assessments/{gwr['id']}", token=t["gw"])
            assert item(mine, "W1.1")["figure"]["count"] == 1, mine
            status, theirs = srv.get(f"/api/v1/assessments/{gw2r['id']}", token=t["sup"])
            assert item(theirs, "W1.1")["figure"]["count"] == 0, theirs
            status, out = srv.get(f"/api/v1/assessments/rankings?kind=worker&period=2026-99",
                                  token=t["gw"])
            assert status == 400 and "period" in out["error"]["message"], out
            status, aw = srv.get(f"/api/v1/assessments/awards?year={month()[:4]}",
                                 token=t["sup"])
            assert status == 200 and [a["award"] for a in aw["awards"]] == [
                "星级网格中心", "星级网格", "优秀网格中心干部", "优秀网格员"], aw
            for a in aw["awards"]:
                for x in a["shortlist"]:
                    assert x["average"] >= 90, x
            status, out = srv.get("/api/v1/assessments/awards?year=26", token=t["sup"])
            assert status == 400, out
        finally:
            srv.stop()
    finally:
        data.close()
