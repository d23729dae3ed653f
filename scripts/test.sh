#!/usr/bin/env bash
# Builds huizong and runs every test: once in a normal build, once under
# AddressSanitizer + UndefinedBehaviorSanitizer. Installs missing packages
# first (as root). Usage: scripts/test.sh [--quick]   (--quick: no sanitizers)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/deps.sh"
echo "== dependency list"
"$here/scripts/check-deps.sh"
echo "== module layout (include circles, check core, environment)"
"$here/scripts/check-layout.sh"
export CRITERION_JOBS=2
# Inputs must come out of the test run exactly as they went in (issue 8):
# the samples, the fixtures, the configuration and the templates.
input_hashes() {
  (cd "$here" && find input tests/fixtures config templates -type f -print0 | sort -z |
     xargs -0 sha256sum)
}
hashes_before=$(input_hashes)
# Options are set explicitly: scripts/sample.sh configures build/ without
# tests, and a cached HZ_TESTS=OFF must not turn this into a run of nothing.
"$here/scripts/build.sh" "$here/build" -DHZ_TESTS=ON -DHZ_SANITIZE=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The browser validator (issue 17): built with emscripten from Debian source
# packages (cached under build/web-deps/), then the node build against the
# native check on every sample and fixture workbook, and the page in
# headless Chromium. A missing emcc, node or chromium fails here.
# The page is built before the tests, since the portal's and template's
# tests write their configuration into it.
echo "== browser validator (scripts/web.sh)"
"$here/scripts/web.sh"
echo "== tests (normal build)"
ctest --test-dir "$here/build" --output-on-failure --no-tests=error -j 2
echo "== browser validator (node parity, headless Chromium)"
(cd "$here" && node tests/web/parity.mjs build/huizong build/web/huizong-cli.mjs \
   input tests/fixtures/bad tests/fixtures/hostile tests/fixtures/xlsx \
   tests/fixtures/habits tests/fixtures/hostile-r2)
(cd "$here" && node tests/web/browser.mjs build/web/huizong-check.html \
   "input/xuchang-2022/stage/411002-许昌市魏都区市场监督管理局-阶段小结.xlsx" \
   tests/fixtures/bad/01-date-invalid.xlsx '案件明细!C2' build/huizong build/web/screenshot.png \
   tests/fixtures/xlsx/old.xls tests/fixtures/xlsx/encrypted.xlsx tests/fixtures/xlsx/truncated.xlsx \
   tests/fixtures/xlsx/bomb.xlsx tests/fixtures/hostile/csv-renamed.xlsx)
if [[ "${1:-}" != "--quick" ]]; then
  "$here/scripts/build.sh" "$here/build-asan" -DHZ_TESTS=ON -DHZ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
  echo "== tests (ASan + UBSan build)"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$here/build-asan" --output-on-failure --no-tests=error -j 2
  # Fuzzing (issue 8): replay the seed corpora of fuzz/corpus/ and fuzz each
  # target for 3 s; scripts/fuzz.sh SECONDS runs longer campaigns.
  echo "== fuzz targets (corpus replay + 3 s each)"
  # clang and libclang-rt-dev are in the dependency list: a missing
  # libFuzzer fails the run rather than skipping it.
  "$here/scripts/fuzz.sh" --replay
fi
echo "== inputs unchanged by the tests"
if [[ "$(input_hashes)" != "$hashes_before" ]]; then
  diff <(echo "$hashes_before") <(input_hashes) >&2 || true
  echo "scripts/test.sh: the test run changed files under input/, tests/fixtures/, config/ or templates/" >&2
  exit 1
fi
echo "   $(echo "$hashes_before" | wc -l) input files, hashes unchanged"
