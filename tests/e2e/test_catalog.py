"""The dispatch catalog's administration: versioned, checked whole, audited, in force at once
on this server, soon on another sharing the store, and after a restart. And what the desk is
told before an order exists: the items a text points at, the routing rule for an item and a
place."""
import json
import urllib.parse

from harness import Data, Server, run, wait_for

PASSWORD = "Catalog-pass-2026"

MANHOLE = {"parent": "06", "name": "井盖缺失", "urgency": "urgent", "self_handle": True,
           "keywords": ["井盖", "窨井"], "limits": {"reply_minutes": 450}}


def catalog(srv, token="default"):
    status, headers, raw = srv.request("GET", "/api/v1/catalog", token=token)
    assert status == 200, raw
    body = json.loads(raw)
    assert headers["ETag"] == f'"{body["version"]}"', headers
    return body


def codes(body):
    return [i["code"] for i in body["catalog"]["items"]]


def put(srv, code, item, token="default", match=None):
    headers = {"If-Match": f'"{match}"'} if match is not None else {}
    status, _, raw = srv.request("PUT", f"/api/v1/catalog/items/{code}", item, headers=headers,
                                 token=token)
    return status, json.loads(raw)


def test_catalog_changes_are_versioned_checked_audited_and_in_force():
    data = Data()
    try:
        srv = Server(data)
        other = Server(data)  # a second app server on the same store
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            status, body = srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "城管执法局",
                                                              "kind": "department"})
            first = catalog(srv, ag)  # agents read it (MAP_READ)
            assert first["version"] == 0 and "06028" in codes(first), first["version"]
            assert "06999" not in codes(first)
            status, versions = srv.get("/api/v1/catalog/versions")
            assert status == 200 and versions == {"versions": []}, versions
            # an agent may not edit it
            status, body = put(srv, "06999", MANHOLE, token=ag)
            assert status == 403, body
            status, body = put(srv, "06999", MANHOLE, match=0)
            assert status == 201 and body["version"] == 1 and body["created"] is True, body
            assert body["item"] == dict(MANHOLE, code="06999", public_intake=False), body
            # in force at once on this server: an appeal can be classified to it
            status, order = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06999", "title": "井盖",
                "content": "路口井盖丢了", "lon": 118.303, "lat": 35.003}, token=ag)
            assert status == 201, order
            # and on the other server within its watcher's second
            assert wait_for(lambda: catalog(other)["version"] == 1, 10), catalog(other)["version"]
            assert "06999" in codes(catalog(other))
            # refusals name the item and store nothing
            for code, item, status_want, word in [
                    ("06998", {"parent": "nope", "name": "孤儿"}, 400, "06998"),
                    ("06998", {"parent": "06", "name": ""}, 400, "06998"),
                    ("06998", {"parent": "06", "name": "x", "colour": "red"}, 400, "colour"),
                    ("06998", {"code": "06997", "parent": "06", "name": "x"}, 400, "path"),
                    ("06998", {"parent": "06", "name": "x", "limits": {"reply_minutes": -5}}, 400,
                     "reply_minutes"),
                    ("0699!", {"parent": "06", "name": "x"}, 400, "0699!"),
                    ("06998", [1, 2], 400, "JSON object")]:
                status, body = put(srv, code, item)
                assert status == status_want and word in body["error"]["message"], (code, item, body)
            status, body = put(srv, "06998", {"parent": "06", "name": "x"}, match=0)
            assert status == 412 and "version 1, not 0" in body["error"]["message"], body
            assert catalog(srv)["version"] == 1
            # a change keeps the item's place
            place = codes(catalog(srv)).index("06028")
            status, body = put(srv, "06028", {"parent": "06", "name": "噪声扰民（夜间）",
                                              "keywords": ["噪声"]})
            assert status == 200 and body["version"] == 2 and body["created"] is False, body
            now = catalog(srv)
            assert codes(now).index("06028") == place
            assert now["catalog"]["items"][place]["name"] == "噪声扰民（夜间）"
            # deleting: not a parent, not what is not there
            status, _, raw = srv.request("DELETE", "/api/v1/catalog/items/06")
            body = json.loads(raw)
            assert status == 409 and "item '06' has" in body["error"]["message"], body
            assert "delete or move them first" in body["error"]["message"], body
            status, _, raw = srv.request("DELETE", "/api/v1/catalog/items/06990")
            assert status == 404, raw
            status, _, raw = srv.request("DELETE", "/api/v1/catalog/items/06999", token=ag)
            assert status == 403, raw
            status, _, raw = srv.request("DELETE", "/api/v1/catalog/items/06999")
            body = json.loads(raw)
            assert status == 200 and body == {"version": 3, "deleted": "06999"}, body
            status, body = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06999", "title": "井盖",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            assert status == 400 and "06999" in body["error"]["message"], body
            # an order of a retired item is still dispatched, on the default limits
            status, _, raw = srv.request("POST", f"/api/v1/orders/{order['id']}/actions/dispatch",
                                         {"unit": "cgzf"}, headers={"If-Match": '"1"'}, token=ag)
            assert status == 200 and "deadlines" in json.loads(raw), raw
            # the history
            status, versions = srv.get("/api/v1/catalog/versions", token=ag)
            assert [(v["version"], v["change"], v["created_by"]) for v in versions["versions"]] == [
                (3, "deleted item 06999", "admin"), (2, "changed item 06028", "admin"),
                (1, "created item 06999", "admin")], versions
            status, v1 = srv.get("/api/v1/catalog/versions/1", token=ag)
            assert status == 200 and "06999" in codes(v1) and v1["change"] == "created item 06999"
            status, v0 = srv.get("/api/v1/catalog/versions/0")
            assert status == 200 and codes(v0) == codes(first), v0["version"]
            for bad in ["4", "abc", "-1", "1x"]:
                status, body = srv.get("/api/v1/catalog/versions/" + bad)
                assert status == 404, (bad, body)
            status, v3 = srv.get("/api/v1/catalog/versions/3")
            assert v3["catalog"] == catalog(srv)["catalog"]
            # the store holds the canonical JSON form, byte for byte what a version answers
            db = data.store()
            stored = db.execute("SELECT body FROM catalog_version WHERE version = 3").fetchone()[0]
            audit = db.execute("SELECT action, object_id, result, detail FROM audit "
                               "WHERE action LIKE 'catalog.%' ORDER BY seq").fetchall()
            db.close()
            assert json.loads(stored) == v3["catalog"]
            assert stored == json.dumps(v3["catalog"], ensure_ascii=False, separators=(",", ":"))
            assert ("catalog.put_item", "06999", "ok", "version 1") in audit, audit
            assert ("catalog.delete_item", "06999", "ok", "version 3") in audit, audit
            refused = [(a, o, r) for a, o, r, d in audit if r != "ok"]
            assert ("catalog.put_item", "06998", "failed") in refused, audit
            assert ("catalog.delete_item", "06", "failed") in refused, audit
            assert any(d.startswith("item '06' has ") for _, _, _, d in audit), audit
        finally:
            other.stop()
            srv.stop()
        _, out, _ = run("audit", "verify", "--data", data.dir)
        assert "intact" in out, out
        # a restarted server puts the newest stored version in force
        srv = Server(data)
        try:
            assert catalog(srv)["version"] == 3
        finally:
            srv.stop()
    finally:
        data.close()


