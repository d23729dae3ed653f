#!/usr/bin/env bash
# Regenerates the README's pictures of the sample report: page 1 and the
# first annex page (附件1) of the annual report, and the page of the final
# report (--final) where 存在问题 begins, rendered with pdftoppm.
# Usage: scripts/readme-images.sh [BUILD_DIR]   (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
hz="$build/huizong"
[ -x "$hz" ] || "$here/scripts/build.sh" "$build" -DHZ_TESTS=OFF
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$hz" consolidate --round annual --as-of 2022-11-30 --stage "$here/input/xuchang-2022/stage" \
    -o "$work" "$here/input/xuchang-2022/annual" >/dev/null
pdf=$(ls "$work"/*.pdf)
pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
annex=
for p in $(seq 1 "$pages"); do
    if pdftotext -f "$p" -l "$p" "$pdf" - 2>/dev/null | grep -q '附件1'; then
        annex=$p
        break
    fi
done
[ -n "$annex" ] || { echo "no annex page found in $pdf" >&2; exit 1; }
mkdir -p "$here/docs/img"
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$pdf" "$here/docs/img/report-page1" 2>/dev/null
pdftoppm -r 60 -png -f "$annex" -l "$annex" -singlefile "$pdf" "$here/docs/img/report-annex" 2>/dev/null
"$hz" consolidate --final --round annual --as-of 2022-12-20 --stage "$here/input/xuchang-2022/stage" \
    -o "$work/final" "$here/input/xuchang-2022/annual" >/dev/null
final=$(ls "$work"/final/*.pdf)
fpages=$(pdfinfo "$final" | sed -n 's/^Pages: *//p')
problems=
for p in $(seq 1 "$fpages"); do
    if pdftotext -f "$p" -l "$p" "$final" - 2>/dev/null | grep -q '存在问题'; then
        problems=$p
        break
    fi
done
[ -n "$problems" ] || { echo "no 存在问题 page found in $final" >&2; exit 1; }
pdftoppm -r 60 -png -f "$problems" -l "$problems" -singlefile "$final" \
    "$here/docs/img/report-final-problems" 2>/dev/null
echo "docs/img/report-page1.png (page 1), docs/img/report-annex.png (page $annex of $pages)," \
     "docs/img/report-final-problems.png (final report, page $problems of $fpages)"
