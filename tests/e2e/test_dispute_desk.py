"""The dispute desk around a case: its clock on the working calendar and the sweep that
supervises it past due, the mediation bodies and mediators it is given, the order it answers
when it came from one, the parties following it on the portal by its code, and the figures
counted as it goes."""
import time

from harness import Data, Server, act
from test_disputes import GRID, case, setup

CLOSE = 17 * 3600 + 30 * 60  # a working day's close, 17:30 China time, in seconds of its day


def step(srv, token, c, name, body=None):
    status, got = srv.json("POST", f"/api/v1/disputes/{c['id']}/actions/{name}", body or {},
                           token=token, headers={"If-Match": f'"{c["version"]}"'})
    return status, got


def ok_step(srv, token, c, name, body=None):
    status, got = step(srv, token, c, name, body)
    assert status == 200, (name, got)
    return got


def body(name="东关社区人民调解委员会", region="371302001001", members=None, kind="village_committee"):
    return {"name": name, "kind": kind, "region": region, "address": "东关社区党群服务中心二楼",
            "phone": "0539-8123456", "members": members or []}


def test_clock_desk_order_and_the_sweep_supervising_past_due():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, _, town, _ = setup(data, srv)
            lead = data.add_user(srv, "lead", "leader", "371302001", "Lead-pass-2026")
            status, red = srv.json("POST", "/api/v1/disputes", case(risk="red"), token=town)
            assert status == 201, red
            # red and orange: due by the close of the working day they were registered on
            assert red["due_at"] > red["created_at"], red
            assert (red["due_at"] + 8 * 3600) % 86400 == CLOSE, red
            assert red["light"] in ("green", "yellow") and red["supervised"] is False, red
            status, green = srv.json("POST", "/api/v1/disputes", case(risk="green"), token=gw)
            assert status == 201, green
            assert green["due_at"] > red["due_at"] - 86400, green
            # accepting starts the level's box: a grid's five working days
            green = ok_step(srv, gw, green, "accept", {"note": "网格员当场受理"})
            assert green["accepted_at"] and green["due_at"] > green["accepted_at"] + 5 * 86400, green
            status, page = srv.get("/api/v1/disputes?sort=due", token=town)
            assert status == 200, page
            assert [d["id"] for d in page["disputes"]] == [red["id"], green["id"]], page
            status, page = srv.get("/api/v1/disputes?sort=due&limit=1", token=town)
            assert len(page["disputes"]) == 1 and page["next_cursor"], page
            status, page2 = srv.get("/api/v1/disputes?sort=due&limit=1&cursor=" +
                                    page["next_cursor"], token=town)
            assert [d["id"] for d in page2["disputes"]] == [green["id"]], page2
            status, page = srv.get("/api/v1/disputes?level=grid", token=town)
            assert [d["id"] for d in page["disputes"]] == [green["id"]], page
            status, page = srv.get("/api/v1/disputes?overdue=1", token=town)
            assert page["disputes"] == [], page
            for bad, field in [("sort=soon", "'sort'"), ("level=province", "'level'"),
                               ("overdue=yes", "'overdue'")]:
                status, got = srv.get("/api/v1/disputes?" + bad, token=town)
                assert status == 400 and field in got["error"]["message"], (bad, got)
        finally:
            srv.stop()
        db = data.store()
        db.execute("UPDATE dispute SET due_at = ? WHERE id = ?", (int(time.time()) - 600,
                                                                  green["id"]))
        db.commit()
        told = db.execute("SELECT recipient FROM outbox WHERE kind = 'dispute_red'").fetchall()
        db.close()
        assert ("lead",) in told and ("town",) in told, told
        srv = Server(data)  # its sweep runs about a second after it starts
        try:
            deadline = time.time() + 30
            while True:
                status, got = srv.get(f"/api/v1/disputes/{green['id']}", token=town)
                if got["supervised"]:
                    break
                assert time.time() < deadline, got
                time.sleep(0.3)
            last = got["timeline"][-1]
            assert last["action"] == "supervise" and last["actor"] == "system", got
            assert got["light"] == "red", got
            status, page = srv.get("/api/v1/disputes?overdue=1", token=town)
            assert [d["id"] for d in page["disputes"]] == [green["id"]], page
        finally:
            srv.stop()
        db = data.store()
        told = db.execute("SELECT recipient FROM outbox WHERE kind = 'dispute_overdue'").fetchall()
        db.close()
        assert ("gw",) in told, told
    finally:
        data.close()


