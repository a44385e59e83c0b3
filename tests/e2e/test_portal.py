"""The residents' portal: appeals without an account, tracking codes, photos, the public
timeline, the resident's own rating, the throttle, and a clear 400 for every bad field."""
import json
import os
import re

from harness import Data, Server, run

PASSWORD = "Portal-pass-2026"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\1" * 512
CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}")
APPEAL = {"type": "green", "text": "希望小区里多装几盏路灯，晚上太黑了", "lon": 118.303,
          "lat": 35.003, "source": "gps", "address": "东关社区3号楼"}


def server(data, **settings):
    """A server with portal_* settings from a config file."""
    path = os.path.join(data.dir, "serve.conf")
    with open(path, "w") as f:
        for k, v in settings.items():
            f.write(f"portal_{k} = {v}\n")
    return Server(data, "--config", path)


def public(srv, method, path, body=None):
    """A resident's request: no token."""
    status, headers, raw = srv.request(method, "/api/v1/public" + path, body, token=None)
    return status, headers, json.loads(raw) if raw else None


def submit(srv, **change):
    body = dict(APPEAL, **change)
    for k in [k for k, v in change.items() if v is None]:
        body.pop(k)
    return public(srv, "POST", "/appeals", body)


def staff(data, srv):
    """An agent, a handler and the units to dispatch to."""
    ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
    hd = data.add_user(srv, "unit1", "handler", "371302", PASSWORD)
    status, body = srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "城管执法局",
                                                      "kind": "department", "regions": ["371302"]})
    assert status == 201, body
    return ag, hd


def act(srv, token, oid, action, body=None):
    status, o = srv.get(f"/api/v1/orders/{oid}", token=token)
    assert status == 200, o
    status, headers, raw = srv.request("POST", f"/api/v1/orders/{oid}/actions/{action}",
                                       body or {}, headers={"If-Match": f'"{o["version"]}"'},
                                       token=token)
    answer = json.loads(raw)
    assert status == 200, (action, answer)
    return answer


def order_id(data, number):
    db = data.store()
    try:
        return db.execute("SELECT id FROM work_order WHERE number = ?", (number,)).fetchone()[0]
    finally:
        db.close()


def counts(data):
    db = data.store()
    try:
        return tuple(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ["work_order", "portal_appeal", "order_rating", "order_photo"])
    finally:
        db.close()


