"""Personal information: sealed at rest, masked on output, revealed with a reason, keys rotate."""
import os

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