def test_mediation_bodies_members_and_a_case_given_to_them():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, _, town, med = setup(data, srv)
            data.add_user(srv, "med2", "mediator", "371302001", "Mediator-pass-2026")
            members = [{"username": "med", "full_time": True,
                        "specialities": ["neighbours", "marriage_family"]},
                       {"username": "med2", "full_time": False}]
            status, b = srv.json("POST", "/api/v1/mediation-bodies", body(members=members),
                                 token=town)
            assert status == 201, b
            assert [m["username"] for m in b["members"]] == ["med", "med2"], b
            assert b["members"][0]["specialities"] == ["neighbours", "marriage_family"], b
            assert b["version"] == 1 and b["open_cases"] == 0, b
            for bad, field in [(dict(body(), kind="office"), "'kind'"),
                               (dict(body(), region="371302002"), "'region'"),
                               (body(members=[{"username": "gw"}]), "members[0].username"),
                               (body(members=[{"username": "med"}, {"username": "med"}]),
                                "members[1].username"),
                               (body(members=[{"username": "med", "specialities": ["gossip"]}]),
                                "members[0].specialities[0]"),
                               (dict(body(), name=""), "'name'"),
                               (dict(body(), extra=1), "'extra'")]:
                status, got = srv.json("POST", "/api/v1/mediation-bodies", bad, token=town)
                assert status == 400 and field in got["error"]["message"], (bad, got)
            status, got = srv.json("POST", "/api/v1/mediation-bodies", body(), token=gw)
            assert status == 403, got
            status, listing = srv.get("/api/v1/mediation-bodies", token=med)
            assert [x["id"] for x in listing["bodies"]] == [b["id"]], listing
            assert [m["username"] for m in listing["bodies"][0]["members"]] == ["med", "med2"], \
                listing
            # a case given to the body and a mediator on acceptance
            status, c = srv.json("POST", "/api/v1/disputes", case(), token=gw)
            status, got = step(srv, med, c, "accept", {"body": b["id"], "mediator": "gw"})
            assert status == 400 and "'mediator'" in got["error"]["message"], got
            status, got = step(srv, med, c, "accept", {"mediator": "med"})
            assert status == 400 and "'body'" in got["error"]["message"], got
            c = ok_step(srv, med, c, "accept", {"body": b["id"], "mediator": "med"})
            assert c["body"] == {"id": b["id"], "name": b["name"]} and c["mediator"] == "med", c
            status, page = srv.get("/api/v1/disputes?mediator=med", token=med)
            assert [d["id"] for d in page["disputes"]] == [c["id"]], page
            c = ok_step(srv, town, c, "assign", {"body": b["id"], "mediator": "med2"})
            assert c["mediator"] == "med2", c
            status, got = srv.get(f"/api/v1/mediation-bodies/{b['id']}", token=town)
            assert got["open_cases"] == 1 and got["members"][1]["open_cases"] == 1, got
            status, listing = srv.get("/api/v1/mediation-bodies", token=town)
            assert listing["bodies"][0]["open_cases"] == 1, listing
            # one level up, the new level's body takes it again
            c = ok_step(srv, med, c, "escalate", {"reason": "双方分歧较大，提交社区调委会"})
            assert c["body"] is None and c["mediator"] is None and c["level"] == "village", c
            # replaced whole under the version read
            renamed = body(name="东关社区人民调解委员会（新址）", members=members[:1])
            status, got = srv.json("PUT", f"/api/v1/mediation-bodies/{b['id']}", renamed,
                                   token=town, headers={"If-Match": '"1"'})
            assert status == 200 and got["version"] == 2 and len(got["members"]) == 1, got
            status, got = srv.json("PUT", f"/api/v1/mediation-bodies/{b['id']}", renamed,
                                   token=town, headers={"If-Match": '"1"'})
            assert status == 412, got
        finally:
            srv.stop()
    finally:
        data.close()


