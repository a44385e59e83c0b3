"""The desks at a province's scale: every desk paged through its keyset cursor (no order twice,
none missed, the order kept while orders change), its totals, its sorts, the working time left
on each row and in the order's detail, and bad parameters refused by name."""
import urllib.parse

from harness import Data, Server, act

PASSWORD = "Desk-pass-2026"


def user(data, srv, name, role, scope="371302"):
    return data.add_user(srv, name, role, scope, PASSWORD)


def intake(srv, token, title, urgency="normal"):
    status, body = srv.json("POST", "/api/v1/orders", {
        "channel": "hotline", "type": "complaint", "item": "06028", "title": title,
        "content": "夜间施工噪声", "lon": 118.303, "lat": 35.003, "urgency": urgency,
        "reporter": {"name": "张三", "phone": "13812345678"}}, token=token)
    assert status == 201, body
    return body


def page(srv, token, query):
    status, body = srv.json("GET", "/api/v1/orders?" + query, token=token)
    assert status == 200, (query, body)
    return body


def walk(srv, token, query, between=None):
    """Every page of a list through its cursors: the ids in order, and the first page."""
    first = body = page(srv, token, query)
    ids = [o["id"] for o in body["orders"]]
    while body["next_cursor"]:
        if between:
            between()
        body = page(srv, token, query + "&cursor=" + urllib.parse.quote(body["next_cursor"]))
        ids += [o["id"] for o in body["orders"]]
    return ids, first


