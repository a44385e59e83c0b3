"""Early warning over appeals (预警): orders taken in over the API raise the warnings the
detectors see — five appeals about noise around one compound within the hour make a 群发
warning (and a 突发 one: the town never had them), a 讨薪 appeal a red one that tells the place's leaders at once — once, however many
servers share the store; each warning's loop (judged, handled by a special order, closed)
under the version read; every bad input refused naming its field; nobody sees a warning
outside their scope; the rules kept by the system administrator."""
import json
import time

from harness import BACKEND, Data, Server

PASSWORD = "Warn-pass-2026"
POINTS = [(118.3030, 35.0030), (118.3033, 35.0031), (118.3028, 35.0033), (118.3031, 35.0027),
          (118.3035, 35.0029)]


def servers(data):
    """One server, or on PostgreSQL two started at once sharing the store."""
    return [Server(data) for _ in range(2 if BACKEND == "postgresql" else 1)]


def wait_warnings(srv, token, query, n):
    deadline = time.time() + 30
    while True:
        status, body = srv.get("/api/v1/warnings?" + query, token=token)
        assert status == 200, body
        if len(body["warnings"]) >= n and all(w["count"] >= 1 for w in body["warnings"]):
            return body["warnings"]
        assert time.time() < deadline, body
        time.sleep(0.2)


def act(srv, token, wid, body, expect):
    status, _, raw = srv.request("POST", f"/api/v1/warnings/{wid}/actions", body, token=token)
    answer = json.loads(raw)
    assert status == expect, (body, status, answer)
    return answer


def test_warnings_raised_once_with_their_loop_in_scope():
    data = Data()
    try:
        started = servers(data)
        try:
            srv, other = started[0], started[-1]
            agent = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            boss = data.add_user(srv, "boss", "leader", "371302", PASSWORD)
            far = data.add_user(srv, "far", "gridworker", "371302002", PASSWORD)
            numbers = []
            for i, (lon, lat) in enumerate(POINTS):  # through either server
                status, o = (srv if i % 2 else other).json("POST", "/api/v1/orders", {
                    "channel": "hotline", "type": "complaint", "item": "06028",
                    "title": "小区广场舞噪音扰民", "content": f"晚上十点后音响声音很大（第{i + 1}位居民）",
                    "lon": lon, "lat": lat}, token=agent)
                assert status == 201, o
                numbers.append(o["number"])
            status, o = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "complaint", "title": "工地欠薪",
                "content": "工地拖欠三十多名工人工资，工人说明天要去堵路讨薪",
                "lon": 118.3060, "lat": 35.0060}, token=agent)
            assert status == 201, o
            cluster = wait_warnings(srv, agent, "kind=cluster", 1)
            red = wait_warnings(srv, agent, "kind=keyword", 1)
            # the cluster grew to the five appeals, one warning however many servers
            deadline = time.time() + 30
            while cluster[0]["count"] < 5:
                assert time.time() < deadline, cluster
                time.sleep(0.2)
                cluster = wait_warnings(srv, agent, "kind=cluster", 1)
            time.sleep(2.5 if BACKEND == "postgresql" else 0.5)
            status, body = other.get("/api/v1/warnings?state=open", token=agent)
            assert status == 200, body
            kinds = sorted(w["kind"] for w in body["warnings"])
            # five appeals of an item the town never had in a day are a surge (突发) too
            assert kinds == ["cluster", "keyword", "surge"], body
            c = cluster[0]
            assert c["item"] == "06028" and c["level"] == "blue" and c["state"] == "new", c
            assert c["detail"]["radius_m"] == 300, c
            assert red[0]["level"] == "red" and red[0]["detail"]["word"] in ("讨薪", "堵路"), red
            # the orders behind it, newest first
            status, view = srv.get(f"/api/v1/warnings/{c['id']}", token=agent)
            assert status == 200, view
            assert sorted(o["number"] for o in view["orders"]) == sorted(numbers), view
            assert view["timeline"][0]["action"] == "raised", view
            # the county's leader was told of the red one through the outbox
            deadline = time.time() + 30
            while True:
                status, notes = srv.get("/api/v1/notifications", token=boss)
                assert status == 200, notes
                if "warning_red" in json.dumps(notes, ensure_ascii=False):
                    break
                assert time.time() < deadline, notes
                time.sleep(0.2)
            # scope: a grid worker of another village sees neither
            status, body = srv.get("/api/v1/warnings", token=far)
            assert status == 200 and body["warnings"] == [], body
            status, body = srv.get(f"/api/v1/warnings/{c['id']}", token=far)
            assert status == 404, body
            # the loop, with its refusals
            wid = c["id"]
            for bad, field in [({"action": "fly", "version": 1}, "action"),
                               ({"action": "judge", "version": 1, "note": "x"}, "owner"),
                               ({"action": "judge", "version": 1, "owner": "ag"}, "note"),
                               ({"action": "judge", "version": 0, "owner": "ag", "note": "x"},
                                "version"),
                               ({"action": "judge", "version": 1, "owner": "nobody",
                                 "note": "x"}, "owner"),
                               ({"action": "handle", "version": 1}, "order"),
                               ({"action": "close", "version": 1, "why": 1}, "why")]:
                answer = act(srv, agent, wid, bad, 400)
                assert field in answer["error"]["message"], (bad, answer)
            act(srv, agent, wid, {"action": "close", "version": 1}, 409)
            w = act(srv, agent, wid, {"action": "judge", "version": 1, "owner": "ag",
                                      "note": "广场舞噪音集中，联系社区和城管"}, 200)
            assert w["state"] == "judged" and w["owner"] == "ag" and w["version"] == 2, w
            assert w["note"] == "广场舞噪音集中，联系社区和城管", w
            act(srv, agent, wid, {"action": "false_alarm", "version": 1, "note": "x"}, 409)
            answer = act(srv, agent, wid, {"action": "handle", "version": 2, "order": "NOPE"},
                         400)
            assert "order" in answer["error"]["message"], answer
            w = act(srv, agent, wid, {"action": "handle", "version": 2, "order": numbers[0]}, 200)
            assert w["state"] == "handled" and w["handled_kind"] == "order", w
            w = act(srv, agent, wid, {"action": "close", "version": 3}, 200)
            assert w["state"] == "closed", w
            assert [e["action"] for e in w["timeline"]] == ["raised", "judge", "handle", "close"]
            act(srv, agent, red[0]["id"], {"action": "false_alarm", "version": 1,
                                           "note": "已核实，工资已发放"}, 200)
            # a leader reads but does not act
            status, _, _ = srv.request("POST", f"/api/v1/warnings/{wid}/actions",
                                       {"action": "close", "version": 4}, token=boss)
            assert status == 403
            # filters name what is wrong
            for query, field in [("kind=fire", "kind"), ("level=pink", "level"),
                                 ("state=done", "state"), ("since=yesterday", "since"),
                                 ("limit=0", "limit"), ("cursor=x", "cursor")]:
                status, body = srv.get("/api/v1/warnings?" + query, token=agent)
                assert status == 400 and field in body["error"]["message"], (query, body)
            status, body = srv.get("/api/v1/warnings?state=closed&kind=cluster", token=agent)
            assert [w["id"] for w in body["warnings"]] == [wid], body
            # the rules: refused naming the setting, stored for every server
            status, body = srv.json("PUT", "/api/v1/warning-rules",
                                    {"cluster": {"radius_m": 1}})
            assert status == 400 and "cluster.radius_m" in body["error"]["message"], body
            status, body = srv.json("PUT", "/api/v1/warning-rules",
                                    {"cluster": {"radius_m": 500},
                                     "keyword": {"words": ["讨薪", "上访"]}})
            assert status == 200 and body["version"] == 1, body
            status, body = other.get("/api/v1/warning-rules")
            assert status == 200 and body["rules"]["cluster"]["radius_m"] == 500, body
            assert body["rules"]["keyword"]["words"] == ["讨薪", "上访"], body
        finally:
            for s in started:
                s.stop()
        assert data.count("warning") == 3
        assert data.count("warning_order") == 11
    finally:
        data.close()