def test_portal_types_and_submit_anonymous_and_with_phone():
    data = Data()
    try:
        srv = server(data)
        try:
            ag, _ = staff(data, srv)
            status, _, types = public(srv, "GET", "/types")
            assert status == 200, types
            bags = [(t["code"], t["name"], t["order_type"]) for t in types["types"] if t["bag"]]
            assert bags == [("blue", "建议", "suggestion"), ("yellow", "吐槽", "complaint"),
                            ("green", "心愿", "wish"), ("orange", "宣传", "consult"),
                            ("red", "服务", "help")], bags
            plain = [t["code"] for t in types["types"] if not t["bag"]]
            assert plain == ["complaint", "help", "consult", "report", "praise"], plain
            # 投诉 and 求助 first, then the bags on the first row; no name listed twice
            listed = [(t["name"], t["featured"]) for t in types["types"]]
            assert listed[:2] == [("投诉", True), ("求助", True)], listed
            assert [n for n, f in listed if f] == ["投诉", "求助", "建议", "吐槽", "心愿", "宣传",
                                                   "服务"], listed
            names = [n for n, _ in listed]
            assert len(names) == len(set(names)), names
            for unlisted in ["suggestion", "wish"]:  # still taken from older clients
                status, _, a = submit(srv, type=unlisted)
                assert status == 201, (unlisted, a)
            items = {i["code"]: i for i in types["items"]}
            assert items["06028"]["name"] == "噪声扰民" and items["06028"]["group"] == "市容环境"
            assert "06" not in items  # a class is not an item open to residents
            assert types["map"]["tiles"] is None and len(types["map"]["bbox"]) == 4, types["map"]
            assert abs(types["map"]["bbox"][0] - 118.30) < 1e-6, types["map"]

            # anonymous: nothing of the reporter is kept
            status, _, a = submit(srv)
            assert status == 201 and CODE.fullmatch(a["code"]), a
            assert a["state"] == "received" and a["anonymous"] is True and a["type"] == "green", a
            status, o = srv.get(f"/api/v1/orders/{order_id(data, a['number'])}", token=ag)
            assert status == 200 and o["channel"] == "app" and o["type"] == "wish", o
            assert o["title"].startswith("【心愿】希望小区里多装") and o["reporter"] == {"anonymous": True}
            assert o["grid"] == "371302001001001" and o["address"] == "东关社区3号楼", o
            assert o["timeline"][0]["action"] == "create" and o["timeline"][0]["role"] == "resident"

            # with a phone: sealed like every reporter, masked for staff, counted by phone
            status, _, b = submit(srv, type="complaint", item="06028",
                                  text="楼下烧烤店每天半夜很吵", phone="13812345678",
                                  crs="gcj02", lon=118.3080, lat=35.0020)
            assert status == 201 and b["anonymous"] is False and b["code"] != a["code"], b
            status, o = srv.get(f"/api/v1/orders/{order_id(data, b['number'])}", token=ag)
            assert o["reporter"]["phone"] == "138****5678" and o["item"] == "06028", o
            assert o["point"]["crs"] == "gcj02" and o["title"] == "楼下烧烤店每天半夜很吵", o
            status, lst = srv.get("/api/v1/orders?phone=13812345678", token=ag)
            assert [x["number"] for x in lst["orders"]] == [b["number"]], lst

            # follow: the code in any case, with or without its dashes
            for code in [b["code"], b["code"].lower(), b["code"].replace("-", "")]:
                status, _, v = public(srv, "GET", "/appeals/" + code)
                assert status == 200 and v["code"] == b["code"], v
            assert v["state"] == "received" and v["type"] == "complaint" and v["can_rate"] is False
            assert v["item"] == {"code": "06028", "name": "噪声扰民"} and v["photos"] == 0, v
            assert [e["event"] for e in v["timeline"]] == ["create"], v
            assert v["reply"] is None and v["rating"] is None, v
            text = json.dumps(v, ensure_ascii=False)
            for private in ["138", "5678", "resident", "东关社区3号楼", '"id"', "actor", "role"]:
                assert private not in text, (private, text)
            # unknown and malformed codes are the same 404
            for code in ["ABCD-EFGH-JKMN-PQRS", "short", "ABCD-EFGH-JKMN-PQRU", "%E4%BD%A0"]:
                status, _, e = public(srv, "GET", "/appeals/" + code)
                assert status == 404 and "tracking code" in e["error"]["message"], (code, e)
        finally:
            srv.stop()
        raw = data.raw_bytes()
        assert b"13812345678" not in raw
        assert a["code"].encode() not in raw and a["code"].replace("-", "").encode() not in raw
        _, out, _ = run("audit", "verify", "--data", data.dir)
        assert "intact" in out, out
    finally:
        data.close()


def o_due(srv, token, oid):
    """The order's reply deadline as staff read it."""
    status, o = srv.get(f"/api/v1/orders/{oid}", token=token)
    assert status == 200, o
    return (o.get("deadlines") or {}).get("reply")


