"""The foundation: server, store, regions, grid import and export, locate."""
import http.client
import json
import os
import socket
import threading
import urllib.error

from harness import (BACKEND, Data, Server, collection, feature, run, square,
                     wait_for)


def with_server(fn, *extra, grids=True):
    data = Data(grids=grids)
    srv = Server(data, *extra)
    try:
        fn(data, srv)
    finally:
        code, log = srv.stop()
        data.close()
    assert code == 0, f"server exited with {code}: {log[-2000:]}"
    return log


def test_healthz_and_access_log():
    def check(data, srv):
        status, body = srv.get("/healthz")
        assert status == 200 and body["status"] == "ok", body
        assert body["grids"] == 4 and body["indexed_grids"] == 4, body
    log = with_server(check)
    # one access line per request: method, path, status, microseconds
    assert any("GET /healthz 200 " in l and l.rstrip().endswith("us") for l in log.splitlines()), log


def test_unknown_endpoint_and_method():
    def check(data, srv):
        status, body = srv.get("/api/v1/nothing")
        assert status == 404 and body["error"]["code"] == "not_found", body
        assert "/api/v1/nothing" in body["error"]["message"]
        status, body = srv.json("DELETE", "/api/v1/locate")
        assert status == 405, (status, body)
    with_server(check)


def test_region_node_ancestors_children():
    def check(data, srv):
        status, body = srv.get("/api/v1/regions/371302001")
        assert status == 200, body
        assert body["name"] == "测试街道" and body["level"] == "town"
        assert [a["code"] for a in body["ancestors"]] == ["37", "3713", "371302"]
        assert [c["code"] for c in body["children"]] == ["371302001001", "371302001002"]
        status, body = srv.get("/api/v1/regions/371302001001")
        assert [c["code"] for c in body["children"]] == ["371302001001001", "371302001001002",
                                                         "371302001001901"], body
        status, body = srv.get("/api/v1/regions/371302999")
        assert status == 404 and "371302999" in body["error"]["message"], body
        status, body = srv.get("/api/v1/regions/37x")
        assert status == 400 and "non-digit" in body["error"]["message"], body
        status, body = srv.get("/api/v1/regions/37130")
        assert status == 400 and "5 digits" in body["error"]["message"], body
    with_server(check)


def test_region_search():
    def check(data, srv):
        status, body = srv.get("/api/v1/regions?q=" + "%E5%85%B0%E5%B1%B1")  # 兰山
        assert status == 200 and [r["code"] for r in body["regions"]] == ["371302"], body
        status, body = srv.get("/api/v1/regions?q=%E5%85%B3")  # 关
        assert [r["code"] for r in body["regions"]] == ["371302001001", "371302001002"], body
        status, body = srv.get("/api/v1/regions")
        assert status == 400 and "'q'" in body["error"]["message"], body
        status, body = srv.get("/api/v1/regions?q=a&limit=0")
        assert status == 400 and "limit" in body["error"]["message"], body
    with_server(check)


def test_locate_chain_and_exclusive():
    def check(data, srv):
        status, body = srv.get("/api/v1/locate?lon=118.303&lat=35.003")
        assert status == 200, body
        assert body["grid"] == {"code": "371302001001001", "name": "东关社区第1网格",
                                "kind": "base"}, body
        assert [e["code"] for e in body["exclusive"]] == ["371302001001901"]
        assert [(c["level"], c["code"]) for c in body["chain"]] == [
            ("province", "37"), ("city", "3713"), ("county", "371302"), ("town", "371302001"),
            ("village", "371302001001"), ("grid", "371302001001001")], body
        assert abs(body["point"]["lon"] - 118.303) < 1e-9
        status, body = srv.get("/api/v1/locate?lon=118.315&lat=35.005&crs=cgcs2000")
        assert body["grid"]["code"] == "371302001001002" and body["exclusive"] == [], body
    with_server(check)


