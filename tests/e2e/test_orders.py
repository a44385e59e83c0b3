"""Work-order intake: every channel, located to its grid, numbered, reporter protected."""
import json
import os
import re
import urllib.parse

from harness import BACKEND, Data, Server, run

PASSWORD = "Agent-pass-2026"


def agent(data, srv, name="ag", scope="371302"):
    return data.add_user(srv, name, "agent", scope, PASSWORD)


def test_intake_every_channel_locates_and_numbers():
    data = Data()
    try:
        srv = Server(data)
        try:
            token = agent(data, srv)
            numbers = []
            for i, channel in enumerate(["hotline", "web", "app", "gridworker", "window", "mailbox",
                                         "video", "sensor", "open311", "transfer"]):
                status, body = srv.json("POST", "/api/v1/orders", {
                    "channel": channel, "type": "complaint", "item": "06028", "title": "噪声扰民",
                    "content": "楼下烧烤店每天半夜很吵", "address": "兰山区东关社区", "lon": 118.303,
                    "lat": 35.003, "urgency": "normal",
                    "reporter": {"name": "张三", "phone": "13812345678"}}, token=token)
                assert status == 201, body
                assert body["state"] == "received" and body["version"] == 1, body
                assert body["grid"] == "371302001001001", body
                assert body["reporter"] == {"name": "张*", "phone": "138****5678",
                                            "revealable": True}, body
                assert body["timeline"][0]["action"] == "create" and body["timeline"][0]["actor"] == "ag"
                numbers.append(body["number"])
            assert all(re.fullmatch(r"371302-\d{8}-\d{6}", n) for n in numbers), numbers
            assert [int(n[-6:]) for n in numbers] == list(range(1, 11)), numbers
            status, body = srv.json("GET", "/api/v1/orders/1", token=token)
            assert status == 200 and body["number"] == numbers[0], body
            # a GCJ-02 point is converted before it is located
            status, body = srv.json("POST", "/api/v1/orders", {
                "channel": "app", "type": "help", "title": "求助", "content": "c",
                "lon": 118.3080, "lat": 35.0020, "crs": "gcj02", "anonymous": True,
                "reporter": {"name": "李四", "phone": "13900001111"}}, token=token)
            assert status == 201 and body["reporter"] == {"anonymous": True}, body
            assert body["point"]["crs"] == "gcj02" and abs(body["point"]["lon"] - 118.3080) > 1e-4
        finally:
            srv.stop()
        raw = data.raw_bytes()
        assert b"13812345678" not in raw and "张三".encode() not in raw and b"13900001111" not in raw
    finally:
        data.close()


def test_intake_bad_input_changes_nothing():
    data = Data()
    try:
        srv = Server(data)
        try:
            token = agent(data, srv)
            base = {"channel": "hotline", "type": "complaint", "title": "t", "content": "c",
                    "lon": 118.303, "lat": 35.003}
            cases = [({"channel": "fax"}, "'channel' must be one of hotline"),
                     ({"type": "rant"}, "'type' must be one of"),
                     ({"urgency": "now"}, "'urgency'"),
                     ({"title": ""}, "'title'"),
                     ({"content": None}, "'content' is required"),
                     ({"lon": "118"}, "numbers"),
                     ({"lon": 100.0, "lat": 30.0}, "no grid"),
                     ({"crs": "mars"}, "mars"),
                     ({"item": "06-028"}, "'item'"),
                     ({"reporter": {"phone": "12345"}}, "reporter.phone"),
                     ({"anonymous": "yes"}, "'anonymous'")]
            before = data.dump()
            for change, word in cases:
                body = dict(base, **change)
                if body.get("content") is None:
                    body.pop("content")
                status, answer = srv.json("POST", "/api/v1/orders", body, token=token)
                assert status == 400 and word in answer["error"]["message"], (change, answer)
            status, answer = srv.json("POST", "/api/v1/orders", {"channel": "hotline", "type": "consult",
                                                                "title": "t", "content": "c"}, token=token)
            assert status == 400 and "county" in answer["error"]["message"], answer
            status, answer = srv.json("GET", "/api/v1/orders/1", token=token)
            assert status == 404, answer
            status, answer = srv.json("GET", "/api/v1/orders/abc", token=token)
            assert status == 404, answer
            # an id is digits alone: nothing a person did not mean reads as order 1
            for bad in ["+1", "%201", "1%20", "01x", "0x1", "-1", "0"]:
                status, answer = srv.json("GET", "/api/v1/orders/" + bad, token=token)
                assert status == 404 and "does not exist" in answer["error"]["message"], (bad, answer)
            assert data.dump() == before
        finally:
            srv.stop()
    finally:
        data.close()


