"""Telephone surveys of safety and satisfaction: a round walked by a supervisor and two agents —
every bad questionnaire refused naming its field with nothing stored, a draft edited under
If-Match (409 when stale), a sample stratified by town from the registry (masked, each phone
once, the same phones from the same seed) and another from orders' reporters, numbers claimed
by two agents never the same, the phone revealed to the call's holder alone and audited, bad
answers refused, retries, and the results (response rate, shares with their Wilson intervals,
the ranking) checked against the answers recorded; the CSV export."""
import csv
import io
import math

from harness import Data, Server, collection, feature, square

COUNTY = "371302"
T1, T2 = "371302001", "371302002"
PASSWORD = "Survey-pass-2026"
GRIDS = ["371302001001001", "371302001001002", "371302001002001", "371302002001001"]
QUESTIONS = [
    {"text": "您觉得您所在的镇街安全吗？", "kind": "single",
     "options": [{"label": "很安全", "score": 100}, {"label": "安全", "score": 80},
                 {"label": "一般", "score": 60, "positive": False},
                 {"label": "不太安全", "score": 30}, {"label": "不安全", "score": 0}]},
    {"text": "近两个月网格员到您家走访过吗？", "kind": "yesno"},
    {"text": "您对社会治安还有什么意见建议？", "kind": "text"},
]
POSITIVE = {0, 1}


def survey_body(**over):
    body = {"title": "2026年第6期群众安全感电话调查", "kind": "safety", "scope": COUNTY,
            "period_from": "2026-11-01", "period_to": "2026-12-31", "questions": QUESTIONS}
    body.update(over)
    return body


def wilson(x, n, z=1.959963984540054):
    p = x / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z / d * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, c - h), min(1.0, c + h)


def rows(data, sql, args=()):
    db = data.store()
    try:
        return [tuple(r) for r in db.execute(sql, args).fetchall()]
    finally:
        db.close()


def setup(data, srv):
    data.import_grids(collection(feature(GRIDS[3], "南坛村第1网格", "base",
                                         square(118.40, 35.0, 118.41, 35.01))))
    people = 0
    for g, n in [(GRIDS[0], 12), (GRIDS[1], 8), (GRIDS[2], 6), (GRIDS[3], 14)]:
        for k in range(n):
            people += 1
            # every tenth shares a phone with the one before it (a household's landline)
            phone = f"1391234{people - (1 if people % 10 == 0 else 0):04d}"
            status, body = srv.json("POST", "/api/v1/persons", {
                "id_type": "passport", "id_number": f"E{people:08d}", "name": "王秀英",
                "residence": "registered", "grid": g, "phone": phone})
            assert status == 201, body
    return {"sup": data.add_user(srv, "zhangjd", "supervisor", COUNTY, PASSWORD),
            "a1": data.add_user(srv, "dhy1", "agent", COUNTY, PASSWORD),
            "a2": data.add_user(srv, "dhy2", "agent", COUNTY, PASSWORD),
            "far": data.add_user(srv, "far", "supervisor", "371303", PASSWORD),
            "gw": data.add_user(srv, "gw", "gridworker", GRIDS[0], PASSWORD)}


def post(srv, path, body, token, version=None):
    headers = {"If-Match": f'"{version}"'} if version is not None else None
    status, _, raw = srv.request("POST", path, body, headers=headers, token=token)
    import json
    return status, json.loads(raw) if raw else None


