"""Open311 GeoReport v2 under /open311/v2/: every method in both formats, every filter, every
error in the specification's shape, and what must never be shown (reporters, confidential
orders, orders of non-public items). JSON answers are checked against the fields and types
the specification defines; XML answers are parsed with xml.etree and compared with the JSON."""
import datetime
import hashlib
import json
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET

from harness import DIVISIONS, Data, Server, collection, feature, run, square, act

PASSWORD = "Open311-pass-2026"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$")
FORMATS = ("xml", "json")

# The specification's records: field -> allowed JSON types (None: null allowed), and the
# fields it requires (open311/schema-validation's request, service and service definition).
STR, NUM, BOOL, INT = (str,), (int, float), (bool,), (int,)
REQUEST = {"service_request_id": STR, "status": STR, "status_notes": STR + (type(None),),
           "service_name": STR + (type(None),), "service_code": STR,
           "description": STR + (type(None),), "agency_responsible": STR + (type(None),),
           "service_notice": STR + (type(None),), "requested_datetime": STR,
           "updated_datetime": STR + (type(None),), "expected_datetime": STR + (type(None),),
           "address": STR + (type(None),), "address_id": STR + (type(None),),
           "zipcode": STR + (type(None),), "lat": NUM + (type(None),),
           "long": NUM + (type(None),), "media_url": STR + (type(None),)}
REQUEST_REQUIRED = {"service_request_id", "status", "service_code", "requested_datetime"}
SERVICE = {"service_code": STR, "service_name": STR, "description": STR + (type(None),),
           "metadata": BOOL, "type": STR, "keywords": STR + (type(None),),
           "group": STR + (type(None),)}
ATTRIBUTE = {"variable": BOOL, "code": STR, "datatype": STR, "required": BOOL,
             "datatype_description": STR + (type(None),), "order": INT + (type(None),),
             "description": STR + (type(None),), "values": (list,)}
UPDATE = {"update_id": STR, "service_request_id": STR, "status": STR, "updated_datetime": STR,
          "description": STR + (type(None),), "media_url": STR + (type(None),),
          "external_status_code": STR + (type(None),)}
EXTENDED = {"open", "closed", "fixed", "in_progress", "action_scheduled", "investigating",
            "duplicate", "not_councils_responsibility", "no_further_action", "internal_referral"}


def check_record(rec, fields, required, what):
    assert isinstance(rec, dict), (what, rec)
    assert set(rec) <= set(fields), (what, set(rec) - set(fields))
    assert required <= set(rec), (what, required - set(rec))
    for k, v in rec.items():
        assert isinstance(v, fields[k]) and not (isinstance(v, bool) and bool not in fields[k]), \
            (what, k, v)


def check_request(r):
    check_record(r, REQUEST, REQUEST_REQUIRED, "request")
    assert set(r) == set(REQUEST), set(REQUEST) - set(r)  # every field, null when unknown
    assert r["status"] in ("open", "closed"), r
    for k in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert r[k] is None or W3C.match(r[k]), (k, r[k])
    assert r["description"] is None or len(r["description"]) <= 4000


def check_service(s):
    check_record(s, SERVICE, {"service_code", "service_name", "metadata", "type"}, "service")
    assert s["type"] in ("realtime", "batch", "blackbox")


def check_definition(d):
    check_record(d, {"service_code": STR, "attributes": (list,)}, {"service_code", "attributes"},
                 "definition")
    for a in d["attributes"]:
        check_record(a, ATTRIBUTE, {"variable", "code", "datatype", "required"}, "attribute")
        assert a["datatype"] in ("string", "number", "datetime", "text", "singlevaluelist",
                                 "multivaluelist")
        if a["datatype"].endswith("valuelist"):
            assert a["values"], a
            for v in a["values"]:
                check_record(v, {"key": STR, "name": STR}, {"key", "name"}, "value")
        else:
            assert "values" not in a, a


def call(srv, method, path, body=None, ctype=None):
    headers = {"Content-Type": ctype} if ctype else {}
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return srv.request(method, path, body, headers=headers, token=None)


def xml_root(raw):
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), raw[:60]
    return ET.fromstring(raw)