def test_confidential_reporter_hidden_from_units_and_scope():
    data = Data()
    try:
        srv = Server(data)
        try:
            token = agent(data, srv)
            status, body = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "report", "title": "举报", "content": "c",
                "county": "371302", "confidential": True,
                "reporter": {"name": "王五", "phone": "13700002222"}}, token=token)
            assert status == 201 and body["reporter"]["phone"] == "137****2222", body
            pwfile = os.path.join(data.dir, "pw-h")
            with open(pwfile, "w") as f:
                f.write("Initial-pass-1\n")
            run("user", "add", "--data", data.dir, "--username", "unit1", "--role", "handler",
                "--scope", "371302", "--password-file", pwfile)
            run("user", "add", "--data", data.dir, "--username", "town2", "--role", "agent",
                "--scope", "371302002", "--password-file", pwfile)
            h = srv.login("unit1", "Initial-pass-1")
            srv.json("PUT", "/api/v1/me/password", {"old_password": "Initial-pass-1",
                                                    "new_password": PASSWORD}, token=h)
            status, body = srv.json("GET", f"/api/v1/orders/{body['id']}", token=h)
            assert status == 200 and body["reporter"] == {"confidential": True}, body
            t2 = srv.login("town2", "Initial-pass-1")
            srv.json("PUT", "/api/v1/me/password", {"old_password": "Initial-pass-1",
                                                    "new_password": PASSWORD}, token=t2)
            status, body = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "help", "title": "t", "content": "c",
                "lon": 118.303, "lat": 35.003}, token=t2)
            assert status == 400 and "outside your area" in body["error"]["message"], body
            status, body = srv.json("GET", "/api/v1/orders/1", token=t2)
            assert status == 404, body
        finally:
            srv.stop()
    finally:
        data.close()


def test_list_filters_search_phone_and_csv():
    data = Data()
    try:
        srv = Server(data)
        try:
            token = agent(data, srv)
            rows = [("hotline", "06028", "噪声扰民", "楼下烧烤店每天半夜很吵", 118.303, 35.003, "13812345678"),
                    ("app", "09006", "占道经营", "早市摊贩占用人行道", 118.315, 35.005, "13900001111"),
                    ("hotline", "06028", "工地噪声", "夜间施工噪声扰民", 118.305, 35.015, "+86 138 1234 5678")]
            for ch, item, title, content, lon, lat, phone in rows:
                status, body = srv.json("POST", "/api/v1/orders", {
                    "channel": ch, "type": "complaint", "item": item, "title": title,
                    "content": content, "lon": lon, "lat": lat, "reporter": {"phone": phone}},
                    token=token)
                assert status == 201, body

            def titles(query):
                status, body = srv.json("GET", "/api/v1/orders?" + query, token=token)
                assert status == 200, body
                return [o["title"] for o in body["orders"]]
            assert titles("") == ["工地噪声", "占道经营", "噪声扰民"]
            assert titles("channel=hotline") == ["工地噪声", "噪声扰民"]
            assert titles("item=09006") == ["占道经营"]
            assert titles("grid=371302001002") == ["工地噪声"]
            # a desk (a state) comes by nearest deadline, none yet here: the oldest first
            assert titles("state=received&limit=1") == ["噪声扰民"]
            assert titles("state=received&limit=1&sort=newest") == ["工地噪声"]
            # the same phone written two ways finds both of its orders, through the blind index
            assert titles("phone=13812345678") == ["工地噪声", "噪声扰民"]
            # Chinese full text: three characters and more through the trigram index, fewer by LIKE
            assert titles("q=%E7%83%A7%E7%83%A4%E5%BA%97") == ["噪声扰民"]  # 烧烤店
            assert titles("q=%E5%99%AA%E5%A3%B0") == ["工地噪声", "噪声扰民"]  # 噪声
            for bad, word in [("state=lost", "state"), ("limit=0", "limit"), ("channel=fax", "channel"),
                              ("grid=12x", "grid")]:
                status, body = srv.json("GET", "/api/v1/orders?" + bad, token=token)
                assert status == 400 and word in body["error"]["message"], (bad, body)
            status, headers, raw = srv.request("GET", "/api/v1/orders.csv?channel=hotline", token=token)
            assert status == 200 and headers["Content-Type"].startswith("text/csv")
            assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
            lines = raw.decode("utf-8-sig").split("\r\n")
            assert lines[0].startswith('"工单编号"') and len([l for l in lines if l]) == 3, lines
            assert "13812345678" not in raw.decode("utf-8-sig")
        finally:
            srv.stop()
    finally:
        data.close()


