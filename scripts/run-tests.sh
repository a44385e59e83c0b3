#!/bin/sh
# Runs every suite the way CI does: unit tests of the release and the sanitizer build, then
# the end-to-end tests against each binary, then the console's browser tests (release). Prints each suite's "N passed, N failed" line
# and a total; exits non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
fails=0
passed_total=0
failed_total=0
log=$(mktemp)
tally() { # reads a suite's output, adds its last "N passed, N failed" line to the totals
    line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -E 's/.* ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    passed_total=$((passed_total + ${p:-0}))
    failed_total=$((failed_total + ${f:-0}))
}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# suite NAME SHOW CMD...: runs one suite with its output in $log; a failure shows all of it,
# a success the lines matching SHOW; either way its counts go to the totals
suite() {
    name=$1
    show=$2
    shift 2
    printf '[%s] %s\n' "$variant" "$name"
    if ! "$@" >"$log" 2>&1; then
        fails=$((fails + 1))
        cat "$log"
        grep -qE '[0-9]+ passed, [0-9]+ failed' "$log" || failed_total=$((failed_total + 1))
    else
        grep -E "$show" "$log"
    fi
    tally
}
for variant in release asan; do
    for t in build/$variant/tests/test_*; do
        [ -x "$t" ] || continue
        suite "$(basename "$t")" '[0-9]+ passed, [0-9]+ failed' "$t"
    done
    suite end-to-end 'passed, [0-9]+ failed' env WANGGE_BIN=build/$variant/wangge \
        python3 tests/e2e/run.py
    # the console in Chromium, against the release build only
    if [ "$variant" = release ]; then
        suite browser '^console:|passed, [0-9]+ failed' env WANGGE_BIN=build/$variant/wangge \
            node tests/browser/run.mjs
    fi
done
rm -f "$log"
echo "total: $passed_total passed, $failed_total failed"
[ "$fails" -eq 0 ] && [ "$failed_total" -eq 0 ]
