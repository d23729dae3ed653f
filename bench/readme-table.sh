#!/bin/bash
# bench/readme-table.sh - puts a benchmark report into the README.
#
# Replaces everything between the lines
#   <!-- bench-table:begin -->
#   <!-- bench-table:end -->
# of README.md with the Markdown report that `bench/run.sh --markdown FILE`
# wrote (date, commit, machine, load, the targets table and the detailed
# table). `bench/run.sh --update-readme` calls it at the end of a run.
#
# usage: bench/readme-table.sh REPORT.md [README.md]
# exit: 0 replaced; 1 the markers are missing or out of order; 2 usage.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
REPORT=$1 README=${2:-$ROOT/README.md}
[ -s "$REPORT" ] || { echo "bench/readme-table.sh: no report in $REPORT" >&2; exit 2; }
BEGIN='<!-- bench-table:begin -->' END='<!-- bench-table:end -->'
b=$(grep -nxF "$BEGIN" "$README" | cut -d: -f1) e=$(grep -nxF "$END" "$README" | cut -d: -f1)
if [ "$(wc -w <<<"$b")" != 1 ] || [ "$(wc -w <<<"$e")" != 1 ] || [ "$b" -ge "$e" ]; then
    echo "bench/readme-table.sh: $README needs exactly one '$BEGIN' line before one '$END' line" >&2
    exit 1
fi
tmp=$(mktemp "$README.XXXXXX")
{ head -n "$b" "$README"; echo; cat "$REPORT"; echo; tail -n +"$e" "$README"; } >"$tmp"
chmod --reference="$README" "$tmp"
mv "$tmp" "$README"
echo "bench/readme-table.sh: README table replaced from $REPORT (lines $b-$e before)" >&2
