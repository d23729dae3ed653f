#!/usr/bin/env bash
# Regenerates the committed sample submissions with the built binary:
#   input/xuchang-2022/stage/   every unit's 阶段小结, on time, + receipts.ini
#   input/xuchang-2022/annual/  年度总结: one unit missing, one late, one with
#                               versions 1 and 2, + receipts.ini
# The data are synthetic (huizong synth, seed 2022) and byte-reproducible.
# Usage: scripts/make-samples.sh [BUILD_DIR]   (default: build; or set HUIZONG)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${HUIZONG:-${1:-$here/build}/huizong}
out=$here/input/xuchang-2022
if [[ ! -x $bin ]]; then
  echo "make-samples: $bin not found; build first (scripts/build.sh $here/build)" >&2
  exit 3
fi
rm -rf "$out/stage" "$out/annual"
"$bin" synth --config "$here/config/xuchang-2022" --seed 2022 --samples "$out"
