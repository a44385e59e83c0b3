"""Personal information: sealed at rest, masked on output, revealed with a reason, keys rotate."""
import os
import time
import urllib.parse

from harness import Data, Server, run

PHONE = "13812345678"
ID = "11010519491231002X"


def test_profile_sealed_masked_revealed_and_rotated():
    data = Data(grids=False)
    try:
        srv = Server(data)
        try:
            status, body = srv.json("POST", "/api/v1/users",
                                    {"username": "zhang", "role": "gridworker", "scope": "371302001",
                                     "name": "张三丰", "phone": "+86 138 1234 5678", "id_number": ID})
            assert status == 201, body
            status, body = srv.get("/api/v1/users")
            user = next(u for u in body["users"] if u["username"] == "zhang")
            assert user["profile"] == {"name": "张*", "phone": "138****5678",
                                       "id_number": "110105********002X"}, user
            # bad input: a clear error, and nothing stored
            for field, value, word in [("phone", "12345", "phone"), ("id_number", "110105194912310021", "id_number")]:
                status, body = srv.json("POST", "/api/v1/users",
                                        {"username": "li", "role": "agent", "scope": "371302", field: value})
                assert status == 400 and word in body["error"]["message"], body
            status, body = srv.get("/api/v1/users")
            assert "li" not in [u["username"] for u in body["users"]]
            status, body = srv.json("POST", "/api/v1/users/zhang/reveal", {"field": "phone"})
            assert status == 400 and "reason" in body["error"]["message"], body
            status, body = srv.json("POST", "/api/v1/users/zhang/reveal",
                                    {"field": "phone", "reason": "回访核实联系方式"})
            assert status == 200 and body["value"] == PHONE, body
            status, body = srv.json("POST", "/api/v1/users/nobody/reveal",
                                    {"field": "phone", "reason": "check"})
            assert status == 404, body
        finally:
            srv.stop()
        raw = data.raw_bytes()
        assert PHONE.encode() not in raw and ID.encode() not in raw and "张三丰".encode() not in raw
        key = os.path.join(data.dir, "keys", "pii.key")
        assert oct(os.stat(key).st_mode & 0o777) == "0o600"
        _, out, _ = run("key", "rotate", "--data", data.dir)
        assert "key version 2" in out and "3 stored values" in out, out
        srv = Server(data)
        try:
            status, body = srv.json("POST", "/api/v1/users/zhang/reveal",
                                    {"field": "id_number", "reason": "身份核验"})
            assert status == 200 and body["value"] == ID, body
        finally:
            srv.stop()
        os.chmod(key, 0o644)
        rc, _, err = run("key", "rotate", "--data", data.dir, check=False)
        assert rc != 0 and "pii.key" in err, err
    finally:
        data.close()


def test_key_rotation_reseals_reporters_and_open311_contacts():
    """`wangge key rotate` re-seals every stored personal value under the new key: the
    reporters of orders and the contact fields of Open311 requests as well as profiles."""
    data = Data()
    try:
        srv = Server(data)
        try:
            agent = data.add_user(srv, "ag", "agent", "371302", "Agent-pass-2026")
            status, order = srv.json("POST", "/api/v1/orders", {
                "channel": "hotline", "type": "consult", "title": "咨询", "content": "咨询内容",
                "county": "371302", "reporter": {"name": "李四", "phone": "13912345678"}},
                token=agent)
            assert status == 201, order
            status, body = srv.json("POST", "/api/v1/apikeys", {
                "name": "city app", "scope": "371302", "permissions": ["open311"]})
            assert status == 201, body
            form = urllib.parse.urlencode({
                "api_key": body["key"], "service_code": "2108", "lat": "35.003",
                "long": "118.303", "attribute[lamp]": "LS-0123", "attribute[count]": "2-5",
                "first_name": "三", "last_name": "张", "phone": "13812345678",
                "email": "zhangsan@example.com", "device_id": "dev-7",
                "account_id": "acc-42"}).encode()
            status, _, raw = srv.request("POST", "/open311/v2/requests.json", form,
                                         {"Content-Type": "application/x-www-form-urlencoded"},
                                         token=None)
            assert status == 200, raw
        finally:
            srv.stop()

        def sealed_versions():
            db = data.store()
            try:
                values = [v for row in db.execute(
                    "SELECT reporter_name, reporter_phone FROM work_order") for v in row]
                values += [v for row in db.execute(
                    "SELECT email, device_id, account_id FROM open311_request") for v in row]
            finally:
                db.close()
            return sorted({v.split(":")[0] for v in values if v is not None}), len(
                [v for v in values if v is not None])

        assert sealed_versions() == (["v1"], 7)
        _, out, _ = run("key", "rotate", "--data", data.dir)
        assert "key version 2" in out and "7 stored values" in out, out
        assert sealed_versions() == (["v2"], 7)
        # a second rotation moves them again, and the server still reads them
        _, out, _ = run("key", "rotate", "--data", data.dir)
        assert "key version 3" in out and "7 stored values" in out, out
        assert sealed_versions() == (["v3"], 7)
        srv = Server(data)
        try:
            agent = srv.login("ag", "Agent-pass-2026")
            status, body = srv.get(f"/api/v1/orders/{order['id']}", token=agent)
            assert status == 200, body
            assert body["reporter"]["name"] == "李*" and body["reporter"]["phone"] == "139****5678", body
        finally:
            srv.stop()
    finally:
        data.close()


