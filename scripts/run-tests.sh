#!/bin/sh
# Runs every suite the way CI does, on both stores: the unit tests of the release and the
# sanitizer build (SQLite's two programs at a time; those of the store, every test that
# includes tests/unit/t_store.h, once on SQLite and once on PostgreSQL), the end-to-end
# tests against the sanitizer build's binary on each store (every test under ASan and UBSan;
# the release binary is what the browser tests and the benchmarks drive, and running the
# suite against it too doubled its time past the 20 minutes make test has), then the
# console's browser tests (release, SQLite). PostgreSQL is a private instance started here
# (scripts/pg.sh) and stopped at the end. Prints each suite's "N passed, N failed" line
# under [build/store] and a total; exits non-zero when anything failed. The last lines
# repeat what failed, so the tail of a CI log is enough to see it.
set -u
cd "$(dirname "$0")/.."
fails=0
started=$(date +%s)
passed_total=0
failed_total=0
log=$(mktemp)
digest=$(mktemp)
unitdir=$(mktemp -d)
pgdir=$(mktemp -d /tmp/wgpg-XXXXXX)
trap 'scripts/pg.sh stop "$pgdir"; rm -rf "$log" "$digest" "$unitdir"' EXIT
tally() { # reads a suite's output, adds its last "N passed, N failed" line to the totals
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    passed_total=$((passed_total + ${p:-0}))
    failed_total=$((failed_total + ${f:-0}))
}
# Leaks are checked in full but for one library's: fontconfig loses 288 bytes once while it
# parses its configuration, which the sanitizer build leaves out itself (src/pdf/pdf.c,
# __lsan_default_suppressions, so that a test run by hand sees the same), and only that.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# report NAME SHOW RC SECONDS: reports a suite whose output is in $log; a failure shows all
# of it, a success the lines matching SHOW; either way its counts go to the totals
report() {
    printf '[%s/%s] %s (%d s)\n' "$variant" "$store" "$1" "$4"
    if [ "$3" -ne 0 ]; then
        fails=$((fails + 1))
        cat "$log"
        { printf '[%s/%s] %s:\n' "$variant" "$store" "$1"
          grep -E '^FAIL|check failed|Sanitizer|runtime error|^[A-Za-z_.]*(Error|Exception|Expired|Timeout)\b' "$log" |
              head -n 40; } >>"$digest"
        grep -qE '[0-9]+ passed, [0-9]+ failed' "$log" || failed_total=$((failed_total + 1))
    else
        grep -E "$2" "$log"
    fi
    tally
}
# suite NAME SHOW CMD...: runs one suite with its output in $log, and reports it
suite() {
    name=$1
    show=$2
    shift 2
    t0=$(date +%s)
    "$@" >"$log" 2>&1
    report "$name" "$show" $? $(($(date +%s) - t0))
}
# units STORE JOBS PROGRAM...: runs the unit programs (on PostgreSQL with WANGGE_TEST_PG set),
# JOBS at a time, then reports each in order. SQLite's run two at a time (the machine has two
# cores); PostgreSQL's one at a time: two at once on the one cluster took 2-4 times as long
# each (test_stats 25 s alone, 97 s beside another), longer than one after the other.
units() {
    ustore=$1
    ujobs=$2
    shift 2
    rm -rf "$unitdir" && mkdir "$unitdir"
    # shellcheck disable=SC2016 # the inner shell expands them
    for t in "$@"; do printf '%s\n' "$t"; done |
        UNITDIR=$unitdir USTORE=$ustore PG=$pg xargs -P "$ujobs" -n 1 sh -c '
            o=$UNITDIR/$(basename "$1"); t0=$(date +%s)
            if [ "$USTORE" = postgresql ]; then WANGGE_TEST_PG=$PG "$1" >"$o.log" 2>&1
            else "$1" >"$o.log" 2>&1; fi
            echo $? $(($(date +%s) - t0)) >"$o.rc"' sh
    store=$ustore
    for t in "$@"; do
        o=$unitdir/$(basename "$t")
        cp "$o.log" "$log"
        read -r rc took <"$o.rc"
        report "$(basename "$t")" '[0-9]+ passed, [0-9]+ failed' "$rc" "$took"
    done
}
# The tests' cluster does not wait for its disk: they stop wangge's servers (kill -9 too), never
# PostgreSQL's, so what a commit acknowledged is in the server's memory whether or not it is on
# disk yet, and the store suites took 185 s with fsync instead of 160 s. The benchmarks start
# theirs with the defaults of scripts/pg.sh (fsync on), as a deployment runs.
pg=$(WANGGE_PG_OPTS="${WANGGE_PG_OPTS:--c fsync=off -c synchronous_commit=off -c full_page_writes=off}" \
    scripts/pg.sh start "$pgdir") || { echo "cannot start PostgreSQL"; exit 1; }
# the end-to-end tests reach PostgreSQL through psycopg2, Debian's python3-psycopg2
py=python3
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null && py=/usr/bin/python3
store_tests=$(grep -l '"t_store.h"' tests/unit/test_*.c | sed -E 's|tests/unit/(test_[a-z_]*)\.c|\1|')
for variant in release asan; do
    # shellcheck disable=SC2046 # one program per word
    units sqlite 2 $(for t in build/$variant/tests/test_*; do [ -x "$t" ] && echo "$t"; done)
    # shellcheck disable=SC2046
    units postgresql 1 $(for t in $store_tests; do echo "build/$variant/tests/$t"; done)
    if [ "$variant" = asan ]; then
        store=sqlite
        suite end-to-end 'passed, [0-9]+ failed' env WANGGE_BIN=build/$variant/wangge \
            $py tests/e2e/run.py
        store=postgresql
        suite end-to-end 'SQLite.s own|passed, [0-9]+ failed' \
            env WANGGE_BIN=build/$variant/wangge WANGGE_TEST_PG="$pg" $py tests/e2e/run.py
    fi
    # the console in Chromium, against the release build only
    if [ "$variant" = release ]; then
        store=sqlite
        suite i18n 'passed, [0-9]+ failed' node tests/i18n/check.mjs
        suite browser '^console:|passed, [0-9]+ failed' env WANGGE_BIN=build/$variant/wangge \
            node tests/browser/run.mjs
    fi
done
echo "stores: every store suite ran on sqlite and on postgresql ($(echo $store_tests | wc -w) unit suites on each build, end-to-end on the sanitizer build)"
if [ -s "$digest" ]; then
    echo "what failed:"
    cat "$digest"
fi
echo "total: $passed_total passed, $failed_total failed in $(($(date +%s) - started)) s"
[ "$fails" -eq 0 ] && [ "$failed_total" -eq 0 ]
