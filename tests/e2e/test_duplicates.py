"""Duplicate candidates found at intake for every channel (the API, the console's form, the
residents' portal, Open311): the same item nearby in a week, the same reporter's phone in a
month, similar text in a week; never across counties nor outside the windows; kept with the
order, and merged from there."""
import datetime
import json
import urllib.parse

from harness import Data, Server

PASSWORD = "Agent-pass-2026"
BASE = {"channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
        "content": "楼下烧烤店每天半夜很吵，影响休息", "lon": 118.303, "lat": 35.003,
        "reporter": {"name": "张三", "phone": "13812345678"}}


def create(srv, token, **change):
    body = dict(BASE, **change)
    for k in [k for k, v in change.items() if v is None]:
        body.pop(k)
    status, o = srv.json("POST", "/api/v1/orders", body, token=token)
    assert status == 201, o
    return o


def detail(srv, token, oid):
    status, o = srv.get(f"/api/v1/orders/{oid}", token=token)
    assert status == 200, o
    return o


def reasons(o):
    """{candidate id: {reason: its figure or True}} of an order's answer."""
    out = {}
    for c in o.get("duplicates", []):
        assert set(c) >= {"id", "number", "title", "state", "reasons"}, c
        out[c["id"]] = {r["reason"]: r.get("metres", r.get("score", True)) for r in c["reasons"]}
    return out


def age(data, oid, days):
    """Moves an order's receipt (its time and the day in its number) days back."""
    db = data.store()
    try:
        at = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
        cst = at + datetime.timedelta(hours=8)
        number = f"371302-{cst:%Y%m%d}-9{oid:05d}"
        db.execute("UPDATE work_order SET created_at = ?, number = ? WHERE id = ?",
                   (at.strftime("%Y-%m-%dT%H:%M:%SZ"), number, oid))
        db.commit()
    finally:
        db.close()


def open311(srv, key, **extra):
    form = {"api_key": key, "service_code": "06028", "lat": "35.0031", "long": "118.3031",
            "description": "烧烤店半夜吵闹", "phone": "13812345678",
            "attribute[source][]": "construction", "attribute[when]": "2026-01-15T23:30:00+08:00"}
    form.update(extra)
    status, _, raw = srv.request("POST", "/open311/v2/requests.json",
                                 urllib.parse.urlencode(form).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"},
                                 token=None)
    assert status == 200, raw
    return json.loads(raw)[0]["service_request_id"]


def newest(srv, token):
    status, body = srv.get("/api/v1/orders?limit=1", token=token)
    assert status == 200, body
    return detail(srv, token, body["orders"][0]["id"])