def test_portal_photos_timeline_and_rating_after_the_reply():
    data = Data()
    try:
        srv = server(data, photos=2)
        try:
            ag, hd = staff(data, srv)
            status, _, a = submit(srv, phone="13900001111")
            assert status == 201, a
            code = a["code"]
            oid = order_id(data, a["number"])
            status, _, p = public(srv, "POST", f"/appeals/{code}/photos", PNG)
            assert status == 201 and p["mime"] == "image/png" and p["photos"] == 1, p
            status, _, p = public(srv, "POST", f"/appeals/{code}/photos", PNG)  # the same again
            assert status == 201 and p["added"] is False and p["photos"] == 1, p
            status, _, e = public(srv, "POST", f"/appeals/{code}/photos", b"GIF89a" + b"\0" * 40)
            assert status == 400 and "JPEG, PNG or WebP" in e["error"]["message"], e
            status, _, p = public(srv, "POST", f"/appeals/{code}/photos", JPEG)
            assert status == 201 and p["photos"] == 2, p
            status, _, e = public(srv, "POST", f"/appeals/{code}/photos", JPEG[:-1] + b"\2")
            assert status == 409 and "at most 2" in e["error"]["message"], e
            status, _, e = public(srv, "POST", "/appeals/ABCD-EFGH-JKMN-PQRS/photos", PNG)
            assert status == 404, e
            status, o = srv.get(f"/api/v1/orders/{oid}", token=ag)
            assert len(o["photos"]) == 2, o
            # the resident sees their own photos back, and only theirs
            import hashlib
            status, _, raw = srv.request("POST", f"/api/v1/orders/{oid}/photos",
                                         JPEG + b"unit-after-photo", token=ag)
            assert status == 201, raw
            status, _, v = public(srv, "GET", f"/appeals/{code}")
            assert sorted(v["own_photos"]) == sorted(hashlib.sha256(x).hexdigest()
                                                     for x in [PNG, JPEG]), v
            assert v["photos"] == 3, v
            status, headers, raw = srv.request(
                "GET", f"/api/v1/public/appeals/{code}/photos/{hashlib.sha256(PNG).hexdigest()}",
                token=None)
            assert status == 200 and raw == PNG and headers["Content-Type"] == "image/png"
            assert "sandbox" in headers["Content-Security-Policy"]
            unit_photo = hashlib.sha256(JPEG + b"unit-after-photo").hexdigest()
            for sha in [unit_photo, "0" * 64, "..%2F..%2Fwangge.db"]:
                status, _, e = public(srv, "GET", f"/appeals/{code}/photos/{sha}")
                assert status == 404, (sha, e)

            # rating before the reply: 409, and nothing recorded
            rating = {"satisfaction": "satisfied", "resolved": True, "comment": "修得很快，谢谢"}
            status, _, e = public(srv, "POST", f"/appeals/{code}/rating", rating)
            assert status == 409 and "once it has been answered" in e["error"]["message"], e

            act(srv, ag, oid, "dispatch", {"unit": "cgzf"})
            status, _, v = public(srv, "GET", f"/appeals/{code}")
            assert v["due_at"] == o_due(srv, ag, oid) and v["unit_photos"] == [], v
            act(srv, hd, oid, "sign")
            # the unit's photo of the work done is the resident's to see, and who took it not
            after = JPEG + b"after-fix"
            status, _, raw = srv.request("POST", f"/api/v1/orders/{oid}/photos", after, token=hd)
            assert status == 201, raw
            status, _, v = public(srv, "GET", f"/appeals/{code}")
            assert v["unit_photos"] == [hashlib.sha256(after).hexdigest()], v
            assert v["due_at"] and v["due_at"] == o_due(srv, ag, oid), v
            status, headers, raw = srv.request(
                "GET", f"/api/v1/public/appeals/{code}/photos/{hashlib.sha256(after).hexdigest()}",
                token=None)
            assert status == 200 and raw == after and headers["Content-Type"] == "image/jpeg"
            act(srv, hd, oid, "note", {"note": "内部备注：INTERNAL-REMARK 联系了张科长"})
            act(srv, ag, oid, "urge", {"note": "催办 URGE-TEXT"})
            status, _, e = public(srv, "POST", f"/appeals/{code}/rating", rating)
            assert status == 409 and "'signed'" in e["error"]["message"], e
            act(srv, hd, oid, "reply", {"result": "已在3号楼前新装两盏路灯"})

            status, _, v = public(srv, "GET", f"/appeals/{code}")
            assert status == 200 and v["state"] == "replied" and v["can_rate"] is True, v
            events = [(e["event"], e["state"]) for e in v["timeline"]]
            assert events == [("create", "received"), ("dispatch", "dispatched"),
                              ("sign", "signed"), ("reply", "replied")], events
            assert v["timeline"][1]["unit"] == "城管执法局" and v["unit"] == "城管执法局", v
            assert v["timeline"][3]["text"] == "已在3号楼前新装两盏路灯", v
            assert v["reply"]["text"] == "已在3号楼前新装两盏路灯" and v["photos"] == 4, v
            assert v["due_at"] is None, v  # answered: no deadline left to wait for
            text = json.dumps(v, ensure_ascii=False)
            for private in ["INTERNAL-REMARK", "张科长", "URGE-TEXT", "unit1", '"ag"', "13900001111",
                            "1111", "cgzf", "handler", "agent", "东关社区3号楼", "note", "urge"]:
                assert private not in text, (private, text)

            # the rating: once; before verification it is recorded beside the loop
            for bad, word in [({}, "'satisfaction'"), ({"satisfaction": "happy"}, "'satisfaction'"),
                              ({"satisfaction": "satisfied"}, "'resolved'"),
                              ({"satisfaction": "satisfied", "resolved": "yes"}, "'resolved'"),
                              (dict(rating, comment=5), "'comment'"),
                              (dict(rating, comment="长" * 501), "'comment'"),
                              (dict(rating, stars=5), "'stars'")]:
                status, _, e = public(srv, "POST", f"/appeals/{code}/rating", bad)
                assert status == 400 and word in e["error"]["message"], (bad, e)
            status, _, v = public(srv, "POST", f"/appeals/{code}/rating", rating)
            assert status == 200 and v["state"] == "replied" and v["can_rate"] is False, v
            assert v["rating"]["satisfaction"] == "satisfied" and v["rating"]["resolved"] is True
            assert v["rating"]["comment"] == "修得很快，谢谢" and v["timeline"][-1]["event"] == "rate"
            status, _, e = public(srv, "POST", f"/appeals/{code}/rating", rating)
            assert status == 409 and "rated already" in e["error"]["message"], e
            # staff see the rating in the timeline; the centre still verifies and calls back
            status, o = srv.get(f"/api/v1/orders/{oid}", token=ag)
            assert o["timeline"][-1]["action"] == "rate" and o["timeline"][-1]["actor"] == "resident"
            assert "修得很快" in o["timeline"][-1]["detail"] and "verify" in o["allowed_actions"], o
            o = act(srv, ag, oid, "verify", {"passed": True})
            assert "callback" in o["allowed_actions"], o
            o = act(srv, ag, oid, "callback", {"reached": True, "satisfaction": "satisfied",
                                               "resolved": True})
            assert o["state"] == "closed", o
            status, _, v = public(srv, "GET", f"/appeals/{code}")
            assert v["state"] == "closed" and [e["event"] for e in v["timeline"]][-2:] == \
                ["verify", "callback"], v
            assert v["timeline"][-2]["passed"] is True, v
            status, _, e = public(srv, "POST", f"/appeals/{code}/photos", PNG + b"\3")
            assert status == 409 and "closed" in e["error"]["message"], e
        finally:
            srv.stop()
        _, out, _ = run("audit", "verify", "--data", data.dir)
        assert "intact" in out, out
    finally:
        data.close()


