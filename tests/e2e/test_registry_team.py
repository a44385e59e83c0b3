"""The grid team and its public card: the team read and replaced whole in the caller's scope,
only with the version read (If-Match), every bad member a 400 naming its index and field with
nothing stored, every change in the audit log; and the card a resident reads without an
account — names, roles, duties and work phones of the current team, the police and their
station, what the grid publishes, and nothing else of anyone."""
import json
import os

from harness import Data, Server, collection, feature, square

PASSWORD = "Team-pass-2026"
TOWN = "371302001"
GRID = "371302001001001"  # 东关社区第1网格: 118.30..118.31, 35.00..35.01
OTHER = "371302002001001"
OTHER_GRID = feature(OTHER, "南坛村第1网格", "base", square(118.40, 35.0, 118.41, 35.01))
TEAM = {
    "members": [
        {"name": "张网格", "role": "head", "username": "gw1", "work_phone": "0539-8123456",
         "duty": "全面负责", "since": "2020-01-01"},
        {"name": "李专职", "role": "full_time", "work_phone": "13800001111", "person": 1},
        {"name": "王下沉", "role": "micro", "home_unit": "区财政局", "until": "2099-12-31"},
        {"name": "赵楼长", "role": "building_head", "building": "B-1"},
        {"name": "孙民警", "role": "police", "work_phone": "0539-8110110"},
        {"name": "周离任", "role": "volunteer", "since": "2020-01-01", "until": "2021-12-31"},
    ],
    "duties": {"responsibilities": "走访、巡查、上报、服务", "commitment": "24小时不打烊",
               "supervision_phone": "12345",
               "services": [{"name": "社区卫生室", "phone": "0539-8777777"}]},
    "police_station": {"name": "东关派出所", "phone": "110", "address": "金雀山路1号"},
}
CARD_KEYS = {"grid", "town", "village", "team", "police", "police_station", "duties"}
MEMBER_KEYS = {"role", "name", "duty", "work_phone", "building", "unit"}


def resident_id(body):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def world(**settings):
    data = Data()
    data.import_grids(collection(OTHER_GRID))
    args = []
    if settings:
        path = os.path.join(data.dir, "serve.conf")
        with open(path, "w") as f:
            for k, v in settings.items():
                f.write(f"portal_{k} = {v}\n")
        args = ["--config", path]
    srv = Server(data, *args)
    tokens = {
        "worker": data.add_user(srv, "gw1", "gridworker", TOWN, PASSWORD),
        "agent": data.add_user(srv, "ag1", "agent", TOWN, PASSWORD),
        "other": data.add_user(srv, "gw2", "gridworker", "371302002", PASSWORD),
        "handler": data.add_user(srv, "hd1", "handler", TOWN, PASSWORD),
    }
    status, body = srv.json("POST", "/api/v1/buildings", {
        "code": "B-1", "name": "金雀山路18号3号楼", "address": "兰山区测试街道东关社区金雀山路18号3号楼",
        "floors": 6, "use": "residential", "lon": 118.305, "lat": 35.005})
    assert status == 201, body
    status, body = srv.json("POST", "/api/v1/persons", {
        "id_number": resident_id("37130219800101123"), "name": "李专职", "phone": "13912345678",
        "residence": "registered", "grid": GRID})
    assert status == 201, body
    return data, srv, tokens


def put(srv, grid, body, token, version=None):
    headers = {"If-Match": f'"{version}"'} if version is not None else {}
    status, h, raw = srv.request("PUT", f"/api/v1/grids/{grid}/team", body, token=token,
                                 headers=headers)
    return status, h, json.loads(raw) if raw else None


def card(srv, query, headers=None):
    status, h, raw = srv.request("GET", "/api/v1/public/grid?" + query, token=None,
                                 headers=headers)
    return status, h, json.loads(raw) if raw else None


