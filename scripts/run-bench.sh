#!/bin/sh
# Runs every benchmark built from bench/*/main.c; each prints its figures and the ratio to
# the reference it names.
set -eu
cd "$(dirname "$0")/.."
for b in build/release/bench/*; do
    [ -x "$b" ] || continue
    echo "== $(basename "$b")"
    "$b"
done