def test_portal_rating_stands_as_the_callback_once_verified():
    data = Data()
    try:
        srv = server(data)
        try:
            ag, hd = staff(data, srv)
            status, _, a = submit(srv)  # anonymous: the code holder still rates
            oid = order_id(data, a["number"])
            act(srv, ag, oid, "dispatch", {"unit": "cgzf"})
            act(srv, hd, oid, "sign")
            act(srv, hd, oid, "reply", {"result": "已处理"})
            act(srv, ag, oid, "verify", {"passed": True})
            status, _, v = public(srv, "POST", f"/appeals/{a['code']}/rating",
                                  {"satisfaction": "unsatisfied", "resolved": False})
            # 不满意 reopens the order (重办) to the unit, as the centre's callback would
            assert status == 200 and v["state"] == "dispatched" and v["can_rate"] is False, v
            assert [e["event"] for e in v["timeline"]][-2:] == ["verify", "rate"], v
            status, o = srv.get(f"/api/v1/orders/{oid}", token=ag)
            assert o["state"] == "dispatched" and "reopen" not in o["allowed_actions"], o

            # a direct answer is rated straight away, and a satisfied rating closes it
            status, _, b = submit(srv, type="consult", text="社区医保在哪里办理？")
            oid = order_id(data, b["number"])
            act(srv, ag, oid, "answer", {"answer": "请到东关社区服务中心二楼办理"})
            status, _, v = public(srv, "GET", f"/appeals/{b['code']}")
            assert v["state"] == "replied" and v["reply"]["text"].startswith("请到东关社区"), v
            status, _, v = public(srv, "POST", f"/appeals/{b['code']}/rating",
                                  {"satisfaction": "basically_satisfied", "resolved": True})
            assert status == 200 and v["state"] == "closed", v
            # both ratings stood as callbacks: the indicators count them as such
            import datetime
            today = datetime.date.today()
            period = "from=%s&to=%s" % (today - datetime.timedelta(days=2),
                                         today + datetime.timedelta(days=2))
            status, s = srv.get("/api/v1/stats/summary?scope=region:371302&" + period, token=ag)
            assert status == 200, s
            i = s["indicators"]
            assert (i["satisfaction_rate"]["numerator"], i["satisfaction_rate"]["denominator"]) \
                == (1, 2), i["satisfaction_rate"]
            assert (i["resolution_rate"]["numerator"], i["resolution_rate"]["denominator"]) \
                == (1, 2), i["resolution_rate"]
            assert i["reopen_rate"]["numerator"] == 1, i["reopen_rate"]
        finally:
            srv.stop()
    finally:
        data.close()


