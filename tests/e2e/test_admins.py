"""三员分立 (等保 2.0 level 3): the three administrators kept apart. The sysadmin makes and
resets operational accounts only; the secadmin alone makes and resets the administrators'
(`wangge init` makes the first of each); no administrator ever knows another's password — each
is made or reset with a one-time password the server makes, which must be changed at first
login; and every step is on the audit record."""
import os

from harness import Data, Server, first_administrators, run

PASSWORD = "Admin-own-2026"
TOWN = "371302001"


def audit(data, action):
    """(actor, object_id, result, detail) of every record of action, in order."""
    db = data.store()
    try:
        return [tuple(r) for r in db.execute(
            "SELECT actor, object_id, result, detail FROM audit WHERE action = ? ORDER BY seq",
            (action,)).fetchall()]
    finally:
        db.close()


def accounts(data):
    db = data.store()
    try:
        return db.execute("SELECT username, role FROM account ORDER BY username").fetchall()
    finally:
        db.close()


def test_init_makes_the_three_with_one_time_passwords():
    data = Data(grids=False)
    try:
        assert set(data.first) == {"admin", "secadmin", "auditor"}, data.first
        assert len(set(data.first.values())) == 3
        assert [tuple(a) for a in accounts(data)] == [("admin", "sysadmin"),
                                                      ("auditor", "auditor"),
                                                      ("secadmin", "secadmin")]
        # run again it makes none; on a store made before, the ones it lacks
        _, out, _ = run("init", "--data", data.dir)
        assert first_administrators(out) == {}, out
        db = data.store()
        try:
            db.execute("DELETE FROM account WHERE username IN ('secadmin', 'auditor')")
            db.commit()
        finally:
            db.close()
        _, out, _ = run("init", "--data", data.dir)
        again = first_administrators(out)
        assert set(again) == {"secadmin", "auditor"}, out
        data.first.update(again)
        srv = Server(data)
        try:
            for name in ["secadmin", "auditor"]:
                status, body = srv.json("POST", "/api/v1/session",
                                        {"username": name, "password": data.first[name]},
                                        token=None)
                assert status == 201 and body["must_change_password"] is True, body
                # nothing but the change is open to it until its holder sets their own
                status, _ = srv.get("/api/v1/admins" if name == "secadmin" else "/api/v1/audit",
                                    token=body["token"])
                assert status == 403
                srv.login_first(data, name)
        finally:
            srv.stop()
        made = [r[1] for r in audit(data, "user.create")]
        assert made == ["admin", "secadmin", "auditor", "secadmin", "auditor"], made
    finally:
        data.close()


def test_sysadmin_makes_operational_accounts_only():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            before = accounts(data)
            for role in ["auditor", "secadmin", "sysadmin"]:
                status, body = srv.json("POST", "/api/v1/users", {
                    "username": "mine_" + role, "role": role, "scope": "all",
                    "password": "Chosen-pass-2026"})
                assert status == 403 and "/api/v1/admins" in body["error"]["message"], body
                status, body = srv.json("POST", "/api/v1/admins",
                                        {"username": "mine_" + role, "role": role})
                assert status == 403, body
            assert accounts(data) == before
            # an auditor it could make would be one whose password it chose: there is none
            status, _ = srv.json("POST", "/api/v1/session", {"username": "mine_auditor",
                                                             "password": "Chosen-pass-2026"},
                                 token=None)
            assert status == 401
            status, body = srv.json("POST", "/api/v1/users",
                                    {"username": "w1", "role": "gridworker", "scope": TOWN})
            assert status == 201 and body["initial_password"], body
            status, body = srv.json("POST", "/api/v1/users/w1/reset-password")
            assert status == 200 and body["must_change_password"] is True, body
            # nor may it reset an administrator's password (its own is changed, not reset)
            for name in ["auditor", "secadmin", "admin"]:
                status, body = srv.json("POST", f"/api/v1/users/{name}/reset-password")
                assert status == 403, body
            status, body = srv.json("POST", "/api/v1/users/nobody/reset-password")
            assert status == 404, body
        finally:
            srv.stop()
        refused = [(r[1], r[2]) for r in audit(data, "user.create") if r[0] == "admin"]
        assert refused == [("mine_auditor", "denied"), ("mine_secadmin", "denied"),
                           ("mine_sysadmin", "denied"), ("w1", "ok")], refused
        resets = [(r[1], r[2]) for r in audit(data, "user.password_reset")]
        assert resets == [("w1", "ok"), ("auditor", "denied"), ("secadmin", "denied"),
                          ("admin", "denied"), ("nobody", "failed")], resets
    finally:
        data.close()