def test_team_read_replaced_whole_and_audited():
    data, srv, t = world()
    try:
        status, h, raw = srv.request("GET", f"/api/v1/grids/{GRID}/team", token=t["agent"])
        body = json.loads(raw)
        assert status == 200 and h["ETag"] == '"0"', body
        assert body["version"] == 0 and body["members"] == [] and body["police_station"] is None
        assert body["grid_name"] == "东关社区第1网格", body
        status, _, body = put(srv, GRID, TEAM, t["worker"])  # no If-Match
        assert status == 400 and "If-Match" in body["error"]["message"], body
        status, h, body = put(srv, GRID, TEAM, t["worker"], 0)
        assert status == 200 and h["ETag"] == '"1"' and body["version"] == 1, body
        assert [m["name"] for m in body["members"]] == [m["name"] for m in TEAM["members"]]
        assert [m["current"] for m in body["members"]] == [True] * 5 + [False], body
        head = body["members"][0]
        assert head["username"] == "gw1" and head["since"] == "2020-01-01", head
        assert body["members"][1]["person"] == 1 and body["members"][2]["home_unit"] == "区财政局"
        assert body["duties"]["supervision_phone"] == "12345", body
        assert body["police_station"]["name"] == "东关派出所", body
        assert body["updated_by"] == "gw1", body
        status, again = srv.get(f"/api/v1/grids/{GRID}/team", token=t["agent"])
        assert status == 200 and again == body, again
        # a second change on the same version is refused and changes nothing
        status, _, stale = put(srv, GRID, {"members": []}, t["worker"], 0)
        assert status == 412, stale
        status, _, stale = put(srv, GRID, {"members": []}, t["worker"], 7)
        assert status == 412, stale
        # a smaller team replaces the whole; the duties and station stay when not sent
        status, _, body = put(srv, GRID, {"members": [{"name": "新网格长", "role": "head"}]},
                              t["worker"], 1)
        assert status == 200 and body["version"] == 2, body
        assert [m["name"] for m in body["members"]] == ["新网格长"], body
        assert body["police_station"]["name"] == "东关派出所", body
        status, _, body = put(srv, GRID, {"members": [], "police_station": None}, t["worker"], 2)
        assert status == 200 and body["police_station"] is None, body
        aud = srv.login_first(data, "auditor")
        status, body = srv.get("/api/v1/audit?object_type=grid&limit=50", token=aud)
        records = [(r["action"], r["actor"], r["object_id"], r["result"] == "ok")
                   for r in body["records"]]
        assert records.count(("team.update", "gw1", GRID, True)) == 3, records
        assert records.count(("team.update", "gw1", GRID, False)) >= 2, records
    finally:
        srv.stop()
        data.close()


def member(**change):
    team = json.loads(json.dumps(TEAM))
    team["members"][3].update(change)
    return team


BAD_TEAMS = [
    (member(name=None), "'members[3].name'"),
    (member(name="名" * 21), "'members[3].name'"),
    (member(role="king"), "'members[3].role'"),
    (member(role="micro"), "'members[3].home_unit'"),
    (member(role="unit_head"), "'members[3].unit'"),
    (member(building=None), "'members[3].building'"),
    (member(building="B-404"), "'members[3].building'"),
    (member(username="nobody"), "'members[3].username'"),
    (member(person=99), "'members[3].person'"),
    (member(person="1"), "'members[3].person'"),
    (member(since="2026-02-30"), "'members[3].since'"),
    (member(since="2026-06-01", until="2026-05-31"), "'members[3].until'"),
    (member(work_phone="12"), "'members[3].work_phone'"),
    (member(work_phone=13800001111), "'members[3].work_phone'"),
    (member(phone="13800001111"), "'members[3].phone'"),  # no personal phone is kept
    (member(duty="长" * 61), "'members[3].duty'"),
    ({"duties": {}}, "'members'"),
    ({"members": [{"name": "甲", "role": "head"}] * 201}, "'members'"),
    ({"members": [], "duties": {"hours": "8-17"}}, "'duties.hours'"),
    ({"members": [], "duties": {"supervision_phone": "call us"}}, "'duties.supervision_phone'"),
    ({"members": [], "duties": {"services": [{"name": "医生"}]}}, "'duties.services[0].phone'"),
    ({"members": [], "police_station": {"phone": "110"}}, "'police_station.name'"),
    ({"members": [], "leader": "x"}, "'leader'"),
]


def test_every_bad_member_is_a_400_naming_it_and_nothing_is_stored():
    data, srv, t = world()
    try:
        status, _, body = put(srv, GRID, TEAM, t["worker"], 0)
        assert status == 200, body
        before = srv.get(f"/api/v1/grids/{GRID}/team", token=t["worker"])[1]
        for bad, field in BAD_TEAMS:
            status, _, body = put(srv, GRID, bad, t["worker"], 1)
            assert status == 400 and field in body["error"]["message"], (bad, field, body)
        status, _, body = put(srv, GRID, TEAM, t["worker"], "x")
        assert status == 400 and "If-Match" in body["error"]["message"], body
        status, _, raw = srv.request("PUT", f"/api/v1/grids/{GRID}/team", b"{", token=t["worker"],
                                     headers={"If-Match": '"1"'})
        assert status == 400, raw
        after = srv.get(f"/api/v1/grids/{GRID}/team", token=t["worker"])[1]
        assert after == before, after
        assert data.count("grid_team_member") == len(TEAM["members"])
    finally:
        srv.stop()
        data.close()