def test_the_order_answered_the_parties_portal_and_the_figures():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, _, town, med = setup(data, srv)
            status, o = srv.json("POST", "/api/v1/orders",
                                 {"channel": "hotline", "type": "complaint", "title": "邻里漏水纠纷",
                                  "content": "楼上漏水，协商不成", "lon": 118.3055, "lat": 35.0055,
                                  "urgency": "urgent",
                                  "reporter": {"name": "王秀英", "phone": "13800138000"}},
                                 token=town)
            assert status == 201, o
            for bad in [{"line": "joint_conference", "dispute_type": "gossip"},
                        {"line": "joint_conference", "risk": 3}]:
                answer = act(srv, town, o, "route_line", bad, expect=400)
                assert "error" in answer, answer
            act(srv, town, o, "route_line", {"line": "joint_conference",
                                             "dispute_type": "neighbours"})
            # the line opened the case: the reporter its applicant, the urgency its colour
            status, seen = srv.get(f"/api/v1/orders/{o['id']}", token=town)
            status, c = srv.get(f"/api/v1/disputes/{seen['disputes'][0]['id']}", token=gw)
            assert c["type"] == "neighbours" and c["risk"] == "orange", c
            assert [(p["role"], p["name"], p["phone"]) for p in c["parties"]] == [
                ("applicant", "王*", "138****8000")], c
            assert "code" not in c, c
            # the respondent, found when the case is worked
            c = ok_step(srv, gw, c, "party", {"role": "respondent", "name": "李建国",
                                              "phone": "13912345678"})
            assert [p["name"] for p in c["parties"]] == ["王*", "李*"], c
            assert c["timeline"][-1]["record"] == {"role": "respondent"}, c
            status, got = step(srv, gw, c, "party", {"role": "judge", "name": "某"})
            assert status == 400 and "'role'" in got["error"]["message"], got
            status, again = srv.json("POST", f"/api/v1/disputes/{c['id']}/code", None, token=gw)
            assert status == 200 and again["code"], again
            code, c = again["code"], again
            c = ok_step(srv, gw, c, "accept")
            c = ok_step(srv, gw, c, "mediate")
            c = ok_step(srv, gw, c, "session", {"at": int(time.time()), "place": "东关社区调解室",
                                                "attendees": "王秀英、李建国、网格员",
                                                "record": "双方同意由楼上住户承担维修费用"})
            c = ok_step(srv, gw, c, "agree", {"form": "written", "facts": "楼上卫生间漏水",
                                              "terms": "李建国赔偿王秀英维修费3200.5元",
                                              "performance": "2026年12月15日前一次付清"})
            status, seen = srv.get(f"/api/v1/orders/{o['id']}", token=town)
            reply = [e for e in seen["timeline"] if e["action"] == "line_reply"]
            assert len(reply) == 1 and reply[0]["actor"] == "system", seen
            assert '"outcome":"agreed"' in reply[0]["detail"], reply
            assert "王秀英" not in reply[0]["detail"], reply
            assert seen["disputes"][0]["end_level"] == "town", seen
            # the parties follow the case by its code, and see nobody's personal data
            status, pub = srv.get(f"/api/v1/public/disputes/{code}")
            assert status == 200, pub
            assert pub["state"] == "agreed" and pub["number"] == c["number"], pub
            assert pub["sessions"][0]["place"] == "东关社区调解室", pub
            assert pub["agreement"]["form"] == "written", pub
            assert pub["agreement"]["performed"] is False, pub
            text = str(pub)
            for secret in ["王秀英", "李建国", "138", "维修费", "gw"]:
                assert secret not in text, (secret, pub)
            status, got = srv.get("/api/v1/public/disputes/ABCD-EFGH-JKMN-PQRS")
            assert status == 404, got
            status, again = srv.json("POST", f"/api/v1/disputes/{c['id']}/code", None, token=gw)
            assert status == 200 and again["code"] != code, again
            status, got = srv.get(f"/api/v1/public/disputes/{code}")
            assert status == 404, got
            c = ok_step(srv, gw, again, "perform")
            status, pub = srv.get(f"/api/v1/public/disputes/{again['code']}")
            assert pub["agreement"]["performed"] is True, pub
            # figures: counted as it went
            status, f = srv.get("/api/v1/stats/disputes?by=level", token=town)
            assert status == 200, f
            t = f["totals"]
            assert (t["found"], t["accepted"], t["mediated"], t["successful"]) == (1, 1, 1, 1), f
            assert t["performed"] == 1 and t["amount"] == 0, f  # the order named no amount
            assert t["success_rate"] == 1.0 and t["low_share"] == 0.0, f
            assert [r["key"] for r in f["rows"]] == ["town"], f
            status, f = srv.get("/api/v1/stats/disputes?by=region&region=371302001", token=med)
            assert status == 200 and f["rows"][0]["key"] == "371302001001", f
            for bad, field in [("from=2026-13-01", "'from'"), ("by=colour", "'by'"),
                               ("from=2026-12-31&to=2026-12-01", "'from'")]:
                status, got = srv.get("/api/v1/stats/disputes?" + bad, token=town)
                assert status == 400 and field in got["error"]["message"], (bad, got)
        finally:
            srv.stop()
    finally:
        data.close()