def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params)


def test_suggest_items_from_a_text():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            status, body = srv.get(q("/api/v1/catalog/suggest", text="东关工地夜间施工，噪声扰民"),
                                   token=ag)
            assert status == 200, body
            items = body["items"]
            assert items[0]["code"] == "06028" and items[0]["name"] == "噪声扰民", items
            assert len(items) <= 3 and all(i["score"] > 0 for i in items), items
            assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
            status, body = srv.get(q("/api/v1/catalog/suggest", text="路灯不亮", limit=1), token=ag)
            assert status == 200 and [i["code"] for i in body["items"]] == ["2108"], body
            status, body = srv.get(q("/api/v1/catalog/suggest", text="今天天气不错"), token=ag)
            assert status == 200 and body == {"items": []}, body
            # the catalog in force: an item added now is suggested at once
            status, _ = put(srv, "06999", MANHOLE)
            assert status == 201
            status, body = srv.get(q("/api/v1/catalog/suggest", text="路口窨井盖被偷了"), token=ag)
            assert status == 200 and body["items"][0]["code"] == "06999", body
            for params, word in [({}, "'text' is required"), ({"text": ""}, "'text' is empty"),
                                 ({"text": "噪" * 1366}, "'text' is longer than 4096 bytes"),
                                 ({"text": "噪声", "limit": "0"}, "'limit' must be 1 to 20"),
                                 ({"text": "噪声", "limit": "21"}, "'limit' must be 1 to 20"),
                                 ({"text": "噪声", "limit": "x"}, "'limit' must be 1 to 20")]:
                status, body = srv.get(q("/api/v1/catalog/suggest", **params), token=ag)
                assert status == 400 and word in body["error"]["message"], (params, body)
        finally:
            srv.stop()
    finally:
        data.close()