def questionnaire(data, srv, t):
    bad = [
        (dict(title=""), "'title'"), (dict(kind="幸福感"), "'kind'"), (dict(scope="371303"), "'scope'"),
        (dict(period_to="2026-10-01"), "'period_to'"), (dict(questions=[]), "'questions'"),
        (dict(questions=[{"text": "满意吗", "kind": "yesno"}]), "single-choice"),
        (dict(questions=[dict(QUESTIONS[0], options=[{"label": "好", "score": 101},
                                                     {"label": "差", "score": 0}])]),
         "'questions[0].options[0].score'"),
        (dict(questions=[dict(QUESTIONS[0], kind="scale")]), "questions[0]"),
        (dict(colour="red"), "'colour'"),
    ]
    for over, word in bad:
        status, body = srv.json("POST", "/api/v1/surveys", survey_body(**over), token=t["sup"])
        assert status == 400 and word in body["error"]["message"], (over, status, body)
    assert data.count("survey") == 0
    status, body = srv.json("POST", "/api/v1/surveys", survey_body(), token=t["a1"])
    assert status == 403, body
    status, s = srv.json("POST", "/api/v1/surveys", survey_body(), token=t["sup"])
    assert status == 201 and s["state"] == "draft" and s["version"] == 1, s
    assert [q["id"] for q in s["questions"]] == ["q1", "q2", "q3"], s
    assert s["questions"][0]["key"] is True and s["questions"][2]["required"] is False, s
    # a draft is edited under its version; a stale one is 409
    edit = {k: v for k, v in survey_body(title="2026年第6期群众安全感满意度电话调查").items()
            if k != "scope"}
    status, _, _ = srv.request("PUT", f"/api/v1/surveys/{s['id']}", edit,
                               headers={"If-Match": '"9"'}, token=t["sup"])
    assert status == 409
    status, _, raw = srv.request("PUT", f"/api/v1/surveys/{s['id']}", edit,
                                 headers={"If-Match": '"1"'}, token=t["sup"])
    assert status == 200 and "满意度" in raw.decode(), raw
    status, body = srv.get(f"/api/v1/surveys/{s['id']}", token=t["far"])
    assert status == 404, body
    status, body = srv.get("/api/v1/surveys", token=t["gw"])  # a grid's worker sees its district's
    assert status == 200 and [x["id"] for x in body["surveys"]] == [s["id"]], body
    return s["id"]


def sample(data, srv, t, sid):
    # 26 persons in T1 (2 sharing), 14 in T2 (2 sharing): 24 + 12 phones
    status, body = post(srv, f"/api/v1/surveys/{sid}/sample",
                        {"frame": "registry", "per_town": 15, "seed": 2026}, t["sup"])
    assert status == 201, body
    assert body["unique"] == 36 and body["drawn"] == 15 + 12, body
    assert {x["code"]: x["drawn"] for x in body["towns"]} == {T1: 15, T2: 12}, body
    first = rows(data, "SELECT phone_blind FROM survey_sample WHERE survey = ? ORDER BY phone_blind",
                 (sid,))
    status, body = post(srv, f"/api/v1/surveys/{sid}/sample",
                        {"frame": "registry", "per_town": 15, "seed": 2026}, t["sup"])
    assert status == 201 and rows(data, "SELECT phone_blind FROM survey_sample WHERE survey = ? "
                                        "ORDER BY phone_blind", (sid,)) == first
    assert len(set(first)) == len(first) == 27
    # at rest each phone is sealed: neither the clear number nor its digits' run is stored
    stored = rows(data, "SELECT phone, phone_blind, phone_mask FROM survey_sample WHERE survey = ?",
                  (sid,))
    assert stored and all("1391234" not in "".join(map(str, r)) for r in stored), stored[:3]
    status, body = post(srv, f"/api/v1/surveys/{sid}/sample", {"frame": "registry"}, t["sup"])
    assert status == 400 and "per_town" in body["error"]["message"], body
    status, raw = srv.request("GET", f"/api/v1/surveys/{sid}/sample?limit=500", token=t["sup"])[::2]
    text = raw.decode()
    assert status == 200 and "1391234" not in text and "139****" in text, text[:300]
    status, _, raw = srv.request("POST", f"/api/v1/surveys/{sid}/actions", {"action": "open"},
                                 headers={"If-Match": '"4"'}, token=t["sup"])
    assert status == 200, raw


def answer_for(i):
    """The answers of the i-th reached call: every option of the key question in turn."""
    return {"q1": i % 5, "q2": i % 3 != 0, "q3": "晚上路灯太暗" if i % 4 == 0 else None}


