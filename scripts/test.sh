#!/usr/bin/env bash
# Builds huizong and runs every test: once in a normal build, once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Installs missing packages
# first (as root). Usage: scripts/test.sh [--quick]   (--quick: no sanitizers)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/deps.sh"
export CRITERION_JOBS=2
# Inputs must come out of the test run exactly as they went in (issue 8):
# the samples, the fixtures, the configuration and the templates.
input_hashes() {
  (cd "$here" && find input tests/fixtures config templates -type f -print0 | sort -z |
     xargs -0 sha256sum)
}
hashes_before=$(input_hashes)
"$here/scripts/build.sh" "$here/build"
echo "== tests (normal build)"
ctest --test-dir "$here/build" --output-on-failure -j 2
if [[ "${1:-}" != "--quick" ]]; then
  "$here/scripts/build.sh" "$here/build-asan" -DHZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  echo "== tests (ASan + UBSan build)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$here/build-asan" --output-on-failure -j 2
  # Fuzzing (issue 8): replay the seed corpora of fuzz/corpus/ and fuzz each
  # target for 3 s; scripts/fuzz.sh SECONDS runs longer campaigns.
  echo "== fuzz targets (corpus replay + 3 s each)"
  fuzz_rc=0
  "$here/scripts/fuzz.sh" --replay || fuzz_rc=$?
  if [[ $fuzz_rc -eq 3 ]]; then
    echo "== fuzz targets SKIPPED: clang with libFuzzer is not available (packages clang and libclang-rt-dev of deps/debian-packages.txt)"
  elif [[ $fuzz_rc -ne 0 ]]; then
    exit "$fuzz_rc"
  fi
fi
echo "== inputs unchanged by the tests"
if [[ "$(input_hashes)" != "$hashes_before" ]]; then
  diff <(echo "$hashes_before") <(input_hashes) >&2 || true
  echo "scripts/test.sh: the test run changed files under input/, tests/fixtures/, config/ or templates/" >&2
  exit 1
fi
echo "   $(echo "$hashes_before" | wc -l) input files, hashes unchanged"
