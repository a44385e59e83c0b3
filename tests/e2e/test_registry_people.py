"""The registry's people and households (实有人口): recorded in one's scope, checked (GB 11643),
never twice, masked on every answer, the special populations only with registry_sensitive,
a clear value only by an audited reveal, changes only against the version read."""
from harness import Data, Server

GRID = "371302001001001"       # 东关社区第1网格
OTHER_GRID = "371302001002001"  # 西关社区第1网格
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id(birth, seq):
    """A made-up resident ID number of Lanshan (371302) with a correct check character."""
    body = "371302" + birth + f"{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(n, **extra):
    p = {"id_number": resident_id("19800101", n), "name": "张三丰", "phone": f"1381234{n:04d}",
         "residence": "registered", "grid": GRID}
    p.update(extra)
    return p


def count(srv, token, grid=GRID):
    status, body = srv.get(f"/api/v1/persons?grid={grid}&limit=200", token=token)
    assert status == 200, body
    return len(body["persons"])


def setup(data, srv):
    gw = data.add_user(srv, "gw", "gridworker", "371302001", "Grid-pass-2026")
    west = data.add_user(srv, "west", "gridworker", "371302001002", "Grid-pass-2026")
    return gw, west


def test_persons_recorded_checked_masked_and_scoped():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west = setup(data, srv)
            status, headers, _ = srv.request("POST", "/api/v1/persons", person(1), token=gw)
            status, body = srv.json("GET", "/api/v1/persons?grid=" + GRID, token=gw)
            p = body["persons"][0]
            assert p["name"] == "张*" and p["phone"] == "138****0001", p
            assert p["id_number"] == "371302********" + resident_id("19800101", 1)[-4:], p
            assert p["birth_date"] == "1980-**-**" and p["gender"] == "male", p
            assert "special" not in p and "mental_risk" not in p, p
            pid = p["id"]
            # each bad input: 4xx naming the field, nothing stored
            bad = [
                ({"id_number": resident_id("19800101", 2)[:-1] + "0"
                  if resident_id("19800101", 2)[-1] != "0" else resident_id("19800101", 2)[:-1] + "1"},
                 400, "id_number"),
                ({"id_number": "37130219800101"}, 400, "id_number"),
                ({"id_number": resident_id("20991231", 3)}, 400, "id_number"),
                ({"id_number": resident_id("19800230", 3)}, 400, "id_number"),
                ({"phone": "12345"}, 400, "phone"),
                ({"name": ""}, 400, "name"),
                ({"residence": "moon"}, 400, "residence"),
                ({"care": ["rich"]}, 400, "care"),
                ({"gender": "male"}, 400, "gender"),
                ({"birth_date": "1981-01-01"}, 400, "birth_date"),
                ({"grid": "371302009009009"}, 400, "grid"),
                ({"grid": "371302002001001"}, 400, "grid"),
                ({"id_type": "passport", "id_number": "E1"}, 400, "id_number"),
                ({"household": 99}, 400, "household"),
                ({"special": ["drug"]}, 403, "registry_sensitive"),
                ({"mental_risk": 2}, 403, "registry_sensitive"),
                ({"id_number": resident_id("19800101", 1)}, 409, "id_number"),
                ({"nickname": "x"}, 400, "nickname"),
            ]
            for change, want, word in bad:
                status, body = srv.json("POST", "/api/v1/persons", person(2, **change), token=gw)
                assert status == want and word in body["error"]["message"], (change, status, body)
                # the field quoted, so that the console names it in its own language
                assert want == 403 or f"'{word}'" in body["error"]["message"], body
            assert count(srv, gw) == 1
            # found by ID number and by phone, through the blind indexes
            status, body = srv.get("/api/v1/persons?id_number=" + resident_id("19800101", 1),
                                   token=gw)
            assert status == 200 and [x["id"] for x in body["persons"]] == [pid], body
            status, body = srv.get("/api/v1/persons?phone=%2B86%20138%201234%200001", token=gw)
            assert status == 200 and [x["id"] for x in body["persons"]] == [pid], body
            status, body = srv.get("/api/v1/persons?phone=12", token=gw)
            assert status == 400 and "phone" in body["error"]["message"], body
            # another document type, and care groups filtered on
            status, body = srv.json("POST", "/api/v1/persons",
                                    person(3, id_type="passport", id_number="E12345678",
                                           residence="overseas", care=["alone", "over80"]),
                                    token=gw)
            assert status == 201 and body["care"] == ["alone", "over80"], body
            status, body = srv.get(f"/api/v1/persons?grid={GRID}&care=alone", token=gw)
            assert [x["id_type"] for x in body["persons"]] == ["passport"], body
            status, body = srv.get(f"/api/v1/persons?grid={GRID}&care=rich", token=gw)
            assert status == 400 and "care" in body["error"]["message"], body
            # pages: limit and a keyset cursor
            status, body = srv.json("POST", "/api/v1/persons", person(4), token=gw)
            assert status == 201, body
            status, page = srv.get("/api/v1/persons?region=371302001&limit=2", token=gw)
            assert status == 200 and len(page["persons"]) == 2 and page["next_cursor"], page
            status, rest = srv.get("/api/v1/persons?region=371302001&limit=2&cursor="
                                   + page["next_cursor"], token=gw)
            seen = [x["id"] for x in page["persons"] + rest["persons"]]
            assert status == 200 and len(set(seen)) == 3, (page, rest)
            for query, word in [("limit=0", "limit"), ("cursor=zz", "cursor"),
                                ("grid=37x", "grid"), ("special=drug", "registry_sensitive")]:
                status, body = srv.get("/api/v1/persons?" + query, token=gw)
                assert status in (400, 403) and word in body["error"]["message"], (query, body)
            # scope: another village's worker finds nothing of it
            for path in [f"/api/v1/persons/{pid}", f"/api/v1/persons?grid={GRID}",
                         "/api/v1/persons?region=371302001001"]:
                status, body = srv.get(path, token=west)
                assert status == 404, (path, body)
            status, body = srv.get("/api/v1/persons?id_number=" + resident_id("19800101", 1),
                                   token=west)
            assert status == 200 and body["persons"] == [], body
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "name", "reason": "核实身份"}, token=west)
            assert status == 404, body
            status, body = srv.json("POST", "/api/v1/persons", person(5), token=west)
            assert status == 400 and "grid" in body["error"]["message"], body
            assert count(srv, gw) == 3
        finally:
            srv.stop()
    finally:
        data.close()


