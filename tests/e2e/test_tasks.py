"""未诉先办 tasks: opened by agents from a warning, the month's top problem or a top item, every
bad body refused naming its field with nothing stored; read in one's scope or by the units that
lead or help; moved under If-Match (409 on a lost race, 403 to those who may not); the effect
counted from the counters of real orders; the month's suggestions; the special report as a PDF
whose text reads back and as an XLSX workbook; every write and download audited."""
import io
import json
import os
import subprocess
import tempfile
import time
import zipfile

from harness import Data, Server

GRID = "371302001001001"  # 东关社区第1网格
TOWN = "371302001"
COUNTY = "371302"
PASSWORD = "Tasks-pass-2026"
NOISE = "06028"  # 噪声扰民


def today(offset=0):
    """China's date offset days from today, YYYY-MM-DD."""
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600 + offset * 86400))


def audit(data, action):
    db = data.store()
    try:
        return [tuple(r) for r in db.execute(
            "SELECT actor, object_id, result FROM audit WHERE action = ? ORDER BY seq",
            (action,)).fetchall()]
    finally:
        db.close()


def count(data, table):
    db = data.store()
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


def setup(data, srv):
    """Units cg (城市管理局) and hb (生态环境分局); an agent over the county, a supervisor
    of another town, the two units' handlers and a grid worker; three noise orders in the
    grid today."""
    for uid, name in [("cg", "城市管理局"), ("hb", "生态环境分局"), ("lz", "柳青街道")]:
        status, body = srv.json("POST", "/api/v1/units", {"id": uid, "name": name,
                                                          "kind": "department"})
        assert status == 201, body
    t = {"agent": data.add_user(srv, "agent", "agent", COUNTY, PASSWORD),
         "south": data.add_user(srv, "south", "supervisor", "371302002", PASSWORD),
         "cg": data.add_user(srv, "cg1", "handler", "unit:cg", PASSWORD),
         "hb": data.add_user(srv, "hb1", "handler", "unit:hb", PASSWORD),
         "lz": data.add_user(srv, "lz1", "handler", "unit:lz", PASSWORD),
         "gw": data.add_user(srv, "gw", "gridworker", GRID, PASSWORD),
         "boss": data.add_user(srv, "boss", "leader", COUNTY, PASSWORD)}
    for i in range(3):
        status, body = srv.json("POST", "/api/v1/orders", {
            "channel": "hotline", "type": "complaint", "item": NOISE, "title": "夜间施工噪声",
            "content": f"东关社区工地夜间施工，第{i + 1}次反映", "lon": 118.305,
            "lat": 35.005}, token=t["agent"])
        assert status == 201, body
    return t


def task_body(**over):
    body = {"origin": "top_item", "topic": "整治东关社区夜间施工噪声", "scope": TOWN,
            "items": [NOISE], "lead_unit": "cg", "helpers": ["hb"],
            "measures": ["夜间22时后巡查工地", "约谈施工单位负责人"], "deadline": today(30)}
    body.update(over)
    return body


def act(srv, token, task, body, version=None, expect=200):
    headers = {} if version is False else {"If-Match": f'"{version or task["version"]}"'}
    status, _, raw = srv.request("POST", f"/api/v1/tasks/{task['id']}/actions", body,
                                 headers=headers, token=token)
    answer = json.loads(raw)
    assert status == expect, (body, status, answer)
    return answer


