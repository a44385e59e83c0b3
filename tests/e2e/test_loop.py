"""The rest of the closed loop: co-handling (协办), merged duplicates (并单), the special lines
and the light filter, walked through the real server."""
import json
import time

from harness import Data, Server, act

PASSWORD = "Loop-pass-2026"

NOISE = {"channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
         "content": "夜间施工", "lon": 118.303, "lat": 35.003,
         "reporter": {"name": "张三", "phone": "13812345678"}}


def user(data, srv, name, role, scope="371302"):
    return data.add_user(srv, name, role, scope, PASSWORD)


def units(srv, *ids):
    for uid in ids:
        status, body = srv.json("POST", "/api/v1/units", {"id": uid, "name": "单位" + uid,
                                                          "kind": "department",
                                                          "regions": ["371302"]})
        assert status == 201, body


def get(srv, token, order, expect=200):
    status, body = srv.json("GET", f"/api/v1/orders/{order['id']}", token=token)
    assert status == expect, (status, body)
    return body


def listed(srv, token, query=""):
    status, body = srv.json("GET", "/api/v1/orders?" + query, token=token)
    assert status == 200, (query, body)
    return [o["id"] for o in body["orders"]]


def db_rows(data, sql, *args):
    db = data.store()
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def test_cohandling_lead_and_assisting_units():
    data = Data()
    try:
        srv = Server(data)
        try:
            units(srv, "cgzf", "gas", "water", "other")
            ag = user(data, srv, "ag", "agent")
            lead = user(data, srv, "h-cgzf", "handler", "unit:cgzf")
            gas = user(data, srv, "h-gas", "handler", "unit:gas")
            water = user(data, srv, "h-water", "handler", "unit:water")
            other = user(data, srv, "h-other", "handler", "unit:other")
            status, rule = srv.json("POST", "/api/v1/routing-rules", {
                "item": "06028", "region": "371302", "lead": "cgzf",
                "assisting": ["gas", "water"]})
            assert status == 201, rule
            status, rules = srv.get("/api/v1/routing-rules")
            assert rules["rules"][0]["assisting"] == ["gas", "water"], rules
            status, o = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            assert status == 201, o
            # the suggestion names the assisting units and the dispatch that follows it
            status, route = srv.json("GET", f"/api/v1/orders/{o['id']}/route", token=ag)
            assert route["assisting"] == [{"id": "gas", "name": "单位gas"},
                                          {"id": "water", "name": "单位water"}], route
            assert route["dispatch"] == {"unit": "cgzf", "assisting": ["gas", "water"]}, route
            # before dispatch no unit sees it
            get(srv, gas, o, 404)
            assert listed(srv, gas) == [] and listed(srv, lead) == []
            # bad dispatches name what is wrong and change nothing
            for body, word in [({"unit": "cgzf", "assisting": ["cgzf"]}, "'cgzf' is the lead unit"),
                               ({"unit": "cgzf", "assisting": ["gas", "gas"]},
                                "assisting[1]: unit 'gas' is named twice"),
                               ({"unit": "cgzf", "assisting": ["gas", "nobody"]},
                                "assisting[1]: unit 'nobody' does not exist"),
                               ({"unit": "cgzf", "assisting": "gas"}, "must be an array"),
                               ({"unit": "cgzf", "assisting": [7]}, "assisting[0] must be a unit id"),
                               ({"unit": "nobody", "assisting": ["gas"]}, "unit 'nobody' does not exist")]:
                answer = act(srv, ag, o, "dispatch", body, expect=400)
                assert word in answer["error"]["message"], (body, answer)
            assert get(srv, ag, o)["version"] == 1
            assert db_rows(data, "SELECT COUNT(*) FROM order_assist") == [(0,)]
            o = act(srv, ag, o, "dispatch", route["dispatch"])
            assert o["state"] == "dispatched" and o["unit"] == "cgzf", o
            assert o["assisting"] == [{"unit": "gas"}, {"unit": "water"}], o
            # assisting units see it in their lists and detail; a stranger does not
            assert listed(srv, gas) == [o["id"]] and listed(srv, water) == [o["id"]]
            assert listed(srv, lead) == [o["id"]] and listed(srv, other) == []
            get(srv, other, o, 404)
            act(srv, other, o, "sign", expect=404)
            seen = get(srv, gas, o)
            assert seen["allowed_actions"] == ["sign", "reply", "note"], seen
            assert get(srv, lead, o)["allowed_actions"] == ["sign", "return", "note", "contact"]
            # an assisting unit hears of its part
            status, notes = srv.get("/api/v1/notifications", token=gas)
            assert [n["kind"] for n in notes["notifications"]] == ["assist"], notes
            assert notes["notifications"][0]["payload"]["order"]["unit"] == "cgzf", notes
            # an assisting unit signs its part: recorded, the state is the lead's
            o = act(srv, gas, o, "sign")
            assert o["state"] == "dispatched" and o["assisting"][0]["signed_at"], o
            answer = act(srv, gas, o, "return", expect=409)
            assert "only the lead unit" in answer["error"]["message"], answer
            o = act(srv, lead, o, "sign")
            assert o["state"] == "signed", o
            o = act(srv, gas, o, "reply", {"result": "燃气管线已查"})
            assert o["state"] == "signed" and o["assisting"][0]["replied_at"], o
            o = act(srv, water, o, "reply", {"result": "供水正常"})
            assert o["state"] == "signed", o
            assert o["assisting"][1]["signed_at"] and o["assisting"][1]["replied_at"], o
            # the order is replied when the lead replies
            o = act(srv, lead, o, "reply", {"result": "已处理"})
            assert o["state"] == "replied", o
            answer = act(srv, gas, o, "reply", {"result": "补充"}, expect=409)
            assert "allowed for handler: note" in answer["error"]["message"], answer
            steps = [(e["actor"], e["action"], e.get("from"), e.get("to")) for e in o["timeline"]]
            assert steps[1:] == [("ag", "dispatch", "received", "dispatched"),
                                 ("h-gas", "sign", "dispatched", "dispatched"),
                                 ("h-cgzf", "sign", "dispatched", "signed"),
                                 ("h-gas", "reply", "signed", "signed"),
                                 ("h-water", "reply", "signed", "signed"),
                                 ("h-cgzf", "reply", "signed", "replied")], steps
            # the unit filter finds the lead's and the assisting units' work
            assert listed(srv, ag, "unit=gas") == [o["id"]]
            assert listed(srv, ag, "unit=cgzf") == [o["id"]]
            assert listed(srv, ag, "unit=other") == []
            assert listed(srv, gas, "unit=cgzf") == []  # only its own unit's work
            status, body = srv.json("GET", "/api/v1/orders?unit=nobody", token=ag)
            assert status == 400 and "'nobody' is not a unit" in body["error"]["message"], body
            # a return approved takes the order back from every unit
            status, o2 = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            o2 = act(srv, ag, o2, "dispatch", {"unit": "cgzf", "assisting": ["water"]})
            o2 = act(srv, lead, o2, "return", {"reason": "不归我们"})
            o2 = act(srv, ag, o2, "approve_return")
            assert o2["state"] == "received" and "assisting" not in o2 and "unit" not in o2, o2
            get(srv, water, o2, 404)
        finally:
            srv.stop()
    finally:
        data.close()


