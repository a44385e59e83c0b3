"""Devices and alert ingest (issue 21 items 1 and 2): devices written, listed in scope and
imported from CSV (all rows or none, idempotent); NDJSON batches from an alert_ingest key with
every bad line named and nothing stored; dedupe by device and type and by place, exact under
concurrent batches; the rules (ignored below the minimum, fire ordered at once, review
queued); the review desk under versions; kill -9 during ingest loses no acknowledged alert."""
import json
import socket
import threading
import time

from harness import Data, Server, config, postgresql_only

UNIT = "cg-east"
GRID = "371302001001001"


def setup(srv):
    status, body = srv.json("POST", "/api/v1/units", {"id": UNIT, "name": "东关城管中队",
                                                      "kind": "department"})
    assert status == 201, body
    for i in range(20):
        status, body = srv.json("POST", "/api/v1/devices", device(f"CAM{i:03d}", 118.301 + i * 0.0004))
        assert status == 201, body
    status, body = srv.json("POST", "/api/v1/apikeys", {"name": "video", "scope": "all",
                                                        "permissions": ["alert_ingest"]})
    assert status == 201, body
    return body["key"]


def device(code, lon, lat=35.005, kind="camera"):
    return {"id": code, "kind": kind, "name": f"东关路口{code}", "point": {"lon": lon, "lat": lat},
            "unit": UNIT, "address": "东关街"}


def line(dev, typ="illegal_parking", conf=0.9, at="2026-12-07T10:00:00+08:00", **more):
    return json.dumps({"device": dev, "type": typ, "confidence": conf, "time": at,
                       "snapshot": f"oss://cam/{dev}/{at}.jpg", **more}, ensure_ascii=False)


def rows(data, sql):
    store = data.store()
    try:
        r = store.execute(sql)
        return list(r.fetchall() if hasattr(r, "fetchall") else r)
    finally:
        store.close()