def test_micro_grids_keep_their_18_digit_codes():
    """A micro-grid (微网格) inside a base grid has an 18-digit code: it is imported, kept,
    located and read back under that code, never cut to its base grid's 15."""
    def check(data, srv):
        micro = feature("371302001001001001", "东关社区第1网格第1微网格", "micro",
                        square(118.301, 35.001, 118.302, 35.002))
        rc, out, err = data.import_grids(collection(micro), check=False)
        assert rc == 0, (out, err)
        wait_for(lambda: srv.get("/api/v1/locate?lon=118.3015&lat=35.0015")[1].get("micro"))
        status, body = srv.get("/api/v1/locate?lon=118.3015&lat=35.0015")
        assert status == 200 and body["grid"]["code"] == "371302001001001", body
        assert [m["code"] for m in body["micro"]] == ["371302001001001001"], body
        status, body = srv.get("/api/v1/grids/371302001001001001")
        assert status == 200 and body["code"] == "371302001001001001", body
        assert body["kind"] == "micro", body
        status, body = srv.get("/api/v1/grids/371302001001001")
        assert status == 200 and body["kind"] == "base", body
    with_server(check)


def test_locate_gcj02_and_bd09_are_converted():
    def check(data, srv):
        # GCJ-02 shifts Linyi points by a few hundred metres: the same place in WGS84 is
        # (118.3050, 35.0050); its GCJ-02 and BD-09 forms must land in the same grid
        status, wgs = srv.get("/api/v1/locate?lon=118.305&lat=35.005&crs=wgs84")
        assert status == 200
        from_gcj = None
        rc, out, _ = run("locate", "--data", data.dir, "118.305", "35.005")
        assert json.loads(out)["grid"]["code"] == wgs["grid"]["code"]
        # derive the GCJ-02 form by asking for a conversion round trip through the CLI: a
        # GCJ-02 input is converted back to WGS84 within a metre
        import math
        a, ee = 6378245.0, 0.00669342162296594323
        x, y = 118.305 - 105.0, 35.005 - 35.0
        dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
                + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
                + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
                + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
        dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
                + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
                + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
                + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
        radlat = 35.005 / 180.0 * math.pi
        magic = 1 - ee * math.sin(radlat) ** 2
        sq = math.sqrt(magic)
        glat = 35.005 + (dlat * 180.0) / ((a * (1 - ee)) / (magic * sq) * math.pi)
        glon = 118.305 + (dlon * 180.0) / (a / sq * math.cos(radlat) * math.pi)
        status, gcj = srv.get(f"/api/v1/locate?lon={glon:.9f}&lat={glat:.9f}&crs=gcj02")
        assert status == 200, gcj
        assert gcj["grid"]["code"] == wgs["grid"]["code"], gcj
        assert abs(gcj["point"]["lon"] - 118.305) < 1e-5 and abs(gcj["point"]["lat"] - 35.005) < 1e-5, gcj
        z = math.sqrt(glon * glon + glat * glat) + 0.00002 * math.sin(glat * math.pi * 3000.0 / 180.0)
        t = math.atan2(glat, glon) + 0.000003 * math.cos(glon * math.pi * 3000.0 / 180.0)
        blon, blat = z * math.cos(t) + 0.0065, z * math.sin(t) + 0.006
        status, bd = srv.get(f"/api/v1/locate?lon={blon:.9f}&lat={blat:.9f}&crs=bd09")
        assert status == 200 and bd["grid"]["code"] == wgs["grid"]["code"], bd
        assert abs(bd["point"]["lon"] - 118.305) < 1e-5, bd
        del from_gcj
    with_server(check)


def test_locate_shared_edge_is_stable():
    def check(data, srv):
        # 118.31 is the edge shared by grids 001 and 002; a vertex too at 35.01
        for lon, lat in [(118.31, 35.005), (118.31, 35.01), (118.305, 35.01)]:
            answers = set()
            for _ in range(20):
                status, body = srv.get(f"/api/v1/locate?lon={lon}&lat={lat}")
                answers.add(body["grid"]["code"] if status == 200 else status)
            assert len(answers) == 1, (lon, lat, answers)
    with_server(check)