def calls(data, srv, t, sid):
    status, c1 = post(srv, f"/api/v1/surveys/{sid}/calls/next", None, t["a1"])
    status2, c2 = post(srv, f"/api/v1/surveys/{sid}/calls/next", None, t["a2"])
    assert status == status2 == 200, (c1, c2)
    c1, c2 = c1["call"], c2["call"]
    assert c1["sample"] != c2["sample"] and "****" in c1["phone"], (c1, c2)
    # the phone: for the holder alone, on the record
    status, body = post(srv, f"/api/v1/surveys/{sid}/calls/{c1['id']}/reveal", None, t["a2"])
    assert status == 403, body
    status, body = post(srv, f"/api/v1/surveys/{sid}/calls/{c1['id']}/reveal", None, t["a1"])
    assert status == 200 and body["phone"].startswith("1391234"), body
    assert body["phone"][:3] == c1["phone"][:3] and body["phone"][-4:] == c1["phone"][-4:]
    audit = rows(data, "SELECT actor, object_id, result FROM audit WHERE action = 'pii.reveal' "
                       "AND object_type = 'survey_call' ORDER BY seq")
    assert [(a, o) for a, o, _ in audit] == [("dhy2", str(c1["id"])), ("dhy1", str(c1["id"]))]
    assert audit[0][2] != audit[1][2], audit
    # bad answers are refused, nothing recorded
    for body, word in [({"outcome": "reached", "answers": {"q1": 7, "q2": True}}, "answers.q1"),
                       ({"outcome": "reached", "answers": {"q1": 1}}, "answers.q2"),
                       ({"outcome": "refused", "answers": {"q1": 1}}, "answers"),
                       ({"outcome": "hung_up"}, "outcome")]:
        status, e = post(srv, f"/api/v1/surveys/{sid}/calls/{c1['id']}", body, t["a1"])
        assert status == 400 and word in e["error"]["message"], (body, e)
    assert rows(data, "SELECT COUNT(*) FROM survey_call WHERE outcome <> ''") == [(0,)]
    # the two agents work the list through; the answers kept to check the results
    expect = {"reached": 0, "positive": 0, "by_town": {}, "settled": 0, "scores": []}
    held = {"a1": c1, "a2": c2}
    i = 0
    while held:
        for who in list(held):
            c = held[who]
            i += 1
            if i % 7 == 0:
                body = {"outcome": "refused"}
            elif i % 11 == 0:
                body = {"outcome": "no_answer"}
            else:
                a = {k: v for k, v in answer_for(i).items() if v is not None}
                body = {"outcome": "reached", "answers": a}
            status, r = post(srv, f"/api/v1/surveys/{sid}/calls/{c['id']}", body, t[who])
            assert status == 200, r
            if r["sample_state"] == "done":
                expect["settled"] += 1
            if body["outcome"] == "reached":
                town = c["town"]
                pos = body["answers"]["q1"] in POSITIVE
                expect["reached"] += 1
                expect["positive"] += pos
                n, p = expect["by_town"].get(town, (0, 0))
                expect["by_town"][town] = (n + 1, p + pos)
                expect["scores"].append([100, 80, 60, 30, 0][body["answers"]["q1"]])
            status, nxt = post(srv, f"/api/v1/surveys/{sid}/calls/next", None, t[who])
            assert status == 200, nxt
            if nxt["call"] is None:
                del held[who]
            else:
                held[who] = nxt["call"]
    assert rows(data, "SELECT COUNT(*) FROM survey_sample WHERE survey = ? AND state <> 'done'",
                (sid,)) == [(0,)]
    status, e = post(srv, f"/api/v1/surveys/{sid}/calls/{c1['id']}", {"outcome": "refused"},
                     t["a1"])
    assert status == 409, e
    return expect


