#!/usr/bin/env bash
# Builds huizong and runs every test: once in a normal build, once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Installs missing packages
# first (as root). Usage: scripts/test.sh [--quick]   (--quick: no sanitizers)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/deps.sh"
export CRITERION_JOBS=2
"$here/scripts/build.sh" "$here/build"
echo "== tests (normal build)"
ctest --test-dir "$here/build" --output-on-failure -j 2
if [[ "${1:-}" != "--quick" ]]; then
  "$here/scripts/build.sh" "$here/build-asan" -DHZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  echo "== tests (ASan + UBSan build)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$here/build-asan" --output-on-failure -j 2
fi