def answer(srv, method, path, fmt, body=None, ctype=None, want=200):
    """Calls path.<fmt>?...; returns the JSON value, or the XML root, after checking the
    status and the content type."""
    base, _, query = path.partition("?")
    status, headers, raw = call(srv, method, f"{base}.{fmt}" + (f"?{query}" if query else ""),
                                body, ctype)
    assert status == want, (path, fmt, status, raw[:500])
    if fmt == "json":
        assert headers["Content-Type"].startswith("application/json"), headers["Content-Type"]
        return json.loads(raw)
    assert headers["Content-Type"].startswith("text/xml"), headers["Content-Type"]
    return xml_root(raw)


def both(srv, method, path, body=None, ctype=None, want=200):
    """The JSON answer, after checking that the XML one says the same."""
    j = answer(srv, method, path, "json", body, ctype, want)
    x = answer(srv, method, path, "xml", body, ctype, want)
    assert_same(x, j)
    return j


def assert_same(el, v):
    """An XML element carries the JSON value v: lists item by item, objects field by field,
    null as an empty element."""
    if isinstance(v, list):
        assert len(el) == len(v), (el.tag, len(el), len(v))
        for child, item in zip(el, v):
            assert_same(child, item)
    elif isinstance(v, dict):
        assert [c.tag for c in el] == list(v), (el.tag, [c.tag for c in el], list(v))
        for child, (k, item) in zip(el, v.items()):
            assert_same(child, item)
    elif v is None:
        assert (el.text or "") == "" and len(el) == 0, (el.tag, el.text)
    elif isinstance(v, bool):
        assert el.text == ("true" if v else "false"), (el.tag, el.text)
    elif isinstance(v, (int, float)):
        assert float(el.text) == float(v), (el.tag, el.text, v)
    else:
        assert (el.text or "") == v, (el.tag, el.text, v)


def check_error(srv, method, path, body, status, words, ctype=None):
    """The error in both formats: <errors><error><code/><description/></error></errors> and
    [{"code", "description"}], with the status."""
    for fmt in FORMATS:
        v = answer(srv, method, path, fmt, body, ctype, want=status)
        if fmt == "json":
            assert isinstance(v, list) and len(v) == 1 and v[0]["code"] == status, v
            text = v[0]["description"]
        else:
            assert v.tag == "errors" and [e.tag for e in v] == ["error"], ET.tostring(v)
            assert [c.tag for c in v[0]] == ["code", "description"], ET.tostring(v)
            assert v[0].find("code").text == str(status)
            text = v[0].find("description").text
        for w in words:
            assert w in text, (path, fmt, text, w)


def api_key(srv, perms=("open311",), scope="371302"):
    status, body = srv.json("POST", "/api/v1/apikeys", {"name": "city app", "scope": scope,
                                                       "permissions": list(perms)})
    assert status == 201, body
    return body["key"]


def lamp(key, **extra):
    form = {"api_key": key, "service_code": "2108", "lat": "35.003", "long": "118.303",
            "attribute[lamp]": "LS-0123", "attribute[count]": "2-5"}
    form.update(extra)
    return {k: v for k, v in form.items() if v is not None}


def multipart(fields, files):
    boundary = "----wangge-open311-test"
    out = b""
    for k, v in fields.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                f'{v}\r\n').encode()
    for k, (name, ctype, data) in files.items():
        out += (f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                f'filename="{name}"\r\nContent-Type: {ctype}\r\n\r\n').encode() + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, f"multipart/form-data; boundary={boundary}"


def order_of(srv, token, number):
    status, body = srv.get("/api/v1/orders?limit=100", token=token)
    assert status == 200, body
    ids = [o["id"] for o in body["orders"] if o["number"] == number]
    assert ids, number
    status, o = srv.get(f"/api/v1/orders/{ids[0]}", token=token)
    assert status == 200, o
    return o


