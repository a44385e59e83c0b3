"""Serving the console: its files with their types and caching, precompressed copies, the
client routes' fallback, no way out of its directory, the page shown when it is not built,
and the public console settings."""
import gzip
import os
import tempfile

from harness import Data, Server, run

JS = b"console.log('wangge');\n" * 40
INDEX = b"<!doctype html><title>console</title>"
PORTAL = b"<!doctype html><title>portal</title>"


def make_dist():
    top = tempfile.mkdtemp(prefix="wangge-dist-")
    dist = os.path.join(top, "dist")
    os.makedirs(os.path.join(dist, "assets"))
    os.makedirs(os.path.join(dist, "m"))
    with open(os.path.join(top, "secret.txt"), "wb") as f:
        f.write(b"SECRET outside the console")
    files = {"index.html": INDEX, "assets/main-AbC123.js": JS, "assets/style-x1.css": b"body{}",
             "m/index.html": PORTAL, "favicon.svg": b"<svg/>", ".hidden": b"hidden"}
    for name, data in files.items():
        with open(os.path.join(dist, name), "wb") as f:
            f.write(data)
    with open(os.path.join(dist, "assets/main-AbC123.js.gz"), "wb") as f:
        f.write(gzip.compress(JS))
    os.symlink(os.path.join(top, "secret.txt"), os.path.join(dist, "assets", "link.txt"))
    return top, dist


def with_console(check, *extra):
    data = Data(grids=False)
    top, dist = make_dist()
    try:
        srv = Server(data, "--console", dist, *extra)
        try:
            check(srv, dist)
        finally:
            srv.stop()
    finally:
        data.close()
        run_rm(top)


def run_rm(path):
    for root, dirs, files in os.walk(path, topdown=False):
        for n in files:
            os.unlink(os.path.join(root, n))
        for n in dirs:
            p = os.path.join(root, n)
            os.unlink(p) if os.path.islink(p) else os.rmdir(p)
    os.rmdir(path)


def test_console_files_types_and_caching():
    def check(srv, dist):
        status, h, body = srv.request("GET", "/", token=None)
        assert status == 200 and body == INDEX, (status, body)
        assert h["Content-Type"].startswith("text/html") and h["Cache-Control"] == "no-cache"
        csp = h["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
        status, h, body = srv.request("GET", "/assets/main-AbC123.js", token=None)
        assert status == 200 and body == JS and "Content-Encoding" not in h, h
        assert h["Content-Type"].startswith("text/javascript"), h
        assert h["Cache-Control"] == "public, max-age=31536000, immutable", h
        assert h["Vary"] == "Accept-Encoding"
        status, h, body = srv.request("GET", "/assets/main-AbC123.js",
                                      headers={"Accept-Encoding": "gzip, deflate"}, token=None)
        assert status == 200 and h["Content-Encoding"] == "gzip" and gzip.decompress(body) == JS
        status, h, body = srv.request("GET", "/assets/main-AbC123.js",
                                      headers={"Accept-Encoding": "gzip;q=0"}, token=None)
        assert body == JS and "Content-Encoding" not in h
        status, h, _ = srv.request("GET", "/assets/style-x1.css", token=None)
        assert h["Content-Type"].startswith("text/css"), h
        status, h, _ = srv.request("GET", "/favicon.svg", token=None)
        assert h["Content-Type"] == "image/svg+xml" and h["Cache-Control"] == "no-cache", h
        status, h, _ = srv.request("HEAD", "/assets/main-AbC123.js", token=None)
        assert status == 200
    with_console(check)


def test_client_routes_fall_back_to_their_app():
    def check(srv, dist):
        for path in ["/dispatch", "/orders/12", "/admin/units?tab=1"]:
            status, h, body = srv.request("GET", path, token=None)
            assert status == 200 and body == INDEX, (path, status, body)
        for path in ["/m/", "/m", "/m/orders/3"]:
            status, h, body = srv.request("GET", path, token=None)
            assert status == 200 and body == PORTAL, (path, status, body)
        # a missing file is a 404, not the console's page
        status, _, body = srv.request("GET", "/assets/gone-123.js", token=None)
        assert status == 404 and b"not_found" in body, body
        # the API keeps its own 404s and 405s
        for path in ["/api/v1/nothing", "/api", "/open311/v2/nothing.json", "/healthz/x"]:
            status, _, body = srv.request("GET", path, token=None)
            assert status == 404 and b"no such endpoint" in body, (path, body)
        status, _, body = srv.request("DELETE", "/api/v1/locate", token=None)
        assert status == 405, body
        status, _, body = srv.request("POST", "/dispatch", b"{}", token=None)
        assert status == 404, (status, body)
    with_console(check)


def test_no_path_leaves_the_console_directory():
    def check(srv, dist):
        import http.client
        from urllib.parse import urlparse
        u = urlparse(srv.base)
        for path in ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                     "/assets/..%2f..%2fsecret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
                     "/.hidden", "/assets/link.txt", "/assets\\..\\..\\secret.txt",
                     "//etc/passwd", "/m/../../secret.txt"]:
            c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
            c.request("GET", path)  # sent as written, not normalised by a client library
            r = c.getresponse()
            body = r.read()
            c.close()
            assert b"SECRET" not in body and b"root:" not in body and b"hidden" != body, (path, body)
            assert r.status in (200, 404), (path, r.status)
            if r.status == 200:  # a client route: the console's own page
                assert body == INDEX, (path, body)
    with_console(check)


