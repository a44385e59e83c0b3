"""What only a PostgreSQL store has: connections to a server that can lose them (a restart, a
failover, an administrator's pg_terminate_backend) and a writers' lock that can be waited
for in vain. The server must come through either and go on serving."""
from harness import Data, Server, _pg_admin, postgresql_only

PASSWORD = "Agent-pass-2026"
ORDER = {"channel": "hotline", "type": "complaint", "item": "06028", "title": "噪声扰民",
         "content": "楼下烧烤店半夜很吵", "lon": 118.303, "lat": 35.003}
WRITER_LOCK = 7297280  # the store's writers' lock, taken at BEGIN (src/store/schema.def)


def create(srv, token):
    status, body = srv.json("POST", "/api/v1/orders", ORDER, token=token)
    return status, body


@postgresql_only("connections to a database server")
def test_connections_lost_between_transactions_are_made_again():
    data = Data()
    try:
        srv = Server(data, "--quiet")
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            status, first = create(srv, ag)
            assert status == 201, first
            admin = _pg_admin()
            try:
                cur = admin.cursor()
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = %s AND pid <> pg_backend_pid()", (data.dbname,))
                assert len(cur.fetchall()) >= 2  # the writer's and a reader's, at least
            finally:
                admin.close()
            # nothing was under way: every request finds a connection as if nothing happened
            for _ in range(3):
                status, body = create(srv, ag)
                assert status == 201, body
                status, body = srv.get("/api/v1/orders?limit=5", token=ag)
                assert status == 200 and body["orders"][0]["id"] > first["id"], body
                status, body = srv.get(f"/api/v1/orders/{first['id']}", token=ag)
                assert status == 200 and body["number"] == first["number"], body
        finally:
            code, log = srv.stop()
        assert code == 0, log
        assert "lost connection was made again" in log, log
    finally:
        data.close()


@postgresql_only("a writers' lock held on a database server")
def test_a_writer_that_could_not_begin_leaves_its_connection_usable():
    """A BEGIN that waited for the writers' lock in vain (here: one second, the database's
    statement_timeout) fails that write alone; the writes after it go through."""
    data = Data()
    admin = _pg_admin()
    try:
        admin.cursor().execute(f'ALTER DATABASE "{data.dbname}" SET statement_timeout = \'1s\'')
        srv = Server(data, "--quiet")
        try:
            ag = data.add_user(srv, "ag", "agent", "371302", PASSWORD)
            holder = data.store()
            try:
                holder.execute("SELECT pg_advisory_lock(?)", (WRITER_LOCK,))
                status, body = create(srv, ag)
                assert status == 503, (status, body)
            finally:
                holder.close()  # the lock goes with its session
            for _ in range(3):
                status, body = create(srv, ag)
                assert status == 201, body
        finally:
            code, log = srv.stop()
        assert code == 0, log
    finally:
        admin.close()
        data.close()
