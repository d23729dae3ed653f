#!/usr/bin/env bash
# The README's first command: installs what is missing (as root), builds
# huizong, and runs the city's job on the shipped sample submissions of the
# 2022 Xuchang campaign. Prints where the reports are.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/deps.sh"
"$here/scripts/build.sh" "$here/build" -DHZ_TESTS=OFF
hz="$here/build/huizong"
input="$here/input/xuchang-2022"
out="$here/out"
mkdir -p "$out"

echo "== 1. fill-in workbooks for every unit (huizong template --all)"
"$hz" template --all --round annual -o "$out/templates"

echo "== 2. checking one county's annual submission (huizong check)"
first=$(ls "$input/annual/"*.xlsx | head -n 1)
"$hz" check --round annual "$first" || true

echo "== 3. consolidating the stage round (huizong consolidate)"
"$hz" consolidate --round stage --as-of 2022-08-31 -o "$out/stage" "$input/stage"

echo "== 4. consolidating the annual round with stage continuity"
"$hz" consolidate --round annual --as-of 2022-11-30 --stage "$input/stage" -o "$out/annual" "$input/annual"

echo "== 5. the province report (--final, 专项工作报告)"
"$hz" consolidate --final --round annual --as-of 2022-12-20 --stage "$input/stage" -o "$out/final" "$input/annual"

echo
echo "Reports:"
find "$out/stage" "$out/annual" "$out/final" -maxdepth 1 \( -name '*.pdf' -o -name '*.xlsx' \) | sort | sed 's/^/  /'