def test_merged_duplicates_follow_their_master_and_every_reporter_is_called_back():
    data = Data()
    try:
        srv = Server(data)
        try:
            units(srv, "cgzf")
            ag = user(data, srv, "ag", "agent")
            hd = user(data, srv, "h1", "handler", "unit:cgzf")
            status, master = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            status, dup = srv.json("POST", "/api/v1/orders",
                                   dict(NOISE, reporter={"name": "李四", "phone": "13900001111"}),
                                   token=ag)
            status, anon = srv.json("POST", "/api/v1/orders", dict(NOISE, anonymous=True), token=ag)
            status, closed = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            closed = act(srv, ag, closed, "answer", {"answer": "已解答"})
            closed = act(srv, ag, closed, "callback", {"reached": True, "satisfaction": "satisfied"})
            # bad merges
            for into, code, word in [(9999, 400, "order 9999 does not exist"),
                                     (closed["id"], 400, "is closed"),
                                     ("x", 400, "'into'")]:
                answer = act(srv, ag, dup, "merge", {"into": into}, expect=code)
                assert word in answer["error"]["message"], (into, answer)
            master = act(srv, ag, master, "dispatch", {"unit": "cgzf"})
            dup = act(srv, ag, dup, "merge", {"into": master["id"]})
            anon = act(srv, ag, anon, "merge", {"into": master["id"]})
            assert dup["state"] == "merged" and dup["master"] == master["id"], dup
            assert dup["master_state"] == "dispatched", dup
            # nothing merges into a duplicate, and a master is nobody's duplicate
            status, third = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            answer = act(srv, ag, third, "merge", {"into": dup["id"]}, expect=400)
            assert "is merged" in answer["error"]["message"], answer
            master = get(srv, ag, master)
            assert "merge" not in master["allowed_actions"], master
            answer = act(srv, ag, master, "merge", {"into": third["id"]}, expect=409)
            assert "a master is not merged" in answer["error"]["message"], answer
            assert master["merged"] == [
                {"id": dup["id"], "number": dup["number"], "called_back": False},
                {"id": anon["id"], "number": anon["number"], "called_back": False,
                 "anonymous": True}], master
            # the duplicate's reporter is asked once the master's work is verified
            answer = act(srv, ag, dup, "callback", {"reached": True, "satisfaction": "satisfied"},
                         expect=409)
            assert "once its master is verified" in answer["error"]["message"], answer
            master = act(srv, hd, master, "sign")
            master = act(srv, hd, master, "reply", {"result": "已停工"})
            master = act(srv, ag, master, "verify", {"passed": True})
            assert "callback" not in master["allowed_actions"], master
            answer = act(srv, ag, master, "callback", {"reached": True, "satisfaction": "satisfied"},
                         expect=409)
            assert "orders merged into it are called back first" in answer["error"]["message"]
            dup = get(srv, ag, dup)
            assert dup["master_state"] == "verified" and "callback" in dup["allowed_actions"], dup
            dup = act(srv, ag, dup, "callback", {"reached": True, "satisfaction": "unsatisfied"})
            assert dup["state"] == "merged", dup  # recorded; the master's own callback decides
            answer = act(srv, ag, dup, "callback", {"reached": True, "satisfaction": "satisfied"},
                         expect=409)
            assert "called back already" in answer["error"]["message"], answer
            master = get(srv, ag, master)
            assert master["merged"][0]["called_back"] is True, master
            assert master["merged"][0]["satisfaction"] == "unsatisfied", master
            master = act(srv, ag, master, "callback", {"reached": True, "satisfaction": "satisfied"})
            assert master["state"] == "closed", master
            dup = get(srv, ag, dup)
            assert dup["state"] == "merged" and dup["master_state"] == "closed", dup
            assert [e["action"] for e in dup["timeline"]] == ["create", "merge", "callback"], dup
            # the unit that handled the master sees its duplicates only through it
            get(srv, hd, dup, 404)
        finally:
            srv.stop()
    finally:
        data.close()


