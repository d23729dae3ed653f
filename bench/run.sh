#!/bin/bash
# bench/run.sh - huizong at province scale (issue 9).
#
# Builds a synthetic campaign of N units (`huizong synth --config-units`) with
# M new cases per unit and round (stage: M cases, annual: the stage cases and
# M more), then times, taking the median of several runs:
#   check        `huizong check` of one workbook of BIG cases (5,000);
#   read         `huizong check` of every file of both folders in one process
#                (one core): the reading that consolidate does, with validation;
#   consolidate  `huizong consolidate --round annual --stage …` (PDF + XLSX);
#   peer         bench/peer.py (openpyxl, read-only, values only) computing the
#                case totals per unit of the annual folder.
# For each: files, cells, MB of sheet XML (inflated), wall s, cells/s, MB/s and
# peak RSS (/usr/bin/time -v), CPU s and CPU %. The inflate floor is the CPU
# time of `unzip -p` of the same files to /dev/null minus that of `unzip -Z1`
# of them (the same process starts and central-directory reads without
# inflating), printed beside huizong's CPU time as a ratio.
# Finally huizong's time divided by the peer's, and a check that the peer and
# huizong found the same city totals.
#
# usage: bench/run.sh [--smoke] [--units N] [--cases M] [--big B] [--runs R]
#                     [--peer-runs P] [--bin PATH] [--keep DIR]
#   --smoke   4 units x 20 cases, 1 run: the ctest `bench_smoke` (seconds)
#   --bin     the huizong binary (default $HUIZONG, else build-bench/huizong,
#             else build/huizong); time it in a Release build
#   --keep    work in DIR and keep it (default: a temporary folder, removed)
# Defaults: 200 units x 500 cases, 5,000-case check workbook, 3 runs, 1 peer run.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITS=200 CASES=500 BIG=5000 RUNS=3 PEER_RUNS=1 SMOKE=0 KEEP=
BIN=${HUIZONG:-}
PY=/usr/bin/python3   # Debian's python with python3-openpyxl, not a pyenv one
while [ $# -gt 0 ]; do
    case $1 in
    --smoke) SMOKE=1 UNITS=4 CASES=20 BIG=200 RUNS=1 PEER_RUNS=1 ;;
    --units) UNITS=$2; shift ;;
    --cases) CASES=$2; shift ;;
    --big) BIG=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --peer-runs) PEER_RUNS=$2; shift ;;
    --bin) BIN=$2; shift ;;
    --keep) KEEP=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$BIN" ]; then
    for b in "$ROOT/build-bench/huizong" "$ROOT/build/huizong"; do
        [ -x "$b" ] && { BIN=$b; break; }
    done
fi
[ -n "$BIN" ] && [ -x "$BIN" ] || { echo "bench/run.sh: no huizong binary (use --bin)" >&2; exit 2; }
for tool in /usr/bin/time unzip "$PY"; do
    command -v "$tool" >/dev/null || { echo "bench/run.sh: needs $tool (deps/debian-packages.txt)" >&2; exit 2; }
done
"$PY" -c 'import openpyxl' 2>/dev/null || { echo "bench/run.sh: needs python3-openpyxl" >&2; exit 2; }

if [ -n "$KEEP" ]; then
    W=$KEEP; mkdir -p "$W"
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/hz-bench.XXXXXX")
    trap 'rm -rf "$W"' EXIT
fi
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1669852800   # 2022-12-01: reproducible outputs

