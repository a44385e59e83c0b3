"""The party overlay (党建引领): party organizations bound to their places (a community's
committee, a grid's branch 支部建在网格上, a building's group) under their parents, their
members (party members of the registry), and the party-member central households (党员中心户)
with the households they serve — in one's scope, checked field by field, versioned."""
from harness import Data, Server

GRID = "371302001001001"       # 东关社区第1网格
OTHER_GRID = "371302001002001"  # 西关社区第1网格
VILLAGE = "371302001001"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(seq):
    body = "37130219700101" + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def ok(srv, method, path, body, token, want=201):
    status, answer = srv.json(method, path, body, token=token)
    assert status == want, (path, body, answer)
    return answer


def setup(data, srv):
    gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
    west = data.add_user(srv, "west", "gridworker", "371302001002", "Grid-pass-2026")
    people = []
    for n, political in enumerate(["party_member", "probationary", "masses", "party_member"]):
        people.append(ok(srv, "POST", "/api/v1/persons", {
            "id_number": resident_id(n + 1), "name": "李四", "residence": "registered",
            "grid": GRID, "political": political}, gw)["id"])
    homes = [ok(srv, "POST", "/api/v1/households", {"number": f"DG-{n}", "grid": GRID,
                                                     "address": "东关街道和平路1号"}, gw)["id"]
             for n in range(4)]
    return gw, west, people, homes


def put(srv, path, body, version, token):
    status, headers, raw = srv.request("PUT", path, body, headers={"If-Match": f'"{version}"'},
                                       token=token)
    return status, raw


def test_party_organizations_on_their_places_with_members():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west, people, _ = setup(data, srv)
            srv.json("POST", "/api/v1/buildings", {
                "code": "DG-B1", "name": "1号楼", "address": "东关街道和平路1号1号楼",
                "floors": 6, "use": "residential", "grid": GRID})
            committee = ok(srv, "POST", "/api/v1/party/orgs", {
                "name": "东关社区党委", "kind": "committee", "region": VILLAGE}, gw)
            branch = ok(srv, "POST", "/api/v1/party/orgs", {
                "name": "东关社区第1网格党支部", "kind": "branch", "grid": GRID,
                "parent": committee["id"]}, gw)
            group = ok(srv, "POST", "/api/v1/party/orgs", {
                "name": "1号楼党小组", "kind": "group", "building": "DG-B1",
                "parent": branch["id"]}, gw)
            assert group["area"] == GRID and group["place_kind"] == "building", group
            before = data.count("party_org")
            bad = [
                ({"kind": "cell"}, 400, "kind"),
                ({"name": ""}, 400, "name"),
                ({"kind": "branch", "region": VILLAGE}, 400, "region"),
                ({"kind": "committee", "grid": GRID}, 400, "grid"),
                ({"kind": "branch", "grid": "371302009009009"}, 400, "grid"),
                ({"kind": "branch", "grid": "371302002001001"}, 400, "grid"),
                ({"kind": "group", "building": "NOPE"}, 400, "building"),
                ({"kind": "committee", "region": "371302001009"}, 400, "region"),
                ({"kind": "general_branch", "region": "371302001"}, 400, "region"),
                ({"kind": "branch", "grid": GRID, "region": VILLAGE}, 400, "grid"),
                ({"kind": "branch"}, 400, "region"),
                ({"kind": "branch", "grid": GRID, "parent": 999}, 400, "parent"),
                ({"kind": "branch", "grid": GRID, "parent": group["id"]}, 400, "parent"),
                ({"kind": "committee", "region": "371302001", "parent": committee["id"]}, 400,
                 "parent"),
                ({"kind": "branch", "grid": GRID, "parent": "1"}, 400, "parent"),
                ({"kind": "branch", "grid": GRID, "secretary": 1}, 400, "secretary"),
            ]
            for body, want, word in bad:
                body = {"name": "支部", **body}
                status, answer = srv.json("POST", "/api/v1/party/orgs", body, token=gw)
                assert status == want and f"'{word}'" in answer["error"]["message"], (body, answer)
            assert data.count("party_org") == before
            # a branch under a committee of another community: its place does not hold it
            west_committee = ok(srv, "POST", "/api/v1/party/orgs", {
                "name": "西关社区党委", "kind": "committee", "region": "371302001002"}, gw)
            status, answer = srv.json("POST", "/api/v1/party/orgs", {
                "name": "支部", "kind": "branch", "grid": GRID, "parent": west_committee["id"]},
                token=gw)
            assert status == 400 and "'parent'" in answer["error"]["message"], answer
            # lists in scope
            status, body = srv.get(f"/api/v1/party/orgs?grid={GRID}", token=gw)
            assert [o["id"] for o in body["party_orgs"]] == [branch["id"], group["id"]], body
            status, body = srv.get("/api/v1/party/orgs?kind=committee", token=gw)
            assert len(body["party_orgs"]) == 2, body
            status, body = srv.get("/api/v1/party/orgs?kind=cell", token=gw)
            assert status == 400 and "kind" in body["error"]["message"], body
            status, body = srv.get("/api/v1/party/orgs", token=west)
            assert [o["id"] for o in body["party_orgs"]] == [west_committee["id"]], body
            status, body = srv.get(f"/api/v1/party/orgs/{branch['id']}", token=west)
            assert status == 404, body
            # versions
            status, raw = put(srv, f"/api/v1/party/orgs/{branch['id']}", {"name": "第一网格党支部"},
                              1, gw)
            assert status == 200, raw
            status, raw = put(srv, f"/api/v1/party/orgs/{branch['id']}", {"name": "x"}, 1, gw)
            assert status == 412, raw
            for change, word in [({"kind": "cell"}, b"'kind'"), ({"parent": group["id"]}, b"'parent'"),
                                 ({"kind": "committee"}, b"'grid'")]:
                status, raw = put(srv, f"/api/v1/party/orgs/{branch['id']}", change, 2, gw)
                assert status == 400 and word in raw, (change, raw)
            status, body = srv.get(f"/api/v1/party/orgs/{branch['id']}", token=gw)
            assert body["version"] == 2 and body["kind"] == "branch", body  # nothing stored
            status, answer = srv.json("PUT", f"/api/v1/party/orgs/{branch['id']}", {"name": "x"},
                                      token=gw)
            assert status == 400 and "If-Match" in answer["error"]["message"], answer
            # members: party members and probationary ones, once; not the masses
            path = f"/api/v1/party/orgs/{branch['id']}/members"
            ok(srv, "POST", path, {"person": people[0], "role": "secretary",
                                   "joined": "2001-07-01"}, gw)
            ok(srv, "POST", path, {"person": people[1]}, gw)
            for body, want, word in [({"person": people[2]}, 400, "person"),
                                     ({"person": 999}, 400, "person"),
                                     ({"person": people[0]}, 409, "person"),
                                     ({"person": people[3], "role": "boss"}, 400, "role"),
                                     ({"person": people[3], "joined": "2001-13-01"}, 400,
                                      "joined"),
                                     ({}, 400, "person")]:
                status, answer = srv.json("POST", path, body, token=gw)
                assert status == want and f"'{word}'" in answer["error"]["message"], (body, answer)
            status, body = srv.get(path, token=gw)
            members = body["members"]
            assert [(m["person"], m["role"]) for m in members] == [
                (people[0], "secretary"), (people[1], "member")], body
            assert members[0]["name"] == "李*" and members[0]["joined"] == "2001-07-01", body
            status, body = srv.get(path, token=west)
            assert status == 404, body
            status, body = srv.json("DELETE", f"{path}/{people[1]}", token=gw)
            assert status == 200, body
            status, body = srv.json("DELETE", f"{path}/{people[1]}", token=gw)
            assert status == 404, body
            assert data.count("party_member") == 1
        finally:
            srv.stop()
    finally:
        data.close()