def spread(i):
    """Camera i's own point in the concurrent test: 200 m and more from every other's."""
    return {"lon": 118.301 + (i % 5) * 0.002, "lat": 35.001 + (i // 5) * 0.002}


def head_status(srv, key, length):
    """The status a batch of length bytes gets from its head alone (Expect: 100-continue, as
    curl asks before a large body): the cap is checked before any body is read."""
    host, port = srv.base.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall((f"POST /api/v1/alerts HTTP/1.1\r\nHost: {host}\r\nX-Api-Key: {key}\r\n"
                   f"Content-Type: application/x-ndjson\r\nContent-Length: {length}\r\n"
                   "Expect: 100-continue\r\n\r\n").encode())
        return int(s.recv(200).split()[1])


def post(srv, key, lines):
    status, _, raw = srv.request("POST", "/api/v1/alerts", "\n".join(lines).encode(),
                                 headers={"Content-Type": "application/x-ndjson",
                                          **({"X-Api-Key": key} if key else {})},
                                 token=None)
    return status, json.loads(raw) if raw else None


def test_devices_and_csv_import():
    data = Data()
    try:
        srv = Server(data)
        try:
            setup(srv)
            status, body = srv.json("POST", "/api/v1/devices", device("CAM000", 118.3))
            assert status == 409, body
            bad = device("X1", 119.9)
            status, body = srv.json("POST", "/api/v1/devices", bad)
            assert status == 400 and "'point'" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/devices", {**device("X2", 118.305), "unit": "nope"})
            assert status == 400 and "'unit'" in body["error"]["message"], body
            status, body = srv.json("PUT", "/api/v1/devices/CAM001", {**device("CAM001", 118.305),
                                                                      "name": "东关街与沂蒙路口"})
            assert status == 200 and body["name"] == "东关街与沂蒙路口" and body["grid"] == GRID, body
            csv = ("编号,类型,名称,经度,纬度,权属单位,地址\n"
                   f"S001,传感器,低洼路段水位,118.312,35.004,{UNIT},东关南路\n"
                   f"D001,无人机,巡查无人机,118.303,35.012,{UNIT},\n").encode()
            status, _, raw = srv.request("POST", "/api/v1/devices/import", csv)
            rep = json.loads(raw)
            assert status == 200 and rep["created"] == 2, rep
            status, _, raw = srv.request("POST", "/api/v1/devices/import", csv)
            rep = json.loads(raw)
            assert status == 200 and rep["unchanged"] == 2 and rep["created"] == 0, rep
            bad_csv = ("id,kind,name,lon,lat,unit\n"
                       f"S002,sensor,ok,118.312,35.004,{UNIT}\n"
                       f"S003,robot,bad kind,118.312,35.004,{UNIT}\n"
                       f"S004,sensor,far,120.0,35.004,{UNIT}\n").encode()
            status, _, raw = srv.request("POST", "/api/v1/devices/import", bad_csv)
            rep = json.loads(raw)
            errs = rep["error"]["report"]["errors"]
            assert status == 400 and [(e["line"], e["column"]) for e in errs] == \
                [(3, "kind"), (4, "lon")], rep
            assert data.count("device") == 22  # S002 was not stored either
            status, body = srv.json("DELETE", "/api/v1/devices/D001")
            assert status == 200 and body["retired"], body
        finally:
            srv.stop()
    finally:
        data.close()


def test_alert_ingest_dedupe_rules_and_review():
    data = Data()
    try:
        srv = Server(data)
        try:
            key = setup(srv)
            agent = data.add_user(srv, "agent1", "agent", "371302001", "Agent-pass-2026")
            # a bad line: 400 naming line and field, nothing stored
            status, body = post(srv, key, [line("CAM000"), line("CAM001", conf=1.5)])
            assert status == 400 and body["error"]["message"].startswith("line 2: 'confidence'"), body
            status, body = post(srv, key, [line("CAM000"), line("NOPE")])
            assert status == 400 and "line 2: 'device'" in body["error"]["message"], body
            status, body = post(srv, key, [line("CAM000", at="2026-12-07 10:00")])
            assert status == 400 and "'time'" in body["error"]["message"], body
            assert data.count("alert") == 0
            # a key scoped to another town posts for none of these cameras
            status, body = srv.json("POST", "/api/v1/apikeys", {
                "name": "west", "scope": "371302002", "permissions": ["alert_ingest"]})
            assert status == 201, body
            status, body = post(srv, body["key"], [line("CAM000")])
            assert status == 400 and "outside this key's scope" in body["error"]["message"], body
            # a batch past 10,000 lines, or past the body's cap: 413, nothing stored
            short = json.dumps({"device": "CAM000", "type": "smoke_fire", "confidence": 0.1,
                                "time": "2026-12-07T10:00:00Z"})
            status, body = post(srv, key, [short] * 10001)
            assert status == 413 and "10000" in body["error"]["message"], body
            assert head_status(srv, key, 3 * 1024 * 1024) == 413
            assert data.count("alert") == 0
            # a person's token is refused: only keys with alert_ingest post
            status, _ = post(srv, None, [line("CAM000")])
            assert status == 401
            # repeats of one device merge; another device 30 m away merges by place; 200 m does not
            status, body = post(srv, key, [
                line("CAM000", at="2026-12-07T10:00:00+08:00"),
                line("CAM000", at="2026-12-07T10:04:00+08:00", conf=0.95),
                line("CAM000", at="2026-12-07T10:09:00+08:00"),
                line("CAM001", at="2026-12-07T10:05:00+08:00", point={"lon": 118.3013, "lat": 35.005}),
                line("CAM010", at="2026-12-07T10:05:00+08:00"),
                line("CAM000", typ="smoke_fire", conf=0.8),
                line("CAM002", typ="street_vending", conf=0.3),
            ])
            assert status == 200, body
            assert body["new"] == 4 and body["merged"] == 3, body
            first = body["results"][0]["alert"]
            assert [r["alert"] for r in body["results"][:4]] == [first] * 4, body
            status, a = srv.get(f"/api/v1/alerts/{first}", token=agent)
            assert a["count"] == 4 and a["confidence"] == 0.95 and a["state"] == "ordered", a
            fire = body["results"][5]["alert"]
            # the review desk (an agent of the town)
            status, a = srv.get(f"/api/v1/alerts/{fire}", token=agent)
            assert a["state"] == "ordered" and a["order_id"], a
            status, o = srv.get(f"/api/v1/orders/{a['order_id']}", token=agent)
            assert o["urgency"] == "critical" and o["channel"] == "video", o
            vend = body["results"][6]["alert"]
            status, a = srv.get(f"/api/v1/alerts/{vend}", token=agent)
            assert a["state"] == "ignored", a
            # street vending seen again, surely, three times: to the review queue
            status, body = post(srv, key, [line("CAM002", typ="street_vending", conf=0.9,
                                                at=f"2026-12-07T10:0{m}:00+08:00") for m in (1, 2)])
            assert status == 200 and body["merged"] == 2, body
            status, lst = srv.get("/api/v1/alerts?state=review", token=agent)
            assert [x["id"] for x in lst["alerts"]] == [vend], lst
            status, _, raw = srv.request("POST", f"/api/v1/alerts/{vend}/review",
                                         {"action": "order"}, headers={"If-Match": '"1"'},
                                         token=agent)
            assert status == 409, raw
            v = lst["alerts"][0]["version"]
            status, _, raw = srv.request("POST", f"/api/v1/alerts/{vend}/review",
                                         {"action": "order", "urgency": "urgent", "note": "城管处理"},
                                         headers={"If-Match": f'"{v}"'}, token=agent)
            a = json.loads(raw)
            assert status == 200 and a["state"] == "ordered" and a["order_id"], a
            status, _, raw = srv.request("POST", f"/api/v1/alerts/{vend}/review",
                                         {"action": "dismiss"}, headers={"If-Match": f'"{v}"'},
                                         token=agent)
            assert status == 409, raw
            # a repeat after the review still merges into the reviewed alert
            status, body = post(srv, key, [line("CAM002", typ="street_vending", conf=0.9,
                                                at="2026-12-07T10:05:00+08:00")])
            assert body["results"][0]["alert"] == vend and body["merged"] == 1, body
        finally:
            srv.stop()
    finally:
        data.close()


def test_alert_dedupe_holds_under_concurrent_batches():
    data = Data()
    try:
        srv = Server(data)
        try:
            key = setup(srv)
            threads, answers, n_threads, batches = [], [], 6, 8
            lock = threading.Lock()

            def worker(t):
                for b in range(batches):
                    devs = [(t + i) % 20 for i in range(50)]
                    lines = [line(f"CAM{d:03d}", typ="garbage_overflow", conf=0.7,
                                  at=f"2026-12-07T11:{(b + i) % 10:02d}:00+08:00", point=spread(d))
                             for i, d in enumerate(devs)]
                    status, body = post(srv, key, lines)
                    with lock:
                        answers.append((status, devs, body))

            for t in range(n_threads):
                threads.append(threading.Thread(target=worker, args=(t,)))
                threads[-1].start()
            for t in threads:
                t.join()
            assert all(s == 200 for s, _, _ in answers), [b for s, _, b in answers if s != 200][:2]
            stored = rows(data, "SELECT id, device, count FROM alert")
            assert sum(r[2] for r in stored) == n_threads * batches * 50
            # each camera's repeats in one alert of its own, whichever batch came first
            by_device = {}
            for _, devs, body in answers:
                for d, r in zip(devs, body["results"]):
                    by_device.setdefault(d, set()).add(r["alert"])
            assert all(len(ids) == 1 for ids in by_device.values()), by_device
            assert len(stored) == 20, stored
            sent = {}
            for _, devs, _ in answers:
                for d in devs:
                    sent[f"CAM{d:03d}"] = sent.get(f"CAM{d:03d}", 0) + 1
            assert {r[1]: r[2] for r in stored} == sent
        finally:
            srv.stop()
    finally:
        data.close()


def test_kill_during_ingest_loses_no_acknowledged_alert():
    data = Data()
    try:
        srv = Server(data)
        key = setup(srv)
        acked, stop = [], threading.Event()
        lock = threading.Lock()

        def worker(t):
            b = 0
            while not stop.is_set() and b < 400:
                lines = [line(f"CAM{i:03d}", typ="standing_water", conf=0.7,
                              at=f"2026-12-0{1 + t}T{b // 60 % 24:02d}:{b % 60:02d}:00+08:00",
                              point={"lon": 118.301 + i * 0.0004, "lat": 35.001 + t * 0.002})
                         for i in range(20)]
                try:
                    status, body = post(srv, key, lines)
                except Exception:
                    return
                if status == 200:
                    with lock:
                        acked.append(body)
                b += 1

        threads = [threading.Thread(target=worker, args=(t,)) for t in range(4)]
        for t in threads:
            t.start()
        deadline = time.time() + 10
        while time.time() < deadline and len(acked) < 40:
            time.sleep(0.05)
        srv.proc.kill()
        stop.set()
        for t in threads:
            t.join()
        srv.stop()
        assert len(acked) >= 40, len(acked)
        srv = Server(data)
        try:
            have = {r[0]: r[1] for r in rows(data, "SELECT id, count FROM alert")}
            want = {}
            for body in acked:
                for r in body["results"]:
                    want[r["alert"]] = want.get(r["alert"], 0) + 1
            missing = [a for a in want if a not in have]
            assert not missing, missing[:5]
            short = [a for a, n in want.items() if have[a] < n]
            assert not short, short[:5]
            print(f"     {len(acked)} batches acknowledged before the kill, all stored")
        finally:
            srv.stop()
    finally:
        data.close()


@postgresql_only("several servers share one store only on PostgreSQL")
def test_two_servers_merge_one_problem_once():
    """Batches of the same cameras at two servers sharing the store at once: each server's
    index is reloaded whenever the other wrote, so the counts add up exactly and every camera's
    repeats are in one alert, whichever server took them."""
    data = Data()
    try:
        one = Server(data)
        key = setup(one)
        two = Server(data)
        try:
            answers, lock = [], threading.Lock()

            def worker(t):
                srv = one if t % 2 else two
                for b in range(10):
                    devs = [(t + i) % 20 for i in range(40)]
                    lines = [line(f"CAM{d:03d}", typ="smoke_fire", conf=0.3,
                                  at=f"2026-12-07T12:{(b + i) % 10:02d}:00+08:00", point=spread(d))
                             for i, d in enumerate(devs)]
                    status, body = post(srv, key, lines)
                    with lock:
                        answers.append((status, devs, body))

            threads = [threading.Thread(target=worker, args=(t,)) for t in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert all(s == 200 for s, _, _ in answers), [b for s, _, b in answers if s != 200][:2]
            stored = rows(data, "SELECT device, count FROM alert")
            assert sum(r[1] for r in stored) == 6 * 10 * 40
            assert len(stored) == 20 and len({r[0] for r in stored}) == 20, stored
            by_device = {}
            for _, devs, body in answers:
                for d, r in zip(devs, body["results"]):
                    by_device.setdefault(d, set()).add(r["alert"])
            assert all(len(ids) == 1 for ids in by_device.values()), by_device
        finally:
            two.stop()
            one.stop()
    finally:
        data.close()


def test_alert_rules_change_what_an_alert_does():
    """The rules: a bad field named and nothing changed; fire sent to review instead of an
    order, and straw burning ignored below a raised minimum."""
    data = Data()
    try:
        srv = Server(data)
        try:
            key = setup(srv)
            agent = data.add_user(srv, "agent1", "agent", "371302001", "Agent-pass-2026")
            fire = {"type": "smoke_fire", "min_confidence": 0.5, "dwell_seconds": 0,
                    "dwell_count": 0, "action": "review", "item": "3503", "urgency": "critical"}
            status, body = srv.json("PUT", "/api/v1/alert-rules",
                                    {"rules": [fire, {**fire, "type": "straw_burning",
                                                      "min_confidence": 1.5}]})
            assert status == 400 and body["error"]["message"].startswith(
                "rules[1]: 'min_confidence'"), body
            status, body = srv.json("PUT", "/api/v1/alert-rules", {"rules": [{**fire, "item": "99999"}]})
            assert status == 400 and "'item'" in body["error"]["message"], body
            status, body = srv.get("/api/v1/alert-rules", token=agent)
            rules = {r["type"]: r for r in body["rules"]}
            assert rules["smoke_fire"]["action"] == "order" and rules["smoke_fire"]["default"], rules
            status, body = srv.json("PUT", "/api/v1/alert-rules", {"rules": [
                fire, {**fire, "type": "straw_burning", "min_confidence": 0.9, "action": "order",
                       "item": "2207", "urgency": "urgent"}]})
            assert status == 200, body
            status, body = post(srv, key, [line("CAM005", typ="smoke_fire", conf=0.8),
                                           line("CAM015", typ="straw_burning", conf=0.8)])
            assert status == 200, body
            status, a = srv.get(f"/api/v1/alerts/{body['results'][0]['alert']}", token=agent)
            assert a["state"] == "review" and a["order_id"] is None, a
            status, a = srv.get(f"/api/v1/alerts/{body['results'][1]['alert']}", token=agent)
            assert a["state"] == "ignored", a
        finally:
            srv.stop()
    finally:
        data.close()


def test_alert_window_and_radius_are_settings():
    """alert_radius_m and alert_window_seconds in wangge.conf: at 10 m two cameras 26 m apart
    are two problems, and a repeat 3 minutes later is a new alert at a 2-minute window; a value
    out of range stops the server at start, naming the setting."""
    data = Data()
    try:
        bad = config(data, "bad.conf", alert_radius_m="5000")
        try:
            Server(data, "--config", bad)
            raise AssertionError("a radius of 5 km was taken")
        except AssertionError as e:
            assert "alert_radius_m" in str(e), e
        srv = Server(data, "--config", config(data, alert_radius_m=10, alert_window_seconds=120))
        try:
            key = setup(srv)
            status, body = post(srv, key, [
                line("CAM000", at="2026-12-07T10:00:00+08:00"),
                line("CAM001", at="2026-12-07T10:01:00+08:00", point={"lon": 118.3013, "lat": 35.005}),
                line("CAM000", at="2026-12-07T10:04:00+08:00")])
            assert status == 200 and body["new"] == 3 and body["merged"] == 0, body
        finally:
            srv.stop()
    finally:
        data.close()
