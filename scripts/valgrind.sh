#!/usr/bin/env bash
# Runs the Criterion test executables under valgrind (memcheck) and fails
# when any valgrind log shows an error or a definite leak. Criterion does not
# fail a test on valgrind findings, and it runs every test in a child
# process, so valgrind follows children (--trace-children=yes) and writes
# one log per process; this script reads the logs.
#
#   scripts/valgrind.sh [BUILD_DIR] [TEST_NAME...]
#
# BUILD_DIR defaults to build-valgrind (configured here: Debug, no
# sanitizers). TEST_NAME: test executables (test_hostile ...); default all
# unit tests (tests/unit) — add e2e names to check those too (they run the
# huizong binary, which is traced as well). Exit code: 0 clean, 1 findings,
# 3 valgrind missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build-valgrind}
shift || true
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind not installed (deps/debian-packages.txt)" >&2; exit 3; }

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DHZ_SANITIZE=OFF >/dev/null
fi
tests=("$@")
if [[ ${#tests[@]} -eq 0 ]]; then
  for src in "$here"/tests/unit/test_*.c; do tests+=("$(basename "$src" .c)"); done
fi
cmake --build "$build" -j2 --target huizong "${tests[@]}" >/dev/null

logs="$build/valgrind-logs"
rm -rf "$logs"
mkdir -p "$logs"
status=0
for t in "${tests[@]}"; do
  echo "== valgrind $t"
  # --jobs 1: one worker at a time (2-core host); Criterion's own
  # processes are traced too and must be clean. The tools the e2e tests'
  # shell lines call (dd, sort, pdftotext, LibreOffice ...) are not ours and
  # some misbehave under valgrind: they run untraced, while /bin/sh stays
  # traced so that the huizong it starts is checked.
  if ! HZ_TEST_SLOW=1 CRITERION_JOBS=1 valgrind --trace-children=yes --error-exitcode=99 \
        --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
        --track-origins=yes --child-silent-after-fork=no \
        --suppressions="$here/tests/valgrind.supp" \
        --trace-children-skip='/usr/bin/*,/usr/local/bin/*,/usr/lib/libreoffice/*' \
        --log-file="$logs/$t.%p.log" \
        "$build/$t" --jobs 1 >"$logs/$t.out" 2>&1; then
    echo "   $t failed under valgrind (see $logs/$t.out)" >&2
    tail -5 "$logs/$t.out" >&2
    status=1
  fi
  # Every process log: "ERROR SUMMARY: 0 errors" and no definite loss.
  for log in "$logs/$t".*.log; do
    [[ -e "$log" ]] || continue
    # Only our programs count: the e2e tests' shell pipelines (sort,
    # sha256sum, pdftotext ...) are traced too, and some of them leak.
    grep -qE "Command: $build/" "$log" || continue
    if grep -qE 'ERROR SUMMARY: [1-9]' "$log" || grep -qE 'definitely lost: [1-9]' "$log"; then
      echo "   valgrind findings in $log:" >&2
      grep -E 'Invalid|uninitialised|definitely lost|ERROR SUMMARY|Command:' "$log" | head -20 >&2
      status=1
    fi
  done
done
if [[ $status -eq 0 ]]; then
  echo "== valgrind: clean ($(ls "$logs"/*.log | wc -l) process logs)"
fi
exit $status
