"""The indicators: every endpoint on hand-counted orders, every scope kind, the errors, and an
exact recount of generated history from the orders and their timelines."""
import datetime
import json
import time
from collections import defaultdict

from harness import Data, Server, run

PASSWORD = "Stats-pass-2026"
CHINA = datetime.timezone(datetime.timedelta(hours=8))


def _today():
    """China's date, the server's "today" for every figure. Its tests ask the server for
    figures of today over a minute or two and compare them with counts made here for one
    date: within three minutes of China's midnight, they wait for the new day first, so that
    the server's today and theirs are the same (a run at 00:00 CST found one order more
    overdue on the server, whose day had turned)."""
    now = datetime.datetime.now(CHINA)
    left = (datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(),
                                      CHINA) - now).total_seconds()
    if left < 180:
        time.sleep(left + 1)
    return datetime.datetime.now(CHINA).date()


TODAY = _today()


def day(offset=0):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


def order(srv, token, lon, lat, channel="hotline", type_="complaint", item="06028"):
    body = {"channel": channel, "type": type_, "title": "噪声扰民", "content": "夜间施工",
            "lon": lon, "lat": lat}
    if item:
        body["item"] = item
    status, out = srv.json("POST", "/api/v1/orders", body, token=token)
    assert status == 201, out
    return out["id"]


def act(srv, token, oid, name, body=None):
    status, o = srv.json("GET", f"/api/v1/orders/{oid}", token=token)
    assert status == 200, o
    status, out = srv.json("POST", f"/api/v1/orders/{oid}/actions/{name}", body or {},
                           token=token, headers={"If-Match": f'"{o["version"]}"'})
    assert status == 200, (name, out)
    return out


