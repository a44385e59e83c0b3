"""The address search's outside geocoder (天地图, with the deployment's key): asked only when
the registry holds nothing for the words, its point answered with the grid it lies in, only
inside the caller's scope; a geocoder that is down, slow or says nothing leaves the
search answering from the registry, never failing it. A 天地图 stand-in on 127.0.0.1."""
import http.server
import json
import threading
import time
import urllib.parse

from harness import Data, Server, config, run

KEY = "0123456789abcdef0123456789abcdef"


class Tianditu:
    """Answers GET /geocoder?ds={"keyWord":..}&tk=.. with the point set for the word."""

    def __init__(self, points, delay=0.0):
        self.asked = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                word = json.loads(q["ds"][0])["keyWord"]
                outer.asked.append((word, q["tk"][0]))
                time.sleep(delay)
                p = points.get(word)
                body = {"status": "0", "msg": "ok", "searchVersion": "4.8.0",
                        "location": {"lon": p[0], "lat": p[1], "score": 90, "level": "门址",
                                     "keyWord": word}} if p else {"status": "101",
                                                                  "msg": "结果为空"}
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/geocoder"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def search(srv, q, token=None):
    status, body = srv.json("GET", "/api/v1/addresses?q=" + urllib.parse.quote(q),
                            token=token or srv.token)
    assert status == 200, body
    return body["addresses"]


def test_geocoder_answers_what_the_registry_does_not_hold():
    tdt = Tianditu({"兰山区东关社区卫生服务站": (118.305, 35.005),
                    "试验街道南坛村委会": (118.405, 35.005),
                    "济南市泉城广场": (117.02, 36.66)})
    data = Data()
    try:
        srv = Server(data, "--config", config(data, geocoder_key=KEY, geocoder_url=tdt.url))
        try:
            status, body = srv.json("POST", "/api/v1/buildings", {
                "name": "金雀山路18号3号楼", "address": "兰山区测试街道东关社区金雀山路18号3号楼",
                "lon": 118.305, "lat": 35.005, "floors": 6, "use": "residential"})
            assert status == 201, body
            # the registry holds it: the geocoder is not asked
            assert search(srv, "金雀山路18号")[0]["kind"] == "building"
            assert tdt.asked == []
            # it does not: 天地图's point, with its grid, the key sent as 天地图 wants it
            hits = search(srv, "兰山区东关社区卫生服务站")
            assert len(hits) == 1, hits
            hit = hits[0]
            assert hit["kind"] == "geocoded" and hit["source"] == "tianditu", hit
            assert hit["point"] == {"lon": 118.305, "lat": 35.005}, hit
            assert hit["grid"]["code"] == "371302001001001", hit
            assert tdt.asked == [("兰山区东关社区卫生服务站", KEY)]
            # a point in no grid of the deployment places nothing
            assert search(srv, "济南市泉城广场") == []
            # an agent of one town sees only points in its scope
            agent = data.add_user(srv, "ag", "agent", "371302001", "Agent-pass-2026")
            assert search(srv, "济南市泉城广场", agent) == []
            assert search(srv, "试验街道南坛村委会", agent) == []  # another town's grid
            assert search(srv, "兰山区东关社区卫生服务站", agent)[0]["kind"] == "geocoded"
            # nothing found there either, one character: an empty answer
            assert search(srv, "没有这个地方的名字") == []
            n = len(tdt.asked)
            assert search(srv, "嗯") == [] and len(tdt.asked) == n  # one character: not asked
        finally:
            srv.stop()
        # a geocoder that does not answer in time: the registry's answer, in time, and a log
        tdt.stop()
        slow = Tianditu({"兰山区东关社区卫生服务站": (118.305, 35.005)}, delay=3)
        srv = Server(data, "--config", config(data, "slow.conf", geocoder_key=KEY,
                                              geocoder_url=slow.url, geocoder_timeout_ms=300))
        try:
            t0 = time.time()
            assert search(srv, "兰山区东关社区卫生服务站") == []
            assert time.time() - t0 < 2.5
        finally:
            _, log = srv.stop()
            slow.stop()
        assert "outside geocoder failed" in log, log[-2000:]
        # and one that is not there at all
        srv = Server(data, "--config", config(data, "gone.conf", geocoder_key=KEY,
                                              geocoder_url="http://127.0.0.1:9/geocoder"))
        try:
            assert search(srv, "兰山区东关社区卫生服务站") == []
        finally:
            srv.stop()
    finally:
        data.close()


def test_bad_geocoder_settings_stop_the_server_naming_them():
    data = Data(grids=False)
    try:
        for key, value in (("geocoder_key", "not-hex!"), ("geocoder_url", "ftp://x/g"),
                           ("geocoder_timeout_ms", "1")):
            rc, _, err = run("serve", "--data", data.dir, "--listen", "127.0.0.1:0", "--config",
                             config(data, "bad.conf", **{key: value}), check=False)
            assert rc != 0 and key in err, (key, err)
    finally:
        data.close()
