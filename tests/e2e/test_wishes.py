"""The wish wall (心愿墙): a resident's wish filed on the portal's 心愿 bag, published by the
grid's staff in public words (a phone, an ID number or the reporter's name refused naming the
field; one wish an order), claimed by a party member of the registry or a volunteer, reported
fulfilled, and confirmed by the resident on the portal with the appeal's tracking code; every
move under If-Match (409 on a lost race or out of order), audited, on the order's timeline;
the public wall shows no identity of the resident."""
import json

from harness import Data, Server

GRID = "371302001001001"  # 东关社区第1网格
VILLAGE = "371302001001"
PASSWORD = "Wishes-pass-2026"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
APPEAL = {"type": "green", "text": "家里老人腿脚不便，希望有人帮忙每周买一次菜", "lon": 118.303,
          "lat": 35.003, "source": "gps", "address": "东关社区3号楼", "phone": "13905391234"}


def resident_id(seq):
    body = "37130219700101" + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def ok(srv, method, path, body, token, want=201):
    status, answer = srv.json(method, path, body, token=token)
    assert status == want, (path, body, answer)
    return answer


def public(srv, method, path, body=None):
    status, _, raw = srv.request(method, "/api/v1/public" + path, body, token=None)
    return status, json.loads(raw) if raw else None


def move(srv, token, wish, action, body, version=None, expect=200):
    headers = {} if version is False else {"If-Match": f'"{version or wish["version"]}"'}
    status, _, raw = srv.request("POST", f"/api/v1/wishes/{wish['id']}/{action}", body,
                                 headers=headers, token=token)
    answer = json.loads(raw)
    assert status == expect, (action, body, status, answer)
    return answer


def setup(data, srv):
    """A grid worker of the town, a community worker of another town, an agent (reads only);
    a party member in a branch and a resident of the registry serving in a volunteer team."""
    t = {"gw": data.add_user(srv, "gw", "gridworker", "371302001", PASSWORD),
         "west": data.add_user(srv, "west", "community", "371302002", PASSWORD),
         "agent": data.add_user(srv, "agent", "agent", "371302", PASSWORD)}
    member = ok(srv, "POST", "/api/v1/persons", {
        "id_number": resident_id(1), "name": "王建国", "residence": "registered", "grid": GRID,
        "political": "party_member"}, t["gw"])["id"]
    helper = ok(srv, "POST", "/api/v1/persons", {
        "id_number": resident_id(2), "name": "李秀英", "residence": "registered",
        "grid": GRID}, t["gw"])["id"]
    branch = ok(srv, "POST", "/api/v1/party/orgs", {
        "name": "东关社区第1网格党支部", "kind": "branch", "grid": GRID}, t["gw"])
    ok(srv, "POST", f"/api/v1/party/orgs/{branch['id']}/members",
       {"person": member, "role": "member"}, t["gw"])
    team = ok(srv, "POST", "/api/v1/volunteer-teams", {
        "name": "东关社区巾帼志愿服务队", "place": GRID, "kind": "women"}, t["gw"])
    ok(srv, "POST", "/api/v1/volunteers", {"person": helper, "team": team["id"]}, t["gw"])
    return t, member, helper


