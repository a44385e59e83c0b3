"""Strict input: a JSON body's unknown key is refused on every write route, naming it."""
import json
import os
import re

from harness import ROOT, Data, Server

PASSWORD = "Strict-pass-2026"
ORDER = {"channel": "hotline", "type": "complaint", "title": "噪声", "content": "夜间施工噪声",
         "lon": 118.303, "lat": 35.003}
APPEAL = {"type": "green", "text": "希望小区里多装几盏路灯", "lon": 118.303, "lat": 35.003,
          "source": "gps"}


def keyed_routes():
    """(method, pattern, permission) of every route that takes a JSON body (routes.def)."""
    text = open(os.path.join(ROOT, "src", "api", "routes.def"), encoding="utf-8").read()
    return re.findall(r'WG_ROUTE_KEYS\("(\w+)", "([^"]+)", \w+,[^,]+,\s*([\w|\s]+),', text)


def count(data, table):
    db = data.store()
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


def test_strict_unknown_json_keys_on_every_write_route():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            status, order = srv.json("POST", "/api/v1/orders", ORDER, token=ag)
            assert status == 201, order
            routes = keyed_routes()
            assert len(routes) >= 13, routes
            fill = {"{username}": "ag", "{id}": str(order["id"]), "{name}": "note",
                    "{code}": "06990"}
            for method, pattern, perm in routes:
                path = pattern
                for k, v in fill.items():
                    path = path.replace(k, v)
                token = (ag if "ORDER" in perm else None if perm.strip() == "0"
                         else srv.token)
                status, body = srv.json(method, path, {"zz_unknown": 1}, token=token)
                assert status == 400, (method, pattern, status, body)
                assert "'zz_unknown' is not a field of" in body["error"]["message"], \
                    (method, pattern, body)
            before = count(data, "work_order")
            # a misspelt flag is refused, never dropped: the order would not be confidential
            status, e = srv.json("POST", "/api/v1/orders", dict(ORDER, confidental=True), token=ag)
            assert status == 400, e
            assert e["error"]["message"].startswith("'confidental' is not a field of an order"), e
            assert "confidential" in e["error"]["message"], e
            status, e = srv.json("POST", "/api/v1/orders",
                                 dict(ORDER, reporter={"name": "张三", "phnoe": "13812345678"}),
                                 token=ag)
            assert status == 400 and "'reporter.phnoe'" in e["error"]["message"], e
            assert count(data, "work_order") == before
            # an action takes its own keys: another action's is refused, the order unchanged
            status, o = srv.get(f"/api/v1/orders/{order['id']}", token=ag)
            status, _, raw = srv.request("POST", f"/api/v1/orders/{order['id']}/actions/dispatch",
                                         {"unit": "cgzf", "passed": True},
                                         headers={"If-Match": f'"{o["version"]}"'}, token=ag)
            e = json.loads(raw)
            assert status == 400 and "'passed' is not a field of the action 'dispatch'" in \
                e["error"]["message"], e
            status, after = srv.get(f"/api/v1/orders/{order['id']}", token=ag)
            assert after["version"] == o["version"] and after["state"] == o["state"], after
            status, e = srv.json("POST", "/api/v1/public/appeals", dict(APPEAL, nmae="x"),
                                 token=None)
            assert status == 400 and "'nmae' is not a field of an appeal" in \
                e["error"]["message"], e
            assert count(data, "work_order") == before
        finally:
            srv.stop()
    finally:
        data.close()