def test_portal_throttle_per_address_per_phone_and_unknown_codes():
    data = Data()
    try:
        srv = server(data, appeals_per_address=3, appeals_per_phone=2, misses_per_address=3)
        try:
            for _ in range(2):
                status, _, a = submit(srv, phone="13812345678")
                assert status == 201, a
            # a bad request is refused before it counts
            status, _, e = submit(srv, text="")
            assert status == 400, e
            # the third from one phone: 429 with Retry-After, within the day's window
            status, headers, e = submit(srv, phone="+86 138 1234 5678")
            assert status == 429 and e["error"]["code"] == "rate_limited", e
            assert "appeal:phone" in e["error"]["message"] and "13812345678" not in json.dumps(e)
            assert 0 < int(headers["Retry-After"]) <= 86400, headers["Retry-After"]
            # the refused one did not use the address's count: one more from here is allowed
            status, _, a = submit(srv)
            assert status == 201, a
            status, headers, e = submit(srv, phone="13900001111")
            assert status == 429 and "appeal:address" in e["error"]["message"], e
            assert 0 < int(headers["Retry-After"]) <= 3600, headers["Retry-After"]
            assert counts(data)[:2] == (3, 3), counts(data)

            # unknown codes: three misses, then every lookup from the address waits
            for i in range(3):
                status, _, e = public(srv, "GET", f"/appeals/ABCD-EFGH-JKMN-PQR{i}")
                assert status == 404, e
            status, headers, e = public(srv, "GET", "/appeals/" + a["code"])
            assert status == 429 and int(headers["Retry-After"]) > 0, e
            status, _, e = public(srv, "POST", f"/appeals/{a['code']}/rating",
                                  {"satisfaction": "satisfied", "resolved": True})
            assert status == 429, e
        finally:
            srv.stop()
        # the counters are in the store: a restarted server still refuses
        srv = server(data, appeals_per_address=3, appeals_per_phone=2, misses_per_address=3)
        try:
            status, _, e = submit(srv)
            assert status == 429, e
        finally:
            srv.stop()
    finally:
        data.close()