def setup(data, srv):
    ag = user(data, srv, "ag", "agent")
    status, body = srv.json("POST", "/api/v1/units", {"id": "u1", "name": "城管局",
                                                      "kind": "department",
                                                      "regions": ["371302"]})
    assert status == 201, body
    orders = [intake(srv, ag, f"工单{i:02d}", ["normal", "urgent", "critical"][i % 3 == 0 and
                                                                              (i // 3) % 3])
              for i in range(17)]
    dispatched = [act(srv, ag, o, "dispatch", {"unit": "u1"}) for o in orders[:9]]
    return ag, orders, dispatched


def test_every_desk_pages_through_its_cursor():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag, orders, dispatched = setup(data, srv)
            h1 = user(data, srv, "h1", "handler", "unit:u1")
            for query, want in [("state=received", {o["id"] for o in orders[9:]}),
                                ("state=received,returning", {o["id"] for o in orders[9:]}),
                                ("state=dispatched,signed,returning,suspended",
                                 {o["id"] for o in dispatched}),
                                ("unit=u1&state=dispatched", {o["id"] for o in dispatched}),
                                ("grid=371302001001001", {o["id"] for o in orders}),
                                ("", {o["id"] for o in orders}),
                                ("sort=urgency&state=received", {o["id"] for o in orders[9:]}),
                                ("light=green", {o["id"] for o in dispatched}),
                                ("light=red", set())]:
                for limit in (1, 2, 5):
                    ids, first = walk(srv, ag, f"{query}&limit={limit}")
                    assert len(ids) == len(set(ids)), (query, limit, ids)
                    assert set(ids) == want, (query, limit, ids)
                    full = page(srv, ag, f"{query}&limit=1000")
                    assert [o["id"] for o in full["orders"]] == ids, (query, limit)
                    assert full["next_cursor"] is None
                    if query.startswith("light=green"):
                        assert first["total_exact"] is False and first["total"] >= len(want)
                    else:
                        assert first["total"] == len(want) and first["total_exact"], (query, first)
            # the unit's own account sees its inbox, counted per state
            ids, first = walk(srv, h1, "state=dispatched,signed&limit=4")
            assert set(ids) == {o["id"] for o in dispatched} and len(ids) == len(set(ids))
            assert first["counts"] == {"dispatched": 9, "signed": 0}, first
            assert first["sort"] == "deadline"
        finally:
            srv.stop()
    finally:
        data.close()


def test_cursor_keeps_its_place_while_orders_change():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag, orders, dispatched = setup(data, srv)
            made = []
            # newest first: orders taken in while paging come before the cursor, never twice
            ids, _ = walk(srv, ag, "sort=newest&limit=3",
                          between=lambda: made.append(intake(srv, ag, "新来的")))
            assert len(ids) == len(set(ids)) and set(ids) >= {o["id"] for o in orders}, ids
            # oldest first on the dispatch desk: one dispatched meanwhile leaves, none repeats
            left = list(orders[9:])
            ids, _ = walk(srv, ag, "state=received&limit=2",
                          between=lambda: left and act(srv, ag, left.pop(), "dispatch",
                                                       {"unit": "u1"}))
            assert len(ids) == len(set(ids)), ids
            assert ids == sorted(ids), ids  # by deadline (none yet), then by age
        finally:
            srv.stop()
    finally:
        data.close()


def test_sorts_deadlines_and_remaining_working_time():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag, orders, dispatched = setup(data, srv)
            body = page(srv, ag, "state=dispatched&limit=100")
            assert body["sort"] == "deadline"
            rows = body["orders"]
            assert [r["deadline"] for r in rows] == sorted(r["deadline"] for r in rows), rows
            for r in rows:
                rem = r["remaining"]
                assert rem["overdue"] is False and rem["minutes"] > 0, r
                assert rem["working"] == (r["urgency"] == "normal"), r
                assert r["light"] == "green", r
            # critical first (2 natural hours), then urgent, then normal
            urg = page(srv, ag, "state=dispatched&sort=urgency&limit=100")["orders"]
            rank = {"critical": 0, "urgent": 1, "normal": 2}
            assert [rank[r["urgency"]] for r in urg] == sorted(rank[r["urgency"]] for r in urg)
            newest = [r["id"] for r in page(srv, ag, "sort=newest&limit=100")["orders"]]
            oldest = [r["id"] for r in page(srv, ag, "sort=age&limit=100")["orders"]]
            assert newest == oldest[::-1] and len(newest) == 17
            # a search comes newest first, a desk by deadline
            assert page(srv, ag, "q=%E5%B7%A5%E5%8D%95")["sort"] == "newest"
            # the detail shows the same deadline and time left
            status, one = srv.json("GET", f"/api/v1/orders/{dispatched[0]['id']}", token=ag)
            assert status == 200 and one["remaining"]["minutes"] > 0, one
            assert one["deadline"] == one["deadlines"]["reply"], one
            # the full view carries what a desk's table shows, in the one request
            full = page(srv, ag, "state=dispatched&view=full&limit=3")["orders"]
            assert all("allowed_actions" in r and "reporter" in r for r in full), full
            assert all(r["reporter"]["phone"] == "138****5678" for r in full), full
        finally:
            srv.stop()
    finally:
        data.close()


def test_bad_desk_parameters_are_refused_by_name():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag, orders, dispatched = setup(data, srv)
            first = page(srv, ag, "state=received&limit=2")
            cur = urllib.parse.quote(first["next_cursor"])
            for query, word in [("cursor=garbage!", "'cursor'"),
                                ("cursor=AAAA", "'cursor'"),
                                ("cursor=" + "A" * 400, "'cursor'"),
                                ("state=received&sort=newest&limit=2&cursor=" + cur, "sort=deadline"),
                                ("state=dispatched&limit=2&cursor=" + cur, "another list"),
                                ("sort=soon", "'sort'"),
                                ("supervised=maybe", "'supervised'"),
                                ("view=all", "'view'"),
                                ("state=received,", "'state'"),
                                ("state=received,lost", "'state' 'lost'"),
                                ("sort=newest&offset=5", "'offset'"),
                                ("limit=0", "'limit'")]:
                before = data.dump()
                status, body = srv.json("GET", "/api/v1/orders?" + query, token=ag)
                assert status == 400 and word in body["error"]["message"], (query, body)
                assert data.dump() == before
        finally:
            srv.stop()
    finally:
        data.close()