def test_locate_outside_and_bad_parameters():
    def check(data, srv):
        status, body = srv.get("/api/v1/locate?lon=100&lat=30")
        assert status == 404 and "no grid" in body["error"]["message"], body
        assert "100.000000" in body["error"]["message"]
        for q, word in [("lat=35", "'lon'"), ("lon=118", "'lat'"), ("lon=abc&lat=35", "not a number"),
                        ("lon=200&lat=35", "outside"), ("lon=118&lat=35&crs=mars", "mars")]:
            status, body = srv.get("/api/v1/locate?" + q)
            assert status == 400 and word in body["error"]["message"], (q, body)
        rc, _, err = run("locate", "--data", data.dir, "100", "30", check=False)
        assert rc != 0 and "no grid" in err, err
    with_server(check)


def test_body_over_cap_is_413_and_changes_nothing():
    def check(data, srv):
        before = data.dump()
        big = json.dumps(collection(*[feature("371302001001%03d" % i, "x", "base",
                                              square(118.4, 35.0, 118.41, 35.01))
                                      for i in range(100, 200)]))
        status, _, raw = srv.request("POST", "/api/v1/grids/import", big)
        assert status == 413, (status, raw)
        assert json.loads(raw)["error"]["code"] == "too_large"
        assert data.dump() == before
    with_server(check, "--body-max", "2048")


def head_only(srv, head):
    """Sends a request's head alone, no body, and reads the answer's status line: the server
    must answer from the head, before any body arrives."""
    host, port = srv.base.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