def test_registry_persons_sealed_at_rest_and_rotated():
    """The registry's people and households: ID numbers, names, phones, birth dates, special
    populations and addresses never in clear in the data directory; key rotation re-seals
    them."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    body = "37130219750612031"  # made up, with its check character below
    person_id = body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    name, phone, address = "欧阳明月", "13698765432", "东关街道和平路88号院7号楼"
    data = Data()
    try:
        srv = Server(data)
        try:
            status, _ = srv.json("PUT", "/api/v1/users/admin/registry-sensitive",
                                 {"granted": True})
            assert status == 200
            status, body = srv.json("POST", "/api/v1/persons", {
                "id_number": person_id, "name": name, "phone": phone, "residence": "floating",
                "grid": "371302001001001", "special": ["correction"]})
            assert status == 201 and body["name"] == "欧阳*", body
            pid = body["id"]
            status, body = srv.json("POST", "/api/v1/households", {
                "number": "H-88", "grid": "371302001001001", "address": address, "head": pid})
            assert status == 201, body
        finally:
            srv.stop()
        raw = data.raw_bytes()
        for clear in (person_id, person_id[6:14] + person_id[14:], name, phone, address,
                      "1975-06-12"):
            assert clear.encode() not in raw, clear
        assert b"correction" not in raw
        _, out, _ = run("key", "rotate", "--data", data.dir)
        assert "6 stored values" in out, out  # ID, name, phone, special, birth date; address
        srv = Server(data)
        try:
            status, body = srv.json("POST", f"/api/v1/persons/{pid}/reveal",
                                    {"field": "id_number", "reason": "身份核验"})
            assert status == 200 and body["value"] == person_id, body
        finally:
            srv.stop()
    finally:
        data.close()


def test_visits_and_patrol_tracks_sealed_at_rest_and_rotated():
    """What a grid worker recorded about people — a visit's content and findings, a patrol's
    track and the notes of its checks — never in clear in the data directory; key rotation
    re-seals them."""
    content, findings = "王阿姨说女儿每周六来看她", "独居老人家中电线老化需更换"
    note, lon = "东关小学门口摊贩占道", 118.30617
    data = Data()
    try:
        srv = Server(data)
        try:
            status, body = srv.json("POST", "/api/v1/persons", {  # made up, its check digit
                "id_number": "371302195001010013", "name": "王秀英", "residence": "registered",
                "grid": "371302001001001", "care": ["alone"]})
            assert status == 201, body
            status, body = srv.json("POST", "/api/v1/visits", {
                "subject": {"kind": "person", "id": body["id"]}, "method": "door",
                "content": content, "findings": findings})
            assert status == 201 and body["content"] == content, body
            status, p = srv.json("POST", "/api/v1/patrols", {"grid": "371302001001001"})
            assert status == 201, p
            now = int(time.time())
            status, body = srv.json("POST", f"/api/v1/patrols/{p['id']}/points", {
                "batch": "b1", "points": [[lon, 35.00123, now - 5], [lon, 35.00223, now]]})
            assert status == 200 and body["points"] == 2, body
            status, body = srv.json("POST", f"/api/v1/patrols/{p['id']}/stop", {
                "checks": [{"place": "学校周边", "ok": False, "note": note}]})
            assert status == 200, body
        finally:
            srv.stop()
        raw = data.raw_bytes()
        for clear in (content, findings, note, "学校周边", str(lon), "35.00123"):
            assert clear.encode() not in raw, clear
        _, out, _ = run("key", "rotate", "--data", data.dir)
        # the person's ID, name, birth date and groups; the visit's two; the checks; the track
        assert "8 stored values" in out, out
        srv = Server(data)
        try:
            status, body = srv.get("/api/v1/visits/1")
            assert status == 200 and body["findings"] == findings, body
            status, body = srv.get(f"/api/v1/patrols/{p['id']}")
            assert body["track"][0][0] == lon and body["checks"][0]["note"] == note, body
        finally:
            srv.stop()
    finally:
        data.close()
