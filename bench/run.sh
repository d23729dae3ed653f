#!/bin/bash
# bench/run.sh - huizong at province and national scale (issues 9 and 19).
#
# Builds a synthetic campaign of N units (`huizong synth --config-units`) with
# M new cases per unit and round (stage: M cases, annual: the stage cases and
# M more), then times every job R times, interleaved (round 1: every job once,
# round 2: every job again, ...) so that a change in the machine's load
# falls on all of them alike, and takes the median:
#   check       `huizong check` of the annual files (JSON report);
#   openpyxl    bench/peer.py: python3-openpyxl, read-only, values only,
#               the case totals per unit of the same annual files;
#   sheetjs     bench/peer-sheetjs.mjs: SheetJS (npm `xlsx`, pinned in
#               bench/package-lock.json), the same job;
#   pandas      bench/peer.py --engine pandas: pandas.read_excel, the same
#               job (informative, no target);
#   consolidate `huizong consolidate --round annual --stage ...` (PDF + XLSX);
#   openpyxl2   the openpyxl peer reading both folders and computing both
#               rounds' totals: the reading consolidate does;
#   read        `huizong check` of every file of both folders in one process;
#   floor       bench/inflate_floor (C, libzip): inflating every worksheet
#               part of the same files, in CPU seconds;
#   readonly    bench/read_only.c (hz_bench_read): submission_read alone on
#               the same files, one thread, CPU s (informative);
#   books       the same with --open-only: the workbooks opened, every part
#               before the worksheets read through expat (content types,
#               relationships, workbook, styles, shared strings), CPU s:
#               the share of the reading the worksheet scanner cannot
#               touch (informative; needs --bin in a CMake build folder);
#   scanonly    the same with --scan-only: every worksheet part inflated
#               into the scanner, whose handlers do nothing (informative);
#   big         `huizong check` of one workbook of BIG cases, and its floor.
# Every peer must find the same totals as huizong (bench/totals.py: per unit
# and city, against consolidate's context.json and check's cases); the run
# fails loudly if one does not.
# --national adds one consolidation of 2,850 units x 500 cases (synthesised
# the same way; targets 60 s wall and 1 GB on 2 cores).
# Finally a table: each figure, its target, met or NOT MET. Ratios are of
# median wall times (CPU-second ratios beside them); "reading" is CPU s.
#
# usage: bench/run.sh [--smoke] [--units N] [--cases M] [--big B] [--runs R]
#                     [--national] [--national-units N] [--bin PATH]
#                     [--keep DIR] [--markdown FILE] [--update-readme]
#                     [--profile DIR]
#   --smoke          4 units x 20 cases, 1 run, and a 10-unit "national"
#                    step: the ctest `bench_smoke` (well under a minute)
#   --national       also the national step (2,850 units x 500 cases;
#                    --cases sets its cases too)
#   --bin            the huizong binary (default $HUIZONG, else
#                    build-bench/huizong, else build/huizong); time a
#                    Release build
#   --keep DIR       work in DIR and keep it; synthetic folders made by the
#                    same binary with the same sizes are reused
#   --markdown FILE  also write the tables as Markdown (with date, commit,
#                    machine and load) to FILE
#   --update-readme  put that Markdown into README.md between its
#                    bench-table markers (bench/readme-table.sh)
#   --profile DIR    after the timed rounds, record `perf record -g` of
#                    check and consolidate and write DIR/check.txt and
#                    DIR/consolidate.txt (the heaviest symbols; the call
#                    graphs in DIR/*.perf for `perf report -i`), to explain
#                    a missed target; needs linux-perf
# Defaults: 200 units x 500 cases, 5,000-case check workbook, 3 runs.
# Exit: 0 measured (targets may be NOT MET: see the table), 1 a job failed
# or a peer's totals differ, 2 usage or missing tools.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
UNITS=200 CASES=500 BIG=5000 RUNS=3 SMOKE=0 KEEP= NATIONAL=0 NAT_UNITS=2850 NAT_CASES=500
MARKDOWN= UPDATE_README=0 PROFILE=
BIN=${HUIZONG:-}
PY=/usr/bin/python3   # Debian's python with python3-openpyxl and -pandas, not a pyenv one
while [ $# -gt 0 ]; do
    case $1 in
    --smoke) SMOKE=1 UNITS=4 CASES=20 BIG=200 RUNS=1 NATIONAL=1 NAT_UNITS=10 NAT_CASES=20 ;;
    --units) UNITS=$2; shift ;;
    --cases) CASES=$2; NAT_CASES=$2; shift ;;
    --big) BIG=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --peer-runs) shift ;;   # issue 9's option: every job now runs --runs times
    --national) NATIONAL=1 ;;
    --national-units) NAT_UNITS=$2; shift ;;
    --bin) BIN=$2; shift ;;
    --keep) KEEP=$2; shift ;;
    --markdown) MARKDOWN=$2; shift ;;
    --update-readme) UPDATE_README=1 ;;
    --profile) PROFILE=$2; shift ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