def test_warning_special_report_pdf_and_xlsx():
    """A warning's 专报: what was found, where, why, its judgement, and the orders behind it, as
    a PDF and a workbook; outside the caller's scope 404; every download audited."""
    import io
    import os
    import subprocess
    import tempfile
    import zipfile
    data = Data()
    try:
        srv = Server(data)
        try:
            agent = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            far = data.add_user(srv, "far", "gridworker", "371302002", PASSWORD)
            numbers = []
            for i, (lon, lat) in enumerate(POINTS):
                status, o = srv.json("POST", "/api/v1/orders", {
                    "channel": "hotline", "type": "complaint", "item": "06028",
                    "title": "小区广场舞噪音扰民", "content": f"晚上十点后音响声音很大（第{i + 1}位居民）",
                    "lon": lon, "lat": lat}, token=agent)
                assert status == 201, o
                numbers.append(o["number"])
            deadline = time.time() + 30
            while True:
                w = wait_warnings(srv, agent, "kind=cluster", 1)[0]
                if w["count"] >= 5:
                    break
                assert time.time() < deadline, w
                time.sleep(0.2)
            act(srv, agent, w["id"], {"action": "judge", "version": w["version"], "owner": "ag",
                                      "note": "广场舞音响扰民，约谈广场管理方"}, 200)
            status, headers, pdf = srv.request("GET", f"/api/v1/warnings/{w['id']}/report.pdf",
                                               token=agent)
            assert status == 200 and pdf[:4] == b"%PDF", pdf[:100]
            assert headers["Content-Disposition"] == (
                f'attachment; filename="warning-{w["id"]}.pdf"'), headers
            with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
                f.write(pdf)
            try:
                text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"],
                                      capture_output=True, check=True).stdout.decode()
            finally:
                os.unlink(f.name)
            flat = text.replace("\n", "")
            for want in ["诉求预警专报", "群发", "蓝色", "噪声扰民", "5 件", "300 米", "研判",
                         "约谈广场管理方", "关联诉求", numbers[0], numbers[-1]]:
                assert want in flat, (want, text)
            status, headers, xlsx = srv.request("GET", f"/api/v1/warnings/{w['id']}/report.xlsx",
                                                token=agent)
            assert status == 200 and xlsx[:2] == b"PK", xlsx[:100]
            strings = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/sharedStrings.xml").decode()
            for want in ["诉求预警专报", "群发", "约谈广场管理方", numbers[0]]:
                assert want in strings, (want, strings)
            for kind in ("pdf", "xlsx"):
                status, _ = srv.get(f"/api/v1/warnings/{w['id']}/report.{kind}", token=far)
                assert status == 404, kind
                status, _ = srv.get(f"/api/v1/warnings/x/report.{kind}", token=agent)
                assert status in (400, 404), kind
            db = data.store()
            rows = db.execute("SELECT action, result FROM audit WHERE action LIKE "
                              "'warning.report%' ORDER BY seq").fetchall()
            db.close()
            # (a malformed id is refused before any warning is looked for)
            assert [tuple(r) for r in rows] == [
                ("warning.report_pdf", "ok"), ("warning.report_xlsx", "ok"),
                ("warning.report_pdf", "failed"), ("warning.report_xlsx", "failed")], rows
        finally:
            srv.stop()
    finally:
        data.close()