def test_wish_from_the_portal_to_the_residents_confirmation():
    data = Data()
    try:
        srv = Server(data)
        try:
            t, member, helper = setup(data, srv)
            status, appeal = public(srv, "POST", "/appeals", APPEAL)
            assert status == 201, appeal
            code = appeal["code"]
            status, orders = srv.get("/api/v1/orders?limit=5", token=t["gw"])
            order = [o for o in orders["orders"] if o["number"] == appeal["number"]][0]
            assert order["title"].startswith("【心愿】"), order
            # a hotline wish with its reporter's name, and a complaint that is not a wish
            named = ok(srv, "POST", "/api/v1/orders", {
                "channel": "hotline", "type": "wish", "item": "06028",
                "title": "希望社区组织义诊", "content": "希望社区组织一次老年人义诊",
                "lon": 118.303, "lat": 35.003,
                "reporter": {"name": "赵桂兰", "phone": "13812345678"}}, t["agent"])
            complaint = ok(srv, "POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06028",
                "title": "路灯不亮", "content": "小区路灯坏了", "lon": 118.303,
                "lat": 35.003}, t["agent"])
            good = {"order": order["id"], "title": "帮独居老人每周买一次菜",
                    "story": "东关社区一位腿脚不便的老人，希望有人每周帮忙买一次菜。"}
            for body, word in [
                    (dict(good, title="请联系 139-0539-1234"), "'title'"),
                    (dict(good, story="联系电话13905391234"), "'story'"),
                    (dict(good, story="身份证" + resident_id(3)), "'story'"),
                    (dict(good, order=named["id"], story="赵桂兰阿姨想参加义诊"), "'story'"),
                    (dict(good, order=complaint["id"]), "'order'"),
                    (dict(good, order=999999), "'order'"),
                    (dict(good, title=""), "'title'"),
                    (dict(good, story="好" * 501), "'story'"),
                    (dict(good, colour="green"), "'colour'")]:
                status, e = srv.json("POST", "/api/v1/wishes", body, token=t["gw"])
                assert status == 400 and word in e["error"]["message"], (body, e)
            status, e = srv.json("POST", "/api/v1/wishes", good, token=t["west"])
            assert status == 400 and "'order'" in e["error"]["message"], e
            status, _ = srv.json("POST", "/api/v1/wishes", good, token=t["agent"])
            assert status == 403
            assert data.count("wish") == 0 and data.count("wish_event") == 0
            wish = ok(srv, "POST", "/api/v1/wishes", good, t["gw"])
            assert wish["state"] == "published" and wish["order"] == order["id"], wish
            assert wish["community_name"] and wish["grid_name"], wish
            status, e = srv.json("POST", "/api/v1/wishes", good, token=t["gw"])
            assert status == 409 and "already" in e["error"]["message"], e
            # read in scope only
            status, _ = srv.get(f"/api/v1/wishes/{wish['id']}", token=t["west"])
            assert status == 404
            status, page = srv.get("/api/v1/wishes", token=t["agent"])
            assert [w["id"] for w in page["wishes"]] == [wish["id"]], page
            # the resident may not confirm before it is fulfilled
            status, e = public(srv, "POST", f"/appeals/{code}/wish", {"confirmed": True})
            assert status == 409 and "published" in e["error"]["message"], e
            # claim: without If-Match, a non-member as party member, a stranger, then a lost race
            move(srv, t["gw"], wish, "claim", {"person": member, "as": "party_member"},
                 version=False, expect=400)
            e = move(srv, t["gw"], wish, "claim", {"person": helper, "as": "party_member"},
                     expect=400)
            assert "'as'" in e["error"]["message"], e
            e = move(srv, t["gw"], wish, "claim", {"person": 999999, "as": "volunteer"},
                     expect=400)
            assert "'person'" in e["error"]["message"], e
            e = move(srv, t["gw"], wish, "claim", {"person": member, "as": "mayor"}, expect=400)
            assert "'as'" in e["error"]["message"], e
            e = move(srv, t["gw"], wish, "fulfil", {"note": "已完成"}, expect=409)
            assert "published" in e["error"]["message"], e
            claimed = move(srv, t["gw"], wish, "claim", {"person": member, "as": "party_member"})
            assert claimed["state"] == "claimed" and claimed["claimant"] == "党员 王*", claimed
            move(srv, t["gw"], wish, "withdraw", {"reason": "重复"}, expect=409)  # stale version
            e = move(srv, t["gw"], claimed, "fulfil", {"note": "已完成", "photo": "abc"},
                     expect=400)
            assert "'photo'" in e["error"]["message"], e
            done = move(srv, t["gw"], claimed, "fulfil", {
                "note": "党员志愿者每周六上午帮老人采购蔬菜，已坚持一个月", "photo": "a" * 64})
            assert done["state"] == "fulfilled", done
            # the public wall: no order, no resident, the claimant masked
            status, wall = public(srv, "GET", f"/wishes?village={VILLAGE}")
            assert status == 200 and len(wall["wishes"]) == 1, wall
            shown = wall["wishes"][0]
            assert shown["claimant"] == "党员 王*" and shown["state"] == "fulfilled", shown
            text = json.dumps(wall, ensure_ascii=False)
            for secret in ("13905391234", "order", "created_by", "王建国"):
                assert secret not in text, (secret, text)
            status, e = public(srv, "GET", "/wishes?state=withdrawn")
            assert status == 400 and "'state'" in e["error"]["message"], e
            # the resident sees the progress and confirms with thanks
            status, view = public(srv, "GET", f"/appeals/{code}")
            assert view["wish"]["state"] == "fulfilled" and view["wish"]["confirmable"], view
            status, e = public(srv, "POST", f"/appeals/{code}/wish", {"confirmed": False})
            assert status == 400 and "'confirmed'" in e["error"]["message"], e
            status, e = public(srv, "POST", f"/appeals/{code}/wish",
                               {"confirmed": True, "thanks": "打我电话13905391234"})
            assert status == 400 and "'thanks'" in e["error"]["message"], e
            status, view = public(srv, "POST", f"/appeals/{code}/wish",
                                  {"confirmed": True, "thanks": "谢谢党员同志，菜很新鲜！"})
            assert status == 200 and view["wish"]["state"] == "confirmed", view
            assert not view["wish"]["confirmable"], view
            status, e = public(srv, "POST", f"/appeals/{code}/wish", {"confirmed": True})
            assert status == 409, e
            status, e = public(srv, "POST", "/appeals/AAAA-BBBB-CCCC-DDDD/wish",
                               {"confirmed": True})
            assert status == 404, e
            # the staff view's timeline, the order's, the audit
            status, final = srv.get(f"/api/v1/wishes/{wish['id']}", token=t["agent"])
            assert [e["action"] for e in final["timeline"]] == [
                "publish", "claim", "fulfil", "confirm"], final
            assert final["thanks"] == "谢谢党员同志，菜很新鲜！", final
            move(srv, t["gw"], final, "withdraw", {"reason": "撤回"}, expect=409)
            status, o = srv.get(f"/api/v1/orders/{order['id']}", token=t["agent"])
            steps = [json.loads(e["detail"])["step"] if isinstance(e.get("detail"), str)
                     else e["detail"]["step"] for e in o["timeline"] if e["action"] == "wish"]
            assert steps == ["publish", "claim", "fulfil", "confirm"], o["timeline"]
            db = data.store()
            try:
                rows = db.execute("SELECT action, result FROM audit WHERE action LIKE 'wish.%' "
                                  "OR action = 'portal.wish_confirm' ORDER BY seq").fetchall()
            finally:
                db.close()
            assert ("wish.publish", "ok") in [tuple(r) for r in rows], rows
            assert ("portal.wish_confirm", "ok") in [tuple(r) for r in rows], rows
            assert any(r[1] != "ok" for r in rows), rows  # refusals too

            # a volunteer's claim, and a withdrawal
            second = ok(srv, "POST", "/api/v1/wishes", {
                "order": named["id"], "title": "组织老年人义诊",
                "story": "社区老人希望有医生上门量血压、讲健康知识。"}, t["gw"])
            # a party member who serves in no volunteer team is not taken as a volunteer
            e = move(srv, t["gw"], second, "claim", {"person": member, "as": "volunteer"},
                     expect=400)
            assert "'as'" in e["error"]["message"], e
            claimed = move(srv, t["gw"], second, "claim", {"person": helper, "as": "volunteer"})
            assert claimed["claimant"] == "志愿者 李*", claimed
            gone = move(srv, t["gw"], claimed, "withdraw", {"reason": "社区卫生室已安排义诊"})
            assert gone["state"] == "withdrawn", gone
            status, wall = public(srv, "GET", "/wishes")
            assert [w["id"] for w in wall["wishes"]] == [wish["id"]], wall
        finally:
            srv.stop()
    finally:
        data.close()