def test_discovery_services_and_definitions():
    data = Data()
    try:
        srv = Server(data)
        try:
            d = both(srv, "GET", "/open311/v2/discovery")
            # a path of no Open311 method is a 404, never the console's page
            for path in ("/open311/v2/nothing.json", "/open311/v2/", "/open311"):
                status, _, _ = srv.request("GET", path, token=None)
                assert status == 404, (path, status)
            assert set(d) == {"changeset", "contact", "key_service", "endpoints"}, d
            ep = d["endpoints"][0]
            assert ep["specification"] == "http://wiki.open311.org/GeoReport_v2", ep
            assert ep["url"] == srv.base + "/open311/v2" and ep["type"] == "production", ep
            assert ep["formats"] == ["text/xml", "application/json"], ep
            assert W3C.match(d["changeset"]) and ep["changeset"] == d["changeset"], d
            # the interface's last change is in the past, as a client comparing it expects
            changed = datetime.datetime.fromisoformat(d["changeset"])
            assert changed <= datetime.datetime.now(datetime.timezone.utc), d
            x = answer(srv, "GET", "/open311/v2/discovery", "xml")
            assert [f.text for f in x.find("endpoints/endpoint/formats")] == ep["formats"]

            services = both(srv, "GET", "/open311/v2/services")
            for s in services:
                check_service(s)
            codes = {s["service_code"]: s for s in services}
            # public items only: 路灯不亮 is one, 拖欠工资 (a labour dispute) and 燃气泄漏 not
            assert "2108" in codes and "2501" not in codes and "2104" not in codes
            s = codes["2108"]
            assert s["service_name"] == "路灯不亮" and s["group"] == "城乡建设", s
            assert s["metadata"] is True and "路灯" in s["keywords"].split(","), s
            assert codes["06901"]["metadata"] is False  # no questions asked
            x = answer(srv, "GET", "/open311/v2/services", "xml")
            assert x.tag == "services" and {e.tag for e in x} == {"service"}

            kinds = set()
            for code in [c for c, s in codes.items() if s["metadata"]]:
                d = both(srv, "GET", f"/open311/v2/services/{code}")
                check_definition(d)
                assert d["service_code"] == code
                assert [a["order"] for a in d["attributes"]] == sorted(a["order"] for a in d["attributes"])
                kinds |= {a["datatype"] for a in d["attributes"]}
            assert kinds == {"string", "number", "datetime", "text", "singlevaluelist",
                             "multivaluelist"}, kinds
            d = both(srv, "GET", "/open311/v2/services/2108")
            attrs = {a["code"]: a for a in d["attributes"]}
            assert attrs["lamp"]["datatype"] == "string" and attrs["lamp"]["required"] is True
            assert attrs["count"]["datatype"] == "singlevaluelist" and attrs["count"]["required"]
            assert [v["key"] for v in attrs["count"]["values"]] == ["1", "2-5", "more"]
            x = answer(srv, "GET", "/open311/v2/services/2108", "xml")
            assert x.tag == "service_definition"
            assert [a.tag for a in x.find("attributes")] == ["attribute"] * len(attrs)
            assert [v.tag for v in x.find("attributes/attribute[code='count']/values")] == \
                ["value"] * 3

            check_error(srv, "GET", "/open311/v2/services/9999", None, 404, ["9999"])
            check_error(srv, "GET", "/open311/v2/services/2501", None, 404, ["2501"])
            check_error(srv, "GET", "/open311/v2/services?jurisdiction_id=999999", None, 404,
                        ["jurisdiction_id", "999999"])
            both(srv, "GET", "/open311/v2/services?jurisdiction_id=371302")
            status, headers, raw = call(srv, "GET", "/open311/v2/services.html")
            assert status == 404 and xml_root(raw).find("error/code").text == "404", raw
        finally:
            srv.stop()
    finally:
        data.close()


