"""Notifications in the console: who is told of what (a new order in a grid tells its grid
workers, a dispatch the unit, a unit's return or extension request the agent who took the
order in and the centre's agents, a red supervision the supervisors and the unit), each
reader's own unread count, marking one's own read and nothing else, and the bad bodies that
change nothing. Beside them the supervised list (督办: GET /api/v1/orders?supervised=1 and
its badges) and the callback's wait (since, deadline) on an order waiting for its callback."""
import json
from concurrent.futures import ThreadPoolExecutor

from harness import Data, Server, postgresql_only, act

PASSWORD = "Inbox-pass-2026"
POINT = {"lon": 118.303, "lat": 35.003}  # grid 371302001001001


def inbox(srv, token, query=""):
    status, body = srv.get("/api/v1/notifications" + query, token=token)
    assert status == 200, body
    return body


def kinds(srv, token):
    return sorted((r["kind"], r["order_id"]) for r in inbox(srv, token)["notifications"])


def mark(srv, token, body, want=200):
    status, answer = srv.json("POST", "/api/v1/notifications/read", body, token=token)
    assert status == want, (body, status, answer)
    return answer


def intake(srv, token, title, **extra):
    body = {"channel": "hotline", "type": "complaint", "item": "06028", "title": title,
            "content": "夜间施工噪声", "reporter": {"name": "李四", "phone": "13900001111"}}
    body.update(extra)
    status, order = srv.json("POST", "/api/v1/orders", body, token=token)
    assert status == 201, order
    return order


def people(data, srv):
    status, body = srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "城管执法局",
                                                      "kind": "department", "regions": ["371302"]})
    assert status == 201, body
    who = {}
    for name, role, scope in [("ag", "agent", "371302"), ("ag_town", "agent", "371302001"),
                              ("ag_far", "agent", "371302002"), ("sup", "supervisor", "371302"),
                              ("gw", "gridworker", "371302001001001"),
                              ("gw_town", "gridworker", "371302001"),
                              ("gw_next", "gridworker", "371302001001002"),
                              ("h1", "handler", "unit:cgzf"), ("h2", "handler", "unit:cgzf")]:
        who[name] = data.add_user(srv, name, role, scope, PASSWORD)
    return who