def test_route_body_caps_apply_before_the_body_is_read():
    """Each route declares how much body it reads: a login takes a few KB, an appeal a
    quarter of a MB, a photo 12 MB, a grid import the server's body_max. A body declared
    over the route's cap is refused from the head, and a stranger is refused before sending
    any; a body sent in chunks is cut at the cap too, and nothing changes."""
    def check(data, srv):
        before = data.dump()
        status, raw = head_only(srv, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: 100000\r\n\r\n")
        assert status == 413 and b"at most 8192 bytes" in raw, raw
        status, raw = head_only(srv, "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: 15000000\r\n\r\n")
        assert status == 413, raw
        # under the cap, but nobody: 401 without waiting for the body
        status, raw = head_only(srv, "POST /api/v1/orders HTTP/1.1\r\nHost: x\r\n"
                                     "Content-Type: application/json\r\n"
                                     "Content-Length: 200000\r\n\r\n")
        assert status == 401, raw
        # a read takes no body
        status, _, raw = srv.request("GET", "/api/v1/units", b"x" * 10)
        assert status == 413 and "takes no request body" in json.loads(raw)["error"]["message"]
        # chunked, with no length: cut at the cap when the body comes
        big = {"username": "admin", "password": "x" * 20000}
        conn = http.client.HTTPConnection(srv.base.split("//")[1], timeout=10)
        conn.putrequest("POST", "/api/v1/session")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        body = json.dumps(big).encode()
        for i in range(0, len(body), 4096):
            part = body[i:i + 4096]
            conn.send(b"%x\r\n%s\r\n" % (len(part), part))
        conn.send(b"0\r\n\r\n")
        r = conn.getresponse()
        assert r.status == 413, (r.status, r.read())
        conn.close()
        # within its cap a route works as before
        status, body = srv.get("/healthz")
        assert status == 200, body
        assert data.dump() == before
    with_server(check)


def test_large_headers_are_served_and_oversized_ones_refused():
    """A request with 12 KB of headers and a long query (a proxy's or single sign-on's
    cookies) is served; 40 KB of headers is refused with 431, and the server goes on."""
    def check(data, srv):
        cookie = "sso=" + "a" * 12000
        path = "/api/v1/regions?q=%E5%85%B0%E5%B1%B1&pad=" + "x" * 2000  # 兰山
        status, _, raw = srv.request("GET", path, headers={"Cookie": cookie,
                                                            "X-Forwarded-For": "10.0.0.1"})
        assert status == 200, (status, raw[:200])
        assert [r["code"] for r in json.loads(raw)["regions"]] == ["371302"], raw[:200]
        status, _, raw = srv.request("GET", "/healthz", headers={"Cookie": "sso=" + "a" * 40000})
        assert status == 431, (status, raw[:200])
        status, body = srv.get("/healthz")
        assert status == 200 and body["status"] == "ok", body
    with_server(check)


def test_malformed_json_names_position():
    def check(data, srv):
        before = data.dump()
        status, body = srv.json("POST", "/api/v1/locate", '{"points": [[118.3, 35.0],, ]}')
        assert status == 400, body
        msg = body["error"]["message"]
        assert "malformed JSON" in msg and "column" in msg, msg
        status, body = srv.json("POST", "/api/v1/grids/import", '{"type": "FeatureCollection", "features": [')
        assert status == 400 and "line 1" in body["error"]["message"], body
        assert data.dump() == before
    with_server(check)


def test_batch_locate():
    def check(data, srv):
        status, body = srv.json("POST", "/api/v1/locate", {"points": [[118.303, 35.003], [100, 30]]})
        assert status == 200, body
        r = body["results"]
        assert r[0]["grid"]["code"] == "371302001001001" and r[1]["error"]["code"] == "not_found", r
        status, body = srv.json("POST", "/api/v1/locate", {"points": [[118.3]]})
        assert status == 400 and "points[0]" in body["error"]["message"], body
    with_server(check)


def bad_import(data, obj, *words):
    before = data.dump()
    rc, out, err = data.import_grids(obj, check=False)
    assert rc != 0, (out, err)
    for w in words:
        assert w in err, (w, err)
    assert data.dump() == before, "a failed import changed the store"
    return err


def test_bad_imports_change_nothing():
    data = Data()
    try:
        bad_import(data, '{"type": "FeatureCollection", "features": [', "malformed GeoJSON", "line 1")
        bowtie = {"type": "Polygon", "coordinates": [[[118.30, 35.03], [118.31, 35.04],
                                                      [118.31, 35.03], [118.30, 35.04],
                                                      [118.30, 35.03]]]}
        good = feature("371302002001001", "南坛村第1网格", "base", square(118.40, 35.0, 118.41, 35.01))
        err = bad_import(data, collection(good, feature("371302002001002", "坏", "base", bowtie)),
                         "feature 1", "371302002001002", "elf-intersection")
        bad_import(data, collection(feature("371302009001001", "无村", "base",
                                            square(118.5, 35.0, 118.51, 35.01))),
                   "371302009001", "does not exist")
        over = feature("371302001001003", "重叠", "base", square(118.305, 35.00, 118.315, 35.01))
        err = bad_import(data, collection(over), "overlaps", "371302001001001", "m²")
        assert "500" in err or "m²" in err
        dup = feature("371302002001001", "重复", "base", square(118.42, 35.0, 118.43, 35.01))
        bad_import(data, collection(good, dup), "duplicate code", "371302002001001")
        bad_import(data, collection(feature("371302002001001", "x", "zone", good["geometry"])),
                   "'kind'")
        open_ring = {"type": "Polygon", "coordinates": [[[118.4, 35.0], [118.41, 35.0], [118.41, 35.01], [118.4, 35.01]]]}
        bad_import(data, collection(feature("371302002001001", "x", "base", open_ring)), "not closed")
        bad_import(data, collection(feature("371302002001001", "x", "base",
                                            square(118.4, 95.0, 118.41, 95.01))), "latitude")
        bad_import(data, collection(feature("3713020020010", "x", "base", good["geometry"])), "13 digits")
    finally:
        data.close()


def test_versioning_export_and_line_delimited_import():
    data = Data()
    try:
        srv = Server(data)
        try:
            status, g = srv.get("/api/v1/grids/371302001002001")
            assert status == 200 and g["version"] == 1, g
            status, _, raw = srv.request("GET", "/api/v1/regions/371302/grids.geojson")
            fc = json.loads(raw)
            assert status == 200 and len(fc["features"]) == 4
            # the export imports back unchanged
            rc, out, _ = data.import_grids(fc)
            assert "4 unchanged" in out, out
            # a changed grid gets a new version; the old one is kept
            changed = feature("371302001002001", "西关社区第1网格(调整)", "base",
                              square(118.30, 35.01, 118.31, 35.021))
            line_delimited = json.dumps(changed, ensure_ascii=False) + "\n"
            rc, out, _ = data.import_grids(line_delimited)
            assert "1 changed" in out, out
            assert wait_for(lambda: srv.get("/api/v1/locate?lon=118.305&lat=35.0205")[0] == 200)
            status, g = srv.get("/api/v1/grids/371302001002001")
            assert g["version"] == 2 and g["name"].endswith("(调整)"), g
            rows = data.dump()[1]
            versions = [r for r in rows if r[0] == "371302001002001"]
            assert len(versions) == 2 and versions[0][-1] is not None and versions[1][-1] is None
            rc, out, _ = run("export", "grids", "--data", data.dir, "--region", "371302001002")
            assert [f["properties"]["code"] for f in json.loads(out)["features"]] == ["371302001002001"]
            rc, _, err = run("export", "grids", "--data", data.dir, "--region", "371302777", check=False)
            assert rc != 0 and "371302777" in err
        finally:
            code, log = srv.stop()
            assert code == 0, log
    finally:
        data.close()


def test_import_while_serving_keeps_answering():
    data = Data()
    try:
        srv = Server(data)
        errors = []
        stop = threading.Event()

        def hammer():
            while not stop.is_set():
                status, _ = srv.get("/api/v1/locate?lon=118.303&lat=35.003")
                if status != 200:
                    errors.append(status)
        t = threading.Thread(target=hammer)
        t.start()
        try:
            new = feature("371302002001001", "南坛村第1网格", "base", square(118.40, 35.0, 118.41, 35.01))
            data.import_grids(collection(new))
            assert wait_for(lambda: srv.get("/api/v1/locate?lon=118.405&lat=35.005")[0] == 200)
        finally:
            stop.set()
            t.join()
            code, log = srv.stop()
        assert not errors, errors[:5]
        assert code == 0, log
    finally:
        data.close()


def test_graceful_stop_finishes_in_flight():
    data = Data()
    try:
        srv = Server(data)
        results = []

        def slow_export():
            # a connection the stopping server no longer takes is closed unanswered
            try:
                results.append(srv.request("GET", "/api/v1/regions/37/grids.geojson")[0])
            except (ConnectionError, urllib.error.URLError) as e:
                results.append(type(e).__name__)
        threads = [threading.Thread(target=slow_export) for _ in range(4)]
        for t in threads:
            t.start()
        code, log = srv.stop()
        for t in threads:
            t.join()
        assert code == 0, log
        assert "stopped" in log
        # each request either completed or was never accepted; none was cut off mid-answer
        assert all(r == 200 for r in results if isinstance(r, int)), results
    finally:
        data.close()


def test_cli_errors():
    data = Data(grids=False)
    try:
        rc, _, err = run("serve", "--data", "/nonexistent/dir", check=False)
        assert rc != 0 and "wangge init" in err, err
        rc, _, err = run("import", "divisions", "--data", data.dir, "--county", "999999",
                         "--source", os.path.join(os.path.dirname(__file__), "..", "data", "divisions"),
                         check=False)
        assert rc != 0 and "999999" in err, err
        rc, _, err = run("import", "grids", "--data", data.dir, "/nonexistent.geojson", check=False)
        assert rc != 0 and "/nonexistent.geojson" in err, err
        rc, _, err = run("frobnicate", check=False)
        assert rc != 0 and "frobnicate" in err
        # re-importing divisions is idempotent
        rc, out, _ = run("import", "divisions", "--data", data.dir, "--county", "371302",
                         "--source", os.path.join(os.path.dirname(__file__), "..", "data", "divisions"))
        assert "0 new or changed" in out, out
        cfg = os.path.join(data.dir, "bad.conf")
        with open(cfg, "w") as f:
            f.write("threads = many\n")
        rc, _, err = run("serve", "--data", data.dir, "--config", cfg, check=False)
        assert rc != 0 and "line 1" in err and "threads" in err, err
        # a number is digits alone (the line's spaces aside), and --config=FILE is the same
        for bad in ["+5", "0x10", "5.0", "5s", "- 5"]:
            with open(cfg, "w") as f:
                f.write(f"idle_timeout = {bad}\n")
            rc, _, err = run("serve", "--data", data.dir, "--config=" + cfg, check=False)
            assert rc != 0 and "idle_timeout" in err and "whole number" in err, (bad, err)
    finally:
        data.close()


def test_generate_then_containment_and_gaps():
    data = Data(grids=False, npm=True)
    try:
        rc, out, err = run("grids", "generate", "--data", data.dir, "--county", "371302",
                           "--base", "9", "--exclusive", "2")
        assert "9 added" not in out and "11 added" in out, (out, err)
        srv = Server(data)
        try:
            status, body = srv.get("/api/v1/regions/371302001001")
            codes = [c["code"] for c in body["children"]]
            assert len(codes) >= 3 and all(c.startswith("371302001001") for c in codes), codes
            kinds = {c["kind"] for c in body["children"]}
            # every point of the county lands in a grid of the right village chain
            for lon, lat in [(118.31, 35.01), (118.35, 35.04), (118.33, 35.06)]:
                status, r = srv.get(f"/api/v1/locate?lon={lon}&lat={lat}")
                assert status == 200, (lon, lat, r)
                assert r["chain"][-2]["code"] == r["grid"]["code"][:12]
            assert "base" in kinds
        finally:
            code, log = srv.stop()
            assert code == 0, log
        # a grid outside its village's (now known) boundary is refused
        outside = feature("371302001001050", "界外", "base", square(118.50, 35.0, 118.51, 35.01))
        bad_import(data, collection(outside), "outside its village", "371302001001050")
        # shrinking a grid leaves a gap: reported as a warning, the import goes through
        status_rows = data.dump()[1]
        first = next(r for r in status_rows if r[0].startswith("371302001001") and r[3] == "base")
        geom = json.loads(first[14])
        ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
        cx = sum(p[0] for p in ring[:-1]) / (len(ring) - 1)
        cy = sum(p[1] for p in ring[:-1]) / (len(ring) - 1)
        small = square(cx - 0.0005, cy - 0.0005, cx + 0.0005, cy + 0.0005)
        rc, out, err = data.import_grids(collection(feature(first[0], first[2], "base", small)))
        assert "1 changed" in out and "warning" in err and "uncovered" in err, (out, err)
    finally:
        data.close()


def test_missing_migration_is_applied_later():
    """A data directory that lacks an earlier migration (it got a later number first) gets it
    the next time the store opens. PostgreSQL's schema is one migration (22, its baseline):
    there the store lacks that one and 2 (recorded with nothing to do) with every table gone."""
    data = Data(grids=False)
    try:
        db = data.store()
        if BACKEND == "sqlite":
            db.execute("DROP TABLE meta")
            db.execute("DELETE FROM schema_version WHERE version = 2")
        else:
            for (t,) in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = "
                                   "current_schema() AND tablename <> 'schema_version'"
                                   ).fetchall():
                db.execute(f"DROP TABLE {t} CASCADE")
            db.execute("DROP FUNCTION audit_append_only()")
            db.execute("DELETE FROM schema_version WHERE version IN (2, 22)")
        db.commit()
        db.close()
        run("import", "divisions", "--data", data.dir, "--county", "371302", "--source",
            os.path.join(os.path.dirname(__file__), "..", "data", "divisions"))
        db = data.store()
        versions = [v for (v,) in db.execute("SELECT version FROM schema_version ORDER BY version")]
        tables = {t for (t,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'" if BACKEND == "sqlite" else
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        regions = db.execute("SELECT COUNT(*) FROM region").fetchone()[0]
        db.close()
        assert 2 in versions and "meta" in tables, (versions, tables)
        assert versions == sorted(set(versions)) and 22 in versions, versions
        assert regions > 0, regions
    finally:
        data.close()