def stats(srv, token, what, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    status, body = srv.json("GET", f"/api/v1/stats/{what}?{query}", token=token)
    assert status == 200, (what, params, body)
    return body


def rate(ind, name):
    r = ind[name]
    return (r["numerator"], r["denominator"])


def test_every_endpoint_on_hand_counted_orders():
    data = Data()
    try:
        srv = Server(data)
        try:
            status, body = srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "综合行政执法局",
                                                              "kind": "department"})
            assert status == 201, body
            agent = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            handler = data.add_user(srv, "hd", "handler", "unit:cgzf", PASSWORD)
            leader = data.add_user(srv, "ld", "leader", "371302", PASSWORD)
            period = dict(scope="region:371302", **{"from": day(-29), "to": day(30)})
            before = stats(srv, leader, "summary", **period)["indicators"]
            assert before["received"] == {"value": 0}
            assert before["finish_rate"] == {"value": None, "numerator": 0, "denominator": 0}

            a = order(srv, agent, 118.303, 35.003)                           # grid …001001001
            b = order(srv, agent, 118.315, 35.005, channel="app")            # grid …001001002
            c = order(srv, agent, 118.305, 35.015, type_="consult", item=None)  # grid …001002001
            act(srv, agent, a, "dispatch", {"unit": "cgzf"})
            act(srv, handler, a, "sign")
            act(srv, handler, a, "contact", {"reached": True, "means": "phone"})
            act(srv, handler, a, "reply", {"result": "已处理"})
            act(srv, agent, a, "verify", {"passed": True})
            act(srv, agent, a, "callback", {"reached": True, "satisfaction": "satisfied",
                                            "resolved": True})
            act(srv, agent, b, "dispatch", {"unit": "cgzf"})
            act(srv, handler, b, "return", {"reason": "不属于本单位"})
            act(srv, agent, c, "answer", {"answer": "请拨打供电热线"})

            s = stats(srv, leader, "summary", **period)
            assert s["scope"] == {"kind": "region", "id": "371302", "name": "兰山区"}, s["scope"]
            assert s["from"] == day(-29) and s["to"] == day(30)
            i = s["indicators"]
            assert len(i) == 22, sorted(i)
            assert i["received"] == {"value": 3} and i["dispatched"] == {"value": 2}
            assert i["direct_answered"] == {"value": 1} and rate(i, "direct_rate") == (1, 3)
            assert abs(i["direct_rate"]["value"] - 1 / 3) < 1e-9
            # the response is the unit's contact with the reporter: a's in time, b's not yet
            assert rate(i, "signed_on_time_rate") == (1, 2) == rate(i, "response_rate")
            # due: a and c finished, b still pending with its deadline inside the period
            assert i["finished"] == {"value": 2} and i["due"] == {"value": 3}
            assert rate(i, "finish_rate") == (2, 3) and rate(i, "finished_on_time_rate") == (2, 3)
            assert rate(i, "called_back_rate") == (1, 2)
            assert rate(i, "satisfaction_rate") == (1, 1) and rate(i, "resolution_rate") == (1, 1)
            assert rate(i, "return_rate") == (1, 2) and rate(i, "rework_rate") == (0, 2)
            assert rate(i, "reopen_rate") == (0, 2) and rate(i, "repeat_rate") == (0, 3)
            assert i["overdue"] == {"value": 0} and i["open"] == {"value": 2}
            assert i["avg_handling_hours"]["orders"] == 1
            assert abs(i["composite"]["value"] - 85.0) < 1e-9 and i["grade"]["value"] == "B"

            # other scopes: a town, a grid, the unit, an item subtree, a channel
            def received(scope, token=leader):
                return stats(srv, token, "summary", scope=scope, **{"from": day(-1), "to": day()})[
                    "indicators"]["received"]["value"]
            assert received("region:371302001") == 3 and received("region:371302002") == 0
            assert received("grid:371302001001002") == 1
            assert received("item:06") == 2 and received("item:06028") == 2
            assert received("channel:app") == 1 and received("channel:hotline") == 2
            u = stats(srv, leader, "summary", scope="unit:cgzf")
            assert u["scope"]["name"] == "综合行政执法局"
            assert u["indicators"]["dispatched"] == {"value": 2}
            # a unit receives what is dispatched to it
            assert u["indicators"]["received"] == {"value": 2}
            # the unit's own account sees its own work by default
            assert stats(srv, handler, "summary")["scope"]["id"] == "cgzf"

            series = stats(srv, leader, "series", scope="region:371302",
                           **{"from": day(-6), "to": day(), "indicators": "received,open"})
            assert series["by"] == "day" and len(series["points"]) == 7
            assert series["points"][-1] == {"period": day(), "indicators": {
                "received": {"value": 3}, "open": {"value": 2}}}
            assert all(p["indicators"]["received"]["value"] == 0 for p in series["points"][:-1])
            weeks = stats(srv, leader, "series", scope="region:371302", by="week",
                          **{"from": day(-20), "to": day()})["points"]
            assert weeks[0]["period"] == day(-20)
            assert all(datetime.date.fromisoformat(p["period"]).weekday() == 0 for p in weeks[1:])
            assert sum(p["indicators"]["received"]["value"] for p in weeks) == 3
            months = stats(srv, leader, "series", scope="region:371302", by="month",
                           **{"from": day(-40), "to": day()})["points"]
            assert all(p["period"].endswith("-01") for p in months[1:])

            top = stats(srv, leader, "top-items", scope="region:371302")
            assert top["items"] == [{"item": "06028", "name": top["items"][0]["name"],
                                     "received": 2, "share": 2 / 3}], top
            assert top["total_received"] == 3
            mp = stats(srv, leader, "monthly-problem", scope="region:371302", month=day()[:7])
            assert mp["month"] == day()[:7] and mp["item"] == "06028" and mp["received"] == 2
            assert mp["repeat"] == 0 and mp["regions"] == [
                {"code": "371302001", "name": "测试街道", "received": 2}], mp
            empty = stats(srv, leader, "monthly-problem", scope="region:371302", month="2020-01")
            assert empty["item"] is None and empty["regions"] == []

            units = stats(srv, leader, "units", **period)
            assert units["weights"] == {"response": 30, "resolution": 35, "satisfaction": 35}
            assert len(units["units"]) == 1, units
            row = units["units"][0]
            assert row["unit"] == "cgzf" and row["name"] == "综合行政执法局" and row["rank"] == 1
            assert (row["response_rate"]["numerator"], row["response_rate"]["denominator"]) == (1, 2)
            assert row["satisfaction_rate"]["value"] == 1 and row["resolution_rate"]["value"] == 1
            assert abs(row["composite"] - 85.0) < 1e-9 and row["grade"] == "B"

            def rows(by, scope="region:371302", **kw):
                out = stats(srv, leader, "breakdown", scope=scope, by=by,
                            indicators="received,open,overdue,satisfaction_rate", **kw)
                assert out["by"] == by
                return {r["key"]: r for r in out["rows"]}
            towns = rows("child")
            assert set(towns) == {"371302001", "371302002"}
            assert towns["371302001"]["name"] == "测试街道"
            assert towns["371302001"]["indicators"]["received"] == {"value": 3}
            assert towns["371302001"]["indicators"]["open"] == {"value": 2}
            assert towns["371302002"]["indicators"]["received"] == {"value": 0}
            assert set(towns["371302001"]["indicators"]) == {"received", "open", "overdue",
                                                             "satisfaction_rate"}
            villages = rows("child", scope="region:371302001")
            assert set(villages) == {"371302001001", "371302001002"}
            assert villages["371302001001"]["indicators"]["received"] == {"value": 2}
            grids = rows("grid", scope="region:371302001")
            assert set(grids) >= {"371302001001001", "371302001001002", "371302001002001"}
            assert grids["371302001001002"]["indicators"]["open"] == {"value": 1}
            assert grids["371302001001001"]["indicators"]["open"] == {"value": 0}
            in_village = rows("child", scope="region:371302001001")
            assert "371302001001001" in in_village
            items = rows("item")
            assert items["06028"]["indicators"]["received"] == {"value": 2}
            assert items[""]["indicators"]["received"] == {"value": 1}
            assert rows("channel")["app"]["indicators"]["received"] == {"value": 1}
            assert rows("unit")["cgzf"]["name"] == "综合行政执法局"
            by_unit = stats(srv, leader, "breakdown", scope="region:371302", by="unit",
                            indicators="received,dispatched")["rows"]
            assert [(r["key"], r["name"]) for r in by_unit] == [
                ("cgzf", "综合行政执法局"), ("", "受理中心（未派单位）")], by_unit
            assert by_unit[0]["indicators"]["received"] == {"value": 2}
            assert by_unit[1]["indicators"]["received"] == {"value": 3}
            assert rows("item", scope="unit:cgzf")["06028"]["indicators"]["open"] == {"value": 1}

            # a change shows at once: the roll-ups follow every commit
            act(srv, agent, b, "approve_return")
            act(srv, agent, b, "invalidate")
            after = stats(srv, leader, "summary", **period)["indicators"]
            assert after["open"] == {"value": 1} and after["due"] == {"value": 2}

            # 在办量 follows the period: the orders received in it that are still open, so a
            # period before today's orders has none open, whatever is open now
            past = dict(scope="region:371302", **{"from": day(-10), "to": day(-1)})
            assert stats(srv, leader, "summary", **past)["indicators"]["open"] == {"value": 0}
            towns = {r["key"]: r for r in stats(srv, leader, "breakdown", by="child", **past)["rows"]}
            assert towns["371302001"]["indicators"]["open"] == {"value": 0}
            units = {r["key"]: r for r in stats(srv, leader, "breakdown", by="unit", **past)["rows"]}
            assert all(r["indicators"]["open"] == {"value": 0} for r in units.values()), units
        finally:
            srv.stop()
    finally:
        data.close()