def test_not_built_page_and_settings():
    data = Data(grids=False)
    empty = tempfile.mkdtemp(prefix="wangge-nodist-")
    conf = os.path.join(data.dir, "serve.conf")
    with open(conf, "w") as f:
        f.write("tiles_url = https://t{s}.tiles.example.cn/vec_w/{z}/{x}/{y}?tk=KEY\n"
                "tiles_subdomains = 01234567\ntiles_attribution = 天地图\n")
    try:
        srv = Server(data, "--console", empty)
        try:
            status, h, body = srv.request("GET", "/", token=None)
            assert status == 200 and "make web".encode() in body and "控制台尚未构建".encode() in body
            status, h, body = srv.request("GET", "/dispatch", token=None)
            assert status == 200 and b"make web" in body
            status, body = srv.json("GET", "/api/v1/console-config", token=None)
            assert status == 200 and body["tiles_url"] is None, body
            assert any(i["code"] == "06028" and i["name"] == "噪声扰民" for i in body["catalog"])
        finally:
            srv.stop()
        srv = Server(data, "--config", conf, "--console", empty)
        try:
            status, body = srv.json("GET", "/api/v1/console-config", token=None)
            assert body["tiles_url"].startswith("https://t{s}.tiles.example.cn/"), body
            assert body["tiles_subdomains"] == "01234567" and body["tiles_attribution"] == "天地图"
        finally:
            srv.stop()
        with open(conf, "w") as f:
            f.write("tiles_url = ftp://tiles.example.cn/{z}/{x}/{y}\n")
        code, _, err = run("serve", "--data", data.dir, "--config", conf, "--listen",
                           "127.0.0.1:0", check=False)
        assert code != 0 and "tiles_url" in err and "http://" in err, err
    finally:
        os.rmdir(empty)
        data.close()


def test_console_csp_lets_only_the_configured_tiles_in():
    top, dist = make_dist()
    data = Data(grids=False)
    conf = os.path.join(data.dir, "serve.conf")
    with open(conf, "w") as f:
        f.write("tiles_url = https://t{s}.tiles.example.cn/vec_w/{z}/{x}/{y}?tk=KEY\n")
    try:
        srv = Server(data, "--config", conf, "--console", dist)
        try:
            status, h, _ = srv.request("GET", "/", token=None)
            assert "img-src 'self' data: blob: https://*.tiles.example.cn;" in \
                h["Content-Security-Policy"], h["Content-Security-Policy"]
        finally:
            srv.stop()
    finally:
        data.close()
        run_rm(top)


def test_calendar_of_a_year():
    data = Data(grids=False)
    table = os.path.join(data.dir, "days.json")
    with open(table, "w", encoding="utf-8") as f:
        f.write('{"holidays": {"2026-01-01": "New Year,元旦,1", "2026-01-02": "New Year,元旦,1",'
                ' "2026-01-03": "New Year,元旦,1"}, "workdays": {"2026-01-04": "New Year,元旦,1"}}')
    run("calendar", "load", "--data", data.dir, table)
    try:
        srv = Server(data)
        try:
            status, body = srv.get("/api/v1/calendar?year=2026")
            assert status == 200 and body["loaded"] is True and body["day_minutes"] == 450, body
            # Thursday and Friday rest; Saturday the 3rd rests anyway; Sunday the 4th works
            assert body["holidays"] == ["2026-01-01", "2026-01-02"], body
            assert body["workdays"] == ["2026-01-04"], body
            status, body = srv.get("/api/v1/calendar?year=2027")
            assert status == 200 and body["loaded"] is False and body["holidays"] == [], body
            for bad in ["1989", "20x6", ""]:
                status, body = srv.get("/api/v1/calendar?year=" + bad)
                assert status == 400 and "'year'" in body["error"]["message"], (bad, body)
        finally:
            srv.stop()
    finally:
        data.close()
