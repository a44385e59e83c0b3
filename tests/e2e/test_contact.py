"""Calling the resident: the reporter's phone revealed with a reason to those who call them,
on the audit log before it leaves (or, with call_proxy on, a call requested through the
outbox instead); and the unit's contact with the reporter, due by the close of the next
working day after dispatch, on the timeline, in the order and in 响应率."""
import datetime
import json

from harness import BACKEND, Data, Server, config, wait_for, act
from test_notify import Hook

PASSWORD = "Call-pass-2026"
PHONE = "13812345678"
NOISE = {"channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
         "content": "夜间施工", "lon": 118.303, "lat": 35.003,
         "reporter": {"name": "张三", "phone": PHONE}}
CST = datetime.timezone(datetime.timedelta(hours=8))


def user(data, srv, name, role, scope="371302"):
    return data.add_user(srv, name, role, scope, PASSWORD)


def unit(srv, uid):
    status, body = srv.json("POST", "/api/v1/units", {"id": uid, "name": "单位" + uid,
                                                      "kind": "department",
                                                      "regions": ["371302"]})
    assert status == 201, body


def create(srv, token, **change):
    status, o = srv.json("POST", "/api/v1/orders", dict(NOISE, **change), token=token)
    assert status == 201, o
    return o


def get(srv, token, order):
    status, body = srv.json("GET", f"/api/v1/orders/{order['id']}", token=token)
    assert status == 200, body
    return body


def reveal(srv, token, order_id, body, expect):
    status, answer = srv.json("POST", f"/api/v1/orders/{order_id}/reveal", body, token=token)
    assert status == expect, (order_id, body, status, answer)
    return answer


def reveals(data):
    db = data.store()
    try:
        return db.execute("SELECT actor, object_type, object_id, result, detail FROM audit "
                          "WHERE action = 'pii.reveal' ORDER BY seq").fetchall()
    finally:
        db.close()


def block_audit(data):
    """Makes every audit append fail, as a full or broken log would."""
    db = data.store()
    try:
        if BACKEND == "postgresql":
            db.execute("CREATE FUNCTION no_audit() RETURNS trigger AS $$ BEGIN "
                       "RAISE EXCEPTION 'audit log unavailable'; END $$ LANGUAGE plpgsql")
            db.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW "
                       "EXECUTE FUNCTION no_audit()")
        else:
            db.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN "
                       "SELECT RAISE(ABORT, 'audit log unavailable'); END")
        db.commit()
    finally:
        db.close()


def test_reveal_by_role_audited_first():
    data = Data()
    try:
        srv = Server(data)
        try:
            unit(srv, "cgzf")
            unit(srv, "other")
            ag = user(data, srv, "ag", "agent")
            sup = user(data, srv, "sup", "supervisor")
            hd = user(data, srv, "hd", "handler", "unit:cgzf")
            stranger = user(data, srv, "hx", "handler", "unit:other")
            others = {role: user(data, srv, "u-" + role, role)
                      for role in ("gridworker", "community", "mediator", "leader")}
            o = create(srv, ag)
            assert o["reporter"]["phone"] == "138****5678" and o["reporter"]["revealable"], o

            # bad inputs name the field and reveal nothing, record nothing
            for body, word in [({}, "'reason'"), ({"reason": ""}, "'reason'"),
                               ({"reason": "   \t "}, "'reason'"), ({"reason": 7}, "'reason'"),
                               ({"reason": "回访核实", "field": "phone"}, "field")]:
                answer = reveal(srv, ag, o["id"], body, 400)
                assert word in answer["error"]["message"] and PHONE not in json.dumps(answer)
            status, answer = srv.json("POST", f"/api/v1/orders/{o['id']}/reveal", "{bad",
                                      token=ag)
            assert status == 400, answer
            reveal(srv, ag, 999, {"reason": "回访核实"}, 404)
            reveal(srv, ag, "x1", {"reason": "回访核实"}, 404)
            assert reveals(data) == [("ag", "order", "999", "failed",
                                      "name, phone: 回访核实 (order 999 does not exist)")]

            # the centre calls; the record is there as soon as the answer is
            assert reveal(srv, ag, o["id"], {"reason": "回访核实诉求"}, 200) == {
                "name": "张三", "phone": PHONE}
            assert reveals(data)[-1] == ("ag", "order", str(o["id"]), "ok",
                                         "name, phone: 回访核实诉求")
            assert reveal(srv, sup, o["id"], {"reason": "督办了解情况"}, 200)["phone"] == PHONE

            # a unit's handler: once the order is its unit's, never another unit's
            reveal(srv, hd, o["id"], {"reason": "联系群众"}, 404)
            o = act(srv, ag, o, "dispatch", {"unit": "cgzf"})
            assert get(srv, hd, o)["reporter"]["revealable"] is True
            assert reveal(srv, hd, o["id"], {"reason": "联系群众协商"}, 200)["phone"] == PHONE
            reveal(srv, stranger, o["id"], {"reason": "联系群众"}, 404)

            # every other role: 403 naming who may, on the record as denied
            for role, token in others.items():
                assert get(srv, token, o)["reporter"].get("revealable") is False, role
                answer = reveal(srv, token, o["id"], {"reason": "想打电话"}, 403)
                assert "agents, supervisors and the handlers" in answer["error"]["message"]
                assert PHONE not in json.dumps(answer)
            for role in ("sysadmin", "auditor"):
                token = srv.token if role == "sysadmin" else srv.login_first(data, "auditor")
                reveal(srv, token, o["id"], {"reason": "想打电话"}, 403)
            denied = [r for r in reveals(data) if r[3] == "denied"]
            assert sorted(r[0] for r in denied) == sorted("u-" + r for r in others), denied

            # a confidential order never shows its reporter to units, with the reason
            c = create(srv, ag, confidential=True)
            c = act(srv, ag, c, "dispatch", {"unit": "cgzf"})
            assert get(srv, hd, c)["reporter"] == {"confidential": True}
            answer = reveal(srv, hd, c["id"], {"reason": "联系群众"}, 403)
            assert "confidential" in answer["error"]["message"], answer
            assert reveal(srv, ag, c["id"], {"reason": "保密件回访"}, 200)["phone"] == PHONE
            # an anonymous order keeps nobody to reveal
            a = create(srv, ag, anonymous=True)
            answer = reveal(srv, ag, a["id"], {"reason": "回访核实"}, 409)
            assert "anonymous" in answer["error"]["message"], answer

            # no record, no number: when the log cannot take the reveal, nothing leaves
            block_audit(data)
            status, answer = srv.json("POST", f"/api/v1/orders/{o['id']}/reveal",
                                      {"reason": "回访核实"}, token=ag)
            # alike on both stores: the service cannot reveal now; its log says why
            assert status == 503 and PHONE not in json.dumps(answer), (status, answer)
        finally:
            _, log = srv.stop()
        # nothing revealed is logged: not in the server's log, not in the audit records
        assert PHONE not in log and "张三" not in log
        assert "was not recorded in the audit log: " in log and "audit log unavailable" in log, log
        assert all(PHONE not in (r[4] or "") for r in reveals(data))
    finally:
        data.close()