def test_errors_and_scopes_outside():
    data = Data()
    try:
        srv = Server(data)
        try:
            srv.json("POST", "/api/v1/units", {"id": "cgzf", "name": "综合行政执法局",
                                               "kind": "department"})
            srv.json("POST", "/api/v1/units", {"id": "zjj", "name": "住房和城乡建设局",
                                               "kind": "department"})
            town = data.add_user(srv, "tw", "agent", "371302001", PASSWORD)
            handler = data.add_user(srv, "hd", "handler", "unit:cgzf", PASSWORD)
            cases = [
                (town, "summary?scope=region:abc", 400, "region"),
                (town, "summary?scope=nonsense", 400, "scope"),
                (town, "summary?scope=planet:1", 400, "scope"),
                (town, "summary?scope=grid:371302001", 400, "grid"),
                (town, "summary?scope=region:371302001009", 404, "371302001009"),
                (town, "summary?scope=unit:nope", 404, "nope"),
                (town, "summary?scope=item:99999", 404, "99999"),
                (town, "summary?scope=channel:pigeon", 400, "pigeon"),
                (town, f"summary?from={day()}&to={day(-1)}", 400, "after"),
                (town, "summary?from=2026-02-30", 400, "from"),
                (town, "summary?to=yesterday", 400, "to"),
                (town, "summary?from=1995-01-01&to=2026-01-01", 400, "at most"),
                (town, "summary?indicators=received,happiness", 400, "happiness"),
                (town, "series?by=year", 400, "by"),
                (town, "breakdown?by=bogus", 400, "by"),
                (town, "breakdown", 400, "by"),
                (town, "breakdown?scope=channel:app&by=child", 400, "region"),
                (town, "breakdown?scope=grid:371302001001001&by=child", 400, "grid"),
                (town, "top-items?limit=0", 400, "limit"),
                (town, "monthly-problem?month=2026-13", 400, "month"),
                # outside the caller's scope: 404, as if it did not exist
                (town, "summary?scope=region:371302002", 404, "371302002"),
                (town, "summary?scope=region:371302", 404, "371302"),
                (town, "summary?scope=region:all", 404, "all"),
                (town, "breakdown?scope=region:371302&by=child", 404, "371302"),
                (handler, "summary?scope=unit:zjj", 404, "zjj"),
                (handler, "summary?scope=region:371302001", 404, "371302001"),
                (handler, "units?scope=grid:371302001001001", 404, "371302001001001"),
            ]
            for token, path, want, word in cases:
                status, body = srv.json("GET", "/api/v1/stats/" + path, token=token)
                assert status == want, (path, status, body)
                assert word in body["error"]["message"], (path, body)
            # what they may see
            assert stats(srv, town, "summary")["scope"]["id"] == "371302001"
            assert stats(srv, town, "summary", scope="unit:cgzf")["scope"]["kind"] == "unit"
            assert stats(srv, handler, "summary", scope="channel:app")["scope"]["id"] == "app"
            assert stats(srv, srv.token, "summary", scope="region:all")["scope"]["name"] == "全部"
            assert len(stats(srv, srv.token, "breakdown", scope="region:all", by="child")["rows"]) == 1
        finally:
            srv.stop()
    finally:
        data.close()


