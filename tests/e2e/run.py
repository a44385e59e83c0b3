"""Runs every test_* function of tests/e2e/test_*.py and prints "e2e: N passed, N failed".
With WANGGE_TEST_PG set, the stores are PostgreSQL databases (harness.py). A test marked
@sqlite_only or @postgresql_only runs on that backend alone; on the other it is named apart,
on the line before the summary.

Tests run WANGGE_E2E_JOBS at a time (default 3: most of a test's time is spent waiting on a
server), each in a worker process of its own; every test has its own data directory, store
and port, so they do not meet. A test marked @alone (its figures are timings or memory that
a neighbour would disturb) runs after the others, by itself."""
import contextlib
import importlib.util
import io
import multiprocessing
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (after the path is set)

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_modules = {}


def _module(name):
    if name not in _modules:
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _modules[name] = mod
    return _modules[name]


def run_one(task):
    """Runs one test; answers (file, function, passed, seconds, what it printed)."""
    name, fn = task
    out = io.StringIO()
    t0 = time.time()
    ok = True
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            getattr(_module(name), fn)()
        except Exception:  # a failed assertion or a crash: report and go on
            ok = False
            traceback.print_exc()
    return name, fn, ok, time.time() - t0, out.getvalue()


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
        name, fn, ok, took, printed = result
        if ok:
            passed += 1
            print(f"ok   {name}:{fn} ({took:.2f}s)", flush=True)
        else:
            failed += 1
            print(f"FAIL {name}:{fn} ({took:.2f}s)", flush=True)
        if printed:
            print(printed, end="" if printed.endswith("\n") else "\n", flush=True)
    if jobs > 1 and len(pool) > 1:
        # fork: the workers start with the modules already loaded
        with multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=8) as workers:
            for result in workers.imap_unordered(run_one, pool):
                report(result)
    else:
        for task in pool:
            report(run_one(task))
    for task in alone:
        report(run_one(task))
    print(f"e2e time: {time.time() - t_all:.1f}s on {harness.BACKEND}")
    for backend in sorted({b for b, *_ in own}):
        named = [f"{fn} ({why})" for b, _, fn, why in own if b == backend]
        print(f"e2e ({harness.BACKEND}): {len(named)} tests are {NAMES[backend]}'s own: " +
              ", ".join(named))
    print(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
