"""scripts/deps.sh (make deps, and the first step of make test and make demo) on a machine
where another apt is running: it waits for that apt's locks, says so, and installs; it gives
up with apt's own message once the wait is over, and a failure that is not a lock is not
waited on. apt-get and dpkg-query are stand-ins that write down how they were called."""
import fcntl
import os
import stat
import subprocess
import tempfile
import time

from harness import ROOT, sqlite_only

FAKE_APT = """#!/bin/sh
echo "$*" >> "$FAKE_DIR/calls"
case "$*" in
*update*)
    n=$(cat "$FAKE_DIR/update-fails" 2>/dev/null || echo 0)
    if [ "$n" != 0 ]; then
        echo $((n - 1)) > "$FAKE_DIR/update-fails"
        echo "E: $FAKE_UPDATE_ERROR" >&2
        exit 100
    fi ;;
*install*)
    case "$*" in *DPkg::Lock::Timeout=*) ;; *)
        echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)" >&2
        exit 100 ;;
    esac ;;
esac
exit 0
"""


def deps(fake, update_fails, error="Could not get lock /var/lib/apt/lists/lock. It is held by "
         "process 4242 (apt-get)", wait=300, locks=""):
    """Runs scripts/deps.sh with the stand-ins first on PATH; returns (exit code, output,
    the stand-in apt-get's calls)."""
    with open(os.path.join(fake, "update-fails"), "w") as f:
        f.write(str(update_fails))
    calls = os.path.join(fake, "calls")
    if os.path.exists(calls):
        os.remove(calls)
    env = dict(os.environ, PATH=fake + ":" + os.environ["PATH"], FAKE_DIR=fake,
               FAKE_UPDATE_ERROR=error, WANGGE_APT_WAIT=str(wait), WANGGE_APT_LOCKS=locks)
    p = subprocess.run([os.path.join(ROOT, "scripts", "deps.sh")], capture_output=True,
                       text=True, env=env, timeout=120)
    with open(calls) as f:
        return p.returncode, p.stdout + p.stderr, f.read().splitlines()


def stand_in(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, stat.S_IRWXU)


@sqlite_only("a test of the set-up script, not of a store")
def test_deps_waits_for_another_apt_and_says_so():
    with tempfile.TemporaryDirectory() as fake:
        stand_in(os.path.join(fake, "apt-get"), FAKE_APT)
        stand_in(os.path.join(fake, "dpkg-query"), "#!/bin/sh\nexit 1\n")  # nothing installed
        stand_in(os.path.join(fake, "sudo"), '#!/bin/sh\nexec "$@"\n')
        lock = os.path.join(fake, "lock-frontend")
        with open(lock, "w") as held:
            # another apt holds the dpkg lock: deps.sh says it waits, and apt-get install is
            # told to wait; the lists' lock is taken for a moment: update is tried again
            fcntl.lockf(held, fcntl.LOCK_EX)
            t0 = time.time()
            rc, out, calls = deps(fake, 1, locks=lock)
            fcntl.lockf(held, fcntl.LOCK_UN)
        assert rc == 0, out
        assert f"another apt or dpkg holds {lock}; waiting for it, up to 300 seconds" in out, out
        assert "trying again every 5 seconds" in out, out
        updates = [c for c in calls if c.startswith("update")]
        installs = [c for c in calls if c.startswith("install")]
        assert len(updates) == 2 and len(installs) == 1, calls
        assert all("-o DPkg::Lock::Timeout=300" in c for c in updates + installs), calls
        assert "libjansson-dev" in installs[0], installs
        assert time.time() - t0 >= 5
        # the lock is still held once the wait is over: apt's own message, and a failure
        rc, out, calls = deps(fake, 100, wait=5)
        assert rc != 0 and "Could not get lock /var/lib/apt/lists/lock" in out, out
        assert len(calls) == 2 and not any(c.startswith("install") for c in calls), calls
        # a failure that is not a lock is not waited on
        rc, out, calls = deps(fake, 1, error="Failed to fetch http://deb.debian.org/ 404")
        assert rc != 0 and "Failed to fetch" in out and "trying again" not in out, out
        assert len(calls) == 1, calls