# ---- the recount of generated history ----

CST = 8 * 3600


def ts(iso):
    return int(datetime.datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc).timestamp())


def cst_day(t):
    return (t + CST) // 86400


def day_of(date):
    return (datetime.date.fromisoformat(date) - datetime.date(1970, 1, 1)).days


def recount(data):
    """Counter events (day, leaf, unit, item, channel, counter) from the orders and their
    timelines, by the definitions of docs/API.md, independently of the server."""
    db = data.store()
    out = []
    orders = db.execute("SELECT id, county, COALESCE(grid, ''), COALESCE(item, ''), channel, "
                        "state, COALESCE(unit, ''), COALESCE(sign_deadline, 0), "
                        "COALESCE(reply_deadline, 0), created_at, COALESCE(contact_deadline, 0) "
                        "FROM work_order").fetchall()
    for oid, county, grid, item, channel, state, unit_now, sign_dl, reply_dl, created, \
            contact_dl in orders:
        leaf = grid or county
        events = db.execute("SELECT at, action, COALESCE(from_state, ''), COALESCE(to_state, ''), "
                            "COALESCE(detail, '') FROM order_event WHERE order_id = ? "
                            "ORDER BY seq", (oid,)).fetchall()
        # the generated history never extends, and dispatches again only after an approved
        # return, before any signature: the deadlines in the row are the ones that were in
        # force whenever they count
        acts = [e[1] for e in events]
        assert "approve_extension" not in acts
        assert acts.count("dispatch") <= 1 + acts.count("approve_return")
        unit, finished, rated = "", False, False
        # every rate's numerator counts in its denominator's cohort: the received's (creation
        # day, no unit), the dispatch's, or the first reply's day and unit; once each
        created_t = ts(created)
        dispatch_t, fin_t, fin_u = 0, 0, ""
        signed = returned = answered = reworked = reopened = False
        contacted = False  # the latest dispatch has had its first contact

        def count(t, u, name):
            out.append((cst_day(t), leaf, u, item, channel, name))
        for at, action, frm, to, detail in events:
            t = ts(at)
            body = json.loads(detail) if detail.startswith("{") else {}
            if action == "create":
                count(t, "", "received")
            elif action == "dispatch":
                unit, dispatch_t, signed, returned = body["unit"], t, False, False
                count(t, unit, "dispatched")
                contacted = False
                if contact_dl:  # a reporter to contact by the next working day's close
                    count(t, unit, "contact_due")
            elif action == "contact":
                # the dispatch's first contact, in time: counted in the dispatch's cell
                if not contacted and t <= contact_dl:
                    count(dispatch_t, unit, "contacted_on_time")
                contacted = True
            elif action == "approve_return":
                unit = ""
            elif action == "sign" and (frm, to) == ("dispatched", "signed"):
                if t <= sign_dl and not signed:
                    count(dispatch_t, unit, "signed_on_time")
                signed = True
            elif action == "return" and to == "returning":
                if not returned:
                    count(dispatch_t, unit, "returned")
                returned = True
            elif action == "answer":
                if not answered:
                    count(created_t, "", "direct")
                answered = True
            elif action == "merge":
                count(created_t, "", "repeat")
            elif action == "verify" and not body.get("passed"):
                if finished and not reworked:
                    count(fin_t, fin_u, "rework")
                reworked = True
            elif action == "callback" and "satisfaction" in body:
                if not rated and finished:
                    count(fin_t, fin_u, "called_back")
                rated = True
                count(t, unit, "rated")
                if body["satisfaction"] != "unsatisfied":
                    count(t, unit, "satisfied")
                if body.get("resolved", body["satisfaction"] != "unsatisfied"):
                    count(t, unit, "resolved")
            if action in ("callback", "reopen") and to in ("received", "dispatched"):
                if finished and not reopened:
                    count(fin_t, fin_u, "reopened")
                reopened = True
            if to == "replied" and frm != "replied" and not finished:
                finished = True
                u = unit if action == "reply" else ""
                fin_t, fin_u = t, u
                count(t, u, "finished")
                if not reply_dl or t <= reply_dl:
                    count(t, u, "finished_on_time")
                if u:
                    count(t, u, "handled")
        assert unit == unit_now
        live = state not in ("merged", "invalid")
        if live and state != "closed":
            out.append((cst_day(ts(created)), leaf, unit_now, item, channel, "open"))
        if live and not finished and reply_dl:
            out.append((cst_day(reply_dl), leaf, unit_now, item, channel, "pending_due"))
    db.close()
    return out


