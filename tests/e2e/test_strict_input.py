"""Strict input: a JSON body's unknown key is refused on every write route, naming it; query
parameters are checked (dates, ids, lengths) naming the parameter; ids in paths match only as
written; credentials never reach the log; photos are written only for valid requests, counted
exactly under concurrency, and what a killed server was writing is removed at the next start."""
import glob
import json
import os
import re
import signal
import threading
import urllib.parse

from harness import ROOT, Data, Server, run

PASSWORD = "Strict-pass-2026"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
ORDER = {"channel": "hotline", "type": "complaint", "title": "噪声", "content": "夜间施工噪声",
         "lon": 118.303, "lat": 35.003}
APPEAL = {"type": "green", "text": "希望小区里多装几盏路灯", "lon": 118.303, "lat": 35.003,
          "source": "gps"}


def keyed_routes():
    """(method, pattern, permission) of every route that takes a JSON body (routes.def)."""
    text = open(os.path.join(ROOT, "src", "api", "routes.def"), encoding="utf-8").read()
    return re.findall(r'WG_ROUTE_KEYS\("(\w+)", "([^"]+)", \w+,[^,]+,\s*([\w|\s]+),', text)


def photo_files(data):
    return sorted(glob.glob(os.path.join(data.dir, "photos", "*", "*")))


def test_strict_unknown_json_keys_on_every_write_route():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            gw = data.add_user(srv, "gw", "gridworker", "371302", PASSWORD)
            sup = data.add_user(srv, "sup", "supervisor", "371302", PASSWORD)  # assessment
            sec = srv.login_first(data, "secadmin")
            status, order = srv.json("POST", "/api/v1/orders", ORDER, token=ag)
            assert status == 201, order
            routes = keyed_routes()
            assert len(routes) >= 13, routes
            fill = {"{username}": "ag", "{id}": str(order["id"]), "{name}": "note",
                    "{code}": "06990", "{kind}": "grid", "{cid}": "1"}
            for method, pattern, perm in routes:
                path = pattern
                for k, v in fill.items():
                    path = path.replace(k, v)
                # a finding made an order: a grid worker's, who writes the registry and orders;
                # the agent also records and steps dispute cases, reviews alerts and opens tasks
                token = (gw if ("ORDER" in perm and "REGISTRY" in perm) or "PARTAKE" in perm
                         else ag if "ORDER" in perm or "DISPUTE" in perm or "ALERT" in perm
                         else sup if "ASSESS" in perm or "SURVEY" in perm
                         else sec if "ADMIN_ACCOUNTS" in perm
                         else gw if "PARTAKE" in perm  # residents taking part: grid staff's
                         else None if perm.strip() == "0" else srv.token)
                status, body = srv.json(method, path, {"zz_unknown": 1}, token=token)
                assert status == 400, (method, pattern, status, body)
                assert "'zz_unknown' is not a field of" in body["error"]["message"], \
                    (method, pattern, body)
            before = data.count("work_order")
            # a misspelt flag is refused, never dropped: the order would not be confidential
            status, e = srv.json("POST", "/api/v1/orders", dict(ORDER, confidental=True), token=ag)
            assert status == 400, e
            assert e["error"]["message"].startswith("'confidental' is not a field of an order"), e
            assert "confidential" in e["error"]["message"], e
            status, e = srv.json("POST", "/api/v1/orders",
                                 dict(ORDER, reporter={"name": "张三", "phnoe": "13812345678"}),
                                 token=ag)
            assert status == 400 and "'reporter.phnoe'" in e["error"]["message"], e
            assert data.count("work_order") == before
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
            assert data.count("work_order") == before
        finally:
            srv.stop()
    finally:
        data.close()


