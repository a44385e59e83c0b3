"""The demo's registry reads like a working district's: buildings with standard addresses on
the real towns and villages, houses mostly lived in by their owners, households of the usual
kinds with a head among their members, an elderly share near one in five, all over 80 in
their care group, a few in a thousand in the special populations — and well-formed ID
numbers, 154 phones that reach nobody, nothing personal in clear in the store."""
import datetime
import re

from harness import Data, Server, run

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def gb11643(number):
    return number[17] == "10X98765432"[sum(int(d) * w for d, w in zip(number, WEIGHTS)) % 11]


def all_persons(srv, token):
    out, cursor = [], ""
    while True:
        status, body = srv.get(f"/api/v1/persons?region=371302&limit=200&cursor={cursor}",
                               token=token)
        assert status == 200, body
        out += body["persons"]
        if not body["next_cursor"]:
            return out
        cursor = body["next_cursor"]


def test_generated_registry_reads_like_a_working_district():
    data = Data(grids=False, npm=True)
    try:
        data.generate_district()
        _, out, _ = run("registry", "generate", "--data", data.dir, "--county", "371302",
                        "--persons", "2000", "--worker", "gw", "--worker-scope", "371302001")
        m = re.search(r"(\d+) grids, (\d+) buildings, (\d+) houses, (\d+) households, "
                      r"(\d+) persons, (\d+) teams, (\d+) party organizations, (\d+) visits",
                      out)
        assert m, out
        grids, buildings, houses, households, persons, teams, party, visits = map(int, m.groups())
        assert visits > 0, out
        assert teams == grids and party > grids // 2, out
        assert 1000 <= persons <= 3000 and households < persons < 4 * households, out
        # again: the registry is there, nothing is added
        _, again, _ = run("registry", "generate", "--data", data.dir, "--county", "371302",
                          "--persons", "2000")
        assert "generating" not in again, again
        db = data.store()
        towns = [r[0] for r in db.execute("SELECT name FROM region WHERE level = 'town'")]
        addresses = [r[0] for r in db.execute("SELECT address FROM building")]
        point = db.execute("SELECT lon, lat FROM building WHERE lon IS NOT NULL").fetchone()
        uses = dict(db.execute("SELECT use, COUNT(*) FROM house GROUP BY use").fetchall())
        heads = db.execute("SELECT COUNT(*) FROM household h JOIN person p ON p.id = h.head "
                           "AND p.household = h.id").fetchone()[0]
        stored = db.execute("SELECT COUNT(*) FROM person").fetchone()[0]
        clear = db.execute("SELECT COUNT(*) FROM person WHERE name LIKE '%王%' OR "
                           "id_number LIKE '371302%' OR phone LIKE '154%'").fetchone()[0]
        db.close()
        assert stored == persons and len(addresses) == buildings, (stored, out)
        assert sum(uses.values()) == houses and heads == households, (uses, heads)
        assert all(a.startswith("兰山区") and any(t in a for t in towns) for a in addresses)
        assert uses["owner_occupied"] > uses.get("rented", 0) > 0 and uses.get("empty"), uses
        assert clear == 0  # sealed and blind-indexed, never in clear
        srv = Server(data)
        try:
            # 我的网格 where a building stands: its team, the police and their station
            status, card = srv.json("GET", f"/api/v1/public/grid?lon={point[0]}&lat={point[1]}",
                                    token="")
            assert status == 200, card
            roles = [m["role"] for m in card["team"]]
            assert roles[:2] == ["head", "full_time"] and "volunteer" in roles, card
            assert card["police"] and card["police_station"]["name"].endswith("派出所"), card
            assert all(m["work_phone"].startswith("154") for m in card["team"]), card
            assert card["duties"]["supervision_phone"] == "12345", card
            gw = data.add_user(srv, "gw", "gridworker", "371302", "Grid-pass-2026")
            status, body = srv.json("PUT", "/api/v1/users/gw/registry-sensitive",
                                    {"granted": True})
            assert status == 200, body
            people = all_persons(srv, gw)
            assert len(people) == persons
            year = datetime.date.today().year
            ages = [year - int(p["birth_date"][:4]) for p in people]
            elderly = sum(a >= 60 for a in ages) / len(ages)
            assert 0.12 < elderly < 0.35, elderly
            assert all("over80" in p["care"] for p, a in zip(people, ages) if a > 81)
            assert any("alone" in p["care"] for p in people)
            assert all(p["phone"].startswith("154") for p in people if p["phone"])
            residence = [p["residence"] for p in people]
            assert residence.count("registered") > 0.7 * len(people)
            assert residence.count("floating") > 0.03 * len(people)
            # the party overlay: a committee per village, a branch per grid (支部建在网格上)
            # with the party members living there, a central household serving neighbours
            status, body = srv.get("/api/v1/party/orgs?region=371302&limit=200", token=gw)
            assert status == 200, body
            kinds = {o["kind"] for o in body["party_orgs"]}
            assert kinds == {"committee", "branch"}, kinds
            branch = next(o for o in body["party_orgs"] if o["kind"] == "branch")
            status, body = srv.get(f"/api/v1/party/orgs/{branch['id']}/members", token=gw)
            members = {m["person"] for m in body["members"]}
            assert members and {p["political"] for p in people if p["id"] in members} <= {
                "party_member", "probationary"}, body
            status, body = srv.get("/api/v1/party/centre-households?region=371302", token=gw)
            assert status == 200 and body["centre_households"], body
            # the grid worker's visits: most people who need one visited lately, some overdue
            status, body = srv.get("/api/v1/visits?region=371302001&limit=200", token=gw)
            assert status == 200 and body["visits"], body
            assert {v["worker"] for v in body["visits"]} == {"gw"}, body["visits"][:2]
            assert all(v["content"] and v["content"].endswith("。") for v in body["visits"])
            status, body = srv.get("/api/v1/visits/due?region=371302001&status=overdue&limit=200",
                                   token=gw)
            assert status == 200 and body["due"], body
            special = [p for p in people if p["special"]]
            assert 0 < len(special) < 0.03 * len(people), len(special)
            for p in people[:: max(1, len(people) // 8)]:  # revealed: a real-looking ID
                status, body = srv.json("POST", f"/api/v1/persons/{p['id']}/reveal",
                                        {"field": "id_number", "reason": "核对演示数据"},
                                        token=gw)
                assert status == 200, body
                number = body["value"]
                if p["id_type"] == "resident_id":
                    assert len(number) == 18 and gb11643(number), number
                    assert number[6:10] == p["birth_date"][:4], (number, p)
                    assert (int(number[16]) % 2 == 1) == (p["gender"] == "male"), (number, p)
        finally:
            srv.stop()
    finally:
        data.close()