def test_secadmin_makes_and_resets_administrators():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            sec = srv.login_first(data, "secadmin")
            status, body = srv.json("POST", "/api/v1/admins", {
                "username": "aud2", "role": "auditor", "password": "Chosen-pass-2026"}, token=sec)
            assert status == 400 and "'password'" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/admins", {"username": "ag", "role": "agent",
                                                               "scope": TOWN}, token=sec)
            assert status == 403 and "/api/v1/users" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/admins", {"username": "aud2",
                                                               "role": "guru"}, token=sec)
            assert status == 400 and "guru" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/admins",
                                    {"username": "aud2", "role": "auditor"}, token=sec)
            assert status == 201 and body["must_change_password"] is True, body
            assert body["scope"] == "all"
            once = body["initial_password"]
            status, body = srv.json("POST", "/api/v1/admins",
                                    {"username": "aud2", "role": "auditor"}, token=sec)
            assert status == 409, body
            # the new auditor sets its own password; the secadmin knows only the one-time one
            aud = srv.login("aud2", once)
            status, body = srv.get("/api/v1/audit", token=aud)
            assert status == 403 and "/api/v1/me/password" in body["error"]["message"], body
            status, _ = srv.json("PUT", "/api/v1/me/password",
                                 {"old_password": once, "new_password": PASSWORD}, token=aud)
            assert status == 200
            status, _ = srv.get("/api/v1/audit?limit=1", token=aud)
            assert status == 200
            status, _ = srv.json("POST", "/api/v1/session",
                                 {"username": "aud2", "password": once}, token=None)
            assert status == 401
            # a reset: a new one-time password, the sessions ended, a change due again
            status, body = srv.json("POST", "/api/v1/admins/aud2/reset-password", token=sec)
            assert status == 200 and body["initial_password"] != once, body
            again = body["initial_password"]
            status, _ = srv.get("/api/v1/audit?limit=1", token=aud)
            assert status == 401
            status, body = srv.json("POST", "/api/v1/session",
                                    {"username": "aud2", "password": PASSWORD}, token=None)
            assert status == 401, body
            status, body = srv.json("POST", "/api/v1/session",
                                    {"username": "aud2", "password": again}, token=None)
            assert status == 201 and body["must_change_password"] is True, body
            status, body = srv.get("/api/v1/admins", token=sec)
            assert status == 200, body
            listed = {a["username"]: a for a in body["admins"]}
            assert set(listed) == {"admin", "secadmin", "auditor", "aud2"}, listed
            assert listed["aud2"]["must_change_password"] is True
            assert all("profile" not in a for a in body["admins"])
            # a secadmin makes sysadmins and secadmins too, but not operational accounts, and
            # does not reset its own password
            for name, role in [("sys2", "sysadmin"), ("sec2", "secadmin")]:
                status, body = srv.json("POST", "/api/v1/admins",
                                        {"username": name, "role": role}, token=sec)
                assert status == 201, body
            pwfile = os.path.join(data.dir, "pw")
            with open(pwfile, "w") as f:
                f.write("Initial-pass-1\n")
            run("user", "add", "--data", data.dir, "--username", "w1", "--role", "gridworker",
                "--scope", TOWN, "--password-file", pwfile)
            status, body = srv.json("POST", "/api/v1/admins/w1/reset-password", token=sec)
            assert status == 403 and "/api/v1/users" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/admins/secadmin/reset-password", token=sec)
            assert status == 403 and "/api/v1/me/password" in body["error"]["message"], body
            # the secadmin reads no audit log and no operational account
            for path in ["/api/v1/audit", "/api/v1/users"]:
                status, _ = srv.get(path, token=sec)
                assert status == 403
            # and the auditor may read the record of it all
            aud = srv.login_first(data, "auditor")
            status, body = srv.get("/api/v1/audit?object_type=account&limit=200", token=aud)
            assert status == 200, body
            seen = {(r["action"], r["actor"], r["object_id"], r["result"])
                    for r in body["records"]}
            for want in [("user.create", "secadmin", "aud2", "ok"),
                         ("user.create", "secadmin", "ag", "denied"),
                         ("account.password_change", "aud2", "aud2", "ok"),
                         ("user.password_reset", "secadmin", "aud2", "ok"),
                         ("user.password_reset", "secadmin", "w1", "denied"),
                         ("user.password_reset", "secadmin", "secadmin", "denied"),
                         ("user.create", "secadmin", "sys2", "ok")]:
                assert want in seen, (want, sorted(seen))
        finally:
            srv.stop()
    finally:
        data.close()
