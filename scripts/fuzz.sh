#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (-fsanitize=fuzzer,
# address,undefined, the whole library instrumented) and runs them, one
# target at a time (one core).
#
#   scripts/fuzz.sh SECONDS [TARGET...]   fuzz each target for SECONDS
#   scripts/fuzz.sh --replay [TARGET...]  replay the seed corpora, then fuzz
#                                         each target briefly (3 s each)
#
# TARGET is xlsx, sheet_scan, zip, config, rule_expr or template (default: all). Seeds are
# fuzz/corpus/TARGET/ (committed, never written to); new inputs found while
# fuzzing go to BUILD/corpus/TARGET/, crashes to BUILD/artifacts/. A found
# crash makes the script fail: turn the input into a regression fixture
# (fuzz/corpus/TARGET/ and, for xlsx, tests/fixtures/hostile/) and fix it.
# BUILD is $HZ_FUZZ_BUILD or build-fuzz. Exit code: 0 clean, 1 a target
# failed, 2 usage, 3 clang/libFuzzer unavailable.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${HZ_FUZZ_BUILD:-$here/build-fuzz}
all_targets=(xlsx sheet_scan zip config rule_expr template)

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 ]] || usage
mode=$1; shift
if [[ "$mode" == "--replay" ]]; then
  seconds=3
elif [[ "$mode" =~ ^[0-9]+$ && "$mode" -gt 0 ]]; then
  seconds=$mode
else
  usage
fi
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ -d "$here/fuzz/corpus/$t" && -f "$here/fuzz/fuzz_$t.c" ]] || { echo "fuzz.sh: unknown target $t" >&2; exit 2; }
done

cc=${HZ_FUZZ_CC:-clang}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "fuzz.sh: $cc not found; install the packages of deps/debian-packages.txt (scripts/deps.sh)" >&2
  exit 3
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe/p.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
  echo "fuzz.sh: $cc cannot link -fsanitize=fuzzer (libclang-rt-dev missing?)" >&2
  exit 3
fi

san="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
echo "== fuzz: building targets in $build"
cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="$san" -DCMAKE_C_FLAGS_DEBUG="-g -O1" -DHZ_FUZZ=ON -DHZ_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/artifacts" "$build/logs"
status=0
total_execs=0
total_secs=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/fuzz_$t"
  seeds="$here/fuzz/corpus/$t"
  work="$build/corpus/$t"
  mkdir -p "$work"
  log="$build/logs/$t.log"
  common=(-rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-")
  if [[ "$mode" == "--replay" ]]; then
    echo "== fuzz $t: replaying $(ls "$seeds" | wc -l) seeds"
    if ! "$bin" "${common[@]}" -runs=0 "$seeds" >"$log.replay" 2>&1; then
      echo "fuzz.sh: $t fails on a seed input:" >&2; tail -40 "$log.replay" >&2; status=1; continue
    fi
    # The brief run starts from an empty scratch corpus plus the seeds so it
    # stays bounded and leaves the working corpus alone.
    work=$(mktemp -d "$build/corpus/$t.brief.XXXXXX")
  fi
  echo "== fuzz $t: ${seconds}s"
  start=$(date +%s)
  if "$bin" "${common[@]}" -max_total_time="$seconds" "$work" "$seeds" >"$log" 2>&1; then
    rc=0
  else
    rc=$?
  fi
  end=$(date +%s)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=${execs:-0}
  total_execs=$((total_execs + execs))
  total_secs=$((total_secs + end - start))
  printf '%s\t%s\t%ss\t%s execs\trc=%s\n' "$(date -u +%FT%TZ)" "$t" "$((end - start))" "$execs" "$rc" >> "$build/fuzz-history.tsv"
  echo "   $t: $execs executions in $((end - start)) s (rc $rc)"
  if [[ "$mode" == "--replay" ]]; then rm -rf "$work"; fi
  if [[ $rc -ne 0 ]]; then
    echo "fuzz.sh: $t found a problem (log $log, input in $build/artifacts/):" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 >&2
    status=1
  fi
done
echo "== fuzz: $total_execs executions in $total_secs s over ${#targets[@]} target(s)"
exit $status