def test_call_proxy_requests_a_call_instead():
    data = Data()
    hook = Hook([200])
    try:
        srv = Server(data, "--config", config(data, call_proxy="on"), "--webhook", hook.url)
        try:
            unit(srv, "cgzf")
            ag = user(data, srv, "ag", "agent")
            gw = user(data, srv, "gw", "gridworker")
            o = create(srv, ag)
            answer = reveal(srv, ag, o["id"], {"reason": "回访核实"}, 200)
            assert answer["call_requested"] is True and "phone" not in answer, answer
            assert PHONE not in json.dumps(answer)
            reveal(srv, gw, o["id"], {"reason": "回访核实"}, 403)
            db = data.store()
            try:
                rows = db.execute("SELECT recipient, kind, order_id, payload FROM outbox "
                                  "WHERE kind = 'call_request'").fetchall()
            finally:
                db.close()
            assert len(rows) == 1, rows  # the refused one queued nothing
            recipient, kind, order_id, payload = rows[0]
            assert (recipient, order_id) == ("call_proxy", o["id"]), rows
            p = json.loads(payload)
            assert p["by"] == "ag" and p["order"]["number"] == o["number"], p
            assert PHONE not in payload and p["reporter_phone_sealed"], p
            assert [r[3:] for r in reveals(data)] == [("ok", "call: 回访核实"), (
                "denied", "call: 回访核实 (order %d's reporter cannot be revealed to you: only "
                "agents, supervisors and the handlers of the unit holding it reveal its reporter)"
                % o["id"])]
            # the caller's own notifications do not list the call service's rows
            status, body = srv.json("GET", "/api/v1/notifications", token=ag)
            assert status == 200 and body["notifications"] == [], body
            # the relay gets the number opened on its way out; the store keeps it sealed
            assert wait_for(lambda: any(b["kind"] == "call_request" for b in hook.bodies()), 20)
            sent = next(b for b in hook.bodies() if b["kind"] == "call_request")
            assert sent["recipient"] == "call_proxy" and sent["order_id"] == o["id"], sent
            assert sent["payload"]["reporter_phone"] == PHONE, sent
            assert "reporter_phone_sealed" not in sent["payload"], sent
        finally:
            _, log = srv.stop()
            hook.close()
        assert PHONE not in log
        assert PHONE.encode() not in data.raw_bytes()
        # a value that is neither on nor off is refused at start, naming it
        bad = config(data, "bad.conf", call_proxy="maybe")
        try:
            Server(data, "--config", bad)
            assert False, "a server started with call_proxy = maybe"
        except AssertionError as e:
            assert "call_proxy 'maybe' is not on or off" in str(e), e
    finally:
        data.close()