def test_strict_query_parameters_and_path_ids():
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            au = srv.add_admin(data, "au", "auditor", PASSWORD, "371302")
            status, order = srv.json("POST", "/api/v1/orders", ORDER, token=ag)
            assert status == 201, order
            oid = order["id"]
            for query, name in [("since=';--", "since"), ("until=abc", "until"),
                                ("since=2026-02-30", "since"), ("until=2026-01-31T24:00", "until"),
                                ("since=2026-01-31%00", "since"), ("item=06'", "item"),
                                ("item=0123456789012345", "item"), ("unit=Water%20Co", "unit")]:
                for path in ("/api/v1/orders?", "/api/v1/orders.csv?"):
                    status, _, raw = srv.request("GET", path + query, token=ag)
                    e = json.loads(raw)
                    assert status == 400 and name in e["error"]["message"], (query, e)
            for query in ("since=2026-01-31", "until=2999-01-01T08:00:00Z", "item=06028"):
                status, body = srv.get("/api/v1/orders?" + query, token=ag)
                assert status == 200, (query, body)
            status, body = srv.get("/api/v1/orders?since=2000-01-01&until=2999-12-31", token=ag)
            assert [o["id"] for o in body["orders"]] == [oid], body
            for query, name in [("since=';--", "since"), ("actor=" + "a" * 200, "actor"),
                                ("object_id=" + "1" * 300, "object_id"), ("action=" + "x" * 80,
                                                                            "action")]:
                status, e = srv.get("/api/v1/audit?" + query, token=au)
                assert status == 400 and name in e["error"]["message"], (query, e)
            # an id in a path matches only as written: no space, no NUL, no sign, no 0 first
            for bad in ("%201", "1%00", "01", "1%20", "+1", "%2B1", "1.0"):
                p = f"/api/v1/orders/{str(oid).join(bad.split('1', 1))}"
                status, _, raw = srv.request("GET", p, token=ag)
                assert status == 404, (p, status, raw[:200])
            status, _ = srv.get(f"/api/v1/orders/{oid}", token=ag)
            assert status == 200
            for bad in ("00", "0%00", "01"):
                status, _ = srv.get(f"/api/v1/catalog/versions/{bad}", token=ag)
                assert status == 404, (bad, status)
        finally:
            srv.stop()
    finally:
        data.close()


def test_strict_text_of_paths_and_queries_is_utf8():
    """A path or a query parameter that is not UTF-8 once its %-escapes are undone (a byte
    %FF, an overlong or cut sequence) is refused with 400 saying which, on every route, the
    console's pages and the store untouched; the server's log stays UTF-8 text."""
    data = Data()
    try:
        srv = Server(data)
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            for path, where in [("/api/v1/regions/%FF%FE", "path"),
                                ("/api/v1/grids/%C3%28", "path"),
                                ("/api/v1/orders/%FF", "path"),
                                ("/%FF", "path"),
                                ("/api/v1/orders?q=%C0%AF", "'q'"),
                                ("/api/v1/orders?state=ok&%FFx=1", "query parameter"),
                                ("/api/v1/orders?item=%E4%B8", "'item'")]:
                status, _, raw = srv.request("GET", path, token=ag)
                e = json.loads(raw)
                assert status == 400 and "UTF-8" in e["error"]["message"] and \
                    where in e["error"]["message"], (path, status, e)
            status, body = srv.get("/api/v1/orders?q=%E8%B7%AF%E7%81%AF", token=ag)  # 路灯
            assert status == 200, body
        finally:
            code, log = srv.stop()
        assert code == 0, log
        assert "GET /api/v1/regions/\ufffd\ufffd 400" in log, log[-1500:]
    finally:
        data.close()


def test_strict_credentials_never_in_the_log():
    data = Data()
    try:
        srv = Server(data)
        try:
            status, key = srv.json("POST", "/api/v1/apikeys", {"name": "city app",
                                                               "scope": "371302",
                                                               "permissions": ["open311",
                                                                               "map_read"]})
            assert status == 201, key
            key = key["key"]
            status, _, raw = srv.request("POST", "/api/v1/public/appeals", APPEAL, token=None)
            assert status == 201, raw
            code = json.loads(raw)["code"]
            bare = code.replace("-", "")
            for c in (code, bare, bare.lower()):
                status, _, _ = srv.request("GET", "/api/v1/public/appeals/" + c, token=None)
                assert status == 200
            srv.request("POST", f"/api/v1/public/appeals/{code}/photos", PNG, token=None)
            srv.request("GET", f"/api/v1/public/appeals/{code}/photos/{'0' * 64}", token=None)
            srv.request("POST", f"/api/v1/public/appeals/{code}/rating",
                        {"satisfaction": "satisfied"}, token=None)
            srv.request("GET", "/open311/v2/tokens/0123456789abcdef0123456789abcdef.json",
                        token=None)
            srv.request("GET", "/api/v1/grids/371302001001001", headers={"X-Api-Key": key},
                        token=None)
            srv.request("GET", "/open311/v2/requests.json?api_key=" + urllib.parse.quote(key),
                        token=None)
            form = urllib.parse.urlencode({"api_key": key, "service_code": "2108"}).encode()
            srv.request("POST", "/open311/v2/requests.json?api_key=" + urllib.parse.quote(key),
                        form, headers={"Content-Type": "application/x-www-form-urlencoded"},
                        token=None)
            session = srv.token
        finally:
            _, log = srv.stop()
        for secret in (code, bare, bare.lower(), key, session,
                       "0123456789abcdef0123456789abcdef"):
            assert secret not in log, secret
        # the requests are there, each code by a short keyed hash: one code, one hash
        lines = [line for line in log.splitlines() if "/api/v1/public/appeals/" in line]
        hashes = {re.search(r"/appeals/(#[0-9a-f]{8})", line).group(1) for line in lines}
        assert len(lines) >= 6 and len(hashes) == 3, lines  # the code as given three ways
        assert re.search(r"GET /open311/v2/tokens/#[0-9a-f]{8}\.json 404", log), log
    finally:
        data.close()