def test_central_households_and_the_households_they_serve():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west, people, homes = setup(data, srv)
            branch = ok(srv, "POST", "/api/v1/party/orgs", {
                "name": "网格党支部", "kind": "branch", "grid": GRID}, gw)
            ok(srv, "POST", f"/api/v1/party/orgs/{branch['id']}/members",
               {"person": people[0]}, gw)
            # the leading member lives in the central household
            status, _, raw = srv.request("PUT", f"/api/v1/persons/{people[0]}",
                                         {"household": homes[0]}, headers={"If-Match": '"1"'},
                                         token=gw)
            assert status == 200, raw
            status, _, raw = srv.request("PUT", f"/api/v1/persons/{people[3]}",
                                         {"household": homes[1]}, headers={"If-Match": '"1"'},
                                         token=gw)
            assert status == 200, raw
            base = {"household": homes[0], "party_org": branch["id"], "member": people[0],
                    "serves": [homes[2], homes[3]]}
            bad = [
                ({"household": 999}, 400, "household"),
                ({"party_org": 999}, 400, "party_org"),
                ({"member": people[2]}, 400, "member"),   # the masses
                ({"member": people[3]}, 400, "member"),   # not of this household
                ({"serves": [homes[0]]}, 400, "serves"),  # itself
                ({"serves": [homes[2], homes[2]]}, 400, "serves"),
                ({"serves": [999]}, 400, "serves"),
                ({"serves": "all"}, 400, "serves"),
                ({"household": "1"}, 400, "household"),
            ]
            for change, want, word in bad:
                status, answer = srv.json("POST", "/api/v1/party/centre-households",
                                          {**base, **change}, token=gw)
                assert status == want and f"'{word}'" in answer["error"]["message"], \
                    (change, answer)
            assert data.count("party_centre") == 0 and data.count("party_served") == 0
            centre = ok(srv, "POST", "/api/v1/party/centre-households", base, gw)
            assert centre["serves"] == [homes[2], homes[3]] and centre["version"] == 1, centre
            status, answer = srv.json("POST", "/api/v1/party/centre-households", base, token=gw)
            assert status == 409 and "'household'" in answer["error"]["message"], answer
            # the served list changes with the version read
            path = f"/api/v1/party/centre-households/{homes[0]}"
            status, raw = put(srv, path, {"serves": [homes[3]]}, 1, gw)
            assert status == 200, raw
            status, raw = put(srv, path, {"serves": []}, 1, gw)
            assert status == 412, raw
            for change, word in [({"serves": [999]}, b"'serves'"), ({"member": people[2]}, b"'member'"),
                                 ({"household": homes[1]}, b"'household'")]:
                status, raw = put(srv, path, change, 2, gw)
                assert status == 400 and word in raw, (change, raw)
            status, body = srv.get(path, token=gw)
            assert body["serves"] == [homes[3]] and body["version"] == 2, body
            status, body = srv.get("/api/v1/party/centre-households?grid=" + GRID, token=gw)
            assert [c["household"] for c in body["centre_households"]] == [homes[0]], body
            for who, want in [(west, 404)]:
                status, body = srv.get(path, token=who)
                assert status == want, body
            status, body = srv.get("/api/v1/party/centre-households", token=west)
            assert body["centre_households"] == [], body
        finally:
            srv.stop()
    finally:
        data.close()