def test_search_matches_the_words_as_written():
    """q finds the text as one run of characters, in the title or the content: not its
    pieces scattered apart, and a % or _ in it is itself, not a wildcard. Latin letters
    match in either case."""
    data = Data()
    try:
        srv = Server(data)
        try:
            token = agent(data, srv)
            rows = [("路灯不亮", "小区门口的路灯坏了"),
                    ("灯光昏暗", "路灯不太好，西头灯不亮的地方很黑"),  # 路灯不 … 灯不亮, apart
                    ("WiFi 信号差", "社区活动室打五折50%的通知看不清"),
                    ("信号弱", "手机信号 5G 时有时无")]
            for title, content in rows:
                status, body = srv.json("POST", "/api/v1/orders", {
                    "channel": "hotline", "type": "complaint", "title": title, "content": content,
                    "lon": 118.303, "lat": 35.003}, token=token)
                assert status == 201, body

            def titles(text):
                status, body = srv.json("GET", "/api/v1/orders?q=" + urllib.parse.quote(text),
                                        token=token)
                assert status == 200, body
                return [o["title"] for o in body["orders"]]
            assert titles("路灯不亮") == ["路灯不亮"]
            assert titles("灯不亮") == ["灯光昏暗", "路灯不亮"]
            assert titles("路灯") == ["灯光昏暗", "路灯不亮"]
            assert titles("wifi 信号") == ["WiFi 信号差"]
            assert titles("WIFI") == ["WiFi 信号差"]
            assert titles("50%") == ["WiFi 信号差"]
            assert titles("%") == ["WiFi 信号差"]
            assert titles("_") == []
            assert titles("5_") == []
            assert titles("\\") == []
            assert titles('"信号') == []
            assert titles("信号") == ["信号弱", "WiFi 信号差"]
        finally:
            srv.stop()
    finally:
        data.close()


def test_search_finds_every_order_right_after_concurrent_intake():
    """The text index is made behind intake, many orders at a time; a search still finds every
    order answered before it, and a stopped server leaves none unindexed."""
    import http.client
    import threading
    data = Data()
    try:
        srv = Server(data)
        try:
            token = agent(data, srv)
            host, port = srv.base.split("//")[1].split(":")
            missed, errors = [], []

            def worker(n):
                conn = http.client.HTTPConnection(host, int(port), timeout=30)
                hdrs = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
                for i in range(45):
                    word = f"噪声{n:02d}{i:03d}号"
                    body = {"channel": "hotline", "type": "complaint", "item": "06028",
                            "title": f"夜市{word}", "content": f"烧烤摊{word}很吵",
                            "lon": 118.303, "lat": 35.003}
                    conn.request("POST", "/api/v1/orders", json.dumps(body), hdrs)
                    r = conn.getresponse()
                    created = json.loads(r.read())
                    if r.status != 201:
                        errors.append(created)
                        return
                    if i % 3 == 0:  # searched at once: found, and only it
                        conn.request("GET", "/api/v1/orders?q=" + urllib.parse.quote(word),
                                     headers=hdrs)
                        r = conn.getresponse()
                        found = json.loads(r.read())
                        if r.status != 200 or [o["id"] for o in found["orders"]] != [created["id"]]:
                            missed.append((word, r.status, found))
                conn.close()

            threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert not errors, errors[:3]
            assert not missed, missed[:3]
        finally:
            code, log = srv.stop()
        assert code == 0, log
        db = data.store()
        try:
            ids = {r[0] for r in db.execute("SELECT id FROM work_order")}
            assert len(ids) == 8 * 45, len(ids)
            if BACKEND == "sqlite":  # its text index, a file of its own, is whole
                indexed = {r[0] for r in db.execute("SELECT rowid FROM order_fts")}
                assert indexed == ids, ids ^ indexed
                assert db.execute("SELECT upto FROM order_fts_mark").fetchone()[0] == max(ids)
        finally:
            db.close()
    finally:
        data.close()