def test_person_changes_need_the_version_read_and_reveals_are_audited():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, _ = setup(data, srv)
            status, body = srv.json("POST", "/api/v1/persons", person(1), token=gw)
            assert status == 201 and body["version"] == 1, body
            pid = body["id"]
            status, headers, _ = srv.request("GET", f"/api/v1/persons/{pid}", token=gw)
            assert status == 200 and headers["ETag"] == '"1"'
            status, body = srv.json("PUT", f"/api/v1/persons/{pid}", {"political": "masses"},
                                    token=gw)
            assert status == 400 and "If-Match" in body["error"]["message"], body
            status, body = srv.json("PUT", f"/api/v1/persons/{pid}", {"political": "masses"},
                                    token=gw, headers={"If-Match": '"1"'})
            assert status == 200 and body["version"] == 2 and body["political"] == "masses", body
            status, body = srv.json("PUT", f"/api/v1/persons/{pid}", {"political": "party_member"},
                                    token=gw, headers={"If-Match": '"1"'})
            assert status == 412, body
            status, body = srv.json("PUT", f"/api/v1/persons/{pid}", {"phone": "999"},
                                    token=gw, headers={"If-Match": '"2"'})
            assert status == 400 and "phone" in body["error"]["message"], body
            status, body = srv.get(f"/api/v1/persons/{pid}", token=gw)
            assert body["version"] == 2 and body["political"] == "masses", body
            # reveal: a reason, one field in clear, on the record
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal", {"field": "phone"},
                                    token=gw)
            assert status == 400 and "reason" in body["error"]["message"], body
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "phone", "reason": "入户走访联系"}, token=gw)
            assert status == 200 and body["value"] == "13812340001", body
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "id_number", "reason": "核实身份"}, token=gw)
            assert status == 200 and body["value"] == resident_id("19800101", 1), body
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "salary", "reason": "核实身份"}, token=gw)
            assert status == 400 and "field" in body["error"]["message"], body
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "special", "reason": "核实身份"}, token=gw)
            assert status == 403 and "registry_sensitive" in body["error"]["message"], body
            auditor = srv.login_first(data, "auditor")
            status, body = srv.get("/api/v1/audit?limit=50", token=auditor)
            records = body.get("records") or body.get("audit") or body.get("events")
            reveals = [r for r in records if r["action"] == "pii.reveal"
                       and r["object_type"] == "person"]
            assert len(reveals) == 4, reveals
            assert any("入户走访联系" in r["detail"] and r["result"] == "ok" for r in reveals)
            writes = [r["action"] for r in records if r["object_type"] == "person"]
            assert "person.create" in writes and "person.update" in writes, writes
        finally:
            srv.stop()
    finally:
        data.close()


