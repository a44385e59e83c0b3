"""The registry's buildings and houses, and the address search: made and changed with every
field checked (a bad one is 400 naming it, nothing stored), seen only inside the caller's
scope, changed only with the version read (If-Match), every write in the audit log; and the
addresses a desk types to place an appeal, with their point and grid."""
import urllib.parse

from harness import Data, Server, collection, config, feature, square

PASSWORD = "Registry-pass-2026"
TOWN = "371302001"
GRID = "371302001001001"  # 东关社区第1网格: 118.30..118.31, 35.00..35.01
OTHER_GRID = feature("371302002001001", "南坛村第1网格", "base", square(118.40, 35.0, 118.41, 35.01))
ADDRESS = "兰山区测试街道东关社区金雀山路18号3号楼"
BUILDING = {"name": "金雀山路18号3号楼", "address": ADDRESS, "lon": 118.305, "lat": 35.005,
            "floors": 6, "use": "residential"}


def world():
    data = Data()
    data.import_grids(collection(OTHER_GRID))
    srv = Server(data)
    tokens = {
        "worker": data.add_user(srv, "gw1", "gridworker", TOWN, PASSWORD),
        "agent": data.add_user(srv, "ag1", "agent", TOWN, PASSWORD),
        "other": data.add_user(srv, "gw2", "gridworker", "371302002", PASSWORD),
        "handler": data.add_user(srv, "hd1", "handler", TOWN, PASSWORD),
    }
    return data, srv, tokens


def make(srv, token, body=None, status=201):
    got, headers, raw = srv.request("POST", "/api/v1/buildings", body or BUILDING, token=token)
    assert got == status, raw
    import json
    b = json.loads(raw)
    if status == 201:
        assert headers["ETag"] == f'"{b["version"]}"'
    return b


def put(srv, path, body, token, version=None):
    headers = {"If-Match": f'"{version}"'} if version is not None else {}
    return srv.json("PUT", path, body, token=token, headers=headers)


def search(srv, q, token, limit=None):
    path = "/api/v1/addresses?q=" + urllib.parse.quote(q) + (f"&limit={limit}" if limit else "")
    return srv.json("GET", path, token=token)


