#!/bin/sh
# Interleaved pairs of bench/intake runs, to compare two builds of the server on a shared
# machine: run A, run B, N times, so that what else the machine does falls on both alike.
# Prints each run's creates/s, notes/s, p99 and nginx's figure, and each pair's ratio B/A.
#   bench/intake/pairs.sh BIN_A BIN_B [N] [intake options...]
set -eu
cd "$(dirname "$0")/../.."
A=$1 B=$2 N=${3:-5}
shift 2; [ $# -gt 0 ] && shift
INTAKE=${INTAKE:-build/release/bench/intake}
field() { # creates/s, p99, notes/s, nginx's req/s and server CPU per create of one run
    awk '/^create /{c=$2; sub("/s","",c); p=$7} /^note /{n=$2; sub("/s","",n)}
         /CPU per create/{u=$5} /^nginx /{g=$2; sub("/s","",g)} END{print c, p, n, g, u}' "$1"
}
i=1
while [ "$i" -le "$N" ]; do
    for side in A B; do
        bin=$A; [ $side = B ] && bin=$B
        out=$(mktemp)
        "$INTAKE" --bin "$bin" "$@" >"$out" 2>&1 || { cat "$out"; exit 1; }
        eval "r_$side=\"$(field "$out")\""
        rm -f "$out"
    done
    echo "pair $i A $r_A | B $r_B" | awk '{
        printf "pair %s: A %s creates/s p99 %s ms, %s notes/s, %s µs CPU a create, nginx %s/s (%.3f) | B %s creates/s p99 %s ms, %s notes/s, %s µs, nginx %s/s (%.3f) | B/A creates %.2f notes %.2f CPU %.2f\n",
        $2, $4, $5, $6, $8, $7, $4/$7, $11, $12, $13, $15, $14, $11/$14, $11/$4, $13/$6, $15/$8}'
    i=$((i + 1))
done