def test_contact_due_next_working_day_and_counted():
    data = Data()
    try:
        srv = Server(data)
        try:
            unit(srv, "cgzf")
            unit(srv, "gas")
            ag = user(data, srv, "ag", "agent")
            hd = user(data, srv, "hd", "handler", "unit:cgzf")
            gas = user(data, srv, "hg", "handler", "unit:gas")
            ld = user(data, srv, "ld", "leader")
            o = create(srv, ag)
            assert "deadlines" not in o and "first_contact" not in o
            act(srv, hd, o, "contact", {"reached": True, "means": "phone"}, expect=404)
            o = act(srv, ag, o, "dispatch", {"unit": "cgzf", "assisting": ["gas"]})
            due = datetime.datetime.fromisoformat(o["deadlines"]["contact"].replace("Z", "+00:00"))
            dispatched = datetime.datetime.fromisoformat(
                o["timeline"][-1]["at"].replace("Z", "+00:00"))
            # the close of the next working day (Monday to Friday here: no tables loaded)
            local = due.astimezone(CST)
            assert (local.hour, local.minute) == (17, 30) and local.weekday() < 5, local
            assert 1 <= (local.date() - dispatched.astimezone(CST).date()).days <= 3
            assert "contact" in get(srv, hd, o)["allowed_actions"]
            assert "contact" not in get(srv, gas, o)["allowed_actions"]

            # bad bodies name the field and change nothing
            now = datetime.datetime.now(datetime.timezone.utc)
            for body, word in [
                    ({"means": "phone"}, "'reached'"),
                    ({"reached": "yes", "means": "phone"}, "'reached'"),
                    ({"reached": True}, "'means'"),
                    ({"reached": True, "means": "fax"}, "'means'"),
                    ({"reached": True, "means": "phone", "at": "yesterday"}, "'at'"),
                    ({"reached": True, "means": "phone", "at": "2026-03-02T14:30:00+09:00"}, "'at'"),
                    ({"reached": True, "means": "phone",
                      "at": (now + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")},
                     "later than now"),
                    ({"reached": True, "means": "phone", "at": "2020-01-01T00:00:00Z"},
                     "before order"),
                    ({"reached": True, "means": "phone", "how": "call"}, "how")]:
                answer = act(srv, hd, o, "contact", body, expect=400)
                assert word in answer["error"]["message"], (body, answer)
            assert get(srv, hd, o)["version"] == o["version"]
            # who may: the lead unit; the centre and an assisting unit may not
            assert "only the lead unit" in act(srv, gas, o, "contact",
                                               {"reached": True, "means": "phone"},
                                               expect=409)["error"]["message"]
            act(srv, ag, o, "contact", {"reached": True, "means": "phone"}, expect=403)

            # the first contact: on the order and its timeline; a later one leaves it
            at = dispatched.astimezone(CST).strftime("%Y-%m-%dT%H:%M:%S+08:00")  # China time
            o = act(srv, hd, o, "contact", {"reached": False, "means": "phone", "at": at,
                                            "note": "无人接听"})
            first = o["first_contact"]
            assert first["reached"] is False and first["means"] == "phone", first
            assert first["on_time"] is True
            assert first["at"] == dispatched.strftime("%Y-%m-%dT%H:%M:%SZ"), first
            ev = o["timeline"][-1]
            assert ev["action"] == "contact" and ev["actor"] == "hd" and ev["to"] == "dispatched"
            assert json.loads(ev["detail"])["note"] == "无人接听", ev
            o = act(srv, hd, o, "sign")
            o = act(srv, hd, o, "contact", {"reached": True, "means": "visit"})
            assert o["first_contact"] == first and o["state"] == "signed", o
            assert [e["action"] for e in o["timeline"]].count("contact") == 2

            # an anonymous order has nobody to contact: nothing owed, nothing to record
            a = create(srv, ag, anonymous=True)
            a = act(srv, ag, a, "dispatch", {"unit": "cgzf"})
            assert "contact" not in a["deadlines"] and "contact" not in get(
                srv, hd, a)["allowed_actions"]
            answer = act(srv, hd, a, "contact", {"reached": True, "means": "phone"}, expect=409)
            assert "anonymous" in answer["error"]["message"], answer
            # a dispatched order not yet contacted
            create_b = create(srv, ag)
            act(srv, ag, create_b, "dispatch", {"unit": "cgzf"})

            # 响应率: contacted in time / dispatches owed a contact, from the same cohort
            today = datetime.datetime.now(CST).date().isoformat()
            status, s = srv.json("GET", f"/api/v1/stats/summary?scope=region:371302&from={today}"
                                 f"&to={today}", token=ld)
            assert status == 200, s
            r = s["indicators"]["response_rate"]
            assert (r["numerator"], r["denominator"]) == (1, 2), r
            assert s["indicators"]["dispatched"] == {"value": 3}
            status, u = srv.json("GET", "/api/v1/stats/units?scope=region:371302", token=ld)
            row = next(x for x in u["units"] if x["unit"] == "cgzf")
            assert (row["response_rate"]["numerator"], row["response_rate"]["denominator"]) == (1, 2)
        finally:
            srv.stop()
    finally:
        data.close()