def test_post_requests_and_read_them_back():
    data = Data()
    try:
        srv = Server(data)
        try:
            key = api_key(srv)
            # form-urlencoded, answered in JSON: the id, the notice; nothing personal. The id
            # is known at once, so no token stands in for it (GeoReport v2 gives one or the
            # other)
            status, _, raw = call(srv, "POST", "/open311/v2/requests.json", lamp(
                key, description="东关路口路灯<不亮> & 很黑", first_name="三", last_name="张",
                phone="13812345678", email="zhangsan@example.com", account_id="acc-42",
                device_id="dev-7", address_string="东关路 12 号"))
            assert status == 200, raw
            posted = json.loads(raw)
            assert len(posted) == 1 and set(posted[0]) == {"service_request_id",
                                                           "service_notice", "account_id"}
            first = posted[0]
            assert all(isinstance(first[k], str) for k in first), first
            assert first["account_id"] == "acc-42" and "工作日" in first["service_notice"]
            # multipart with a photo, answered in XML
            body, ctype = multipart({"api_key": key, "service_code": "10901", "lat": "35.004",
                                     "long": "118.304", "attribute[state]": "missing",
                                     "description": "井盖没了"},
                                    {"media": ("cover.png", "image/png", PNG)})
            status, _, raw = call(srv, "POST", "/open311/v2/requests.xml", body, ctype)
            assert status == 200, raw
            x = xml_root(raw)
            assert x.tag == "service_requests" and x[0].tag == "request", raw
            second = {c.tag: c.text for c in x[0]}
            assert second["service_request_id"] and "token" not in second, second
            # a multivaluelist with two keys, given as attribute[code][]
            status, _, raw = call(srv, "POST", "/open311/v2/requests.json",
                                  "api_key={}&service_code=06028&lat=35.005&long=118.305"
                                  "&attribute[source][]=construction&attribute[source][]=vehicle"
                                  "&attribute[when]=2026-01-15T23:30:00%2B08:00".format(key).encode(),
                                  "application/x-www-form-urlencoded")
            assert status == 200, raw
            third = json.loads(raw)[0]

            # every request reads back in both formats, with the specification's fields
            listed = both(srv, "GET", "/open311/v2/requests")
            for r in listed:
                check_request(r)
            by_id = {r["service_request_id"]: r for r in listed}
            assert set(by_id) == {first["service_request_id"], second["service_request_id"],
                                  third["service_request_id"]}
            r = by_id[first["service_request_id"]]
            assert r["status"] == "open" and r["service_code"] == "2108", r
            assert r["service_name"] == "路灯不亮" and r["description"] == "东关路口路灯<不亮> & 很黑"
            assert r["address"] == "东关路 12 号" and r["lat"] == 35.003 and r["long"] == 118.303
            assert r["agency_responsible"] is None and r["expected_datetime"] is None
            assert r["media_url"] is None, r
            one = both(srv, "GET", f"/open311/v2/requests/{first['service_request_id']}")
            assert one == [r], one
            # the photo posted with a request is its media_url, served to anyone as itself
            media = by_id[second["service_request_id"]]["media_url"]
            assert media == srv.base + "/open311/v2/media/" + hashlib.sha256(PNG).hexdigest(), \
                media
            status, headers, raw = call(srv, "GET", media[len(srv.base):])
            assert status == 200 and raw == PNG and headers["Content-Type"] == "image/png", \
                (status, headers)
            assert "sandbox" in headers["Content-Security-Policy"], headers
            # behind a proxy the URL is the one the client reached
            status, _, raw = srv.request("GET", "/open311/v2/requests.json", token=None,
                                         headers={"Host": "open311.example.gov.cn",
                                                  "X-Forwarded-Proto": "https"})
            assert [r["media_url"] for r in json.loads(raw) if r["media_url"]] == \
                ["https://open311.example.gov.cn" + media[len(srv.base):]], raw
            # a token handed out before (kept with each request) still answers the id
            db = data.store()
            try:
                token = db.execute("SELECT o.token FROM open311_request o JOIN work_order w "
                                   "ON w.id = o.order_id WHERE w.number = ?",
                                   (first["service_request_id"],)).fetchone()[0]
            finally:
                db.close()
            t = both(srv, "GET", f"/open311/v2/tokens/{token}")
            assert t == [{"service_request_id": first["service_request_id"], "token": token}], t
            # no answer carries the reporter
            for path in ["/open311/v2/requests.json", "/open311/v2/requests.xml",
                         "/open311/v2/servicerequestupdates.xml"]:
                _, _, raw = call(srv, "GET", path)
                for secret in ["13812345678", "张", "zhangsan", "dev-7", "acc-42"]:
                    assert secret.encode() not in raw, (path, secret)

            # inside wangge: the order came in through the open311 channel, located, with
            # its photo, its reporter sealed, its answers stored
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            o = order_of(srv, ag, first["service_request_id"])
            assert o["channel"] == "open311" and o["item"] == "2108", o
            assert o["grid"] == "371302001001001" and o["state"] == "received", o
            assert o["reporter"]["phone"] != "13812345678" and "*" in o["reporter"]["phone"], o
            assert o["open311"]["attributes"] == {"count": "2-5", "lamp": "LS-0123"}, o
            p = order_of(srv, ag, second["service_request_id"])
            assert len(p["photos"]) == 1 and p["photos"][0]["mime"] == "image/png", p
            assert any(e["action"] == "attachment" for e in p["timeline"]), p["timeline"]
            assert p["reporter"] == {"anonymous": True}, p
            q = order_of(srv, ag, third["service_request_id"])
            assert q["open311"]["attributes"] == {"source": ["construction", "vehicle"],
                                                  "when": "2026-01-15T23:30:00+08:00"}, q
            raw = data.raw_bytes()
            for secret in [b"13812345678", b"zhangsan@example.com", b"dev-7", b"acc-42"]:
                assert secret not in raw, secret
            db = data.store()
            try:
                rows = db.execute("SELECT token, attributes FROM open311_request "
                                  "ORDER BY order_id").fetchall()
            finally:
                db.close()
            assert len({r[0] for r in rows}) == 3 and all(re.fullmatch("[0-9a-f]{32}", r[0])
                                                           for r in rows), rows
            assert json.loads(rows[0][1]) == {"count": "2-5", "lamp": "LS-0123"}
            status, audit = srv.get("/api/v1/audit?action=order.create")
            assert status == 403  # the sysadmin does not read the audit log; the auditor does
        finally:
            srv.stop()
    finally:
        data.close()