def test_portal_every_bad_field_is_a_clear_400():
    data = Data()
    try:
        srv = server(data)
        try:
            cases = [({"type": None}, "'type' must be one of complaint, help, blue, yellow, green"),
                     ({"type": "purple"}, "'type'"),
                     ({"type": 3}, "'type'"),
                     ({"text": None}, "'text' is required"),
                     ({"text": "   "}, "'text' is empty"),
                     ({"text": 12}, "'text' must be a string"),
                     ({"text": "多" * 2001}, "'text' is 2001 characters; at most 2000"),
                     ({"item": "99999"}, "'item' '99999'"),
                     ({"item": "06"}, "'item' '06'"),
                     ({"item": 6028}, "'item' must be a string"),
                     ({"lon": None}, "'lon' is required"),
                     ({"lat": None}, "'lat' is required"),
                     ({"lon": "118.3"}, "'lon' must be a number"),
                     ({"lat": 95}, "'lat' must be a number from -90 to 90"),
                     ({"lon": 100.0, "lat": 30.0}, "'lon', 'lat'"),
                     ({"crs": "mars"}, "'crs'"),
                     ({"crs": 4326}, "'crs'"),
                     ({"source": "radio"}, "'source' must be one of gps, map"),
                     ({"source": "satellite"}, "'source' must be one of gps, map"),
                     ({"address": "路" * 201}, "'address'"),
                     ({"phone": "12345"}, "'phone'"),
                     ({"phone": 13812345678}, "'phone' must be a string"),
                     ({"phone": "13812345678", "anonymous": True}, "'phone' and 'anonymous'"),
                     ({"anonymous": "yes"}, "'anonymous' must be true or false"),
                     ({"name": "张三"}, "'name' is not a field of an appeal")]
            for change, word in cases:
                status, _, e = submit(srv, **change)
                assert status == 400 and word in e["error"]["message"], (change, e)
            for raw, word in [(b"[1,2]", "JSON object"), (b"{bad", "malformed JSON"),
                              (b"", "empty")]:
                status, _, e = public(srv, "POST", "/appeals", raw)
                assert status == 400 and word in e["error"]["message"], (raw, e)
            assert counts(data) == (0, 0, 0, 0), counts(data)
            # a resident cannot reach what staff do without an account
            status, _, e = public(srv, "GET", "/../orders/1")
            assert status in (401, 404), e
            status, _, raw = srv.request("GET", "/api/v1/orders/1", token=None)
            assert status == 401
        finally:
            srv.stop()
    finally:
        data.close()


def test_portal_rating_of_a_master_waits_for_its_duplicates_callbacks():
    data = Data()
    try:
        srv = server(data)
        try:
            ag, hd = staff(data, srv)
            status, _, a = submit(srv)
            status, _, b = submit(srv, phone="13900002222", text="同一处路灯不亮")
            ida, idb = order_id(data, a["number"]), order_id(data, b["number"])
            act(srv, ag, idb, "merge", {"into": ida})
            status, _, v = public(srv, "GET", f"/appeals/{b['code']}")
            assert v["state"] == "merged" and v["timeline"][-1]["event"] == "merge", v
            assert "into" not in json.dumps(v) and "master" not in json.dumps(v), v
            act(srv, ag, ida, "dispatch", {"unit": "cgzf"})
            act(srv, hd, ida, "sign")
            act(srv, hd, ida, "reply", {"result": "已更换灯泡"})
            act(srv, ag, ida, "verify", {"passed": True})
            # the duplicate's reporter is still to be called back: the master's resident's
            # rating is recorded, and the master stays open until that callback
            status, _, v = public(srv, "POST", f"/appeals/{a['code']}/rating",
                                  {"satisfaction": "satisfied", "resolved": True})
            assert status == 200 and v["state"] == "verified" and v["rating"], v
            o = act(srv, ag, idb, "callback", {"reached": True, "satisfaction": "satisfied",
                                               "resolved": True})
            assert o["state"] == "merged", o
            o = act(srv, ag, ida, "callback", {"reached": False})
            assert o["state"] == "closed", o
        finally:
            srv.stop()
    finally:
        data.close()


def test_portal_throttle_behind_a_proxy_counts_the_forwarded_address():
    data = Data()
    try:
        def from_(srv, forwarded, **change):
            body = json.dumps(dict(APPEAL, **change)).encode()
            status, headers, raw = srv.request("POST", "/api/v1/public/appeals", body, token=None,
                                               headers={"X-Forwarded-For": forwarded,
                                                        "Content-Type": "application/json"})
            return status, headers
        # by default the header is ignored: a client cannot pick an address to evade the limit
        srv = server(data, appeals_per_address=1)
        try:
            assert from_(srv, "198.51.100.1")[0] == 201
            assert from_(srv, "198.51.100.2")[0] == 429
        finally:
            srv.stop()
        # behind a proxy, each resident's address (the proxy's last entry) counts on its own
        srv = server(data, appeals_per_address=1, trust_forwarded="on")
        try:
            assert from_(srv, "198.51.100.3")[0] == 201
            assert from_(srv, "198.51.100.4")[0] == 201
            assert from_(srv, "forged, 198.51.100.4")[0] == 429
            assert from_(srv, "198.51.100.4, 198.51.100.5")[0] == 201
        finally:
            srv.stop()
    finally:
        data.close()
