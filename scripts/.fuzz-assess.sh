#!/bin/sh
# Builds each tests/fuzz/fuzz_*.c with clang's libFuzzer (+ASan/UBSan) and runs it.
#   scripts/fuzz.sh            run each target for FUZZ_SECONDS (default 60) from its corpus
#   scripts/fuzz.sh --check    replay the corpora only (quick; part of make test)
set -eu
cd "$(dirname "$0")/.."
mode=${1:-run}
secs=${FUZZ_SECONDS:-60}
out=build/fuzz
mkdir -p "$out/obj"
pkgs=$(make -s print-pkgs)
CFLAGS="-std=c11 -g -O1 -fsanitize=fuzzer-no-link,address,undefined -Isrc -include src/core/prelude.h \
$(pkg-config --cflags $pkgs) $(geos-config --cflags)"
LIBS="$(pkg-config --libs $pkgs) $(geos-config --clibs) -lcsv -lm -pthread"
objs=""
# an object is stale when its source, or any header or table it may include, is newer
newest=$(ls -t $(find src -name '*.h' -o -name '*.def') | head -n 1)
for src in $(find src -name '*.c' | sort | grep -v src/cli/main.c); do
    obj="$out/obj/$(echo "$src" | tr / _).o"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest" -nt "$obj" ]; then
        clang $CFLAGS -DWG_BAN_RAW_ALLOC -c "$src" -o "$obj"
    fi
    objs="$objs $obj"
done
status=0
for t in tests/fuzz/fuzz_assessment.c; do
    name=$(basename "$t" .c)
    corpus=tests/fuzz/corpus/${name#fuzz_}
    clang $CFLAGS -fsanitize=fuzzer "$t" $objs $LIBS -o "$out/$name"
    if [ "$mode" = "--check" ]; then
        "$out/$name" -runs=0 "$corpus" >"$out/$name.log" 2>&1 || { cat "$out/$name.log"; status=1; }
        echo "fuzz $name: corpus replayed"
    else
        mkdir -p "$out/corpus-$name"
        "$out/$name" -max_total_time="$secs" "$out/corpus-$name" "$corpus" || status=1
    fi
done
exit $status