def results(data, srv, t, sid, expect):
    status, r = srv.get(f"/api/v1/surveys/{sid}/results?min=5", token=t["gw"])
    assert status == 200, r
    d = r["district"]
    assert d["sampled"] == 27 and d["n"] == expect["reached"] and d["reached"] == expect["reached"]
    assert d["positive"] == expect["positive"], (d, expect)
    lo, hi = wilson(expect["positive"], expect["reached"])
    assert abs(d["ci_low"] - lo) < 1e-4 and abs(d["ci_high"] - hi) < 1e-4, (d, lo, hi)
    assert abs(d["mean_score"] - sum(expect["scores"]) / len(expect["scores"])) < 1e-3, d
    assert abs(d["response_rate"] - expect["reached"] / 27) < 1e-4, d
    assert r["method"] == "wilson" and r["confidence"] == 0.95, r
    towns = {x["code"]: x for x in r["towns"]}
    for code, (n, p) in expect["by_town"].items():
        assert towns[code]["n"] == n and towns[code]["positive"] == p, (code, towns[code])
    ranked = [x["code"] for x in r["ranking"]]
    shares = {c: p / n for c, (n, p) in expect["by_town"].items()}
    assert ranked == sorted(shares, key=lambda c: (-shares[c], -towns[c]["mean_score"], c)), r
    q1 = r["questions"][0]
    assert q1["answered"] == expect["reached"] and sum(o["count"] for o in q1["options"]) == \
        expect["reached"], q1
    # too few answers: shown, not ranked
    status, r = srv.get(f"/api/v1/surveys/{sid}/results?min=1000", token=t["sup"])
    assert r["ranking"] == [] and len(r["too_few"]) == 2, r
    status, _, raw = srv.request("GET", f"/api/v1/surveys/{sid}/results.csv?min=5",
                                 token=t["sup"])
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert status == 200 and table[0][0] == "层级" and table[1][0] == "区县", table[:2]
    assert int(table[1][11]) == expect["reached"] and int(table[1][12]) == expect["positive"], table[1]


def test_survey_round():
    data = Data()
    try:
        srv = Server(data)
        try:
            t = setup(data, srv)
            sid = questionnaire(data, srv, t)
            sample(data, srv, t, sid)
            expect = calls(data, srv, t, sid)
            results(data, srv, t, sid, expect)
            # redrawing a called sample is refused; a closed survey takes no calls
            status, e = post(srv, f"/api/v1/surveys/{sid}/sample",
                             {"frame": "registry", "total": 5}, t["sup"])
            assert status == 409, e
            status, s = srv.get(f"/api/v1/surveys/{sid}", token=t["sup"])
            status, _, _ = srv.request("POST", f"/api/v1/surveys/{sid}/actions",
                                       {"action": "close"},
                                       headers={"If-Match": f'"{s["version"]}"'}, token=t["sup"])
            assert status == 200
            status, e = post(srv, f"/api/v1/surveys/{sid}/calls/next", None, t["a1"])
            assert status == 409, e
            # the orders' reporters: one phone however many orders it made
            for k in range(3):
                status, o = srv.json("POST", "/api/v1/orders", {
                    "channel": "hotline", "type": "complaint", "title": "噪声扰民",
                    "content": f"楼下烧烤店夜间噪声第{k + 1}次", "lon": 118.305, "lat": 35.005,
                    "reporter": {"name": "李明", "phone": "13955550000"}}, token=t["a1"])
                assert status == 201, o
            status, s2 = srv.json("POST", "/api/v1/surveys",
                                  survey_body(kind="satisfaction", title="诉求办理满意度回访"),
                                  token=t["sup"])
            status, body = post(srv, f"/api/v1/surveys/{s2['id']}/sample",
                                {"frame": "orders", "total": 50, "days": 30}, t["sup"])
            assert status == 201 and body["frame_size"] == 3 and body["drawn"] == 1, body
            assert data.count("audit") > 0
            assert rows(data, "SELECT COUNT(*) FROM audit WHERE action = 'survey.call.record' AND "
                              "result = 'ok'")[0][0] >= 27
        finally:
            srv.stop()
    finally:
        data.close()
