"""The audit log: imports write records, `wangge audit list` reads them, and `wangge audit
verify` names the first record that was edited, removed or moved directly in the store — as
someone with access to the database file (SQLite) or to the database as its owner
(PostgreSQL), who drops the append-only triggers, would do."""
import atexit
import hashlib

from harness import (BACKEND, Data, base_grids, collection, feature, run, square,
                     store_errors)

ZEROS = "0" * 64
COLS = ("seq", "at", "actor", "role", "source", "action", "object_type", "object_id", "result",
        "detail", "prev_hash", "hash")

_base = None


def base():
    """One data directory with a history of imports (good, changed, failed), made once;
    each tampering test works on a copy of it."""
    global _base
    if _base is None:
        data = Data()  # divisions and the base grids: two imports
        grids = base_grids()
        grids[1] = feature("371302001001002", "东关社区第2网格(新)", "base",
                           square(118.31, 35.00, 118.32, 35.01))
        data.import_grids(collection(*grids))  # one grid changed
        code, _, _ = data.import_grids(collection(feature("371302001", "x", "base", None)),
                                       check=False)
        assert code != 0
        data.import_grids(collection(*grids))  # unchanged
        _base = data
        atexit.register(data.close)
    return _base


def rows(data):
    db = data.store()
    try:
        return [dict(zip(COLS, r)) for r in
                db.execute("SELECT " + ", ".join(COLS) + " FROM audit ORDER BY seq")]
    finally:
        db.close()


def record_hash(r):
    """The canonical encoding of docs/internals/audit.md and src/domain/accounts/audit.h, written
    again here: netstrings of prev_hash, seq and the fields, SHA-256."""
    out = b""
    for name in ("prev_hash", "seq", "at", "actor", "role", "source", "action", "object_type",
                 "object_id", "result", "detail"):
        v = str(r[name]).encode("utf-8")
        out += str(len(v)).encode() + b":" + v + b","
    return hashlib.sha256(out).hexdigest()


# what drops the append-only triggers on each backend (schema.def)
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"],
    "postgresql": ["DROP TRIGGER audit_no_change ON audit",
                   "DROP TRIGGER audit_no_truncate ON audit"],
}


def tampered(*statements):
    """A copy of the base data with the triggers dropped and statements run on its store."""
    copy = base().copy()
    db = copy.store()
    try:
        for s in DROP_TRIGGERS[BACKEND]:
            db.execute(s)
        for s in statements:
            if callable(s):
                s(db)
            else:
                db.execute(s)
        db.commit()
    finally:
        db.close()
    return copy


def verify(copy):
    try:
        code, out, err = run("audit", "verify", "--data", copy.dir, check=False)
    finally:
        copy.close()
    return code, out.strip(), err


def expect_bad(copy, seq, words):
    code, out, err = verify(copy)
    assert code == 1, (code, out, err)
    first = out.splitlines()[0]
    assert first.startswith(f"audit: record {seq}: "), out
    assert words in first, out


def test_imports_are_recorded_and_the_chain_checks():
    data = base()
    rs = rows(data)
    assert [r["seq"] for r in rs] == list(range(1, len(rs) + 1)), rs
    imports = [r for r in rs if r["action"] in ("region.import", "grid.import")]
    assert [(r["action"], r["result"]) for r in imports] == [
        ("region.import", "ok"), ("grid.import", "ok"), ("grid.import", "ok"),
        ("grid.import", "failed"), ("grid.import", "ok")], imports
    assert imports[0]["object_type"] == "region" and imports[0]["object_id"] == "371302"
    assert imports[1]["object_type"] == "file" and imports[1]["object_id"].endswith(".geojson")
    assert "4 added" in imports[1]["detail"], imports[1]
    assert "1 changed" in imports[2]["detail"], imports[2]
    assert "nothing was imported" in imports[3]["detail"], imports[3]
    assert "4 unchanged" in imports[4]["detail"], imports[4]
    for r in imports:
        assert r["actor"] == "-" and r["source"].startswith("cli:"), r
    # an independent verifier: every hash recomputes, every link holds
    prev = ZEROS
    for r in rs:
        assert len(r["at"]) == 24 and r["at"].endswith("Z"), r
        assert r["prev_hash"] == prev, r
        assert record_hash(r) == r["hash"], r
        prev = r["hash"]
    _, out, _ = run("audit", "verify", "--data", data.dir)
    lines = out.splitlines()
    assert lines[0] == f"audit: {len(rs)} records, chain intact", out
    assert lines[1] == f"head: record {len(rs)}, hash {prev}", out


