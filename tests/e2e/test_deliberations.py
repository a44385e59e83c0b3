"""Deliberation (一事一议, 支部先议): opened from the orders it started from (each checked in
scope), the party branch's discussion, the residents' council with the property company and
co-building units and its votes, the resolution passed by more than half of the attendees, the
follow-up task on the working calendar and its report, the public notice on the board, closed;
steps out of order 409 naming the state, bad bodies 400 naming the field, every step under
If-Match and audited; the communities' needs, resources and projects lists."""
import json
import time

from harness import Data, Server

GRID = "371302001001001"  # 东关社区第1网格
VILLAGE = "371302001001"
PASSWORD = "Delib-pass-2026"


def today(offset=0):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset * 86400))


def ok(srv, method, path, body, token, want=201):
    status, answer = srv.json(method, path, body, token=token)
    assert status == want, (path, body, answer)
    return answer


def step(srv, token, d, body, version=None, expect=200):
    headers = {} if version is False else {"If-Match": f'"{version or d["version"]}"'}
    status, _, raw = srv.request("POST", f"/api/v1/deliberations/{d['id']}/steps", body,
                                 headers=headers, token=token)
    answer = json.loads(raw)
    assert status == expect, (body, status, answer)
    return answer


def test_deliberation_from_its_orders_to_the_public_notice():
    data = Data()
    try:
        srv = Server(data)
        try:
            for uid, name in [("wy", "东关物业服务有限公司"), ("gdj", "区供电公司"),
                              ("cg", "城市管理局")]:
                ok(srv, "POST", "/api/v1/units", {"id": uid, "name": name, "kind": "department"},
                   "default")
            cw = data.add_user(srv, "cw", "community", VILLAGE, PASSWORD)
            west = data.add_user(srv, "west", "community", "371302002001", PASSWORD)
            agent = data.add_user(srv, "agent", "agent", "371302", PASSWORD)
            orders = [ok(srv, "POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06028",
                "title": "小区停车难", "content": f"东关社区3号楼前车辆乱停，第{i + 1}次反映",
                "lon": 118.303, "lat": 35.003}, agent)["id"] for i in range(2)]
            committee = ok(srv, "POST", "/api/v1/party/orgs", {
                "name": "东关社区党委", "kind": "committee", "region": VILLAGE}, cw)
            good = {"topic": "3号楼前空地改建停车位", "place": VILLAGE,
                    "origin": [{"kind": "order", "id": o} for o in orders]}
            for over, word in [({"topic": ""}, "'topic'"), ({"topic": "停" * 101}, "'topic'"),
                               ({"place": "37130200100x"}, "'place'"),
                               ({"place": "371302002001"}, "'place'"),
                               ({"origin": []}, "'origin'"),
                               ({"origin": [{"kind": "rumour", "id": 1}]}, "'origin[0]'"),
                               ({"origin": [{"kind": "order", "id": 999}]}, "'origin[0]'"),
                               ({"origin": [{"kind": "order", "id": orders[0]}] * 2},
                                "'origin[1]'"),
                               ({"origin": [{"kind": "visit", "id": 5}]}, "'origin[0]'"),
                               ({"colour": 1}, "'colour'")]:
                status, e = srv.json("POST", "/api/v1/deliberations", dict(good, **over), token=cw)
                assert status == 400 and word in e["error"]["message"], (over, e)
            status, _ = srv.json("POST", "/api/v1/deliberations", good, token=agent)
            assert status == 403
            assert data.count("deliberation") == 0
            d = ok(srv, "POST", "/api/v1/deliberations", good, cw)
            assert d["state"] == "proposed" and d["place_name"], d
            status, _ = srv.get(f"/api/v1/deliberations/{d['id']}", token=west)
            assert status == 404
            # out of order, then bad branch bodies
            e = step(srv, cw, d, {"step": "council", "date": today(), "attendees": 30, "for": 20,
                                  "against": 5, "abstain": 5}, expect=409)
            assert "proposed" in e["error"]["message"], e
            branch = {"step": "branch", "date": today(), "party_org": committee["id"],
                      "attendees": 9, "opinion": "支部委员一致同意提交居民议事会讨论"}
            for over, word in [({"date": today(1)}, "'date'"), ({"party_org": 999}, "'party_org'"),
                               ({"attendees": 0}, "'attendees'"), ({"opinion": ""}, "'opinion'"),
                               ({"text": "x"}, "'text'"), ({"step": "vote"}, "'step'")]:
                e = step(srv, cw, d, dict(branch, **over), expect=400)
                assert word in e["error"]["message"], (over, e)
            step(srv, cw, d, branch, version=False, expect=400)
            d = step(srv, cw, d, branch)
            assert d["state"] == "discussed" and d["branch"]["party_org"]["name"] == "东关社区党委"
            step(srv, cw, d, branch, version=1, expect=409)  # a lost race
            council = {"step": "council", "date": today(), "attendees": 31,
                       "property_company": "wy", "units": ["gdj", "cg"], "for": 16,
                       "against": 10, "abstain": 5}
            for over, word in [({"units": ["nobody"]}, "'units[0]'"),
                               ({"property_company": "nobody"}, "'property_company'"),
                               ({"for": 30}, "'for', 'against', 'abstain'")]:
                e = step(srv, cw, d, dict(council, **over), expect=400)
                assert word in e["error"]["message"], (over, e)
            d = step(srv, cw, d, council)
            assert d["council"]["property_company"]["name"] == "东关物业服务有限公司", d
            assert [u["id"] for u in d["council"]["units"]] == ["gdj", "cg"], d
            d = step(srv, cw, d, {"step": "resolution",
                                  "text": "同意将3号楼前空地改建为24个停车位，费用由物业公司承担"})
            assert d["state"] == "resolved" and d["resolution"]["passed"] is True, d
            # the notice waits for the task
            e = step(srv, cw, d, {"step": "notice", "text": "公示", "from": today(),
                                  "until": today(7)}, expect=409)
            assert "resolved" in e["error"]["message"], e
            task = {"step": "task", "what": "施划停车位并安装道闸", "lead_unit": "wy",
                    "deadline": today(30)}
            for over, word in [({"deadline": "2020-01-01"}, "'deadline'"),
                               ({"lead_person": 1}, "'lead_unit', 'lead_person'"),
                               ({"lead_unit": "nobody"}, "'lead_unit'")]:
                e = step(srv, cw, d, dict(task, **over), expect=400)
                assert word in e["error"]["message"], (over, e)
            d = step(srv, cw, d, task)
            assert d["state"] == "tasked" and d["task"]["due_at"] > 0, d
            d = step(srv, cw, d, {"step": "task_done", "report": "已施划停车位24个，道闸已启用"})
            assert d["task"]["done"] is True, d
            e = step(srv, cw, d, {"step": "notice", "text": "公示", "from": today(7),
                                  "until": today()}, expect=400)
            assert "'until'" in e["error"]["message"], e
            notice = "经居民议事会表决通过，3号楼前空地已改建为停车位，欢迎居民监督。"
            d = step(srv, cw, d, {"step": "notice", "text": notice, "from": today(),
                                  "until": today(14)})
            # the public board
            status, _, raw = srv.request("GET", f"/api/v1/public/notices?grid={GRID}", token=None)
            board = json.loads(raw)
            assert status == 200 and len(board["notices"]) == 1, board
            n = board["notices"][0]
            assert n["notice"]["text"] == notice and n["resolution"]["passed"], n
            assert n["task"]["lead"] == "东关物业服务有限公司" and n["task"]["done"], n
            assert "cw" not in json.dumps(n), n
            status, _, raw = srv.request("GET", "/api/v1/public/notices?village=371302002001",
                                         token=None)
            assert status == 200 and json.loads(raw)["notices"] == [], raw
            status, _, raw = srv.request("GET", "/api/v1/public/notices?grid=abc", token=None)
            assert status == 400 and "'grid'" in raw.decode(), raw
            d = step(srv, cw, d, {"step": "close"})
            assert d["state"] == "closed", d
            assert [t["step"] for t in d["timeline"]] == [
                "create", "branch", "council", "resolution", "task", "task_done", "notice",
                "close"], d
            # a resolution the council turned down: no task, straight to its notice or closed
            r = ok(srv, "POST", "/api/v1/deliberations", dict(good, topic="小区加装电梯"), cw)
            r = step(srv, cw, r, branch)
            r = step(srv, cw, r, dict(council, **{"for": 15, "against": 16, "abstain": 0}))
            r = step(srv, cw, r, {"step": "resolution", "text": "赞成票未过半数，暂不实施"})
            assert r["state"] == "rejected" and r["resolution"]["passed"] is False, r
            step(srv, cw, r, task, expect=409)
            r = step(srv, cw, r, {"step": "close"})
            assert r["state"] == "closed", r
            status, page = srv.get("/api/v1/deliberations?state=closed", token=agent)
            assert len(page["deliberations"]) == 2, page
            status, e = srv.get("/api/v1/deliberations?state=asleep", token=agent)
            assert status == 400 and "'state'" in e["error"]["message"], e
            db = data.store()
            try:
                rows = [tuple(x) for x in db.execute(
                    "SELECT action, result FROM audit WHERE action LIKE 'deliberation.%'")]
            finally:
                db.close()
            assert ("deliberation.create", "ok") in rows and any(x[1] != "ok" for x in rows)

            # the lists the council draws on
            for kind, title in [("needs", "3号楼停车位不足"), ("resources", "物业公司闲置空地"),
                                ("projects", "停车位改建工程")]:
                ok(srv, "POST", "/api/v1/deliberations/lists",
                   {"community": VILLAGE, "kind": kind, "title": title}, cw)
            for over, word in [({"kind": "wants"}, "'kind'"), ({"community": GRID}, "'community'"),
                               ({"community": "371302002001"}, "'community'"),
                               ({"title": ""}, "'title'")]:
                status, e = srv.json("POST", "/api/v1/deliberations/lists",
                                     dict({"community": VILLAGE, "kind": "needs", "title": "x"},
                                          **over), token=cw)
                assert status == 400 and word in e["error"]["message"], (over, e)
            status, lists = srv.get(f"/api/v1/deliberations/lists?community={VILLAGE}",
                                    token=agent)
            assert [i["title"] for i in lists["needs"]] == ["3号楼停车位不足"], lists
            assert len(lists["resources"]) == 1 and len(lists["projects"]) == 1, lists
            status, lists = srv.get("/api/v1/deliberations/lists", token=west)
            assert lists == {"needs": [], "resources": [], "projects": []}, lists
        finally:
            srv.stop()
    finally:
        data.close()
