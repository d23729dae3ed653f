#!/bin/bash
# bench/web.sh - the browser validator against native huizong (issue 17).
#
# Writes one 5,000-case workbook with `huizong synth` (the shipped
# configuration, the one scripts/web.sh builds into the page by default) and
# times `huizong check --format json` of it natively and with
# `node build/web/huizong-cli.mjs` (the same wasm the page runs), median of
# RUNS runs each; prints both, their ratio (target: node within 10x native)
# and the size of build/web/huizong-check.html (limit 3 MB). The outputs
# must be equal, or the benchmark fails.
#
# usage: bench/web.sh [--cases N] [--runs R] [--bin PATH]   (run scripts/web.sh first)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CASES=5000 RUNS=3 BIN=$ROOT/build/huizong
while [ $# -gt 0 ]; do
    case $1 in
    --cases) CASES=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --bin) BIN=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/web.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
CLI=$ROOT/build/web/huizong-cli.mjs PAGE=$ROOT/build/web/huizong-check.html
for f in "$BIN" "$CLI" "$PAGE"; do
    [ -e "$f" ] || { echo "bench/web.sh: $f is missing (scripts/web.sh builds it)" >&2; exit 2; }
done
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
unit=$("$BIN" snapshot | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["units"][0]["code"])')
"$BIN" synth --unit "$unit" --round stage --seed 2 --cases "$CASES" -o "$W" >/dev/null
BIG=$(ls "$W"/*.xlsx)
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_runs() { # time_runs OUT CMD... : median wall seconds of RUNS runs
    local out=$1; shift
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f %e -o "$W/t" "$@" >"$out" 2>/dev/null || true
        cat "$W/t"
    done | median
}
native=$(time_runs "$W/native.json" "$BIN" check --format json "$BIG")
node=$(time_runs "$W/node.json" node "$CLI" check --format json "$BIG")
cmp -s "$W/native.json" "$W/node.json" || { echo "bench/web.sh: node and native reports differ" >&2; exit 1; }
size=$(stat -c %s "$PAGE")
wasm=$(stat -c %s "$ROOT/build/web/huizong-cli.wasm")
awk -v c="$CASES" -v n="$native" -v w="$node" -v s="$size" -v m="$wasm" -v r="$RUNS" 'BEGIN {
    printf "check of one %d-case workbook, median of %d run(s), equal JSON reports:\n", c, r
    printf "  native huizong        %6.2f s\n", n
    printf "  node huizong-cli.mjs  %6.2f s   (%.1fx native; target within 10x)\n", w, (n > 0 ? w / n : 0)
    printf "page huizong-check.html %d bytes (%.2f MB of the 3 MB limit); wasm %d bytes\n", s, s / 1048576, m
}'