def expected(events, today, frm, to, leaf="", unit=None, item="", channel=None):
    c = defaultdict(int)
    pending_ahead = 0
    for d, lf, u, it, ch, name in events:
        if not lf.startswith(leaf) or not it.startswith(item) or (unit is not None and u != unit) \
                or (channel is not None and ch != channel):
            continue
        if frm <= d <= to:
            c[name] += 1
            if name == "pending_due" and d >= today:
                pending_ahead += 1
    due = c["finished"] + c["pending_due"]
    if unit:  # a unit's own figures: what was dispatched to it is what it received
        c["received"] = c["dispatched"]
    return {
        "received": c["received"], "dispatched": c["dispatched"], "direct_answered": c["direct"],
        "direct_rate": (c["direct"], c["received"]),
        "signed_on_time_rate": (c["signed_on_time"], c["dispatched"]),
        "response_rate": (c["contacted_on_time"], c["contact_due"]),
        "due": due, "finished": c["finished"], "finish_rate": (c["finished"], due),
        "finished_on_time_rate": (c["finished_on_time"], due),
        "called_back_rate": (c["called_back"], c["finished"]),
        "satisfaction_rate": (c["satisfied"], c["rated"]),
        "resolution_rate": (c["resolved"], c["rated"]),
        "reopen_rate": (c["reopened"], c["finished"]), "return_rate": (c["returned"], c["dispatched"]),
        "rework_rate": (c["rework"], c["finished"]), "repeat_rate": (c["repeat"], c["received"]),
        "overdue": c["finished"] - c["finished_on_time"] + c["pending_due"] - pending_ahead,
        "handled": c["handled"], "open": c["open"],
    }