def test_special_lines_recorded_listed_and_filtered():
    data = Data()
    try:
        srv = Server(data)
        try:
            units(srv, "cgzf")
            ag = user(data, srv, "ag", "agent")
            hd = user(data, srv, "h1", "handler")
            status, o = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            status, plain = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            for body, code, word in [({}, 400, "route_line needs 'line'"),
                                     ({"line": "court"}, 400, "special_team, judicial"),
                                     ({"line": 3}, 400, "'line'")]:
                answer = act(srv, ag, o, "route_line", body, expect=code)
                assert word in answer["error"]["message"], (body, answer)
            act(srv, hd, o, "route_line", {"line": "judicial"}, expect=403)
            lines = ["judicial", "joint_conference", "assistance", "special_team"]
            for line in lines:
                o = act(srv, ag, o, "route_line", {"line": line, "note": "转" + line})
                assert o["state"] == "received", o
            assert sorted(l["line"] for l in o["lines"]) == sorted(lines), o
            assert all(l["by"] == "ag" and l["at"] for l in o["lines"]), o
            assert "lines" not in get(srv, ag, plain)
            answer = act(srv, ag, o, "route_line", {"line": "judicial"}, expect=409)
            assert "already on the judicial line" in answer["error"]["message"], answer
            events = [e for e in o["timeline"] if e["action"] == "route_line"]
            assert [json.loads(e["detail"])["line"] for e in events] == lines, events
            for line in lines:
                assert listed(srv, ag, "line=" + line) == [o["id"]], line
            status, body = srv.json("GET", "/api/v1/orders?line=court", token=ag)
            assert status == 400 and "'line' 'court'" in body["error"]["message"], body
            # a second 不满意 closes the order and puts it on the special team's line
            status, o2 = srv.json("POST", "/api/v1/orders", NOISE, token=ag)
            o2 = act(srv, ag, o2, "dispatch", {"unit": "cgzf"})
            for _ in range(2):
                o2 = act(srv, hd, o2, "sign")
                o2 = act(srv, hd, o2, "reply", {"result": "处理"})
                o2 = act(srv, ag, o2, "verify", {"passed": True})
                o2 = act(srv, ag, o2, "callback", {"reached": True, "satisfaction": "unsatisfied"})
            assert o2["state"] == "closed", o2
            assert [l["line"] for l in o2["lines"]] == ["special_team"], o2
            assert listed(srv, ag, "line=special_team") == [o2["id"], o["id"]]
            status, _, raw = srv.request("GET", "/api/v1/orders.csv?line=judicial", token=ag)
            rows = [r for r in raw.decode("utf-8-sig").split("\r\n") if r]
            assert status == 200 and len(rows) == 2 and o["number"] in rows[1], rows
        finally:
            srv.stop()
    finally:
        data.close()


