#!/bin/sh
# Installs the Debian packages wangge builds, tests and demos with. Idempotent: installs only
# what is missing, so a second run does nothing. clang-format checks the tree's formatting in
# make test; nginx is only the reference that bench/intake starts itself, unprivileged, on a
# loopback port of its own; chromium and a Chinese font are for the console's browser tests
# (tests/browser, driven by playwright-core); curl runs the READMEs' examples
# (tests/e2e/test_readme.py), as their readers do. cairo and Pango write the printable documents
# (src/pdf/: the mediation agreement), in the Song-style face of fonts-arphic-uming (AR PL UMing,
# 8 MB; fonts-wqy-microhei, a sans face, stands in where it is missing). libxlsxwriter writes
# the special reports' spreadsheets (专报, src/pdf/ beside the PDF).
#
# "deps.sh test" adds what only the tests need: PostgreSQL 15, whose private instances the
# tests start themselves (scripts/pg.sh; the package is kept from making and starting a
# cluster of its own), Python's driver for it, and poppler-utils, whose pdftotext reads the
# documents' text back. wangge itself, and make demo, need only libpq's client library.
set -e
PKGS="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
libgeos-dev libsodium-dev libcurl4-openssl-dev libcsv-dev libzip-dev libexpat1-dev sqlite3 python3 nodejs npm ca-certificates curl clang
libclang-rt-14-dev clang-format nginx chromium fonts-wqy-microhei libcairo2-dev libpango1.0-dev fonts-arphic-uming
libxlsxwriter-dev"
[ "${1:-}" = test ] && PKGS="$PKGS postgresql-15 python3-psycopg2 poppler-utils"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# node and npm may come from elsewhere on the machine; only ask apt when they are absent.
command -v node >/dev/null 2>&1 && missing=$(echo "$missing" | sed 's/ nodejs//')
command -v npm >/dev/null 2>&1 && missing=$(echo "$missing" | sed 's/ npm//')
# Another apt or dpkg may be running (on a fresh machine, often unattended-upgrades): wait for
# it, up to WANGGE_APT_WAIT seconds (5 minutes), and say so. apt-get install waits for the dpkg
# lock by itself (DPkg::Lock::Timeout); apt-get update is given it too, but apt 2.6 does not
# wait for the package lists' lock with it, so update is tried again every 5 seconds.
WAIT=${WANGGE_APT_WAIT:-300}
LOCKS=${WANGGE_APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock}
# says so when a process holds one of the locks (/proc/locks names each held file's inode)
note_locks() {
    for lock in $LOCKS; do
        ino=$(stat -c %i "$lock" 2>/dev/null) || continue
        if grep -q ":$ino " /proc/locks 2>/dev/null; then
            echo "deps: another apt or dpkg holds $lock; waiting for it, up to $WAIT seconds"
            return
        fi
    done
}
apt_update() {
    waited=0
    while ! out=$($SUDO apt-get update -qq -o DPkg::Lock::Timeout="$WAIT" 2>&1); do
        if ! echo "$out" | grep -q "Could not get lock" || [ "$waited" -ge "$WAIT" ]; then
            echo "$out" >&2
            return 1
        fi
        [ "$waited" = 0 ] && echo "deps: apt-get update: another apt holds the package lists;" \
            "trying again every 5 seconds, up to $WAIT seconds"
        sleep 5
        waited=$((waited + 5))
    done
    [ -z "$out" ] || echo "$out"
}
if [ -n "$(echo $missing)" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    echo "deps: installing$missing"
    note_locks
    apt_update
    # no cluster of the package's own: the tests make theirs in a temporary directory
    if echo "$missing" | grep -q postgresql-15 && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
        $SUDO mkdir -p /etc/postgresql-common
        echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
    fi
    note_locks
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -o DPkg::Lock::Timeout="$WAIT" \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing
else
    echo "deps: all Debian packages present"
fi