def test_strict_photos_only_for_valid_requests_and_within_their_limit():
    data = Data()
    try:
        path = os.path.join(data.dir, "serve.conf")
        with open(path, "w") as f:
            f.write("portal_photos = 9\n")
        srv = Server(data, "--config", path)
        try:
            status, key = srv.json("POST", "/api/v1/apikeys", {"name": "city app",
                                                               "scope": "371302",
                                                               "permissions": ["open311"]})
            key = key["key"]
            # Open311: five requests refused (a point in no grid), each with a 1 MiB photo
            boundary = "----strict"
            for i in range(5):
                fields = {"api_key": key, "service_code": "2108", "lat": "35.5", "long": "118.9",
                          "attribute[lamp]": "LS-1", "attribute[count]": "1"}
                body = b"".join((f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"'
                                 f'\r\n\r\n{v}\r\n').encode() for k, v in fields.items())
                body += (f'--{boundary}\r\nContent-Disposition: form-data; name="media"; '
                         f'filename="x.png"\r\nContent-Type: image/png\r\n\r\n').encode()
                body += PNG + bytes([i]) * (1 << 20) + f"\r\n--{boundary}--\r\n".encode()
                status, _, raw = srv.request(
                    "POST", "/open311/v2/requests.json", body,
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                    token=None)
                assert status == 400, raw
            assert photo_files(data) == [], photo_files(data)

            # the portal: 20 photos at once on an appeal that takes 9
            status, _, raw = srv.request("POST", "/api/v1/public/appeals", APPEAL, token=None)
            code = json.loads(raw)["code"]
            answers = []

            def upload(i):
                st, _, _ = srv.request("POST", f"/api/v1/public/appeals/{code}/photos",
                                       PNG + b"%02d" % i, token=None)
                answers.append(st)
            threads = [threading.Thread(target=upload, args=(i,)) for i in range(20)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(answers) == [201] * 9 + [409] * 11, answers
            status, _, raw = srv.request("GET", "/api/v1/public/appeals/" + code, token=None)
            assert json.loads(raw)["photos"] == 9
            assert data.count("order_photo") == 9
            # the refused ones left no file, finished or not
            assert len(photo_files(data)) == 9, photo_files(data)
        finally:
            srv.stop()

        # what a killed server was writing goes at the next start; a live writer's stays
        d = os.path.join(data.dir, "photos", "ab")
        os.makedirs(d, exist_ok=True)
        dead = os.path.join(d, "ab" + "0" * 62 + ".999999.1.tmp")
        live = os.path.join(d, "ab" + "1" * 62 + f".{os.getpid()}.1.tmp")
        for p in (dead, live):
            open(p, "wb").write(b"half a photo")
        srv = Server(data)
        srv.proc.send_signal(signal.SIGKILL)
        srv.proc.wait()
        killed = os.path.join(d, "ab" + "2" * 62 + f".{srv.proc.pid}.1.tmp")
        open(killed, "wb").write(b"half a photo")
        srv = Server(data)
        try:
            assert not os.path.exists(dead) and not os.path.exists(killed)
            assert os.path.exists(live)
            assert len(photo_files(data)) == 9 + 1
        finally:
            srv.stop()
        _, out, _ = run("audit", "verify", "--data", data.dir)
        assert "intact" in out, out
    finally:
        data.close()