def test_buildings_made_read_and_listed():
    data, srv, t = world()
    try:
        b = make(srv, t["worker"])
        # the point settles the grid, and the grid's code and a sequence make the code
        assert b["grid"] == GRID and b["grid_name"] == "东关社区第1网格", b
        assert b["code"] == GRID + "001" and b["version"] == 1, b
        assert b["point"] == {"lon": 118.305, "lat": 35.005} and b["floors"] == 6, b
        second = make(srv, t["worker"], dict(BUILDING, name="2号楼", address=ADDRESS[:-3] + "2号楼",
                                             lon=None, lat=None, grid="371302001001002"))
        assert second["code"] == "371302001001002001" and second["point"] is None, second
        given = make(srv, t["worker"], dict(BUILDING, code="LS-0001", name="学校楼",
                                            address="兰山区测试街道东关社区学府路1号",
                                            grid="371302001001901", lon=118.303, lat=35.003,
                                            use="public"))
        assert given["grid"] == "371302001001901", given  # the exclusive grid over the point
        status, body = srv.get("/api/v1/buildings/" + b["code"], token=t["agent"])
        assert status == 200 and body == b, body
        status, body = srv.get("/api/v1/buildings?grid=" + GRID, token=t["agent"])
        assert [x["code"] for x in body["buildings"]] == [b["code"]], body
        status, body = srv.get("/api/v1/buildings?region=371302001001", token=t["agent"])
        assert len(body["buildings"]) == 3, body
        status, body = srv.get("/api/v1/buildings?q=" + urllib.parse.quote("学府"),
                               token=t["agent"])
        assert [x["code"] for x in body["buildings"]] == ["LS-0001"], body
        # pages: by code, from the cursor, to the end
        seen, cursor = [], None
        while True:
            path = "/api/v1/buildings?limit=2" + (f"&cursor={cursor}" if cursor else "")
            status, body = srv.get(path, token=t["agent"])
            assert status == 200, body
            seen += [x["code"] for x in body["buildings"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        assert seen == sorted([b["code"], second["code"], given["code"]]), seen
        for bad, field in [("cursor=zz", "'cursor'"), ("limit=0", "limit"),
                           ("limit=201", "limit"), ("grid=3713", "'grid'"),
                           ("region=12x", "'region'")]:
            status, body = srv.get("/api/v1/buildings?" + bad, token=t["agent"])
            assert status == 400 and field in body["error"]["message"], (bad, body)
        status, body = srv.get("/api/v1/buildings/NOPE", token=t["agent"])
        assert status == 404, body
    finally:
        srv.stop()
        data.close()


BAD_BUILDINGS = [
    ({"name": None}, "'name'"),
    ({"name": ""}, "'name'"),
    ({"address": "路" * 81}, "'address'"),
    ({"floors": 0}, "'floors'"),
    ({"floors": 201}, "'floors'"),
    ({"floors": "6"}, "'floors'"),
    ({"use": "castle"}, "'use'"),
    ({"lat": None}, "'lat'"),
    ({"lon": 200}, "'lon'"),
    ({"lon": 118.5, "lat": 35.5}, "'lon', 'lat'"),  # in no grid
    ({"grid": "371302001009009"}, "'grid'"),  # no such grid
    ({"grid": "371302001001002"}, "'grid'"),  # does not hold the point
    ({"grid": "371302002001001", "lon": 118.405, "lat": 35.005}, "'grid'"),  # another town's
    ({"lon": 118.405, "lat": 35.005}, "'lon', 'lat'"),  # a point in another town's grid
    ({"lon": None, "lat": None}, "'grid'"),  # neither grid nor point
    ({"code": "a b"}, "'code'"),
    ({"code": "x" * 33}, "'code'"),
    ({"storeys": 3}, "'storeys'"),
]


def test_bad_buildings_are_refused_naming_the_field():
    data, srv, t = world()
    try:
        for change, field in BAD_BUILDINGS:
            body = {k: v for k, v in dict(BUILDING, **change).items()
                    if not (v is None and k in ("name",))}
            if change.get("name", 0) is None:
                body.pop("name", None)
            status, answer = srv.json("POST", "/api/v1/buildings", body, token=t["worker"])
            assert status == 400, (change, answer)
            assert field in answer["error"]["message"], (change, answer)
        assert data.count("building") == 0
        b = make(srv, t["worker"], dict(BUILDING, code="B1"))
        status, answer = srv.json("POST", "/api/v1/buildings", dict(BUILDING, code="B1"),
                                  token=t["worker"])
        assert status == 409 and "'B1'" in answer["error"]["message"], answer
        # a change checks the same, and a bad one leaves the building as it was
        for change, field in BAD_BUILDINGS[1:8] + [({"code": "B2"}, "'code'")]:
            status, answer = put(srv, "/api/v1/buildings/B1", change, t["worker"], 1)
            assert status == 400 and field in answer["error"]["message"], (change, answer)
        status, now = srv.get("/api/v1/buildings/B1", token=t["worker"])
        assert now == b, now
        # an agent reads the registry but does not write it
        status, answer = srv.json("POST", "/api/v1/buildings", BUILDING, token=t["agent"])
        assert status == 403, answer
    finally:
        srv.stop()
        data.close()


def test_building_changes_need_the_version_read():
    data, srv, t = world()
    try:
        b = make(srv, t["worker"])
        path = "/api/v1/buildings/" + b["code"]
        status, answer = put(srv, path, {"floors": 7}, t["worker"])
        assert status == 400 and "If-Match" in answer["error"]["message"], answer
        status, answer = put(srv, path, {"floors": 7, "name": "新名"}, t["worker"], 1)
        assert status == 200 and answer["version"] == 2 and answer["floors"] == 7, answer
        assert answer["name"] == "新名" and answer["address"] == ADDRESS, answer
        status, answer = put(srv, path, {"floors": 8}, t["worker"], 1)
        assert status == 412, answer
        status, now = srv.get(path, token=t["worker"])
        assert now["floors"] == 7 and now["version"] == 2, now
        # moved: the new point says which grid it stands in
        status, answer = put(srv, path, {"lon": 118.315, "lat": 35.005}, t["worker"], 2)
        assert status == 200 and answer["grid"] == "371302001001002", answer
    finally:
        srv.stop()
        data.close()


def test_houses():
    data, srv, t = world()
    try:
        b = make(srv, t["worker"])
        houses = "/api/v1/buildings/%s/houses" % b["code"]
        status, h = srv.json("POST", houses, {"unit": "2", "floor": 3, "room": "301",
                                              "use": "rented", "tenants": 3}, token=t["worker"])
        assert status == 201, h
        assert h["address"] == ADDRESS + "2单元301室" and h["tenants"] == 3, h
        assert h["building"] == b["code"] and h["version"] == 1, h
        status, low = srv.json("POST", houses, {"unit": "1", "floor": -1, "room": "B101",
                                                "use": "business", "address": ADDRESS + "地下商铺"},
                               token=t["worker"])
        assert status == 201 and low["address"] == ADDRESS + "地下商铺", low
        before = data.count("house")
        for bad, field in [({"floor": 0}, "'floor'"), ({"floor": 7}, "'floor'"),
                           ({"floor": -6}, "'floor'"), ({"floor": "3"}, "'floor'"),
                           ({"room": ""}, "'room'"), ({"room": "1" * 9}, "'room'"),
                           ({"unit": "单" * 9}, "'unit'"), ({"use": "hotel"}, "'use'"),
                           ({"use": "owner_occupied", "tenants": 2}, "'tenants'"),
                           ({"tenants": 100}, "'tenants'"), ({"rooms": 1}, "'rooms'")]:
            body = dict({"unit": "1", "floor": 2, "room": "201", "use": "rented"}, **bad)
            status, answer = srv.json("POST", houses, body, token=t["worker"])
            assert status == 400 and field in answer["error"]["message"], (bad, answer)
        assert data.count("house") == before
        status, answer = srv.json("POST", houses, {"unit": "2", "floor": 3, "room": "301",
                                                   "use": "empty"}, token=t["worker"])
        assert status == 409, answer
        status, page = srv.get(houses + "?limit=1", token=t["agent"])
        assert [x["id"] for x in page["houses"]] == [h["id"]] and page["next_cursor"], page
        status, page = srv.get(houses + "?limit=1&cursor=" + page["next_cursor"],
                               token=t["agent"])
        assert [x["id"] for x in page["houses"]] == [low["id"]] and not page["next_cursor"], page
        path = "/api/v1/houses/%d" % h["id"]
        status, headers, _ = srv.request("GET", path, token=t["agent"])
        assert status == 200 and headers["ETag"] == '"1"'
        status, answer = put(srv, path, {"use": "empty"}, t["worker"])
        assert status == 400 and "If-Match" in answer["error"]["message"], answer
        status, answer = put(srv, path, {"use": "empty", "room": "302"}, t["worker"], 1)
        assert status == 200 and answer["tenants"] == 0 and answer["version"] == 2, answer
        assert answer["address"] == ADDRESS + "2单元302室", answer
        status, answer = put(srv, path, {"floor": 9}, t["worker"], 1)
        assert status == 412, answer
        status, answer = put(srv, path, {"floor": 9}, t["worker"], 2)
        assert status == 400 and "'floor'" in answer["error"]["message"], answer
        # the building keeps its houses under its floors
        status, answer = put(srv, "/api/v1/buildings/" + b["code"], {"floors": 2}, t["worker"], 1)
        assert status == 400 and "'floors'" in answer["error"]["message"], answer
        for missing in ["/api/v1/houses/999", "/api/v1/houses/abc", "/api/v1/houses/01"]:
            status, _ = srv.get(missing, token=t["agent"])
            assert status == 404, missing
        status, _ = srv.json("POST", "/api/v1/buildings/NOPE/houses",
                             {"floor": 1, "room": "1", "use": "empty"}, token=t["worker"])
        assert status == 404
    finally:
        srv.stop()
        data.close()


def test_another_towns_account_finds_nothing():
    data, srv, t = world()
    try:
        b = make(srv, t["worker"])
        status, h = srv.json("POST", "/api/v1/buildings/%s/houses" % b["code"],
                             {"floor": 1, "room": "101", "use": "empty"}, token=t["worker"])
        assert status == 201, h
        other = t["other"]
        for method, path, body in [
                ("GET", "/api/v1/buildings/" + b["code"], None),
                ("PUT", "/api/v1/buildings/" + b["code"], {"floors": 9}),
                ("GET", "/api/v1/buildings/%s/houses" % b["code"], None),
                ("POST", "/api/v1/buildings/%s/houses" % b["code"],
                 {"floor": 2, "room": "201", "use": "empty"}),
                ("GET", "/api/v1/houses/%d" % h["id"], None),
                ("PUT", "/api/v1/houses/%d" % h["id"], {"room": "102"})]:
            status, _, raw = srv.request(method, path, body, token=other,
                                         headers={"If-Match": '"1"'})
            assert status == 404, (method, path, raw)
        status, body = srv.get("/api/v1/buildings", token=other)
        assert body["buildings"] == [], body
        status, body = srv.get("/api/v1/buildings?region=" + TOWN, token=other)
        assert body["buildings"] == [], body
        status, body = search(srv, "金雀山", other)
        assert status == 200 and body["addresses"] == [], body
        # and its own town is its own
        mine = make(srv, other, dict(BUILDING, lon=118.405, lat=35.005))
        assert mine["grid"] == "371302002001001", mine
        status, body = srv.get("/api/v1/buildings", token=other)
        assert [x["code"] for x in body["buildings"]] == [mine["code"]], body
    finally:
        srv.stop()
        data.close()


def test_writes_are_audited():
    data, srv, t = world()
    try:
        b = make(srv, t["worker"])
        srv.json("POST", "/api/v1/buildings", dict(BUILDING, floors=0), token=t["worker"])
        put(srv, "/api/v1/buildings/" + b["code"], {"floors": 5}, t["worker"], 1)
        put(srv, "/api/v1/buildings/" + b["code"], {"floors": 4}, t["worker"], 1)  # stale
        status, h = srv.json("POST", "/api/v1/buildings/%s/houses" % b["code"],
                             {"floor": 1, "room": "101", "use": "empty"}, token=t["worker"])
        put(srv, "/api/v1/houses/%d" % h["id"], {"use": "business"}, t["worker"], 1)
        aud = srv.login_first(data, "auditor")
        records = []
        for kind in ("building", "house"):
            status, body = srv.get(f"/api/v1/audit?object_type={kind}&limit=50", token=aud)
            assert status == 200, body
            records += [(r["action"], r["actor"], r["object_id"], r["result"] == "ok")
                        for r in body["records"]]
        for want in [("building.create", "gw1", b["code"], True),
                     ("building.update", "gw1", b["code"], True),
                     ("building.update", "gw1", b["code"], False),
                     ("house.create", "gw1", str(h["id"]), True),
                     ("house.update", "gw1", str(h["id"]), True)]:
            assert want in records, (want, records)
        assert [r for r in records if r[0] == "building.create" and not r[3]], records
    finally:
        srv.stop()
        data.close()


def test_address_search():
    data, srv, t = world()
    try:
        b = make(srv, t["worker"])
        make(srv, t["worker"], dict(BUILDING, name="沂蒙大厦", address="兰山区测试街道东关社区"
                                    "沂蒙路1号", lon=118.315, lat=35.005, use="office"))
        status, h = srv.json("POST", "/api/v1/buildings/%s/houses" % b["code"],
                             {"unit": "1", "floor": 2, "room": "201", "use": "owner_occupied"},
                             token=t["worker"])
        assert status == 201, h
        # an agent (who reads the map, not the registry) places an appeal with it
        status, body = search(srv, "兰山区测试街道东关社区金雀山", t["agent"])
        assert status == 200, body
        first = body["addresses"][0]
        assert first["kind"] == "building" and first["id"] == b["code"], body
        assert first["address"] == ADDRESS and first["point"] == {"lon": 118.305, "lat": 35.005}
        assert first["grid"] == {"code": GRID, "name": "东关社区第1网格"}, first
        assert body["addresses"][1]["kind"] == "house", body
        assert body["addresses"][1]["address"] == ADDRESS + "1单元201室", body
        # a prefix before a substring: "沂蒙大厦" begins with it, the others only hold 东关
        status, body = search(srv, "沂蒙", t["agent"])
        assert [a["name"] for a in body["addresses"]] == ["沂蒙大厦"], body
        status, body = search(srv, "东关", t["agent"])
        kinds = [(a["kind"], a["name"]) for a in body["addresses"]]
        assert kinds[0] == ("village", "东关社区居委会"), kinds
        village = body["addresses"][0]
        assert village["point"] and village["grid"]["code"].startswith("371302001001"), village
        assert {k for k, _ in kinds[1:]} == {"building", "house"}, kinds
        status, body = search(srv, "测试街道", t["agent"])
        assert body["addresses"][0]["kind"] == "town", body
        status, body = search(srv, "东关", t["agent"], limit=2)
        assert len(body["addresses"]) == 2, body
        for bad, field in [("/api/v1/addresses", "'q'"), ("/api/v1/addresses?q=%20", "'q'"),
                           ("/api/v1/addresses?q=" + urllib.parse.quote("路" * 61), "'q'"),
                           ("/api/v1/addresses?q=a&limit=51", "limit"),
                           ("/api/v1/addresses?q=a&limit=0", "limit")]:
            status, body = srv.get(bad, token=t["agent"])
            assert status == 400 and field in body["error"]["message"], (bad, body)
        status, body = search(srv, "没有这个地方", t["agent"])
        assert status == 200 and body["addresses"] == [], body
        status, body = search(srv, "东关", t["handler"])  # a handler reads the map
        assert status == 200, body
    finally:
        srv.stop()
        data.close()


def test_public_address_search_for_the_portal():
    """The residents' portal places an appeal by address: towns, villages and buildings with
    their standard addresses, never a house; no login; every lookup counts against the
    caller's address, a bad query refused before it counts."""
    data = Data()
    srv = Server(data)
    try:
        status, b = srv.json("POST", "/api/v1/buildings", BUILDING)
        assert status == 201, b
        status, h = srv.json("POST", "/api/v1/buildings/%s/houses" % b["code"],
                             {"unit": "1", "floor": 2, "room": "201", "use": "owner_occupied"})
        assert status == 201, h
        path = "/api/v1/public/addresses?q=" + urllib.parse.quote("金雀山路18号")
        status, body = srv.json("GET", path, token=None)
        assert status == 200, body
        assert [a["kind"] for a in body["addresses"]] == ["building"], body
        assert body["addresses"][0]["point"] == {"lon": 118.305, "lat": 35.005}, body
        status, body = srv.json("GET", "/api/v1/public/addresses?q=" + urllib.parse.quote("东关"),
                                token=None)
        assert status == 200 and "house" not in {a["kind"] for a in body["addresses"]}, body
        for bad in ("", "?q=", "?q=a&limit=99"):
            status, body = srv.json("GET", "/api/v1/public/addresses" + bad, token=None)
            assert status == 400, body
    finally:
        srv.stop()
    # the throttle: a few lookups an hour from one address in this server's settings (two
    # counted above)
    srv = Server(data, "--config", config(data, portal_cards_per_address=5))
    try:
        for i in range(3):
            status, body = srv.json("GET", "/api/v1/public/addresses?q=%E4%B8%9C" + str(i),
                                    token=None)
            assert status == 200, body
        status, headers, raw = srv.request("GET", "/api/v1/public/addresses?q=%E4%B8%9C",
                                           token=None)
        assert status == 429 and int(headers["Retry-After"]) > 0, raw
        status, _ = srv.json("GET", "/api/v1/public/addresses?q=", token=None)
        assert status == 400  # refused before it counts, and still answered
    finally:
        srv.stop()
        data.close()
