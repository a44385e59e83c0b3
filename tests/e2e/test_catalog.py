"""The dispatch catalog's administration: versioned, checked whole, audited, in force at once
on this server, soon on another sharing the store, and after a restart."""
import json
import os
import sqlite3

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