def test_triggers_refuse_changes():
    copy = base().copy()
    db = copy.store()
    refusals = ["UPDATE audit SET actor = 'mallory' WHERE seq = 1",
                "DELETE FROM audit WHERE seq = 1", "DELETE FROM audit"]
    if BACKEND == "postgresql":
        refusals.append("TRUNCATE audit")
    try:
        for stmt in refusals:
            try:
                db.execute(stmt)
                raise AssertionError(f"{stmt} was allowed")
            except store_errors() as e:
                assert "append-only" in str(e), e
    finally:
        db.close()
    code, out, _ = verify(copy)
    assert code == 0 and "chain intact" in out, out


def test_verify_names_an_edited_record():
    expect_bad(tampered("UPDATE audit SET actor = 'mallory' WHERE seq = 3"), 3, "hash")
    expect_bad(tampered("UPDATE audit SET result = 'ok' WHERE result = 'failed'"),
               next(r["seq"] for r in rows(base()) if r["result"] == "failed"), "hash")
    expect_bad(tampered("UPDATE audit SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2"), 2,
               "hash")

    # a careful forger recomputes the edited record's own hash: the next record's link breaks
    def forge(db):
        r = dict(zip(COLS, db.execute("SELECT " + ", ".join(COLS) +
                                      " FROM audit WHERE seq = 2").fetchone()))
        r["detail"] = "nothing happened"
        db.execute("UPDATE audit SET detail = ?, hash = ? WHERE seq = 2",
                   (r["detail"], record_hash(r)))
    expect_bad(tampered(forge), 3, "prev_hash does not match record 2")


def test_verify_names_a_deleted_record():
    n = len(rows(base()))
    expect_bad(tampered("DELETE FROM audit WHERE seq = 3"), 3, "missing")
    expect_bad(tampered("DELETE FROM audit WHERE seq = 1"), 1, "missing")
    # the end cut off: the chain alone cannot tell, the record counter does
    expect_bad(tampered(f"DELETE FROM audit WHERE seq = {n}"), n, "missing")
    expect_bad(tampered("DELETE FROM audit"), 1, "missing")
    # removed and the rest renumbered to close the gap
    expect_bad(tampered("DELETE FROM audit WHERE seq = 2",
                        "UPDATE audit SET seq = seq - 1 WHERE seq > 2"), 2, "hash")


def test_verify_names_reordered_records():
    swap = ("UPDATE audit SET seq = -1 WHERE seq = 2", "UPDATE audit SET seq = 2 WHERE seq = 3",
            "UPDATE audit SET seq = 3 WHERE seq = -1")
    expect_bad(tampered(*swap), 2, "moved")

    # moved with seq and both hashes recomputed: the links still give it away
    def reorder(db):
        rs = [dict(zip(COLS, r)) for r in
              db.execute("SELECT " + ", ".join(COLS) + " FROM audit ORDER BY seq")]
        rs[1], rs[2] = rs[2], rs[1]
        for i in (1, 2):
            rs[i]["seq"] = i + 1
            rs[i]["hash"] = record_hash(rs[i])
        db.execute("DELETE FROM audit WHERE seq IN (2, 3)")
        for r in rs[1:3]:
            db.execute("INSERT INTO audit(" + ", ".join(COLS) + ") VALUES (" +
                       ", ".join("?" * len(COLS)) + ")", [r[c] for c in COLS])
    expect_bad(tampered(reorder), 2, "prev_hash does not match record 1")


def list_rows(*args):
    _, out, _ = run("audit", "list", "--data", base().dir, *args)
    lines = out.splitlines()
    assert lines[0].split("\t") == list(COLS[:10]), lines[0]
    return [dict(zip(COLS, l.split("\t"))) for l in lines[1:]]


def test_list_filters():
    every = list_rows("--limit", "1000")
    assert [int(r["seq"]) for r in every] == list(range(len(every), 0, -1))  # newest first
    grids = list_rows("--action", "grid.import")
    assert len(grids) == 4 and all(r["action"] == "grid.import" for r in grids), grids
    assert [r["result"] for r in list_rows("--action", "grid.import", "--limit", "1")] == ["ok"]
    second = list_rows("--action", "grid.import", "--limit", "1", "--offset", "1")
    assert [r["result"] for r in second] == ["failed"], second
    assert len(list_rows("--object-type", "region", "--object-id", "371302")) == 1
    assert list_rows("--actor", "nobody") == []
    assert list_rows("--since", "2999-01-01") == []
    assert list_rows("--until", "2000-01-01T00:00:00Z") == []
    assert len(list_rows("--since", every[-1]["at"], "--limit", "1000")) == len(every)
    assert list_rows("--since", every[0]["at"])[0]["seq"] == every[0]["seq"]
    for bad in (("--since", "yesterday"), ("--limit", "0"), ("--limit", "x"),
                ("--limit", "100000")):
        code, _, err = run("audit", "list", "--data", base().dir, *bad, check=False)
        assert code == 2 and "wangge:" in err, (bad, code, err)
    code, _, err = run("audit", "list", "--data", "/nonexistent/wangge", check=False)
    assert code == 2 and "wangge init" in err, err