def test_candidates_from_every_channel_for_each_reason():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            first = create(srv, ag)
            assert "duplicates" not in first, first
            # the API: the same item 46 m away, another reporter, other words
            near = create(srv, ag, lon=118.3035, title="夜间施工", content="工地夜里打桩",
                          reporter={"name": "李四", "phone": "13900001111"})
            assert reasons(near) == {first["id"]: {"item_near": 46}}, near
            c = near["duplicates"][0]
            assert c["number"] == first["number"] and c["title"] == "噪声扰民", c
            assert c["state"] == "received" and c["grid"] == "371302001001001", c
            # ... and the order's detail shows the same, kept with it
            assert detail(srv, ag, near["id"])["duplicates"] == near["duplicates"]
            # another item, or the same item past its 200 m, is not near
            far = create(srv, ag, lon=118.306, title="路灯不亮", content="东关路口的路灯坏了",
                         reporter={"name": "王五", "phone": "13700002222"})
            assert reasons(far) == {}, far
            other = create(srv, ag, item="2108", title="路灯不亮", content="东关路口的灯坏了两天",
                           reporter=None, anonymous=True)
            assert first["id"] not in reasons(other) and near["id"] not in reasons(other), other
            # similar text alone: no point, another item, another phone
            text = create(srv, ag, item=None, lon=None, lat=None, county="371302",
                          content="楼下烧烤店每天半夜很吵，影响休息！！",
                          reporter={"name": "赵六", "phone": "13600003333"})
            r = reasons(text)
            assert set(r[first["id"]]) == {"similar_text"} and r[first["id"]]["similar_text"] >= 50, r
            # the same phone alone
            phone = create(srv, ag, item=None, lon=None, lat=None, county="371302",
                           title="咨询社保", content="想问一下养老保险怎么续交")
            assert set(reasons(phone)[first["id"]]) == {"same_phone"}, phone
            # Open311: all three reasons, strongest first
            key_status, key = srv.json("POST", "/api/v1/apikeys", {
                "name": "city app", "scope": "371302", "permissions": ["open311"]})
            assert key_status == 201, key
            open311(srv, key["key"], description="楼下烧烤店每天半夜很吵，影响休息")
            o = newest(srv, ag)
            assert o["channel"] == "open311", o
            r = reasons(o)
            assert set(r[first["id"]]) == {"item_near", "same_phone", "similar_text"}, r
            assert o["duplicates"][0]["id"] == first["id"], o["duplicates"]
            assert r[first["id"]]["item_near"] <= 20 and "item_near" in r[near["id"]], r
            # the residents' portal: the same phone
            status, _, raw = srv.request("POST", "/api/v1/public/appeals", {
                "type": "green", "text": "希望小区里多装几盏路灯，晚上太黑了", "lon": 118.303,
                "lat": 35.003, "source": "gps", "phone": "13812345678"}, token=None)
            assert status == 201, raw
            o = newest(srv, ag)
            assert o["channel"] != "hotline" and "same_phone" in reasons(o)[first["id"]], o
            # the console's form asks before it creates: the same answer, nothing stored
            status, listed = srv.get("/api/v1/orders?limit=1000", token=ag)
            before = len(listed["orders"])
            status, asked = srv.json("POST", "/api/v1/orders/duplicates", dict(
                BASE, lon=118.3032, reporter={"name": "", "phone": "13812345678"}), token=ag)
            assert status == 200, asked
            assert set(reasons(asked)[first["id"]]) == {"item_near", "same_phone",
                                                        "similar_text"}, asked
            status, listed = srv.get("/api/v1/orders?limit=1000", token=ag)
            assert len(listed["orders"]) == before
            status, bad = srv.json("POST", "/api/v1/orders/duplicates", dict(BASE, lon="x"),
                                   token=ag)
            assert status == 400 and "'lon'" in bad["error"]["message"], bad
            # a unit's account sees no candidates (units do not merge)
            srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "城管执法局",
                                               "kind": "department", "regions": ["371302"]})
            hd = data.add_user(srv, "hd", "handler", "unit:cgzf", PASSWORD)
            o = detail(srv, ag, near["id"])
            status, _, raw = srv.request("POST", f"/api/v1/orders/{near['id']}/actions/dispatch",
                                         {"unit": "cgzf"},
                                         headers={"If-Match": f'"{o["version"]}"'}, token=ag)
            assert status == 200, raw
            assert "duplicates" not in detail(srv, hd, near["id"])
        finally:
            srv.stop()
    finally:
        data.close()


def test_none_across_counties_or_outside_the_windows_and_merge_from_one():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            city = data.add_user(srv, "city", "agent", "3713", PASSWORD)
            # another county: the same phone and text are no candidates either way
            away = create(srv, city, item=None, lon=None, lat=None, county="371311")
            assert "duplicates" not in away, away
            first = create(srv, ag)
            assert "duplicates" not in first, first
            again = create(srv, city, item=None, lon=None, lat=None, county="371311")
            assert reasons(again) == {away["id"]: {"same_phone": True, "similar_text": 100}}
            # eight days back: only the month's phone still finds it
            age(data, first["id"], 8)
            o = create(srv, ag)
            assert reasons(o) == {first["id"]: {"same_phone": True}}, o
            # thirty-one days back: nothing
            age(data, first["id"], 31)
            age(data, o["id"], 31)
            o = create(srv, ag)
            assert "duplicates" not in o, o
            # one click: the new order merged into its candidate
            dup = create(srv, ag, lon=118.3031)
            assert reasons(dup) == {o["id"]: {"item_near": 9, "same_phone": True,
                                              "similar_text": 100}}, dup
            status, _, raw = srv.request("POST", f"/api/v1/orders/{dup['id']}/actions/merge",
                                         {"into": o["id"]},
                                         headers={"If-Match": f'"{dup["version"]}"'}, token=ag)
            assert status == 200, raw
            merged = json.loads(raw)
            assert merged["state"] == "merged" and merged["master"] == o["id"], merged
            # a merged order is nobody's candidate
            last = create(srv, ag, lon=118.3031)
            assert set(reasons(last)) == {o["id"]}, last
            # the candidate's state is read as it is now
            assert detail(srv, ag, dup["id"])["duplicates"][0]["state"] == "received"
        finally:
            srv.stop()
    finally:
        data.close()