def user(data, srv, name, role, scope="371302"):
    return data.add_user(srv, name, role, scope, PASSWORD)


def units(srv):
    """The admin (the server's default caller) creates the units the tests dispatch to."""
    for uid, name, kind in [("cgzf", "城管执法局", "department"), ("gas", "燃气公司", "department"),
                            ("dg-office", "东关社区居委会", "community_office")]:
        status, body = srv.json("POST", "/api/v1/units", {"id": uid, "name": name, "kind": kind,
                                                          "regions": ["371302"]})
        assert status == 201, body


def act(srv, token, order, action, body=None, version=None):
    status, headers, raw = srv.request(
        "POST", f"/api/v1/orders/{order['id']}/actions/{action}", body or {},
        headers={"If-Match": f'"{version or order["version"]}"'}, token=token)
    return status, json.loads(raw)


def test_whole_loop_with_versions_and_conflicts():
    import threading
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = agent(data, srv)
            hd = user(data, srv, "unit1", "handler")
            units(srv)
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
                "content": "夜间施工", "lon": 118.303, "lat": 35.003}, token=ag)
            assert status == 201 and "dispatch" in o["allowed_actions"], o
            status, headers, _ = srv.request("GET", f"/api/v1/orders/{o['id']}", token=ag)
            assert headers["ETag"] == '"1"'
            # a handler may not dispatch: 403; signing before dispatch: 409 with the list
            status, body = act(srv, hd, o, "dispatch", {"unit": "cgzf"})
            assert status == 403, body
            status, body = act(srv, hd, o, "sign")
            assert status == 409 and "allowed for handler" in body["error"]["message"], body
            status, body = srv.json("POST", f"/api/v1/orders/{o['id']}/actions/dispatch",
                                    {"unit": "cgzf"}, token=ag)
            assert status == 400 and "If-Match" in body["error"]["message"], body
            status, body = act(srv, ag, o, "dispatch", {})
            assert status == 400 and "'unit'" in body["error"]["message"], body
            status, body = act(srv, ag, o, "fly")
            assert status == 400 and "fly" in body["error"]["message"], body
            # two agents dispatch the same version at once: exactly one wins
            results = []

            def dispatch():
                results.append(act(srv, ag, o, "dispatch", {"unit": "cgzf"})[0])
            threads = [threading.Thread(target=dispatch) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(results) == [200, 412], results
            status, o = srv.json("GET", f"/api/v1/orders/{o['id']}", token=ag)
            assert o["state"] == "dispatched" and o["unit"] == "cgzf" and o["version"] == 2, o
            status, body = act(srv, ag, o, "urge", {"note": "请尽快"}, version=1)
            assert status == 412, body
            for token, action, body, state in [
                    (hd, "sign", None, "signed"),
                    (hd, "reply", {"result": "已处理"}, "replied"),
                    (ag, "verify", {"passed": False}, "dispatched"),
                    (hd, "sign", None, "signed"),
                    (hd, "reply", {"result": "已整改"}, "replied"),
                    (ag, "verify", {"passed": True}, "verified"),
                    (ag, "callback", {"reached": True, "satisfaction": "satisfied", "resolved": True}, "closed")]:
                status, o = act(srv, token, o, action, body)
                assert status == 200 and o["state"] == state, (action, o)
            assert o["version"] == 9 and "dispatch" not in o["allowed_actions"], o
            actions = [e["action"] for e in o["timeline"]]
            assert actions == ["create", "dispatch", "sign", "reply", "verify", "sign", "reply",
                               "verify", "callback"], actions
            assert o["timeline"][4]["from"] == "replied" and o["timeline"][4]["to"] == "dispatched"
        finally:
            srv.stop()
        rc, out, _ = run("audit", "verify", "--data", data.dir)
        assert "intact" in out
    finally:
        data.close()


def test_deadlines_lights_catalog_and_calendar():
    data = Data()
    try:
        table = os.path.join(data.dir, "days.json")
        with open(table, "w") as f:
            json.dump({"holidays": {"2026-10-01": "National Day,国庆节,8"},
                       "workdays": {"2026-09-27": "National Day,国庆节,8"}}, f)
        _, out, _ = run("calendar", "load", "--data", data.dir, table)
        assert "checked and kept" in out, out
        with open(table, "w") as f:
            json.dump({"holidays": {"2026-02-30": "x"}}, f)
        rc, _, err = run("calendar", "load", "--data", data.dir, table, check=False)
        assert rc != 0 and "2026-02-30" in err, err
        srv = Server(data)
        try:
            ag = agent(data, srv)
            units(srv)
            status, body = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "99999", "title": "t",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            assert status == 400 and "99999" in body["error"]["message"], body
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            assert status == 201 and "deadlines" not in o, o
            status, o = act(srv, ag, o, "dispatch", {"unit": "cgzf"})
            assert status == 200 and o["light"] == "green", o
            assert o["deadlines"]["sign"] < o["deadlines"]["reply"], o
            status, o2 = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "help", "title": "燃气泄漏", "content": "c",
                "urgency": "critical", "lon": 118.303, "lat": 35.003}, token=ag)
            status, o2 = act(srv, ag, o2, "dispatch", {"unit": "gas"})
            assert status == 200, o2
            import datetime
            sign = datetime.datetime.fromisoformat(o2["deadlines"]["reply"].replace("Z", "+00:00"))
            made = datetime.datetime.fromisoformat(o2["created_at"].replace("Z", "+00:00"))
            assert abs((sign - made).total_seconds() - 7200) < 120, o2  # 2 natural hours
        finally:
            srv.stop()
    finally:
        data.close()


