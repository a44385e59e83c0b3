"""Runs every test_* function of tests/e2e/test_*.py and prints "e2e: N passed, N failed".
With WANGGE_TEST_PG set, the stores are PostgreSQL databases (harness.py). A test marked
@sqlite_only or @postgresql_only runs on that backend alone; on the other it is named apart,
on the line before the summary.

Tests run WANGGE_E2E_JOBS at a time (default 3: most of a test's time is spent waiting on a
server), each in a Python process of its own started afresh; every test has its own data
directory, store and port, so they do not meet. A test that runs over 15 minutes is stopped
and fails. A test marked @alone (its figures are timings or memory that
a neighbour would disturb) runs after the others, by itself."""
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (after the path is set)

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TIMEOUT = 900  # seconds a test may take before it counts as failed and is stopped
_modules = {}


def _module(name):
    if name not in _modules:
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _modules[name] = mod
    return _modules[name]


def one(name, fn):
    """The worker's side (run.py --one FILE FUNCTION): runs one test; exit status 0 if it
    passed, 1 with the traceback printed if not."""
    try:
        getattr(_module(name), fn)()
        return 0
    except Exception:  # a failed assertion or a crash: reported by the runner
        traceback.print_exc()
        for i, srv in enumerate(harness.Server.started):
            said = srv.warnings()
            if said:
                print(f"server {i + 1} of the test logged:\n  " + "\n  ".join(said[-40:]))
        return 1


class Running:
    """One test in a process of its own, its output in a file of its own."""

    def __init__(self, task):
        self.name, self.fn = task
        self.out = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
        self.t0 = time.time()
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--one",
                                      self.name, self.fn], stdout=self.out,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def result(self):
        """(file, function, passed, seconds, processor seconds, what it printed), or None
        while it runs; a test over TIMEOUT is stopped, with whatever it started, and fails."""
        pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
        took = time.time() - self.t0
        if pid == 0 and took < TIMEOUT:
            return None
        note = ""
        if pid == 0:
            os.killpg(self.proc.pid, 9)
            _, status, usage = os.wait4(self.proc.pid, 0)
            note = f"stopped after {TIMEOUT} s\n"
        rc = self.proc.returncode = os.waitstatus_to_exitcode(status)
        # the processor time of the test and of the servers and commands it waited for
        self.cpu = usage.ru_utime + usage.ru_stime
        if not note and rc not in (0, 1):
            note = f"the test's process ended with status {rc}\n"
        self.out.seek(0)
        printed = self.out.read() + note
        self.out.close()
        return self.name, self.fn, rc == 0, took, self.cpu, printed


def run_all(tasks, jobs, report):
    """Runs tasks (file, function), jobs at a time, reporting each as it ends."""
    todo, running = list(tasks), []
    while todo or running:
        while todo and len(running) < jobs:
            running.append(Running(todo.pop(0)))
        time.sleep(0.05)
        for r in list(running):
            res = r.result()
            if res is not None:
                running.remove(r)
                report(res)


def tests(only):
    """The tests to run here, those run alone, and those of another backend (named apart)."""
    pool, alone, own = [], [], []
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        mod = _module(name)
        for fn in sorted(k for k in dir(mod) if k.startswith("test_")):
            if only and not any(o in fn for o in only):
                continue
            f = getattr(mod, fn)
            backend, why = getattr(f, "only_on", (harness.BACKEND, ""))
            if backend != harness.BACKEND:
                own.append((backend, name, fn, why))
            elif hasattr(f, "alone"):
                alone.append((name, fn))
            else:
                pool.append((name, fn))
    return pool, alone, own


def main():
    only = sys.argv[1:]
    jobs = max(1, int(os.environ.get("WANGGE_E2E_JOBS", "3")))
    print(f"e2e backend: {harness.BACKEND}, {jobs} at a time", flush=True)
    t_all = time.time()
    pool, alone, own = tests(only)
    for backend, name, fn, why in own:
        print(f"--   {name}:{fn}: {NAMES[backend]}'s own ({why})", flush=True)
    passed = failed = 0

    def report(result):
        nonlocal passed, failed
        name, fn, ok, took, cpu, printed = result
        if ok:
            passed += 1
            print(f"ok   {name}:{fn} ({took:.2f}s, cpu {cpu:.1f}s)", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}:{fn} ({took:.2f}s, cpu {cpu:.1f}s)", flush=True)
        if printed:
            print(printed, end="" if printed.endswith("\n") else "\n", flush=True)
    # every command and server the tests start hashes passwords at Argon2id's least cost:
    # its 64 MiB passes were most of the suite's processor time (a test of what the real
    # cost does takes the variables out of its servers' environment: harness.real_argon2())
    os.environ.update(harness.LIGHT_ARGON2)
    templates = harness.Data.make_templates()
    try:
        run_all(pool, jobs, report)
        run_all(alone, 1, report)
    finally:
        for data in templates:
            data.close()
    print(f"e2e time: {time.time() - t_all:.1f}s on {harness.BACKEND}")
    for backend in sorted({b for b, *_ in own}):
        named = [f"{fn} ({why})" for b, _, fn, why in own if b == backend]
        print(f"e2e ({harness.BACKEND}): {len(named)} tests are {NAMES[backend]}'s own: " +
              ", ".join(named))
    print(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        sys.exit(one(sys.argv[2], sys.argv[3]))
    sys.exit(main())