def test_special_populations_only_with_the_grant():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, _ = setup(data, srv)
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive",
                                    {"granted": "yes"})
            assert status == 400 and "granted" in body["error"]["message"], body
            status, body = srv.json("PUT", "/api/v1/users/nobody/registry-sensitive",
                                    {"granted": True})
            assert status == 404, body
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive", {"granted": True},
                                    token=gw)
            assert status == 403, body
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive", {"granted": True})
            assert status == 200 and body["registry_sensitive"] is True, body
            status, body = srv.json("POST", "/api/v1/persons",
                                    person(1, special=["mental"], mental_risk=6), token=gw)
            assert status == 400 and "mental_risk" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/persons",
                                    person(1, special=["mental"], mental_risk=3), token=gw)
            assert status == 201 and body["special"] == ["mental"] and body["mental_risk"] == 3, body
            pid = body["id"]
            status, body = srv.json("POST", "/api/v1/persons", person(2), token=gw)
            assert status == 201 and body["special"] == [], body
            status, body = srv.get(f"/api/v1/persons?grid={GRID}&special=mental", token=gw)
            assert status == 200 and [x["id"] for x in body["persons"]] == [pid], body
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "special", "reason": "核实帮扶对象"}, token=gw)
            assert status == 200 and body["value"] == '["mental"]', body
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive",
                                    {"granted": False})
            assert status == 200 and body["registry_sensitive"] is False, body
            status, body = srv.get(f"/api/v1/persons/{pid}", token=gw)
            assert status == 200 and "special" not in body and "mental_risk" not in body, body
            status, body = srv.get(f"/api/v1/persons?grid={GRID}&special=mental", token=gw)
            assert status == 403 and "registry_sensitive" in body["error"]["message"], body
            # a change without the grant leaves the special populations as they were
            status, body = srv.json("PUT", f"/api/v1/persons/{pid}", {"political": "masses"},
                                    token=gw, headers={"If-Match": '"1"'})
            assert status == 200, body
            status, body = srv.get(f"/api/v1/persons/{pid}")  # the sysadmin has no grant either
            assert "special" not in body, body
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive", {"granted": True})
            status, body = srv.get(f"/api/v1/persons/{pid}", token=gw)
            assert body["special"] == ["mental"] and body["mental_risk"] == 3, body
            auditor = srv.login_first(data, "auditor")
            status, body = srv.get("/api/v1/audit?limit=50", token=auditor)
            records = body.get("records") or body.get("audit") or body.get("events")
            grants = [r["action"] for r in records if r["action"].startswith("registry.")]
            assert grants.count("registry.grant") >= 3 and "registry.revoke" in grants, grants
        finally:
            srv.stop()
    finally:
        data.close()


def test_households_with_head_worker_and_members():
    data = Data()
    try:
        srv = Server(data)
        try:
            gw, west = setup(data, srv)
            ids = []
            for n in (1, 2, 3):
                status, body = srv.json("POST", "/api/v1/persons", person(n), token=gw)
                assert status == 201, body
                ids.append(body["id"])
            good = {"number": "H-0001", "grid": GRID, "address": "兰山区东关街道东关社区12号楼3单元501",
                    "head": ids[0], "worker": "gw", "members": [ids[1]]}
            bad = [({"number": ""}, 400, "number"), ({"address": ""}, 400, "address"),
                   ({"worker": "nobody"}, 400, "worker"), ({"head": 999}, 400, "head"),
                   ({"members": [999]}, 400, "members"), ({"members": "x"}, 400, "members"),
                   ({"grid": "371302002001001"}, 400, "grid"), ({"rooms": 3}, 400, "rooms")]
            for change, want, word in bad:
                status, body = srv.json("POST", "/api/v1/households", dict(good, **change),
                                        token=gw)
                assert status == want and word in body["error"]["message"], (change, body)
                assert f"'{word}'" in body["error"]["message"], body
            status, body = srv.get("/api/v1/households?grid=" + GRID, token=gw)
            assert status == 200 and body["households"] == [], body
            status, body = srv.json("POST", "/api/v1/households", good, token=gw)
            assert status == 201, body
            hid = body["id"]
            assert body["address"].endswith("****") and "501" not in body["address"], body
            assert sorted(m["id"] for m in body["members"]) == sorted(ids[:2]), body
            assert all(m["name"] == "张*" for m in body["members"]), body
            status, body = srv.json("POST", "/api/v1/households", dict(good, members=[]), token=gw)
            assert status == 409 and "number" in body["error"]["message"], body
            status, body = srv.get(f"/api/v1/persons/{ids[0]}", token=gw)
            assert body["household"] == hid, body
            status, body = srv.json("PUT", f"/api/v1/households/{hid}", {"members": [ids[2]]},
                                    token=gw)
            assert status == 400 and "If-Match" in body["error"]["message"], body
            status, body = srv.json("PUT", f"/api/v1/households/{hid}", {"members": [ids[2]]},
                                    token=gw, headers={"If-Match": '"1"'})
            assert status == 200 and body["version"] == 2, body
            assert sorted(m["id"] for m in body["members"]) == sorted([ids[0], ids[2]]), body
            status, body = srv.json("PUT", f"/api/v1/households/{hid}", {"worker": None},
                                    token=gw, headers={"If-Match": '"1"'})
            assert status == 412, body
            status, body = srv.get(f"/api/v1/persons/{ids[1]}", token=gw)
            assert body["household"] is None, body
            status, page = srv.get("/api/v1/households?region=371302001", token=gw)
            assert [h["id"] for h in page["households"]] == [hid], page
            for path in [f"/api/v1/households/{hid}", f"/api/v1/households?grid={GRID}"]:
                status, body = srv.get(path, token=west)
                assert status == 404, (path, body)
            status, body = srv.get("/api/v1/households/abc", token=gw)
            assert status == 404, body
        finally:
            srv.stop()
    finally:
        data.close()