def test_who_is_told_of_what_and_each_reads_their_own():
    data = Data()
    try:
        srv = Server(data)
        try:
            who = people(data, srv)
            order = intake(srv, who["ag"], "工地夜间施工", **POINT)
            # the grid's workers: the grid's own and the town's, not the next grid's
            for name in ["gw", "gw_town"]:
                box = inbox(srv, who[name])
                assert box["unread"] == 1, (name, box)
                row = box["notifications"][0]
                assert (row["kind"], row["order_id"], row["read"]) == ("in_grid", order["id"],
                                                                       False), row
                assert row["recipient"] == name and row["payload"]["by"] == "ag", row
                assert row["payload"]["order"]["grid"] == "371302001001001", row
                assert "13900001111" not in json.dumps(row, ensure_ascii=False), row
            assert inbox(srv, who["gw_next"])["unread"] == 0
            # an order without a point (its county alone) tells no grid worker
            intake(srv, who["ag"], "无地址来电", county="371302")
            assert inbox(srv, who["gw"])["unread"] == 1
            assert inbox(srv, who["gw_town"])["unread"] == 1

            # a dispatch tells the unit: each of its accounts reads it for itself
            order = act(srv, who["ag"], order, "dispatch", {"unit": "cgzf"})
            for name in ["h1", "h2"]:
                assert kinds(srv, who[name]) == [("dispatch", order["id"])], name
                assert inbox(srv, who[name])["unread"] == 1
            (mine,) = inbox(srv, who["h1"])["notifications"]
            assert mark(srv, who["h1"], {"ids": [mine["id"]]}) == {"marked": 1, "unread": 0}
            assert mark(srv, who["h1"], {"ids": [mine["id"]]}) == {"marked": 0, "unread": 0}
            assert inbox(srv, who["h1"])["notifications"][0]["read"] is True
            assert inbox(srv, who["h2"])["unread"] == 1  # h1's reading is h1's

            # someone else's id: 404 naming it, and nothing marked, not even one's own
            gw_row = inbox(srv, who["gw"])["notifications"][0]
            h2_row = inbox(srv, who["h2"])["notifications"][0]
            for ids in [[gw_row["id"]], [h2_row["id"], gw_row["id"]], [999999]]:
                answer = mark(srv, who["h2"], {"ids": ids}, want=404)
                bad = ids[-1]
                assert f"notification {bad} is not one of yours" in answer["error"]["message"], \
                    answer
                assert f"ids[{len(ids) - 1}]" in answer["error"]["message"], answer
            assert inbox(srv, who["h2"])["unread"] == 1
            assert inbox(srv, who["gw"])["unread"] == 1

            # a return the unit asks for: the agent who took it in and the centre's agents
            # whose scope covers the grid, not an agent of another town nor a supervisor
            act(srv, who["h1"], order, "return", {"reason": "不属于本单位职责"})
            for name in ["ag", "ag_town"]:
                assert kinds(srv, who[name]) == [("return", order["id"])], name
            assert kinds(srv, who["ag_far"]) == [] and kinds(srv, who["sup"]) == []

            # an extension request: the agents again
            second = intake(srv, who["ag_town"], "占道经营", **POINT)
            second = act(srv, who["ag"], second, "dispatch", {"unit": "cgzf"})
            second = act(srv, who["h1"], second, "sign")
            second = act(srv, who["h1"], second, "extend", {"days": 3, "reason": "需协调多部门"})
            assert ("extend", second["id"]) in kinds(srv, who["ag"])
            assert ("extend", second["id"]) in kinds(srv, who["ag_town"])
            row = [r for r in inbox(srv, who["ag"])["notifications"] if r["kind"] == "extend"][0]
            assert row["payload"]["reason"] == "需协调多部门", row
            assert kinds(srv, who["ag_far"]) == []

            # supervision: a yellow one tells the unit, a red one the supervisors too
            second = act(srv, who["sup"], second, "supervise", {"level": "yellow"})
            assert kinds(srv, who["sup"]) == []
            second = act(srv, who["sup"], second, "supervise", {"level": "red", "reason": "超期"})
            assert kinds(srv, who["sup"]) == [("supervise", second["id"])]
            unit_kinds = kinds(srv, who["h2"])
            assert unit_kinds.count(("supervise", second["id"])) == 2, unit_kinds

            # unread=1 lists only the unread; "all" marks what the caller has, nobody else's
            box = inbox(srv, who["h1"], "?unread=1")
            assert all(not r["read"] for r in box["notifications"]), box
            assert len(box["notifications"]) == box["unread"] == inbox(srv, who["h1"])["unread"]
            before_h2 = inbox(srv, who["h2"])["unread"]
            answer = mark(srv, who["h1"], {"all": True})
            assert answer == {"marked": box["unread"], "unread": 0}, answer
            assert inbox(srv, who["h1"], "?unread=1")["notifications"] == []
            assert inbox(srv, who["h2"])["unread"] == before_h2
            assert inbox(srv, who["gw"])["unread"] == 2  # both orders in the grid
            assert mark(srv, who["h1"], {"all": True}) == {"marked": 0, "unread": 0}
        finally:
            srv.stop()
    finally:
        data.close()


def test_bad_mark_bodies_change_nothing():
    data = Data()
    try:
        srv = Server(data)
        try:
            who = people(data, srv)
            intake(srv, who["ag"], "工地夜间施工", **POINT)
            own = inbox(srv, who["gw"])["notifications"][0]["id"]
            for body, words in [({}, "either 'ids'"),
                                ({"ids": [own], "all": True}, "either 'ids'"),
                                ({"all": False}, "'all' must be true"),
                                ({"all": 1}, "'all' must be true"),
                                ({"ids": []}, "non-empty array"),
                                ({"ids": str(own)}, "non-empty array"),
                                ({"ids": [own, 0]}, "ids[1] is not a notification id"),
                                ({"ids": [own, -3]}, "ids[1] is not a notification id"),
                                ({"ids": [1.5]}, "ids[0] is not a notification id"),
                                ({"ids": [str(own)]}, "ids[0] is not a notification id"),
                                ({"ids": [own] * 501}, "at most 500"),
                                ({"ids": [own], "read": True}, "read")]:
                status, answer = srv.json("POST", "/api/v1/notifications/read", body,
                                          token=who["gw"])
                assert status == 400, (body, status, answer)
                assert words in answer["error"]["message"], (body, answer)
            status, _, raw = srv.request("POST", "/api/v1/notifications/read", b"{not json",
                                         headers={"Content-Type": "application/json"},
                                         token=who["gw"])
            assert status == 400, raw
            for bad in ["?unread=2", "?unread=yes", "?unread=-1"]:
                status, answer = srv.get("/api/v1/notifications" + bad, token=who["gw"])
                assert status == 400 and "unread" in answer["error"]["message"], (bad, answer)
            assert inbox(srv, who["gw"])["unread"] == 1
            status, _, _ = srv.request("POST", "/api/v1/notifications/read", {"all": True},
                                       token=None)
            assert status == 401
        finally:
            srv.stop()
    finally:
        data.close()