def test_units_rules_and_route_explanation():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = agent(data, srv)
            units(srv)
            for body, word in [({"id": "XY", "name": "n", "kind": "department"}, "lower-case"),
                               ({"id": "ok1", "name": "n", "kind": "club"}, "kind"),
                               ({"id": "ok2", "name": "n", "kind": "department", "regions": ["379999"]}, "379999"),
                               ({"id": "cgzf", "name": "n", "kind": "department"}, "already exists")]:
                status, answer = srv.json("POST", "/api/v1/units", body)
                assert status in (400, 409) and word in answer["error"]["message"], (body, answer)
            status, answer = srv.get("/api/v1/units")
            assert [u["id"] for u in answer["units"]] == ["cgzf", "dg-office", "gas"], answer
            for body, word in [({"item": "99999", "lead": "cgzf"}, "99999"),
                               ({"item": "06", "lead": "nobody"}, "nobody"),
                               ({"item": "06", "lead": "cgzf", "assisting": ["cgzf"]}, "another unit"),
                               ({"item": "06", "region": "379", "lead": "cgzf"}, "379")]:
                status, answer = srv.json("POST", "/api/v1/routing-rules", body)
                assert status == 400 and word in answer["error"]["message"], (body, answer)
            status, r1 = srv.json("POST", "/api/v1/routing-rules", {"item": "06", "region": "371302",
                                                                   "lead": "cgzf"})
            assert status == 201, r1
            status, r2 = srv.json("POST", "/api/v1/routing-rules", {"item": "06028", "region": "371302001",
                                                                   "lead": "dg-office", "assisting": ["cgzf"]})
            assert status == 201, r2
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            status, route = srv.json("GET", f"/api/v1/orders/{o['id']}/route", token=ag)
            assert status == 200 and route["lead"]["id"] == "dg-office", route
            assert route["explanation"] == f"item 06028 in town 371302001 → unit dg-office 东关社区居委会 by rule {r2['id']}", route
            # the same reasons as data a console words in its own language
            assert route["because"] == {"item": "06028", "item_name": "噪声扰民",
                                        "region": "371302001", "level": "town",
                                        "region_name": route["because"]["region_name"],
                                        "unit": "dg-office", "rule": r2["id"]}, route
            assert route["because"]["region_name"] and not route["because"]["region_name"].isascii()
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06901", "title": "垃圾",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            status, route = srv.json("GET", f"/api/v1/orders/{o['id']}/route", token=ag)
            assert route["lead"]["id"] == "cgzf" and f"by rule {r1['id']}" in route["explanation"], route
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "consult", "item": "2108", "title": "路灯",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            status, route = srv.json("GET", f"/api/v1/orders/{o['id']}/route", token=ag)
            assert route["found"] is False and "no rule" in route["explanation"], route
            assert route["because"]["item"] == "2108" and route["because"]["level"] == "grid", route
            assert "unit" not in route["because"] and "rule" not in route["because"], route
            status, answer = act(srv, ag, o, "dispatch", {"unit": "nobody"})
            assert status == 400 and "nobody" in answer["error"]["message"], answer
        finally:
            srv.stop()
    finally:
        data.close()