def test_tasks_opened_read_moved_and_measured():
    data = Data()
    try:
        srv = Server(data)
        try:
            t = setup(data, srv)
            # every bad body refused naming its field, nothing stored
            for over, word in [({"origin": "rumour"}, "'origin'"),
                               ({"origin": "warning"}, "'warning'"),
                               ({"warning": 4}, "'warning'"),
                               ({"topic": "x" * 101}, "'topic'"),
                               ({"scope": "371302009"}, "'scope'"),
                               ({"items": []}, "'items'"),
                               ({"items": ["99999"]}, "'items[0]'"),
                               ({"lead_unit": "nobody"}, "'lead_unit'"),
                               ({"helpers": ["cg"]}, "'helpers[0]'"),
                               ({"measures": ["巡查"] * 21}, "'measures'"),
                               ({"deadline": "2020-01-01"}, "'deadline'"),
                               ({"owner": "ghost"}, "'owner'"),
                               ({"colour": "red"}, "'colour'")]:
                status, e = srv.json("POST", "/api/v1/tasks", task_body(**over), token=t["agent"])
                assert status == 400 and word in e["error"]["message"], (over, e)
            status, e = srv.json("POST", "/api/v1/tasks", task_body(scope=TOWN), token=t["south"])
            assert status == 400 and "'scope'" in e["error"]["message"], e
            assert count(data, "task") == 0 and count(data, "task_event") == 0
            # a grid worker and a handler may not open one
            for who in ("gw", "cg", "boss"):
                status, _ = srv.json("POST", "/api/v1/tasks", task_body(), token=t[who])
                assert status == 403, who
            status, task = srv.json("POST", "/api/v1/tasks", task_body(), token=t["agent"])
            assert status == 201, task
            assert task["state"] == "open" and task["version"] == 1, task
            assert task["lead_unit"] == {"id": "cg", "name": "城市管理局"}, task
            assert task["items"] == [{"code": NOISE, "name": "噪声扰民"}], task
            assert task["scope_name"] and task["owner"] == "agent", task
            assert [e["action"] for e in task["timeline"]] == ["create"], task
            status, warned = srv.json("POST", "/api/v1/tasks", task_body(
                origin="warning", warning=17, scope=GRID, lead_unit="hb", helpers=[]),
                token=t["agent"])
            assert status == 201 and warned["warning"] == 17, warned
            # who sees which
            status, _, raw = srv.request("GET", f"/api/v1/tasks/{task['id']}", token=t["hb"])
            assert status == 200, raw
            for who in ("south", "lz"):
                status, _ = srv.get(f"/api/v1/tasks/{task['id']}", token=t[who])
                assert status == 404, who
            status, page = srv.get("/api/v1/tasks", token=t["gw"])
            assert [x["id"] for x in page["tasks"]] == [warned["id"]], page
            status, page = srv.get("/api/v1/tasks", token=t["hb"])
            assert {x["id"] for x in page["tasks"]} == {task["id"], warned["id"]}, page
            status, page = srv.get("/api/v1/tasks?origin=warning", token=t["agent"])
            assert [x["id"] for x in page["tasks"]] == [warned["id"]], page
            status, page = srv.get("/api/v1/tasks?unit=cg&state=open", token=t["agent"])
            assert [x["id"] for x in page["tasks"]] == [task["id"]], page
            status, page = srv.get(f"/api/v1/tasks?item={NOISE}&limit=1", token=t["agent"])
            assert len(page["tasks"]) == 1 and page["next_cursor"], page
            for query, word in [("state=late", "state"), ("origin=x", "origin"),
                                ("limit=0", "limit"), ("cursor=x", "cursor")]:
                status, e = srv.get(f"/api/v1/tasks?{query}", token=t["agent"])
                assert status == 400 and word in e["error"]["message"], (query, e)
            # moves under If-Match
            act(srv, t["hb"], task, {"action": "progress", "note": "x"}, version=False,
                expect=400)
            act(srv, t["hb"], task, {"action": "progress"}, expect=400)
            act(srv, t["lz"], task, {"action": "progress", "note": "x"}, expect=404)
            act(srv, t["gw"], warned, {"action": "progress", "note": "x"}, expect=403)
            moved = act(srv, t["hb"], task, {"action": "progress",
                                             "note": "联合执法检查工地2处，责令整改"})
            assert moved["version"] == 2 and moved["timeline"][-1]["actor"] == "hb1", moved
            act(srv, t["cg"], task, {"action": "progress", "note": "lost race"}, expect=409)
            act(srv, t["hb"], moved, {"action": "complete"}, expect=403)
            act(srv, t["agent"], moved, {"action": "close"}, expect=409)
            done = act(srv, t["cg"], moved, {"action": "complete", "note": "夜间施工已停止"})
            assert done["state"] == "done" and done["finished_at"] > 0, done
            closed = act(srv, t["agent"], done, {"action": "close", "note": "成效明显"})
            assert closed["state"] == "closed", closed
            assert [e["action"] for e in closed["timeline"]] == [
                "create", "progress", "complete", "close"], closed
            act(srv, t["agent"], warned, {"action": "cancel"}, expect=400)
            act(srv, t["agent"], warned, {"action": "cancel", "note": "并入区级专项行动"})
            # the effect from the counters: the three orders of today are after the start
            status, eff = srv.get(f"/api/v1/tasks/{task['id']}/effect", token=t["hb"])
            assert status == 200, eff
            assert eff["window_days"] == 1 and eff["after"]["orders"] == 3, eff
            assert eff["before"]["orders"] == 0 and eff["change"] is None, eff
            assert eff["daily"][0]["orders"] == 3, eff
            status, eff = srv.get(f"/api/v1/tasks/{task['id']}/effect?days=7", token=t["agent"])
            assert eff["window_days"] == 7 and len(eff["daily"]) == 7, eff
            status, e = srv.get(f"/api/v1/tasks/{task['id']}/effect?days=400", token=t["agent"])
            assert status == 400 and "days" in e["error"]["message"], e
            status, _ = srv.get(f"/api/v1/tasks/{task['id']}/effect", token=t["south"])
            assert status == 404
            # the month's suggestions
            month = today()[:7]
            status, sug = srv.get(f"/api/v1/tasks/suggestions?month={month}", token=t["agent"])
            assert status == 200, sug
            assert sug["top_items"][0]["item"] == NOISE and sug["top_items"][0]["orders"] == 3, sug
            assert sug["top_problems"][0]["town"] == TOWN, sug
            status, e = srv.get("/api/v1/tasks/suggestions", token=t["agent"])
            assert status == 400 and "'month'" in e["error"]["message"], e
            status, e = srv.get(f"/api/v1/tasks/suggestions?month={month}&scope={TOWN}",
                                token=t["south"])
            assert status == 404, e
            # the timeline's notes are sealed at rest
            db = data.store()
            try:
                stored = [r[0] for r in db.execute("SELECT note FROM task_event").fetchall()]
            finally:
                db.close()
            assert stored and not any("联合执法" in n or "成效" in n for n in stored), stored
            # audited
            assert [r[2] for r in audit(data, "task.create")].count("ok") == 2
            assert len(audit(data, "task.action")) >= 10
        finally:
            srv.stop()
    finally:
        data.close()