def observed(ind):
    out = {}
    for name, v in ind.items():
        if "denominator" in v:
            out[name] = (v["numerator"], v["denominator"])
        elif name == "avg_handling_hours":
            out["handled"] = v["orders"]
        elif name in ("composite", "grade"):
            continue
        else:
            out[name] = v["value"]
    return out


def test_recount_of_generated_history():
    data = Data(grids=False, npm=True)
    try:
        data.generate_district()
        run("orders", "generate", "--data", data.dir, "--county", "371302", "--days", "120",
            "--orders", "3000")
        srv = Server(data)
        try:
            leader = data.add_user(srv, "ld", "leader", "371302", PASSWORD)
            events = recount(data)
            today = day_of(day())
            db = data.store()
            grid = db.execute("SELECT grid FROM work_order WHERE grid IS NOT NULL "
                              "GROUP BY grid ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
            unit = db.execute("SELECT unit FROM work_order WHERE unit IS NOT NULL "
                              "GROUP BY unit ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
            db.close()
            checks = [
                ("region:371302", {}, -119, 10),
                ("region:371302", {}, -29, 0),
                ("region:371302001", dict(leaf="371302001"), -60, -15),
                ("region:371302002001", dict(leaf="371302002001"), -119, 0),
                (f"grid:{grid}", dict(leaf=grid), -90, 5),
                (f"unit:{unit}", dict(unit=unit), -119, 10),
                ("item:06", dict(item="06"), -45, 0),
                ("channel:hotline", dict(channel="hotline"), -119, 0),
            ]

            def summaries_agree():
                for scope, flt, a, b in checks:
                    body = stats(srv, leader, "summary", scope=scope,
                                 **{"from": day(a), "to": day(b)})
                    want = expected(events, today, today + a, today + b, **flt)
                    got = observed(body["indicators"])
                    assert got == want, (scope, set(got) ^ set(want),
                                         {k: (got[k], want[k]) for k in want
                                          if got.get(k) != want[k]})
                    assert want["received"] or want["dispatched"], scope

            summaries_agree()
            # the server's sweep (its first comes a second after the start) folds the change
            # log into the roll-up rows; a server started afterwards builds its roll-ups from
            # them and answers the same
            deadline = time.time() + 20
            while True:
                db = data.store()
                pos = db.execute("SELECT seq FROM stat_roll_pos").fetchone()[0]
                last = db.execute("SELECT MAX(seq) FROM stat_log").fetchone()[0]
                rolled = db.execute("SELECT COUNT(*) FROM stat_roll").fetchone()[0]
                db.close()
                if pos == last and rolled > 0:
                    break
                assert time.time() < deadline, (pos, last, rolled)
                time.sleep(0.5)
            srv.stop()
            srv = Server(data)
            summaries_agree()
            # breakdowns agree row by row
            rows = stats(srv, leader, "breakdown", scope="region:371302", by="child",
                         **{"from": day(-119), "to": day()})["rows"]
            for r in rows:
                want = expected(events, today, today - 119, today, leaf=r["key"])
                assert observed(r["indicators"]) == want, r["key"]
            rows = stats(srv, leader, "breakdown", scope="region:371302", by="unit",
                         **{"from": day(-119), "to": day()})["rows"]
            assert len(rows) > 3
            for r in rows:
                want = expected(events, today, today - 119, today, leaf="371302", unit=r["key"])
                assert observed(r["indicators"]) == want, r["key"]
            # the series' points add up to the whole
            series = stats(srv, leader, "series", scope="region:371302", by="week",
                           indicators="received,finished",
                           **{"from": day(-119), "to": day()})["points"]
            whole = expected(events, today, today - 119, today)
            assert sum(p["indicators"]["received"]["value"] for p in series) == whole["received"]
            assert sum(p["indicators"]["finished"]["value"] for p in series) == whole["finished"]
            units = stats(srv, leader, "units", **{"from": day(-119), "to": day()})["units"]
            ranked = [u["composite"] for u in units if u["composite"] is not None]
            assert ranked == sorted(ranked, reverse=True) and [u["rank"] for u in units] == list(
                range(1, len(units) + 1))
        finally:
            srv.stop()
    finally:
        data.close()


def test_empty_period_answers_empty_lists():
    # nothing received yet: every list is empty (and no sort runs over a missing array, which
    # the sanitizer build stops on)
    data = Data()
    try:
        srv = Server(data)
        try:
            token = data.add_user(srv, "lead0", "leader", "371302", PASSWORD)
            for what, key in [("top-items", "items"), ("units", "units")]:
                status, body = srv.json("GET", f"/api/v1/stats/{what}?scope=region:371302",
                                        token=token)
                assert status == 200 and body[key] == [], (what, body)
            status, body = srv.json("GET", "/api/v1/stats/monthly-problem?scope=region:371302",
                                    token=token)
            assert status == 200 and body["item"] is None and body["regions"] == [], body
            assert srv.proc.poll() is None, "the server is still up"
        finally:
            srv.stop()
    finally:
        data.close()


def test_year_on_year_beside_each_answer():
    # compare=yoy: the answer for the period and, beside each set of indicators, the same days
    # a year earlier and the change — exactly what two plain answers give
    data = Data(grids=False, npm=True)
    try:
        data.generate_district()
        run("orders", "generate", "--data", data.dir, "--county", "371302", "--days", "420",
            "--orders", "2500")
        srv = Server(data)
        try:
            leader = data.add_user(srv, "ldy", "leader", "371302", PASSWORD)
            now = {"from": day(-39), "to": day(-10)}
            a = TODAY - datetime.timedelta(days=39)
            b = TODAY - datetime.timedelta(days=10)

            def year_back(d):
                return (d.replace(day=28) if (d.month, d.day) == (2, 29) else d).replace(
                    year=d.year - 1).isoformat()

            back = {"from": year_back(a), "to": year_back(b)}
            s = stats(srv, leader, "summary", scope="region:371302", compare="yoy", **now)
            plain = stats(srv, leader, "summary", scope="region:371302", **now)
            then = stats(srv, leader, "summary", scope="region:371302", **back)
            assert s["compare"] == {"kind": "yoy", **back}, s["compare"]
            assert s["indicators"] == plain["indicators"]
            assert s["previous"] == then["indicators"]
            assert then["indicators"]["received"]["value"] > 20, "the year before has orders"
            x, y = plain["indicators"]["received"]["value"], then["indicators"]["received"]["value"]
            assert abs(s["change"]["received"] - (x - y) / y) < 1e-9
            r = "satisfaction_rate"
            if plain["indicators"][r]["value"] is not None and then["indicators"][r]["value"] is not None:
                assert abs(s["change"][r] - (plain["indicators"][r]["value"] -
                                             then["indicators"][r]["value"])) < 1e-9
            assert "grade" not in s["change"]
            # breakdown rows by key, series points by the same date a year earlier
            rows = stats(srv, leader, "breakdown", scope="region:371302", by="child",
                         compare="yoy", indicators="received", **now)["rows"]
            earlier = {r["key"]: r for r in stats(srv, leader, "breakdown", scope="region:371302",
                                                  by="child", indicators="received",
                                                  **back)["rows"]}
            assert rows and all(r["previous"] == earlier[r["key"]]["indicators"] for r in rows)
            pts = stats(srv, leader, "series", scope="region:371302", by="day", compare="yoy",
                        indicators="received", **now)["points"]
            days = {p["period"]: p for p in stats(srv, leader, "series", scope="region:371302",
                                                  by="day", indicators="received",
                                                  **back)["points"]}
            for p in pts:
                want = days.get(year_back(datetime.date.fromisoformat(p["period"])))
                assert p["previous"] == (want["indicators"] if want else None), p
            top = stats(srv, leader, "top-items", scope="region:371302", compare="yoy", **now)
            earlier = {i["item"]: i["received"] for i in stats(
                srv, leader, "top-items", scope="region:371302", limit=100, **back)["items"]}
            assert top["previous_total_received"] == y
            for i in top["items"]:
                assert i["previous_received"] == earlier.get(i["item"], 0), i
            # what is refused, and why
            for what, q, msg in [("summary", "compare=mom", "'compare' must be yoy, not 'mom'"),
                                 ("units", "compare=yoy", "'compare' is answered by summary, "
                                  "series, top-items and breakdown")]:
                status, body = srv.json("GET", f"/api/v1/stats/{what}?{q}", token=leader)
                assert status == 400 and body["error"]["message"] == msg, body
        finally:
            srv.stop()
    finally:
        data.close()