def test_generated_history_covers_every_state():
    data = Data(grids=False, npm=True)
    try:
        data.generate_district()
        _, out, _ = run("orders", "generate", "--data", data.dir, "--county", "371302", "--days",
                        "90", "--orders", "2000")
        assert "2000 created" in out, out
        _, again, _ = run("orders", "generate", "--data", data.dir, "--county", "371302", "--days",
                          "90", "--orders", "2000")
        assert "created" not in again, again  # once there, the history is left alone
        db = data.store()
        states = dict(db.execute("SELECT state, COUNT(*) FROM work_order GROUP BY state"))
        channels = dict(db.execute("SELECT channel, COUNT(*) FROM work_order GROUP BY channel"))
        supervised = db.execute("SELECT COUNT(*) FROM order_event WHERE action = 'supervise'").fetchone()[0]
        db.close()
        assert set(states) == {"received", "dispatched", "signed", "replied", "verified", "closed",
                               "returning", "suspended", "merged", "invalid"}, states
        assert channels["hotline"] > channels["app"] > channels["sensor"], channels
        assert supervised > 0
        rc, _, err = run("orders", "generate", "--data", data.dir, "--county", "371302", "--days",
                         "0", "--orders", "5", check=False)
        assert rc != 0 and "out of range" in err
    finally:
        data.close()


def test_photos_checked_by_content_stored_once_and_scoped():
    import hashlib
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = agent(data, srv)
            other = user(data, srv, "town2", "agent", scope="371302002")
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "app", "type": "complaint", "title": "占道", "content": "c",
                "lon": 118.303, "lat": 35.003}, token=ag)
            jpeg = b"\xff\xd8\xff\xe0" + os.urandom(2048)
            status, _, raw = srv.request("POST", f"/api/v1/orders/{o['id']}/photos", jpeg,
                                         headers={"Content-Type": "text/plain"}, token=ag)
            photo = json.loads(raw)
            assert status == 201 and photo["mime"] == "image/jpeg" and photo["added"], photo
            assert photo["sha256"] == hashlib.sha256(jpeg).hexdigest()
            path = os.path.join(data.dir, "photos", photo["sha256"][:2], photo["sha256"])
            assert open(path, "rb").read() == jpeg
            status, _, raw = srv.request("POST", f"/api/v1/orders/{o['id']}/photos", jpeg, token=ag)
            assert status == 201 and json.loads(raw)["added"] is False
            for bad, code, word in [(b"GIF89a" + b"\0" * 32, 400, "JPEG, PNG or WebP"),
                                    (b"", 400, "JPEG"),
                                    (b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), 413, "at most")]:
                before = data.dump()
                status, _, raw = srv.request("POST", f"/api/v1/orders/{o['id']}/photos", bad, token=ag)
                assert status == code and word in json.loads(raw)["error"]["message"], (status, raw[:200])
                assert data.dump() == before
            status, headers, raw = srv.request("GET", f"/api/v1/photos/{photo['sha256']}", token=ag)
            assert status == 200 and raw == jpeg and headers["Content-Type"] == "image/jpeg"
            status, _, _ = srv.request("GET", f"/api/v1/photos/{photo['sha256']}", token=other)
            assert status == 404
            status, _, _ = srv.request("GET", "/api/v1/photos/..%2F..%2Fwangge.db", token=ag)
            assert status == 404
            status, o = srv.json("GET", f"/api/v1/orders/{o['id']}", token=ag)
            assert [p["sha256"] for p in o["photos"]] == [photo["sha256"]], o
            assert [e["action"] for e in o["timeline"]] == ["create", "attachment"], o["timeline"]
            status, _, _ = srv.request("POST", f"/api/v1/orders/{o['id']}/photos", jpeg, token=other)
            assert status == 404
        finally:
            srv.stop()
    finally:
        data.close()