def test_post_errors_in_both_formats():
    data = Data()
    try:
        srv = Server(data)
        try:
            key = api_key(srv)
            map_key = api_key(srv, perms=("map_read",))
            P = "/open311/v2/requests"
            check_error(srv, "POST", P, lamp(None), 403, ["api_key"])
            check_error(srv, "POST", P, lamp("wgk_" + "0" * 16 + "_" + "1" * 43), 403,
                        ["invalid api_key"])
            check_error(srv, "POST", P, lamp("not-a-key"), 403, ["invalid api_key"])
            check_error(srv, "POST", P, lamp(map_key), 403, ["open311 permission"])
            status, body = srv.json("DELETE", "/api/v1/apikeys/" + key.split("_")[1])
            assert status == 200, body
            check_error(srv, "POST", P, lamp(key), 403, ["revoked"])
            key = api_key(srv)
            check_error(srv, "POST", P, lamp(key, service_code=None), 400, ["service_code"])
            check_error(srv, "POST", P, lamp(key, service_code="9999"), 404, ["'9999'"])
            check_error(srv, "POST", P, lamp(key, service_code="2501"), 404, ["'2501'"])
            check_error(srv, "POST", P, lamp(key, **{"attribute[count]": None}), 400,
                        ["'count'", "required"])
            check_error(srv, "POST", P, lamp(key, **{"attribute[lamp]": ""}), 400,
                        ["'lamp'", "required"])
            check_error(srv, "POST", P, lamp(key, **{"attribute[count]": "7"}), 400,
                        ["'count'", "'7'", "1, 2-5, more"])
            check_error(srv, "POST", P, lamp(key, **{"attribute[colour]": "red"}), 400,
                        ["'colour'"])
            check_error(srv, "POST", P, lamp(key, **{"attribute[since]": "yesterday"}), 400,
                        ["'since'", "W3C"])
            check_error(srv, "POST", P, {"api_key": key, "service_code": "2107", "lat": "35.003",
                                         "long": "118.303", "attribute[size]": "big"}, 400,
                        ["'size'", "number"])
            check_error(srv, "POST", P, {"api_key": key, "service_code": "06028",
                                         "lat": "35.003", "long": "118.303",
                                         "attribute[source]": "aliens",
                                         "attribute[when]": "2026-01-15T23:30:00+08:00"}, 400,
                        ["'source'", "'aliens'"])
            # a field's name that is not UTF-8 is named as far as it can be, never a 500
            check_error(srv, "POST", P, {**lamp(key), b"attribute[\xff]": "1"}, 400,
                        ["attribute '\ufffd'"])
            check_error(srv, "POST", P, lamp(key, lat=None, long=None), 400, ["lat and long"])
            check_error(srv, "POST", P, lamp(key, long=None), 400, ["lat and long"])
            check_error(srv, "POST", P, lamp(key, lat="95"), 400, ["'lat'"])
            check_error(srv, "POST", P, lamp(key, lat="36.5"), 400, ["grid"])  # in no grid
            check_error(srv, "POST", P, lamp(key, phone="12"), 400, ["phone"])
            check_error(srv, "POST", P, lamp(key, media_url="ftp://x/y.jpg"), 400, ["media_url"])
            check_error(srv, "POST", P, lamp(key, description="x" * 4001), 400, ["description"])
            check_error(srv, "POST", P, lamp(key, jurisdiction_id="999999"), 404,
                        ["jurisdiction_id"])
            check_error(srv, "POST", P, json.dumps(lamp(key)).encode(), 400, ["form"],
                        ctype="application/json")
            body, ctype = multipart(lamp(key), {"media": ("x.png", "image/png", b"not an image")})
            check_error(srv, "POST", P, body, 400, ["media", "JPEG, PNG or WebP"], ctype=ctype)
            # a key scoped to one town files only inside it
            town_key = api_key(srv, scope="371302002")
            check_error(srv, "POST", P, lamp(town_key), 400, ["outside your area"])
            # nothing of the refused requests was kept
            assert both(srv, "GET", "/open311/v2/requests") == []
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            status, body = srv.get("/api/v1/orders", token=ag)
            assert body["orders"] == [], body
        finally:
            srv.stop()
    finally:
        data.close()