def test_task_special_report_pdf_and_xlsx():
    data = Data()
    try:
        srv = Server(data)
        try:
            t = setup(data, srv)
            status, task = srv.json("POST", "/api/v1/tasks", task_body(), token=t["agent"])
            assert status == 201, task
            act(srv, t["hb"], task, {"action": "progress", "note": "联合执法检查工地2处"})
            status, headers, pdf = srv.request("GET", f"/api/v1/tasks/{task['id']}/report.pdf",
                                               token=t["cg"])
            assert status == 200 and pdf[:4] == b"%PDF", pdf[:100]
            assert headers["Content-Type"] == "application/pdf"
            with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
                f.write(pdf)
            try:
                text = subprocess.run(["pdftotext", "-enc", "UTF-8", f.name, "-"],
                                      capture_output=True, check=True).stdout.decode()
            finally:
                os.unlink(f.name)
            for want in ["未诉先办工作专报", "整治东关社区夜间施工噪声", "城市管理局", "生态环境分局",
                         "夜间22时后巡查工地", "联合执法检查工地2处", "启动后诉求量", "噪声扰民",
                         today()[:7]]:
                assert want in text, (want, text)
            status, headers, xlsx = srv.request(
                "GET", f"/api/v1/tasks/{task['id']}/report.xlsx", token=t["agent"])
            assert status == 200 and xlsx[:2] == b"PK", xlsx[:100]
            assert "spreadsheetml" in headers["Content-Type"]
            book = zipfile.ZipFile(io.BytesIO(xlsx))
            strings = book.read("xl/sharedStrings.xml").decode()
            sheet = book.read("xl/worksheets/sheet1.xml").decode()
            for want in ["整治东关社区夜间施工噪声", "城市管理局", "启动后诉求量", today()[:7]]:
                assert want in strings, (want, strings)
            assert "<v>3</v>" in sheet, sheet  # this month's three orders, as a number
            for kind in ("pdf", "xlsx"):
                status, _ = srv.get(f"/api/v1/tasks/{task['id']}/report.{kind}",
                                    token=t["south"])
                assert status == 404
            assert [r[2] for r in audit(data, "task.report_pdf")] == ["ok", "failed"]
            assert [r[2] for r in audit(data, "task.report_xlsx")] == ["ok", "failed"]
        finally:
            srv.stop()
    finally:
        data.close()


def test_task_moves_race_one_wins():
    """Eight reviewers and handlers move the same task on the same version at once: one move is
    taken, every other answers 409, and the timeline holds the one."""
    from concurrent.futures import ThreadPoolExecutor
    data = Data()
    try:
        srv = Server(data)
        try:
            t = setup(data, srv)
            status, task = srv.json("POST", "/api/v1/tasks", task_body(), token=t["agent"])
            assert status == 201, task

            def move(i):
                who = ("agent", "cg", "hb")[i % 3]
                status, _, _ = srv.request(
                    "POST", f"/api/v1/tasks/{task['id']}/actions",
                    {"action": "progress", "note": f"第{i}次报送"},
                    headers={"If-Match": f'"{task["version"]}"'}, token=t[who])
                return status

            with ThreadPoolExecutor(8) as pool:
                got = sorted(pool.map(move, range(8)))
            assert got == [200] + [409] * 7, got
            status, now = srv.get(f"/api/v1/tasks/{task['id']}", token=t["agent"])
            assert now["version"] == 2 and len(now["timeline"]) == 2, now
        finally:
            srv.stop()
    finally:
        data.close()