# ---------------------------------------------------------------- the campaign
START=$(date +%s.%N)
rm -rf "$W/config" "$W/stage" "$W/annual" "$W/big" "$W/out"
"$BIN" synth --config-units "$UNITS" -o "$W/config" >/dev/null
"$BIN" synth --config "$W/config" --all --round stage --seed 1 --cases "$CASES" -o "$W/stage" >/dev/null
"$BIN" synth --config "$W/config" --all --round annual --seed 1 --cases "$CASES" -o "$W/annual" >/dev/null
FIRST=$(sed -n 's/^code *= *//p' "$W/config/units.ini" | head -1)
"$BIN" synth --config "$W/config" --unit "$FIRST" --round stage --seed 2 --cases "$BIG" -o "$W/big" >/dev/null
BIGFILE=$(ls "$W"/big/*.xlsx)
SYNTH_S=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN {print b - a}')

# ---------------------------------------------------------------- measuring
# run_timed NAME RUNS CMD...: runs CMD RUNS times (stdout to $W/NAME.out); sets
# T_NAME (median wall s), M_NAME (median peak RSS, MB), P_NAME (median
# CPU %: user + system over wall; 200 = both cores busy all along) and U_NAME
# (median CPU s, user + system: less sensitive than wall time to other jobs
# on a shared machine).
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
run_timed() {
    local name=$1 runs=$2; shift 2
    local walls=() rss=() cpu=() cpus=()
    for ((i = 0; i < runs; i++)); do
        local rc=0
        /usr/bin/time -v -o "$W/$name.time" "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
        if [ $rc -ne 0 ] && [ $rc -ne 1 ]; then   # 1: problems found, still timed
            echo "bench/run.sh: $name failed (exit $rc):" >&2; tail -5 "$W/$name.err" >&2; exit 1
        fi
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(k=1;k<=n;k++) s=s*60+t[k]; print s}' "$W/$name.time")")
        rss+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$W/$name.time")")
        cpu+=("$(awk -F': ' '/Percent of CPU/ {print $2 + 0}' "$W/$name.time")")
        cpus+=("$(awk -F': ' '/(User|System) time/ {s += $2} END {print s}' "$W/$name.time")")
    done
    printf -v "U_$name" '%s' "$(printf '%s\n' "${cpus[@]}" | median)"
    printf -v "P_$name" '%s' "$(printf '%s\n' "${cpu[@]}" | median)"
    printf -v "T_$name" '%s' "$(printf '%s\n' "${walls[@]}" | median)"
    printf -v "M_$name" '%s' "$(printf '%s\n' "${rss[@]}" | median)"
}
# floor NAME FILES...: the inflate floor in CPU seconds, median over $RUNS
# of CPU(unzip -p of every file) - CPU(unzip -Z1 of every file): the same
# process starts and central-directory reads, without inflating. CPU time,
# not wall time, so that other jobs on a shared machine do not blur it.
floor() {
    local name=$1; shift
    local vals=()
    for ((i = 0; i < RUNS; i++)); do
        /usr/bin/time -f "%U %S" -o "$W/floor-p.time" \
            bash -c 'for f; do unzip -p "$f"; done >/dev/null' _ "$@"
        /usr/bin/time -f "%U %S" -o "$W/floor-l.time" \
            bash -c 'for f; do unzip -Z1 "$f"; done >/dev/null' _ "$@"
        vals+=("$(awk 'NR == FNR {p = $1 + $2; next} {printf "%.4f", p - ($1 + $2)}' \
                  "$W/floor-p.time" "$W/floor-l.time")")
    done
    printf -v "F_$name" '%s' "$(printf '%s\n' "${vals[@]}" | median)"
}
# stats NAME FILES...: files, cells (<c> elements of the sheets) and MB of
# inflated sheet + shared-string XML.
stats() {
    local name=$1; shift
    read -r "N_$name" "C_$name" "X_$name" < <("$PY" - "$@" <<'EOF'
import sys, zipfile
cells = xml = 0
for path in sys.argv[1:]:
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            if info.filename.endswith(".xml"):
                xml += info.file_size
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                data = z.read(info)
                cells += data.count(b"<c ") + data.count(b"<c>")
print(len(sys.argv) - 1, cells, f"{xml / 1e6:.1f}")
EOF
)
}

STAGE=("$W"/stage/*.xlsx) ANNUAL=("$W"/annual/*.xlsx)
stats big "$BIGFILE"
stats read "${STAGE[@]}" "${ANNUAL[@]}"
stats annual "${ANNUAL[@]}"
N_cons=$N_read C_cons=$C_read X_cons=$X_read
N_peer=$N_annual C_peer=$C_annual X_peer=$X_annual

run_timed big "$RUNS" "$BIN" check --config "$W/config" "$BIGFILE"
run_timed read "$RUNS" "$BIN" check --config "$W/config" "${STAGE[@]}" "${ANNUAL[@]}"
run_timed cons "$RUNS" "$BIN" consolidate --config "$W/config" --round annual \
    --stage "$W/stage" -o "$W/out" "$W/annual"
run_timed peer "$PEER_RUNS" "$PY" "$ROOT/bench/peer.py" "$W/annual"
floor big "$BIGFILE"
floor read "${STAGE[@]}" "${ANNUAL[@]}"

# ---------------------------------------------------------------- the same totals?
# city totals of cases filed, closed and transferred: peer vs context.json
SAME=$("$PY" - "$W/out/context.json" "$W/peer.out" <<'EOF'
import json, sys
units = json.load(open(sys.argv[1]))["units"]
hz = [sum(u.get(k) or 0 for u in units) for k in ("cases_filed", "cases_closed", "transferred")]
city = [l.split("\t") for l in open(sys.argv[2]) if l.startswith("city\t")][0]
peer = [int(city[1]), int(city[2]), int(city[5])]
print("yes" if hz == peer else f"NO: huizong {hz}, peer {peer}")
EOF
)

# ---------------------------------------------------------------- the table
row() { # label name floor-name
    local n=N_$2 c=C_$2 x=X_$2 t=T_$2 m=M_$2 p=P_$2 u=U_$2 f=${3:+F_$3}
    awk -v L="$1" -v n="${!n}" -v c="${!c}" -v x="${!x}" -v t="${!t}" -v m="${!m}" -v p="${!p}" \
        -v u="${!u}" \
        -v f="${f:+${!f}}" 'BEGIN {
        tt = t > 0 ? t : 0.001
        fl = f == "" ? "" : f <= 0 ? "~0" : sprintf("%.3f", f); r = (f == "" || f <= 0) ? "" : sprintf("%.1fx", u / f)
        printf "| %-36s | %5d | %10d | %6.1f | %7.2f | %6.2f | %5d | %11.0f | %7.1f | %6.0f | %11s | %9s |\n",
               L, n, c, x, t, u, p, c / tt, x / tt, m, fl, r }'
}
echo
echo "huizong benchmark: $UNITS units x $CASES cases per round; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "binary $BIN; median of $RUNS run(s) (peer: $PEER_RUNS); synthetic data written in ${SYNTH_S%.*} s"
echo
echo "| task                                 | files |      cells | XML MB |  wall s |  CPU s | CPU % |     cells/s |    MB/s | RSS MB | floor CPU s | CPU/floor |"
echo "|--------------------------------------|------:|-----------:|-------:|--------:|-------:|------:|------------:|--------:|-------:|------------:|----------:|"
row "check, one ${BIG}-case workbook" big big
row "read both rounds (check, 1 process)" read read
row "consolidate annual+stage, PDF+XLSX" cons read
row "peer: openpyxl, annual totals" peer
echo
awk -v p="$T_peer" -v c="$T_cons" -v r="$T_read" -v a="$N_annual" -v n="$N_read" \
    -v pu="$U_peer" -v cu="$U_cons" -v ru="$U_read" 'function nz(x) { return x > 0 ? x : 0.01 }
    BEGIN {
    printf "peer / huizong, wall (CPU): %.1fx (%.1fx) against the whole consolidation (both rounds, PDF+XLSX);\n", p / nz(c), pu / nz(cu)
    printf "                            %.1fx (%.1fx) against reading the annual folder (read x %d/%d files)\n", p / nz(r * a / n), pu / nz(ru * a / n), a, n }'
echo "same city totals (filed, closed, transferred) in huizong and the peer: $SAME"
END=$(date +%s.%N)
echo "benchmark wall time: $(awk -v a="$START" -v b="$END" 'BEGIN {printf "%.0f", b - a}') s"
[ "$SAME" = yes ]