def test_filters_statuses_and_what_stays_hidden():
    data = Data()
    try:
        srv = Server(data)
        try:
            key = api_key(srv)
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            status, body = srv.json("POST", "/api/v1/units", {"id": "ld", "name": "路灯管理所",
                                                              "kind": "department",
                                                              "regions": ["371302"]})
            assert status == 201, body
            ids = []
            for extra in [{}, {}, {"service_code": "10901", "attribute[state]": "broken",
                                     "attribute[lamp]": None, "attribute[count]": None}]:
                status, _, raw = call(srv, "POST", "/open311/v2/requests.json", lamp(key, **extra))
                assert status == 200, raw
                ids.append(json.loads(raw)[0]["service_request_id"])
            a, b, c = ids
            # a hotline order of a public item is listed without its text; a confidential one
            # and one of a non-public item never are
            made = {}
            for name, extra in [("hotline", {"item": "2108"}),
                                ("confidential", {"item": "2108", "confidential": True}),
                                ("private", {"item": "2501"})]:
                status, o = srv.json("POST", "/api/v1/orders", dict(
                    channel="hotline", type="help", title="市民王女士来电",
                    content="王女士反映路灯不亮", lon=118.303, lat=35.003, **extra), token=ag)
                assert status == 201, o
                made[name] = o
            # a dispatched request: the unit answers for it and the deadline is known
            oa = order_of(srv, ag, a)
            act(srv, ag, oa, "dispatch", {"unit": "ld"})
            # a directly answered one is closed
            ob = order_of(srv, ag, b)
            act(srv, ag, ob, "answer", {"answer": "已安排维修"})

            listed = both(srv, "GET", "/open311/v2/requests")
            for r in listed:
                check_request(r)
            by_id = {r["service_request_id"]: r for r in listed}
            assert set(by_id) == {a, b, c, made["hotline"]["number"]}, set(by_id)
            assert made["confidential"]["number"] not in by_id
            assert by_id[made["hotline"]["number"]]["description"] is None
            assert b"\xe7\x8e\x8b" not in call(srv, "GET", "/open311/v2/requests.json")[2]  # 王
            ra, rb = by_id[a], by_id[b]
            assert ra["status"] == "open" and ra["agency_responsible"] == "路灯管理所", ra
            assert W3C.match(ra["expected_datetime"]) and ra["status_notes"], ra
            assert rb["status"] == "closed", rb
            # hidden ones are 404 by id, as if they did not exist
            for o in (made["confidential"], made["private"]):
                check_error(srv, "GET", f"/open311/v2/requests/{o['number']}", None, 404,
                            [o["number"]])
            check_error(srv, "GET", "/open311/v2/requests/371302-20200101-000001", None, 404,
                        ["371302-20200101-000001"])
            check_error(srv, "GET", "/open311/v2/tokens/nosuchtoken", None, 404, ["token"])
            # media: only a photo posted with a request that is public is served to the public;
            # a staff photo of a public order, a photo never stored and a posted one whose order
            # is confidential are all the same 404
            staff_png = PNG + b"staff"
            status, _, raw = srv.request("POST", f"/api/v1/orders/{made['hotline']['id']}/photos",
                                         staff_png, token=ag)
            assert status == 201, raw
            body, ctype = multipart(lamp(key), {"media": ("x.png", "image/png", PNG + b"posted")})
            status, _, raw = call(srv, "POST", "/open311/v2/requests.json", body, ctype)
            posted = json.loads(raw)[0]["service_request_id"]
            media = "/open311/v2/media/" + hashlib.sha256(PNG + b"posted").hexdigest()
            assert call(srv, "GET", media)[0] == 200
            db = data.store()
            try:
                db.execute("UPDATE work_order SET confidential = 1 WHERE number = ?", (posted,))
                db.commit()
            finally:
                db.close()
            for path in (media, "/open311/v2/media/" + hashlib.sha256(staff_png).hexdigest(),
                         "/open311/v2/media/" + "0" * 64, "/open311/v2/media/" + "0" * 63 + "G"):
                status, _, raw = call(srv, "GET", path)
                assert status == 404 and xml_root(raw).find("error/code").text == "404", \
                    (path, status, raw[:200])

            def ids_of(query):
                return {r["service_request_id"] for r in both(srv, "GET", "/open311/v2/requests?" + query)}
            h = made["hotline"]["number"]
            assert ids_of("status=open") == {a, c, h}
            assert ids_of("status=closed") == {b}
            assert ids_of("status=open,closed") == {a, b, c, h}
            assert ids_of("service_code=10901") == {c}
            assert ids_of("service_code=2108,10901&status=open") == {a, c, h}
            # a list of ids overrides every other filter
            assert ids_of(f"service_request_id={a},{b}&status=closed&service_code=10901") == {a, b}
            assert ids_of(f"service_request_id={made['confidential']['number']}") == set()
            assert ids_of("start_date=2020-01-01T00:00:00Z&end_date=2020-03-01T00:00:00+08:00") == set()
            assert ids_of("start_date=2020-01-01T00:00:00%2B08:00&end_date=2020-03-01") == set()
            assert ids_of("start_date=2099-01-01") == set()
            assert ids_of("end_date=2099-01-01T00:00:00Z") == set()  # the 90 days before it
            assert ids_of("start_date=2020-01-01&end_date=2020-03-30") == set()
            assert ids_of("jurisdiction_id=371302&service_code=2108") == {a, b, h}
            from time import time, strftime, gmtime
            today = strftime("%Y-%m-%dT%H:%M:%SZ", gmtime(time() - 3600))
            later = strftime("%Y-%m-%dT%H:%M:%SZ", gmtime(time() + 3600))
            assert ids_of(f"start_date={today}&end_date={later}") == {a, b, c, h}
            assert ids_of(f"start_date={today}") == {a, b, c, h}
            assert ids_of(f"end_date={later}") == {a, b, c, h}
            # errors of the filters, in both formats
            R = "/open311/v2/requests"
            check_error(srv, "GET", R + "?start_date=2020-01-01T00:00:00Z&end_date=2020-06-01T00:00:00Z",
                        None, 400, ["90 days"])
            check_error(srv, "GET", R + "?start_date=2020-02-01&end_date=2020-01-01", None, 400,
                        ["before"])
            check_error(srv, "GET", R + "?start_date=yesterday", None, 400, ["start_date", "W3C"])
            check_error(srv, "GET", R + "?end_date=2020-13-01", None, 400, ["end_date"])
            check_error(srv, "GET", R + "?status=pending", None, 400, ["'pending'"])
            check_error(srv, "GET", R + "?service_code=9999", None, 404, ["'9999'"])
            check_error(srv, "GET", R + "?service_code=2501", None, 404, ["'2501'"])
            check_error(srv, "GET", R + "?jurisdiction_id=370000", None, 404, ["jurisdiction_id"])

            # the updates: each state change, with the extended statuses
            ups = both(srv, "GET", "/open311/v2/servicerequestupdates")
            for u in ups:
                check_record(u, UPDATE, set(UPDATE), "update")
                assert u["status"] in EXTENDED and W3C.match(u["updated_datetime"]), u
            seen = {(u["service_request_id"], u["status"], u["external_status_code"]) for u in ups}
            assert (a, "open", "received") in seen and (a, "action_scheduled", "dispatched") in seen
            assert (b, "fixed", "replied") in seen, seen
            assert len({u["update_id"] for u in ups}) == len(ups)
            assert not any(u["service_request_id"] in (made["confidential"]["number"],
                                                       made["private"]["number"]) for u in ups)
            raw = call(srv, "GET", "/open311/v2/servicerequestupdates.xml")[2]
            assert b">ag<" not in raw and b"admin" not in raw and b"apikey" not in raw  # no staff
            assert both(srv, "GET", "/open311/v2/servicerequestupdates?start_date=2020-01-01") == []
            check_error(srv, "GET", "/open311/v2/servicerequestupdates?start_date=2020-01-01"
                        "&end_date=2021-01-01", None, 400, ["90 days"])
        finally:
            srv.stop()
    finally:
        data.close()