def test_routing_match_before_an_order_is_the_orders_own_route():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302001", PASSWORD)
            for uid, name in [("cgzf", "城管执法局"), ("dg-office", "东关社区居委会")]:
                status, body = srv.json("POST", "/api/v1/units", {"id": uid, "name": name,
                                                                  "kind": "department"})
                assert status == 201, body
            status, r1 = srv.json("POST", "/api/v1/routing-rules",
                                  {"item": "06", "region": "371302", "lead": "cgzf"})
            assert status == 201, r1
            status, r2 = srv.json("POST", "/api/v1/routing-rules",
                                  {"item": "06028", "region": "371302001001", "lead": "dg-office",
                                   "assisting": ["cgzf"]})
            assert status == 201, r2
            grid = "371302001001001"
            status, match = srv.get(q("/api/v1/routing-rules/match", item="06028", region=grid),
                                    token=ag)
            assert status == 200, match
            assert match["found"] is True and match["lead"] == {"id": "dg-office",
                                                                "name": "东关社区居委会"}, match
            assert match["rule"] == r2["id"] and match["assisting"] == [{"id": "cgzf",
                                                                         "name": "城管执法局"}]
            assert match["dispatch"] == {"unit": "dg-office", "assisting": ["cgzf"]}, match
            assert f"by rule {r2['id']}" in match["explanation"], match
            # the same answer the order gets once it is taken in at that grid
            status, order = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声",
                "content": "c", "lon": 118.303, "lat": 35.003}, token=ag)
            assert status == 201 and order["grid"] == grid, order
            status, route = srv.get(f"/api/v1/orders/{order['id']}/route", token=ag)
            assert status == 200 and route == match, (route, match)
            # a less specific place falls to the less specific rule; no place, to none here
            status, match = srv.get(q("/api/v1/routing-rules/match", item="06901",
                                      region="371302001"), token=ag)
            assert status == 200 and match["lead"]["id"] == "cgzf", match
            assert match["rule"] == r1["id"], match
            status, match = srv.get(q("/api/v1/routing-rules/match", item="06028"), token=ag)
            assert status == 200 and match["found"] is False and "no rule" in match["explanation"]
            assert set(match) == {"found", "explanation", "because"}, match
            assert match["because"] == {"item": "06028", "item_name": "噪声扰民", "region": "",
                                        "level": "", "region_name": ""}, match
            status, match = srv.get(q("/api/v1/routing-rules/match", item="2108", region=grid),
                                    token=ag)
            assert status == 200 and match["found"] is False, match
            for params, word in [
                    ({"region": grid}, "'item' is required"),
                    ({"item": "", "region": grid}, "'item' is empty"),
                    ({"item": "0" * 16}, "'item' is longer than 15 bytes"),
                    ({"item": "99999"}, "'item': '99999' is not in the dispatch catalog"),
                    ({"item": "06028", "region": ""}, "'region' is empty"),
                    ({"item": "06028", "region": "1" * 19}, "'region' is longer than 18 bytes"),
                    ({"item": "06028", "region": "3713x2"}, "'region': region code '3713x2'"),
                    ({"item": "06028", "region": "379"}, "'region': region code '379' has 3"),
                    ({"item": "06028", "region": "379999"}, "'region': county '379999' does not"),
                    ({"item": "06028", "region": "371302001001999"}, "grid '371302001001999'"),
                    # outside the caller's scope a place is as unknown as a missing one
                    ({"item": "06028", "region": "371302002"}, "town '371302002' does not")]:
                status, body = srv.get(q("/api/v1/routing-rules/match", **params), token=ag)
                assert status == 400 and word in body["error"]["message"], (params, body)
        finally:
            srv.stop()
    finally:
        data.close()