def test_light_filter_matches_the_light_of_each_order():
    data = Data()
    try:
        srv = Server(data)
        try:
            units(srv, "cgzf")
            ag = user(data, srv, "ag", "agent")
            made = {}
            for name, urgency in [("green_w", "normal"), ("yellow_w", "normal"), ("red_w", "normal"),
                                  ("green_n", "critical"), ("yellow_n", "critical"),
                                  ("red_n", "critical"), ("idle", "normal")]:
                status, o = srv.json("POST", "/api/v1/orders", dict(NOISE, title=name,
                                                                    urgency=urgency), token=ag)
                assert status == 201, o
                if name != "idle":
                    o = act(srv, ag, o, "dispatch", {"unit": "cgzf"})
                made[name] = o
            now = int(time.time())
            day = 86400
            # place each clock where its light is known (natural time for critical orders;
            # the working calendar for normal ones, far enough either side of 80%)
            clocks = {"yellow_w": (now - 60 * day, now + day), "red_w": (now - 10 * day, now - 60),
                      "green_n": (now - 100, now + 7200), "yellow_n": (now - 9000, now + 1000),
                      "red_n": (now - 7200, now - 1)}
            db = data.store()
            for name, (start, deadline) in clocks.items():
                # due_at is the reply deadline the desks read (migration 29), kept with it
                db.execute("UPDATE work_order SET dispatched_at = ?, reply_deadline = ?, due_at = ? "
                           "WHERE id = ?", (start, deadline, deadline, made[name]["id"]))
            db.commit()
            db.close()
            by_id = {o["id"]: n for n, o in made.items()}
            want = {"green": {"green_w", "green_n"}, "yellow": {"yellow_w", "yellow_n"},
                    "red": {"red_w", "red_n"}}
            for light, names in want.items():
                status, body = srv.json("GET", "/api/v1/orders?light=" + light, token=ag)
                assert status == 200, body
                assert {by_id[o["id"]] for o in body["orders"]} == names, (light, body)
                assert all(o["light"] == light for o in body["orders"]), body
                for name in names:  # the same light as the order's own answer
                    assert get(srv, ag, made[name])["light"] == light, name
            assert "light" not in get(srv, ag, made["idle"])
            # paging counts only the orders of that light
            status, page = srv.json("GET", "/api/v1/orders?light=green&limit=1&offset=1", token=ag)
            assert [o["id"] for o in page["orders"]] == [made["green_w"]["id"]], page
            assert page["limit"] == 1 and page["offset"] == 1, page
            # a desk comes by deadline: the longest overdue first
            status, page = srv.json("GET", "/api/v1/orders?light=red&limit=1", token=ag)
            assert [o["id"] for o in page["orders"]] == [made["red_w"]["id"]], page
            # with the other filters
            assert listed(srv, ag, "light=yellow&state=dispatched") != []
            status, body = srv.json("GET", "/api/v1/orders?light=yellow&state=received", token=ag)
            assert body["orders"] == [], body
            for bad in ["blue", "RED", ""]:
                status, body = srv.json("GET", "/api/v1/orders?light=" + bad, token=ag)
                if bad:
                    assert status == 400 and "'light'" in body["error"]["message"], body
                else:
                    assert status == 200 and len(body["orders"]) == 7, body
            status, _, raw = srv.request("GET", "/api/v1/orders.csv?light=red", token=ag)
            rows = [r for r in raw.decode("utf-8-sig").split("\r\n") if r]
            assert status == 200 and rows[0].endswith('"承办单位","亮灯"'), rows
            assert len(rows) == 3 and all(r.endswith('"cgzf","red"') for r in rows[1:]), rows
            status, _, raw = srv.request("GET", "/api/v1/orders.csv?light=purple", token=ag)
            assert status == 400 and b"'light'" in raw, raw
        finally:
            srv.stop()
    finally:
        data.close()