def test_supervised_list_badges_and_the_callback_wait():
    data = Data()
    try:
        srv = Server(data)
        try:
            who = people(data, srv)
            plain = intake(srv, who["ag"], "路灯不亮", **POINT)
            watched = intake(srv, who["ag"], "违章搭建", **POINT)
            watched = act(srv, who["ag"], watched, "dispatch", {"unit": "cgzf"})
            status, body = srv.get("/api/v1/orders?supervised=1", token=who["sup"])
            assert status == 200 and body["orders"] == [], body
            watched = act(srv, who["sup"], watched, "supervise", {"level": "yellow"})
            watched = act(srv, who["sup"], watched, "supervise", {"level": "red"})
            assert watched["supervised"] == {"level": "red"}, watched
            status, body = srv.get("/api/v1/orders?supervised=1", token=who["sup"])
            assert status == 200, body
            assert [(o["id"], o["supervised"]) for o in body["orders"]] == [
                (watched["id"], {"level": "red"})], body
            # the badge in any list; an order never supervised has none
            status, body = srv.get("/api/v1/orders?supervised=0", token=who["ag"])
            by_id = {o["id"]: o for o in body["orders"]}
            assert by_id[watched["id"]]["supervised"] == {"level": "red"}, by_id
            assert "supervised" not in by_id[plain["id"]], by_id
            # the unit sees the supervision of its own order
            status, body = srv.get("/api/v1/orders?supervised=1", token=who["h1"])
            assert [o["id"] for o in body["orders"]] == [watched["id"]], body
            for bad in ["2", "yes", "-1", ""]:
                status, answer = srv.get("/api/v1/orders?supervised=" + bad, token=who["sup"])
                if bad == "":
                    continue
                assert status == 400 and "supervised" in answer["error"]["message"], answer

            # a direct answer waits for its callback: since the answer, due 2 working days on
            assert "callback" not in plain
            plain = act(srv, who["ag"], plain, "answer", {"answer": "已告知维修时间"})
            cb = plain["callback"]
            assert cb["since"] == plain["updated_at"], plain
            assert cb["deadline"] > cb["since"], cb
            status, body = srv.get("/api/v1/orders?state=replied", token=who["ag"])
            (summary,) = body["orders"]
            assert summary["callback"] == cb, summary
            # called back: no longer waiting
            plain = act(srv, who["ag"], plain, "callback",
                        {"reached": True, "satisfaction": "satisfied", "resolved": True})
            assert "callback" not in plain, plain
        finally:
            srv.stop()
    finally:
        data.close()


@postgresql_only("several servers share one store only on PostgreSQL")
def test_two_servers_mark_one_readers_notifications_at_once():
    """Marks arriving at both servers at once, by id and all, of one reader: each row is
    read once, the counts add up, and nobody else's row is touched."""
    data = Data()
    try:
        one, two = Server(data), Server(data)
        try:
            gw = data.add_user(one, "gw", "gridworker", "371302001", PASSWORD)
            gw2 = data.add_user(two, "gw2", "gridworker", "371302001001001", PASSWORD)
            ag = data.add_user(one, "ag", "agent", "371302", PASSWORD)
            for i in range(12):
                intake(one if i % 2 else two, ag, f"路灯不亮（{i}号）", **POINT)
            rows = inbox(one, gw, "?limit=100")["notifications"]
            assert len(rows) == 12 and inbox(two, gw)["unread"] == 12
            ids = [r["id"] for r in rows]
            bodies = [{"ids": ids[:8]}, {"ids": ids[4:]}, {"all": True}, {"ids": ids[::2]}]
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lambda k: mark(one if k % 2 else two, gw,
                                                       bodies[k % len(bodies)]), range(8)))
            assert sum(a["marked"] for a in answers) == 12, answers
            assert inbox(one, gw)["unread"] == 0 and inbox(two, gw)["unread"] == 0
            assert inbox(two, gw2)["unread"] == 12  # the other grid worker's own, untouched
        finally:
            one.stop()
            two.stop()
    finally:
        data.close()
