"""Runs every test_* function of tests/e2e/test_*.py and prints "e2e: N passed, N failed".
With WANGGE_TEST_PG set, the stores are PostgreSQL databases (harness.py). A test marked
@sqlite_only or @postgresql_only runs on that backend alone; on the other it is named apart,
on the line before the summary."""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402  (after the path is set)

NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def main():
    only = sys.argv[1:]
    passed = failed = 0
    own = []  # tests of another backend's own behaviour, not run on this one
    print(f"e2e backend: {harness.BACKEND}", flush=True)
    t_all = time.time()
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for fn in sorted(k for k in dir(mod) if k.startswith("test_")):
            if only and not any(o in fn for o in only):
                continue
            backend, why = getattr(getattr(mod, fn), "only_on", (harness.BACKEND, ""))
            if backend != harness.BACKEND:
                own.append((backend, f"{fn} ({why})"))
                print(f"--   {name}:{fn}: {NAMES[backend]}'s own ({why})", flush=True)
                continue
            t0 = time.time()
            try:
                getattr(mod, fn)()
                passed += 1
                print(f"ok   {name}:{fn} ({time.time() - t0:.2f}s)", flush=True)
            except Exception:  # a failed assertion or a crash: report and go on
                failed += 1
                print(f"FAIL {name}:{fn}", flush=True)
                traceback.print_exc()
    print(f"e2e time: {time.time() - t_all:.1f}s on {harness.BACKEND}")
    for backend in sorted({b for b, _ in own}):
        tests = [t for b, t in own if b == backend]
        print(f"e2e ({harness.BACKEND}): {len(tests)} tests are {NAMES[backend]}'s own: " +
              ", ".join(tests))
    print(f"e2e: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