for n in "$UNITS" "$CASES" "$BIG" "$RUNS" "$NAT_UNITS"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: not a positive number: $n" >&2; exit 2; }
done
if [ -z "$BIN" ]; then
    for b in "$ROOT/build-bench/huizong" "$ROOT/build/huizong"; do
        [ -x "$b" ] && { BIN=$b; break; }
    done
fi
[ -n "$BIN" ] && [ -x "$BIN" ] || { echo "bench/run.sh: no huizong binary (use --bin)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/run.sh: load at start $LOAD_START ($(nproc) cores)" >&2
START=$(date +%s.%N)

# ---------------------------------------------------------------- tools
need() { echo "bench/run.sh: needs $1" >&2; exit 2; }
for tool in /usr/bin/time "$PY" cc pkg-config node; do
    command -v "$tool" >/dev/null || need "$tool (deps/debian-packages.txt)"
done
# npm comes with NodeSource's nodejs, not with Debian's (see the comment in
# deps/debian-packages.txt): the full run needs it for SheetJS, the smoke
# (a fresh Debian machine's ctest) leaves SheetJS out without it.
HAVE_NPM=1
if ! command -v npm >/dev/null; then
    [ $SMOKE = 1 ] || need "npm (deps/debian-packages.txt: see its comment there)"
    HAVE_NPM=0
fi
"$PY" -c 'import openpyxl' 2>/dev/null || need "python3-openpyxl (scripts/deps.sh)"
if ! "$PY" -c 'import pandas' 2>/dev/null; then
    # pandas is a peer of the benchmark only; install it as deps.sh does
    echo "bench/run.sh: python3-pandas is missing; running scripts/deps.sh" >&2
    "$ROOT/scripts/deps.sh" || need "python3-pandas (run scripts/deps.sh as root)"
    "$PY" -c 'import pandas' 2>/dev/null || need "python3-pandas"
fi
# SheetJS from the npm registry, the version and integrity of bench/package-lock.json,
# into bench/node_modules (ignored by git); again only when the lock file changed.
SHEETJS=1
XLSX_PIN=$(node -p 'require(process.argv[1]).dependencies.xlsx' "$ROOT/bench/package.json")
xlsx_installed() {
    [ "$(node -p 'try { require(process.argv[1]).version } catch (e) { "" }' \
         "$ROOT/bench/node_modules/xlsx/package.json")" = "$XLSX_PIN" ] &&
        [ "$ROOT/bench/node_modules/.package-lock.json" -nt "$ROOT/bench/package-lock.json" ]
}
if ! xlsx_installed; then
    echo "bench/run.sh: installing SheetJS (npm xlsx@$XLSX_PIN) into bench/node_modules" >&2
    if [ $HAVE_NPM = 0 ] || ! (cd "$ROOT/bench" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || ! xlsx_installed; then
        if [ $SMOKE = 1 ]; then
            echo "bench/run.sh: no npm, or npm ci failed (no registry?): the smoke leaves SheetJS out" >&2
            SHEETJS=0
        else
            need "SheetJS: npm ci in bench/ failed"
        fi
    fi
fi
# The inflate floor, compiled here (not a product target) into a build folder.
TOOLS=$ROOT/build/bench-tools
FLOOR=$TOOLS/inflate_floor
mkdir -p "$TOOLS"
if [ ! -x "$FLOOR" ] || [ "$ROOT/bench/inflate_floor.c" -nt "$FLOOR" ] || [ "$ROOT/bench/worksheet_part.h" -nt "$FLOOR" ]; then
    # shellcheck disable=SC2046  # pkg-config's flags are words
    cc -std=c11 -O2 -Wall -Wextra -Wpedantic -o "$FLOOR.tmp" "$ROOT/bench/inflate_floor.c" \
        $(pkg-config --cflags --libs libzip) || need "libzip-dev (to build bench/inflate_floor.c)"
    mv "$FLOOR.tmp" "$FLOOR"
fi

# hz_bench_read, built beside the timed binary when that is a CMake build
READER=
if [ -f "$(dirname "$BIN")/CMakeCache.txt" ] &&
   cmake --build "$(dirname "$BIN")" --target hz_bench_read >/dev/null 2>&1; then
    READER=$(dirname "$BIN")/hz_bench_read
else
    echo "bench/run.sh: hz_bench_read not built (--bin is not in a CMake build folder): the reading breakdown is left out" >&2
fi

if [ -n "$KEEP" ]; then
    W=$KEEP; mkdir -p "$W"
else
    W=$(mktemp -d "${TMPDIR:-/tmp}/hz-bench.XXXXXX")
    trap 'rm -rf "$W"' EXIT
fi
W=$(cd "$W" && pwd)
export LC_ALL=C.UTF-8 SOURCE_DATE_EPOCH=1669852800   # 2022-12-01: reproducible outputs

# ---------------------------------------------------------------- the campaign
# campaign DIR UNITS CASES [BIG]: DIR/config (UNITS units), DIR/stage,
# DIR/annual and, with BIG, DIR/big (one workbook of BIG cases). Reused when
# DIR/stamp says the same binary made it with the same sizes (--keep).
campaign() {
    local dir=$1 units=$2 cases=$3 big=${4:-} stamp
    stamp="$(sha256sum <"$BIN" | cut -c1-16) $units $cases $big"
    if [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$stamp" ]; then
        echo "bench/run.sh: reusing $dir ($units units x $cases cases)" >&2
        return 0
    fi
    echo "bench/run.sh: synthesising $units units x $cases cases in $dir" >&2
    rm -rf "$dir"; mkdir -p "$dir"
    "$BIN" synth --config-units "$units" -o "$dir/config" >/dev/null
    # the two rounds are independent: one per core
    "$BIN" synth --config "$dir/config" --all --round stage --seed 1 --cases "$cases" -o "$dir/stage" >/dev/null &
    local pid=$!
    "$BIN" synth --config "$dir/config" --all --round annual --seed 1 --cases "$cases" -o "$dir/annual" >/dev/null
    wait $pid
    if [ -n "$big" ]; then
        local first
        first=$(sed -n 's/^code *= *//p' "$dir/config/units.ini" | head -1)
        "$BIN" synth --config "$dir/config" --unit "$first" --round stage --seed 2 --cases "$big" -o "$dir/big" >/dev/null
    fi
    echo "$stamp" >"$dir/stamp"
}
T0=$(date +%s.%N)
campaign "$W/province" "$UNITS" "$CASES" "$BIG"
SYNTH_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')
P=$W/province
BIGFILE=$(ls "$P"/big/*.xlsx)
STAGE=("$P"/stage/*.xlsx) ANNUAL=("$P"/annual/*.xlsx)

# ---------------------------------------------------------------- measuring
# run_one NAME OK_CODES CMD...: runs CMD once under /usr/bin/time (stdout to
# $W/NAME.out, stderr to $W/NAME.err) and appends "wall cpu rss_mb" to
# $W/samples/NAME; fails (return 1) on an exit code not in OK_CODES.
mkdir -p "$W/samples"
FAILED=()
run_one() {
    local name=$1 ok=$2 rc=0; shift 2
    /usr/bin/time -f '%e %U %S %M' -o "$W/$name.time" "$@" >"$W/$name.out" 2>"$W/$name.err" || rc=$?
    if [[ " $ok " != *" $rc "* ]]; then
        echo "bench/run.sh: $name FAILED (exit $rc): $*" >&2
        tail -5 "$W/$name.err" >&2
        FAILED+=("$name (exit $rc)")
        return 1
    fi
    tail -1 "$W/$name.time" | awk '{printf "%.2f %.2f %.1f\n", $1, $2 + $3, $4 / 1024}' >>"$W/samples/$name"
    echo "  $name: $(tail -1 "$W/samples/$name" | awk '{printf "%s s wall, %s CPU s, %s MB", $1, $2, $3}')" >&2
}
# floor_one NAME FILES...: one inflate-floor run; its own CPU seconds to $W/samples/NAME.
floor_one() {
    local name=$1; shift
    "$FLOOR" "$@" >"$W/$name.out" 2>"$W/$name.err" || {
        echo "bench/run.sh: $name FAILED:" >&2; cat "$W/$name.err" >&2; FAILED+=("$name"); return 1; }
    awk '{print $8, $8, 0}' "$W/$name.out" >>"$W/samples/$name"
    echo "  $name: $(awk '{print $8}' "$W/$name.out") CPU s ($(awk '{printf "%d parts, %.1f MB", $4, $6 / 1e6}' "$W/$name.out"))" >&2
}
# reader_one NAME [--open-only]: one hz_bench_read run of both folders; its own CPU s.
reader_one() {
    local name=$1; shift
    [ -n "$READER" ] || return 0
    "$READER" "$@" "$P/config" "${STAGE[@]}" "${ANNUAL[@]}" >"$W/$name.out" 2>"$W/$name.err" || {
        echo "bench/run.sh: $name FAILED:" >&2; cat "$W/$name.err" >&2; FAILED+=("$name"); return 1; }
    awk '{print $6, $6, $8}' "$W/$name.out" >>"$W/samples/$name"
    echo "  $name: $(awk '{print $6}' "$W/$name.out") CPU s" >&2
}
# med NAME COLUMN: the median of a column of $W/samples/NAME (1 wall, 2 CPU s, 3 RSS MB).
med() {
    [ -s "$W/samples/$1" ] || { echo nan; return; }
    awk -v c="$2" '{print $c}' "$W/samples/$1" | sort -g |
        awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

CFG=(--config "$P/config")
run_round() {
    run_one check "0" "$BIN" check "${CFG[@]}" --format json --quiet "${ANNUAL[@]}"
    run_one openpyxl "0" "$PY" "$ROOT/bench/peer.py" "$P/annual"
    [ $SHEETJS = 0 ] || run_one sheetjs "0" node "$ROOT/bench/peer-sheetjs.mjs" "$P/annual"
    run_one pandas "0" "$PY" "$ROOT/bench/peer.py" --engine pandas "$P/annual"
    rm -rf "$W/out"
    run_one cons "0 1" "$BIN" consolidate "${CFG[@]}" --round annual --stage "$P/stage" -o "$W/out" "$P/annual"
    run_one openpyxl2 "0" "$PY" "$ROOT/bench/peer.py" "$P/annual" "$P/stage"
    run_one read "0 1" "$BIN" check "${CFG[@]}" --quiet "${STAGE[@]}" "${ANNUAL[@]}"
    floor_one floor "${STAGE[@]}" "${ANNUAL[@]}"
    reader_one readonly
    reader_one books --open-only
    reader_one scanonly --scan-only
    run_one big "0 1" "$BIN" check "${CFG[@]}" --quiet "$BIGFILE"
    floor_one bigfloor "$BIGFILE"
}
# same totals? (after the first round: a peer that is wrong fails the run early)
TOTALS=
check_totals() {
    local peers=("openpyxl=$W/openpyxl.out" "pandas=$W/pandas.out") t1 t2 rc=0
    [ $SHEETJS = 0 ] || peers+=("sheetjs=$W/sheetjs.out")
    t1=$("$PY" "$ROOT/bench/totals.py" --context "$W/out/context.json" --check "$W/check.out" \
             --annual annual "${peers[@]}") || rc=1
    t2=$("$PY" "$ROOT/bench/totals.py" --context "$W/out/context.json" \
             --annual annual --stage stage "openpyxl2=$W/openpyxl2.out") || rc=1
    TOTALS=$(printf '%s\n%s' "$t1" "$t2")
    # consolidate's outputs are there (the figures time what they claim)
    ls "$W"/out/*.pdf "$W"/out/*.xlsx >/dev/null || { echo "bench/run.sh: consolidate wrote no PDF or XLSX" >&2; rc=1; }
    echo "$TOTALS" >&2
    if [ $rc != 0 ]; then
        echo "bench/run.sh: a peer's totals differ from huizong's: the figures would compare different jobs" >&2
        exit 1
    fi
}
for ((r = 1; r <= RUNS; r++)); do
    echo "bench/run.sh: round $r of $RUNS (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    run_round   # set -e: a failed job (run_one's message) ends the run
    [ $r -gt 1 ] || check_totals
done

# stats NAME FILES...: files, cells (<c> elements of the sheets) and MB of
# inflated sheet + shared-string XML, to N_NAME, C_NAME, X_NAME.
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
stats big "$BIGFILE"
stats read "${STAGE[@]}" "${ANNUAL[@]}"
stats annual "${ANNUAL[@]}"

# ---------------------------------------------------------------- national
NAT_STATUS=skipped
if [ $NATIONAL = 1 ]; then
    campaign "$W/national" "$NAT_UNITS" "$NAT_CASES"
    N=$W/national
    rm -rf "$W/nat-out"
    echo "bench/run.sh: national consolidate (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
    if run_one national "0 1" "$BIN" consolidate --config "$N/config" --round annual --stage "$N/stage" \
            -o "$W/nat-out" "$N/annual"; then
        # every unit reported, with its stage cases and CASES new ones
        NAT_STATUS=$("$PY" - "$W/nat-out/context.json" "$NAT_UNITS" "$NAT_CASES" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
units, cases = int(sys.argv[2]), int(sys.argv[3])
got = (c["city"]["accepted_units"], c["city"]["cases_filed"], c["stage"]["cases_filed"])
want = (units, 2 * units * cases, units * cases)
print("ok" if got == want else f"WRONG: units, annual cases, stage cases {got}, expected {want}")
EOF
)
        ls "$W"/nat-out/*.pdf "$W"/nat-out/*.xlsx >/dev/null 2>&1 || NAT_STATUS="no PDF or XLSX written"
        [ "$NAT_STATUS" = ok ] || { echo "bench/run.sh: national totals $NAT_STATUS" >&2; FAILED+=("national totals"); }
    else
        NAT_STATUS="consolidate failed: ${FAILED[-1]} after $(tail -1 "$W/national.time" | awk '{printf "%.0f s wall, %.0f CPU s, %.0f MB peak RSS", $1, $2 + $3, $4 / 1024}'): $(tail -1 "$W/national.err")"
    fi
fi
# ---------------------------------------------------------------- profiles
# profile NAME CMD...: perf's heaviest symbols (self time, >= 1 %) of one run
profile() {
    local name=$1; shift
    perf record -q -F 499 -g -o "$PROFILE/$name.perf" -- "$@" >/dev/null 2>"$W/$name.perf.err" || {
        echo "bench/run.sh: perf record of $name failed:" >&2; tail -3 "$W/$name.perf.err" >&2; return 0; }
    perf report -q -i "$PROFILE/$name.perf" --stdio --no-children --sort dso,symbol --percent-limit 1 \
        -g none 2>/dev/null | sed '/^$/d; s/[ -]*$//' >"$PROFILE/$name.txt"
    echo "bench/run.sh: profile of $name in $PROFILE/$name.txt; its top symbols:" >&2
    head -12 "$PROFILE/$name.txt" >&2
}
if [ -n "$PROFILE" ]; then
    command -v perf >/dev/null || need "perf (linux-perf) for --profile"
    mkdir -p "$PROFILE"
    profile check "$BIN" check "${CFG[@]}" --format json --quiet "${ANNUAL[@]}"
    rm -rf "$W/prof-out"
    profile consolidate "$BIN" consolidate "${CFG[@]}" --round annual --stage "$P/stage" -o "$W/prof-out" "$P/annual"
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
BENCH_S=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN {printf "%.0f", b - a}')

# ---------------------------------------------------------------- the tables
for j in check openpyxl sheetjs pandas cons openpyxl2 read floor readonly books scanonly big bigfloor national; do
    printf -v "T_$j" '%s' "$(med $j 1)"
    printf -v "U_$j" '%s' "$(med $j 2)"
    printf -v "M_$j" '%s' "$(med $j 3)"
done
# target LABEL VALUE OP LIMIT UNIT [NOTE]: one row of the targets table ("-" as OP: informative)
TARGETS=()
target() {
    local label=$1 value=$2 op=$3 limit=$4 unit=$5 note=${6:-}
    TARGETS+=("$(awk -v L="$label" -v v="$value" -v op="$op" -v lim="$limit" -v u="$unit" -v n="$note" 'BEGIN {
        if (v == "nan" || v == "") { m = "not measured"; shown = "—" }
        else {
            shown = (u == "x") ? sprintf("%.1fx", v) : (u == "MB") ? sprintf("%.0f MB", v) : sprintf("%.2f %s", v, u)
            if (op == "-") m = "(informative)"
            else m = ((op == ">=" && v + 0 >= lim + 0) || (op == "<=" && v + 0 <= lim + 0)) ? "met" : "**NOT MET**"
        }
        t = (op == "-") ? "—" : sprintf("%s %s%s", (op == ">=") ? "≥" : "≤", lim, (u == "x") ? "x" : " " u)
        if (n != "") shown = shown " " n
        printf "| %s | %s | %s | %s |", L, shown, t, m }')")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {print (a == "nan" || b == "nan" || b <= 0) ? "nan" : a / b}'; }
cpu_note() { awk -v a="$1" -v b="$2" 'BEGIN {if (a != "nan" && b != "nan" && b > 0) printf "(CPU %.1fx)", a / b}'; }
NA=${#ANNUAL[@]} NR=$((${#STAGE[@]} + ${#ANNUAL[@]}))
SCALE="$UNITS units x $CASES cases"
cpu() { awk -v v="$1" 'BEGIN {printf (v == "nan") ? "?" : "%.2f", v}'; }
target "check, $NA annual files: huizong, wall" "$T_check" - 0 s "($(cpu "$U_check") CPU s)"
target "check: openpyxl peer / huizong" "$(ratio "$T_openpyxl" "$T_check")" ">=" 20 x "$(cpu_note "$U_openpyxl" "$U_check")"
if [ $SHEETJS = 1 ]; then
    target "check: SheetJS peer / huizong" "$(ratio "$T_sheetjs" "$T_check")" ">=" 8 x "$(cpu_note "$U_sheetjs" "$U_check")"
else
    target "check: SheetJS peer / huizong" nan ">=" 8 x
fi
target "check: pandas peer / huizong" "$(ratio "$T_pandas" "$T_check")" - 0 x "$(cpu_note "$U_pandas" "$U_check")"
target "consolidate + PDF + XLSX: wall" "$T_cons" "<=" 5 s "($(cpu "$U_cons") CPU s; issue 9's target)"
target "consolidate: openpyxl peer (both folders) / huizong" "$(ratio "$T_openpyxl2" "$T_cons")" ">=" 8 x "$(cpu_note "$U_openpyxl2" "$U_cons")"
target "consolidate: peak RSS" "$M_cons" "<=" 256 MB
target "reading ($NR files, CPU s) / inflate floor" "$(ratio "$U_read" "$U_floor")" "<=" 3 x "($(cpu "$U_read") / $(awk -v v="$U_floor" 'BEGIN {printf "%.3f", v}') CPU s)"
target "reading: submission_read alone (hz_bench_read) / inflate floor" "$(ratio "$U_readonly" "$U_floor")" - 0 x "($(cpu "$U_readonly") CPU s)"
target "of it: the books opened, expat's parts (no worksheet) / inflate floor" "$(ratio "$U_books" "$U_floor")" - 0 x "($(cpu "$U_books") CPU s)"
target "of it: the worksheets inflated and scanned, no handler / inflate floor" "$(ratio "$U_scanonly" "$U_floor")" - 0 x "($(cpu "$U_scanonly") CPU s)"
target "check of one $BIG-case workbook: wall" "$T_big" "<=" 0.5 s "($(ratio "$U_big" "$U_bigfloor" | awk '{printf "%.1fx", $1}') its floor)"
if [ $NATIONAL = 1 ]; then
    NSCALE="$NAT_UNITS units x $NAT_CASES cases"
    if [ -s "$W/samples/national" ]; then
        target "national ($NSCALE) consolidate: wall" "$T_national" "<=" 60 s "($(cpu "$U_national") CPU s)"
        target "national consolidate: peak RSS" "$M_national" "<=" 1024 MB
    else   # it failed: no figure, the targets are missed
        TARGETS+=("| national ($NSCALE) consolidate: wall | failed (see below) | ≤ 60 s | **NOT MET** |"
                  "| national consolidate: peak RSS | failed | ≤ 1024 MB | **NOT MET** |")
    fi
fi

# row LABEL JOB STATS [FLOOR]: one row of the detailed table
row() {
    local n=N_$3 c=C_$3 x=X_$3 t=T_$2 m=M_$2 u=U_$2 f=${4:+U_$4}
    awk -v L="$1" -v n="${!n}" -v c="${!c}" -v x="${!x}" -v t="${!t}" -v m="${!m}" -v u="${!u}" \
        -v f="${f:+${!f}}" 'BEGIN {
        if (t == "nan") { printf "| %-40s | %5d | not run |\n", L, n; exit }
        tt = t > 0 ? t : 0.01
        cs = (c == "") ? "" : sprintf("%d", c); xs = (x == "") ? "" : sprintf("%.1f", x)
        cr = (c == "") ? "" : sprintf("%.0f", c / tt); xr = (x == "") ? "" : sprintf("%.1f", x / tt)
        fl = (f == "" || f == "nan") ? "" : sprintf("%.3f", f); r = (fl == "" || f <= 0) ? "" : sprintf("%.1fx", u / f)
        printf "| %-40s | %5d | %10s | %6s | %7.2f | %6.2f | %5.0f | %11s | %7s | %6.0f | %11s | %9s |\n",
               L, n, cs, xs, t, u, 100 * u / tt, cr, xr, m, fl, r }'
}
MACHINE="$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo) RAM"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ] || COMMIT="$COMMIT (with uncommitted changes)"
report() {
    echo "huizong benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'): commit $COMMIT; $SCALE per round; median of $RUNS interleaved run(s)"
    echo
    echo "machine: $MACHINE; load average (1, 5, 15 min) $LOAD_START at the start, $LOAD_END at the end"
    echo
    echo "| figure | measured | target | |"
    echo "|---|---|---|---|"
    printf '%s\n' "${TARGETS[@]}"
    echo
    echo "| task                                     | files |      cells | XML MB |  wall s |  CPU s | CPU % |     cells/s |    MB/s | RSS MB | floor CPU s | CPU/floor |"
    echo "|------------------------------------------|------:|-----------:|-------:|--------:|-------:|------:|------------:|--------:|-------:|------------:|----------:|"
    row "check, $NA annual files (JSON)" check annual
    row "peer: openpyxl, annual totals" openpyxl annual
    row "peer: SheetJS $XLSX_PIN, annual totals" sheetjs annual
    row "peer: pandas, annual totals" pandas annual
    row "consolidate annual+stage, PDF+XLSX" cons read floor
    row "peer: openpyxl, both rounds' totals" openpyxl2 read
    row "read both rounds (check, 1 process)" read read floor
    [ -z "$READER" ] || {
        row "read both rounds: submission_read alone" readonly read floor
        row "open both rounds' books only (expat)" books read floor
        row "inflate and scan the worksheets only" scanonly read floor
    }
    row "check, one ${BIG}-case workbook" big big bigfloor
    if [ $NATIONAL = 1 ]; then
        N_national=$((2 * NAT_UNITS)) C_national= X_national=
        row "national: consolidate annual+stage" national national
    fi
    echo
    echo "Ratios are of median wall times, CPU-second ratios in brackets; the floor is bench/inflate_floor"
    echo "(libzip inflate of the same worksheet parts, CPU s). Peers' totals: $(echo "$TOTALS" | sed 's/ (.*//' | paste -sd ';' - | sed 's/;/; /g')."
    [ $NATIONAL = 0 ] || echo "National totals (units, cases of both rounds): ${NAT_STATUS%.}."
    [ $SMOKE = 0 ] || echo "A smoke run: the targets are set for province scale (200 x 500) and national scale (2,850 x 500)."
    [ $SHEETJS = 1 ] || echo "SheetJS was not installed (no npm, or the npm registry unreachable): left out of this smoke run."
    echo "Synthetic data written in $SYNTH_S s; the whole benchmark took $BENCH_S s."
}
echo
report | tee "$W/report.md"
if [ $SMOKE = 1 ]; then
    # the smoke also checks the checkers: a peer one case off must be refused,
    # and the README's table must be replaceable from this report
    awk -F'\t' -v OFS='\t' 'NR == 2 {$3 = $3 + 1} {print}' "$W/openpyxl.out" >"$W/wrong.out"
    if "$PY" "$ROOT/bench/totals.py" --context "$W/out/context.json" --annual annual \
            "wrong=$W/wrong.out" >"$W/wrong.txt" 2>&1; then
        echo "bench/run.sh: bench/totals.py accepted a peer one case off" >&2; FAILED+=("totals.py")
    fi
    cp "$ROOT/README.md" "$W/README.md"
    if ! "$ROOT/bench/readme-table.sh" "$W/report.md" "$W/README.md" 2>"$W/readme.err" ||
            ! grep -qF "$(head -1 "$W/report.md")" "$W/README.md"; then
        echo "bench/run.sh: the README's table cannot be replaced:" >&2; cat "$W/readme.err" >&2
        FAILED+=("readme-table.sh")
    fi
fi
if [ -n "$MARKDOWN" ]; then
    cp "$W/report.md" "$MARKDOWN"
    echo "bench/run.sh: wrote $MARKDOWN" >&2
fi
if [ $UPDATE_README = 1 ]; then
    "$ROOT/bench/readme-table.sh" "$W/report.md" "$ROOT/README.md"
fi
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "bench/run.sh: FAILED: ${FAILED[*]}" >&2
    exit 1
fi