def test_merged_duplicates_point_at_their_master():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = agent(data, srv)
            units(srv)
            body = {"channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声",
                    "content": "夜间施工", "lon": 118.303, "lat": 35.003}
            status, master = srv.json("POST", "/api/v1/orders", body, token=ag)
            status, master = act(srv, ag, master, "dispatch", {"unit": "cgzf"})
            status, dup = srv.json("POST", "/api/v1/orders", body, token=ag)
            status, answer = act(srv, ag, dup, "merge", {"into": dup["id"]})
            assert status == 400 and "into" in answer["error"]["message"], answer
            status, dup = act(srv, ag, dup, "merge", {"into": master["id"]})
            assert status == 200 and dup["state"] == "merged" and dup["master"] == master["id"], dup
            status, master = srv.json("GET", f"/api/v1/orders/{master['id']}", token=ag)
            assert master["merged"] == [{"id": dup["id"], "number": dup["number"],
                                         "called_back": False}], master
        finally:
            srv.stop()
    finally:
        data.close()


def test_server_sweep_supervises_every_red_order_once():
    """Orders past their reply deadline are supervised by the running server's sweep, each
    once, as the system, whatever their number (more than one round of the sweep's reads);
    on PostgreSQL two servers started at once both sweep, and still each order is supervised
    once."""
    import time
    from harness import BACKEND
    data = Data()
    red = 300
    try:
        srv = Server(data)
        try:
            ag = agent(data, srv)
            units(srv)
            for i in range(red):
                status, o = srv.json("POST", "/api/v1/orders", {
                    "channel": "hotline", "type": "complaint", "item": "06028",
                    "title": f"路灯不亮（{i}号）", "content": "小区路灯坏了一个月", "county": "371302"},
                    token=ag)
                assert status == 201, o
                status, o = act(srv, ag, o, "dispatch", {"unit": "cgzf"})
                assert status == 200, o
        finally:
            srv.stop()
        db = data.store()
        db.execute("UPDATE work_order SET reply_deadline = ? WHERE state = 'dispatched'",
                   (int(time.time()) - 86400,))
        db.commit()
        db.close()
        # each server sweeps about a second after it starts
        servers = [Server(data) for _ in range(2 if BACKEND == "postgresql" else 1)]
        try:
            deadline = time.time() + 60
            while True:
                db = data.store()
                done = db.execute("SELECT COUNT(*) FROM work_order WHERE auto_supervised = 1"
                                  ).fetchone()[0]
                db.close()
                if done == red:
                    break
                assert time.time() < deadline, done
                time.sleep(0.5)
        finally:
            logs = [s.stop() for s in servers]
        assert all(code == 0 for code, _ in logs), logs
        db = data.store()
        rows = db.execute("SELECT order_id, COUNT(*) FROM order_event WHERE action = 'supervise' "
                          "AND actor = 'system' GROUP BY order_id").fetchall()
        notices = db.execute("SELECT order_id, COUNT(*) FROM outbox WHERE kind = 'red_light' "
                             "GROUP BY order_id").fetchall()
        db.close()
        assert len(rows) == red and all(n == 1 for _, n in rows), rows
        assert len(notices) == red and all(n == notices[0][1] for _, n in notices), notices
        said = sum(int(m) for _, log in logs
                   for m in re.findall(r"supervised (\d+) orders? past the reply deadline", log))
        assert said == red, [log for _, log in logs]
    finally:
        data.close()