def test_several_counties_need_jurisdiction_id():
    data = Data()
    try:
        # a second county, 罗庄区, with one village and one grid
        src = os.path.join(data.dir, "divisions2")
        os.makedirs(src)
        for name in os.listdir(DIVISIONS):
            with open(os.path.join(DIVISIONS, name), encoding="utf-8") as f:
                text = f.read()
            extra = {"areas.csv": '371311,"罗庄区",3713,37\n',
                     "streets.csv": '371311001,"罗庄街道",371311,37,3713\n',
                     "villages.csv": '371311001001,"罗庄社区居委会",371311001,37,3713,371311\n'}
            with open(os.path.join(src, name), "w", encoding="utf-8") as f:
                f.write(text.rstrip("\n") + "\n" + extra.get(name, ""))
        run("import", "divisions", "--data", data.dir, "--county", "371311", "--source", src)
        data.import_grids(collection(feature("371311001001001", "罗庄社区第1网格", "base",
                                             square(118.50, 35.00, 118.51, 35.01))))
        srv = Server(data)
        try:
            key = api_key(srv, scope="all")
            check_error(srv, "GET", "/open311/v2/services", None, 400,
                        ["jurisdiction_id is required", "371302", "371311"])
            check_error(srv, "GET", "/open311/v2/requests", None, 400, ["jurisdiction_id"])
            both(srv, "GET", "/open311/v2/services?jurisdiction_id=371311")
            # a point tells its county; an address alone needs the jurisdiction
            status, _, raw = call(srv, "POST", "/open311/v2/requests.json",
                                  lamp(key, lat="35.005", long="118.505"))
            assert status == 200, raw
            lz = json.loads(raw)[0]["service_request_id"]
            assert lz.startswith("371311-"), lz
            check_error(srv, "POST", "/open311/v2/requests",
                        lamp(key, lat=None, long=None, address_string="罗庄街道"), 400,
                        ["jurisdiction_id"])
            status, _, raw = call(srv, "POST", "/open311/v2/requests.xml",
                                  lamp(key, lat=None, long=None, address_string="东关路",
                                       jurisdiction_id="371302"))
            assert status == 200, raw
            lanshan = xml_root(raw).find("request/service_request_id").text
            assert lanshan.startswith("371302-"), lanshan
            check_error(srv, "POST", "/open311/v2/requests",
                        lamp(key, jurisdiction_id="371302", lat="35.005", long="118.505"), 400,
                        ["371311", "371302"])
            ids = {r["service_request_id"] for r in
                   both(srv, "GET", "/open311/v2/requests?jurisdiction_id=371311")}
            assert ids == {lz}, ids
            r = both(srv, "GET", f"/open311/v2/requests/{lanshan}?jurisdiction_id=371302")
            assert r[0]["lat"] is None and r[0]["address"] == "东关路", r
            check_error(srv, "GET", f"/open311/v2/requests/{lanshan}?jurisdiction_id=371311",
                        None, 404, [lanshan])
        finally:
            srv.stop()
    finally:
        data.close()