def test_team_scope_and_permissions():
    data, srv, t = world()
    try:
        # outside the scope the grid is not there, for reading and writing
        status, body = srv.get(f"/api/v1/grids/{GRID}/team", token=t["other"])
        assert status == 404 and GRID in body["error"]["message"], body
        status, _, body = put(srv, GRID, TEAM, t["other"], 0)
        assert status == 404, body
        status, body = srv.get("/api/v1/grids/371302001009009/team", token=t["worker"])
        assert status == 404, body
        status, body = srv.get("/api/v1/grids/nope/team", token=t["worker"])
        assert status == 404, body
        # readers may not write; units see none of the registry
        status, _, body = put(srv, GRID, TEAM, t["agent"], 0)
        assert status == 403, body
        status, body = srv.get(f"/api/v1/grids/{GRID}/team", token=t["handler"])
        assert status == 403, body
        status, body = srv.get(f"/api/v1/grids/{GRID}/team", token=None)
        assert status == 401, body
        # the other town's worker keeps the other town's team
        status, _, body = put(srv, OTHER, {"members": [{"name": "南坛网格长", "role": "head"}]},
                              t["other"], 0)
        assert status == 200, body
        status, body = srv.get(f"/api/v1/grids/{OTHER}/team", token=t["worker"])
        assert status == 404, body
    finally:
        srv.stop()
        data.close()


def test_public_card_answers_only_public_fields():
    data, srv, t = world()
    try:
        status, _, body = card(srv, "lon=118.305&lat=35.005")
        assert status == 200 and body["team"] == [] and body["police"] == [], body
        status, _, body = put(srv, GRID, TEAM, t["worker"], 0)
        assert status == 200, body
        status, _, c = card(srv, "lon=118.305&lat=35.005")
        assert status == 200 and set(c) == CARD_KEYS, c
        assert c["grid"] == {"code": GRID, "name": "东关社区第1网格"}, c
        assert c["town"]["name"] == "测试街道" and c["village"]["code"] == "371302001001", c
        # the current team, in its order; who left is not shown; the police apart
        assert [(m["role"], m["name"]) for m in c["team"]] == [
            ("head", "张网格"), ("full_time", "李专职"), ("micro", "王下沉"),
            ("building_head", "赵楼长")], c
        assert all(set(m) <= MEMBER_KEYS for m in c["team"] + c["police"]), c
        assert c["team"][0]["work_phone"] == "0539-8123456", c
        assert c["team"][3]["building"] == "金雀山路18号3号楼", c
        assert c["police"] == [{"role": "police", "name": "孙民警", "duty": None,
                                "work_phone": "0539-8110110"}], c
        assert c["police_station"] == TEAM["police_station"], c
        assert c["duties"] == TEAM["duties"], c
        # nothing personal leaks: no account, registry person, home unit, dates, nor the
        # registry person's own phone
        text = json.dumps(c, ensure_ascii=False)
        for secret in ["gw1", "区财政局", "2020-01-01", "2099-12-31", "周离任", "B-1",
                       "13912345678", "139****5678", "username", "person", "home_unit", "since"]:
            assert secret not in text, (secret, text)
        # the same card with the CRS named, and with a staff token: still only this
        status, _, again = card(srv, "lon=118.305&lat=35.005&crs=wgs84")
        assert again == c, again
        status, _, raw = srv.request("GET", "/api/v1/public/grid?lon=118.305&lat=35.005",
                                     token=t["worker"])
        assert status == 200 and json.loads(raw) == c, raw
    finally:
        srv.stop()
        data.close()


def test_public_card_bad_points_and_throttle():
    data, srv, _ = world(cards_per_address=2)
    try:
        status, _, body = card(srv, "lon=118.5&lat=35.5")
        assert status == 404 and "no grid" in body["error"]["message"], body
        for query, field in [("lat=35.005", "lon"), ("lon=118.305", "lat"),
                             ("lon=abc&lat=35.005", "lon"), ("lon=118.305&lat=95", "lat"),
                             ("lon=181&lat=35", "lon"), ("lon=118.305&lat=35.005&crs=x", "crs")]:
            status, _, body = card(srv, query)
            assert status == 400 and field in body["error"]["message"], (query, body)
        # 2 lookups an address per window (a bad query is refused before it counts): the
        # point in no grid and this one; the next is refused
        status, _, body = card(srv, "lon=118.305&lat=35.005")
        assert status == 200, body
        status, h, body = card(srv, "lon=118.305&lat=35.005")
        assert status == 429 and int(h["Retry-After"]) > 0, body
    finally:
        srv.stop()
        data.close()
