"""Leaders' 帮包: the month's grids ranked by the hotline orders received in them (by=compound
answers the grids, saying the registry has no compound); a leader assigned to a grid for a
month or a period by an agent, every bad body refused naming its field and nothing stored, a
second leader for the same months refused; the list with each place's trend and notes, a
leader's own first; notes by the leader or a reviewer, no one else; all audited."""
import time

from harness import Data, Server

GRID = "371302001001001"   # 东关社区第1网格
GRID2 = "371302001001002"  # 东关社区第2网格
WEST = "371302001002001"   # 西关社区第1网格
COUNTY = "371302"
PASSWORD = "Sponsor-pass-2026"


def month(offset=0):
    t = time.gmtime(time.time() + 8 * 3600)
    k = t.tm_year * 12 + t.tm_mon - 1 + offset
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def order(srv, token, lon, lat, item="06028"):
    status, body = srv.json("POST", "/api/v1/orders", {
        "channel": "hotline", "type": "complaint", "item": item, "title": "小区噪声",
        "content": "小区内夜间噪声扰民", "lon": lon, "lat": lat}, token=token)
    assert status == 201, body


def test_sponsorships_ranked_assigned_and_noted():
    data = Data()
    try:
        srv = Server(data)
        try:
            agent = data.add_user(srv, "agent", "agent", COUNTY, PASSWORD)
            wang = data.add_user(srv, "wangjm", "leader", COUNTY, PASSWORD)
            li = data.add_user(srv, "lihua", "leader", "371302001002", PASSWORD)
            gw = data.add_user(srv, "gw", "gridworker", GRID, PASSWORD)
            south = data.add_user(srv, "south", "supervisor", "371302002", PASSWORD)
            for _ in range(3):
                order(srv, agent, 118.305, 35.005)
            order(srv, agent, 118.315, 35.005)
            order(srv, agent, 118.305, 35.015, item="06908")
            now = month()
            status, rank = srv.get(f"/api/v1/sponsorships/ranking?month={now}", token=wang)
            assert status == 200, rank
            assert [(p["place"], p["orders"]) for p in rank["places"]] == [
                (GRID, 3), (GRID2, 1), (WEST, 1)], rank
            assert rank["places"][0]["name"] == "东关社区第1网格" and rank["note"] is None, rank
            assert rank["places"][0]["rank"] == 1 and rank["places"][0]["sponsorship"] is None
            status, rank = srv.get(f"/api/v1/sponsorships/ranking?month={now}&by=compound&limit=1",
                                   token=gw)
            assert status == 200 and "compound" in rank["note"] and rank["by"] == "grid", rank
            assert [p["place"] for p in rank["places"]] == [GRID], rank
            status, rank = srv.get(f"/api/v1/sponsorships/ranking?month={now}", token=south)
            assert rank["places"] == [], rank
            for query, word in [("", "'month'"), (f"month={now}&by=street", "'by'"),
                                (f"month={now}&limit=501", "limit")]:
                status, e = srv.get(f"/api/v1/sponsorships/ranking?{query}", token=agent)
                assert status == 400 and word in e["error"]["message"], (query, e)
            status, e = srv.get(f"/api/v1/sponsorships/ranking?month={now}&scope=371302001",
                                token=south)
            assert status == 404, e
            # assigning: every bad body refused naming its field
            for body, word in [({"place": GRID, "leader": "wangjm"}, "'month'"),
                               ({"place": GRID, "leader": "agent", "month": now}, "'leader'"),
                               ({"place": GRID, "leader": "lihua", "month": now}, "'leader'"),
                               ({"place": "371302001009009", "leader": "wangjm", "month": now},
                                "'place'"),
                               ({"place": GRID, "leader": "wangjm", "from": month(2),
                                 "to": now}, "'to'"),
                               ({"place": GRID, "leader": "wangjm", "month": now, "x": 1},
                                "'x'")]:
                status, e = srv.json("POST", "/api/v1/sponsorships", body, token=agent)
                assert status == 400 and word in e["error"]["message"], (body, e)
            status, _ = srv.json("POST", "/api/v1/sponsorships",
                                 {"place": GRID, "leader": "wangjm", "month": now}, token=wang)
            assert status == 403
            status, e = srv.json("POST", "/api/v1/sponsorships",
                                 {"place": GRID, "leader": "wangjm", "month": now}, token=south)
            assert status == 400 and "'place'" in e["error"]["message"], e
            db = data.store()
            assert db.execute("SELECT COUNT(*) FROM sponsorship").fetchone()[0] == 0
            db.close()
            status, first = srv.json("POST", "/api/v1/sponsorships", {
                "place": GRID, "leader": "wangjm", "from": now, "to": month(2),
                "note": "本月热线诉求量全区第一"}, token=agent)
            assert status == 201, first
            status, e = srv.json("POST", "/api/v1/sponsorships",
                                 {"place": GRID, "leader": "wangjm", "month": month(1)},
                                 token=agent)
            assert status == 409 and f"sponsorship {first['id']}" in e["error"]["message"], e
            status, second = srv.json("POST", "/api/v1/sponsorships",
                                      {"place": WEST, "leader": "lihua", "month": now},
                                      token=agent)
            assert status == 201, second
            # notes: the leader and reviewers
            nid = first["id"]
            status, _ = srv.json("POST", f"/api/v1/sponsorships/{nid}/notes",
                                 {"note": "走访小区物业，督促夜间施工停工"}, token=wang)
            assert status == 201
            status, _ = srv.json("POST", f"/api/v1/sponsorships/{nid}/notes",
                                 {"note": "x"}, token=li)
            assert status == 404  # another leader's place outside her scope
            status, _ = srv.json("POST", f"/api/v1/sponsorships/{nid}/notes",
                                 {"note": "x"}, token=gw)
            assert status == 403
            status, _ = srv.json("POST", f"/api/v1/sponsorships/{nid}/notes",
                                 {"note": "x"}, token=south)
            assert status == 404
            status, e = srv.json("POST", f"/api/v1/sponsorships/{nid}/notes", {"note": ""},
                                 token=wang)
            assert status == 400 and "'note'" in e["error"]["message"], e
            status, _ = srv.json("POST", f"/api/v1/sponsorships/{nid}/notes",
                                 {"note": "热线回访三户，均表示满意"}, token=agent)
            assert status == 201
            # the list: a leader's own first, trends and notes
            status, page = srv.get("/api/v1/sponsorships", token=li)
            assert [s["leader"] for s in page["sponsorships"]] == ["lihua"], page
            status, page = srv.get("/api/v1/sponsorships", token=wang)
            got = page["sponsorships"]
            assert [s["leader"] for s in got] == ["wangjm", "lihua"], got
            assert got[0]["mine"] and not got[1]["mine"], got
            assert got[0]["place_name"] == "东关社区第1网格", got
            assert got[0]["trend"][-1] == {"month": now, "orders": 3}, got
            assert len(got[0]["trend"]) == 6, got
            assert [n["note"] for n in got[0]["notes"]] == ["热线回访三户，均表示满意",
                                                            "走访小区物业，督促夜间施工停工"], got
            status, page = srv.get(f"/api/v1/sponsorships?month={month(1)}", token=agent)
            assert [s["id"] for s in page["sponsorships"]] == [nid], page
            status, page = srv.get("/api/v1/sponsorships", token=south)
            assert page["sponsorships"] == [], page
            status, e = srv.get("/api/v1/sponsorships?month=2026/12", token=agent)
            assert status == 400, e
            status, rank = srv.get(f"/api/v1/sponsorships/ranking?month={now}", token=agent)
            assert rank["places"][0]["sponsorship"] == {"id": nid, "leader": "wangjm"}, rank
            db = data.store()
            try:
                rows = db.execute("SELECT action, result FROM audit WHERE action LIKE "
                                  "'sponsorship.%' ORDER BY seq").fetchall()
            finally:
                db.close()
            assert [tuple(r) for r in rows].count(("sponsorship.create", "ok")) == 2, rows
            assert [tuple(r) for r in rows].count(("sponsorship.note", "ok")) == 2, rows
            assert ("sponsorship.note", "denied") in [tuple(r) for r in rows], rows
            # the notes are sealed at rest (they may name the residents visited)
            db = data.store()
            try:
                stored = [r[0] for r in db.execute("SELECT note FROM sponsorship_note").fetchall()]
            finally:
                db.close()
            assert len(stored) == 2 and not any("回访" in n or "物业" in n for n in stored), stored
        finally:
            srv.stop()
    finally:
        data.close()
