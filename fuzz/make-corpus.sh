#!/bin/sh
# Regenerates the seed corpora fuzz/corpus/TARGET/ from the test fixtures,
# the default configuration and the shipped templates. Files named crash-*
# (regression inputs of crashes found and fixed) are kept.
#   sh fuzz/make-corpus.sh
set -eu
R=$(cd "$(dirname "$0")/.." && pwd)
C=$R/fuzz/corpus
for t in xlsx sheet_scan config rule_expr template; do
    mkdir -p "$C/$t"
    find "$C/$t" -type f ! -name 'crash-*' ! -name 'hand-*' -delete
done

# xlsx: every reader fixture, every hostile fixture (both rounds), one real submission.
for f in "$R"/tests/fixtures/xlsx/*.xlsx "$R"/tests/fixtures/xlsx/old.xls \
         "$R"/tests/fixtures/hostile/*.xlsx "$R"/tests/fixtures/hostile-r2/*.xlsx; do
    # big probes (over 100 KB) would only slow the fuzzer down
    [ -f "$f" ] && [ "$(wc -c < "$f")" -le 102400 ] && cp "$f" "$C/xlsx/$(basename "$f")"
done
sub=$(ls "$R"/input/xuchang-2022/stage/*.xlsx 2>/dev/null | head -1 || true)
[ -n "$sub" ] && cp "$sub" "$C/xlsx/submission-stage.xlsx"

# sheet_scan: the worksheet parts of the reader and hostile fixtures and of
# the first sample submissions (a part over 12 KB only by its first 6 KB, so
# the fuzzer stays fast), once each; the hand-* seeds (every construct the
# scanner knows) are kept.
/usr/bin/python3 - "$C/sheet_scan" "$R"/input/xuchang-2022/*/*.xlsx "$R"/tests/fixtures/*/*.xlsx <<'PY'
import hashlib, os, sys, zipfile
out, files = sys.argv[1], sorted(sys.argv[2:])
samples = [f for f in files if "/input/" in f][:6]
seen = set()
for f in samples + [f for f in files if "/input/" not in f]:
    try:
        z = zipfile.ZipFile(f)
    except Exception:
        continue
    for n in z.namelist():
        if not (n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml")):
            continue
        try:
            if z.getinfo(n).file_size > 8 << 20:
                continue
            d = z.read(n)
        except Exception:
            continue
        d = d[:6000] if len(d) > 12000 else d
        h = hashlib.sha1(d).hexdigest()
        if h not in seen:
            seen.add(h)
            open(os.path.join(out, "ws-" + h[:16] + ".xml"), "wb").write(d)
PY

# config: one selector byte (file index in fuzz_config.c) + the file.
i=0
for name in campaign.ini units.ini indicators.ini lists.ini rules.ini; do
    for dir in "$R"/config/xuchang-2022 "$R"/tests/fixtures/config-bad/*; do
        [ -f "$dir/$name" ] || continue
        tag=$(basename "$dir"); [ "$tag" = xuchang-2022 ] && tag=0-default
        out="$C/config/$tag-$name"
        printf "\\$(printf %03o "$i")" > "$out"
        cat "$dir/$name" >> "$out"
    done
    i=$((i + 1))
done
# identical copies (config-bad folders share most files) are dropped
(cd "$C/config" && md5sum * | sort -k1,1 -k2,2 | awk 'seen[$1]++ {print $2}' | xargs -r rm -f)

# rule_expr: the expressions of rules.ini plus edge cases.
n=0
for dir in "$R"/config/xuchang-2022 "$R"/tests/fixtures/config-bad/*; do
    sed -n 's/^[[:space:]]*expr[[:space:]]*=[[:space:]]*//p' "$dir/rules.ini"
done | sort -u | while IFS= read -r e; do
    n=$((n + 1)); printf '%s' "$e" > "$C/rule_expr/rules-$n"
done
printf '%s' '(A01 + A02) * -3 / (A03 - A03) >= 0.5' > "$C/rule_expr/divzero"
printf '%s' 'A01 exclusive_pair case_filed' > "$C/rule_expr/pair"
printf '%s' '((((((((1))))))))<2' > "$C/rule_expr/nested"
printf '%s' '1e308*1e308 != 12.5' > "$C/rule_expr/overflow"

# template: the shipped templates and a few directive-heavy snippets.
for f in "$R"/templates/*.md; do cp "$f" "$C/template/$(basename "$f")"; done
printf '# {{campaign.name}}\n{{#units}}{{@index}}. {{name}}{{@sep_and}}{{/units}}\n{{table units}}\n{{chart cases_by_unit}}\n{{pagebreak}}\n{{annex}}\n' \
    > "$C/template/directives.md"
printf '{{#a}}{{b}}{{^c}}x{{/c}}{{/a}}\n\0{"a":[{"b":"*1.*"},{"b":2.5}],"c":false}' > "$C/template/own-context.md"
ls "$C"/* | head -0
for t in xlsx sheet_scan config rule_expr template; do echo "$t: $(ls "$C/$t" | wc -l) seeds"; done
