#!/usr/bin/env bash
# Compares what the programs, tests and benchmark need with the one
# dependency list, deps/debian-packages.txt, so that a package installed by
# something else cannot hide a missing entry (issue 20):
#   - every font family a shipped configuration names has a "# font: FAMILY"
#     package in the list, and where the family is installed, its file
#     belongs to that package;
#   - every tool a test requires (hz_test_require) comes from a listed or
#     an Essential package;
#   - every module the benchmark or the tests import in python is the
#     standard library's or a listed python3-* package's.
# scripts/fresh-machine.sh is the slower, complete check: it runs the
# README's two commands in a new Debian 12 root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
list="$here/deps/debian-packages.txt"
mapfile -t listed < <(sed 's/#.*//' "$list" | awk 'NF { print $1 }')
is_listed() { local p; for p in "${listed[@]}"; do [[ $p == "$1" ]] && return 0; done; return 1; }
is_essential() { [[ $(dpkg-query -W -f='${Essential}' "$1" 2>/dev/null) == yes ]]; }
problems=0
problem() { echo "check-deps: $*" >&2; problems=$((problems + 1)); }

# 1. fonts named by the configurations: each font_* key is a list tried in
#    order, the bureau's own family (not packaged in Debian) first and a
#    packaged one last. The last family of every list must come from a
#    listed package; any other family that is installed here must too.
check_font() { # family, must_be_packaged
  local family=$1 must=$2 package file owner
  package=$(grep -E "#[[:space:]]*font:[[:space:]]*${family}[[:space:]]*$" "$list" | awk '{ print $1 }' | head -n 1 || true)
  file=$(fc-list ":family=$family" file 2>/dev/null | head -n 1 | sed 's/: *$//' || true)
  if [[ -z $package ]]; then
    [[ $must == yes || -n $file ]] &&
      problem "font family \"$family\" (configured) has no package in deps/debian-packages.txt (add \"PACKAGE  # font: $family\")"
    return 0
  fi
  is_listed "$package" || problem "font package $package is only a comment in deps/debian-packages.txt"
  if [[ -n $file ]]; then
    owner=$(dpkg-query -S "$file" 2>/dev/null | cut -d: -f1 | head -n 1 || true)
    [[ $owner == "$package" ]] ||
      problem "font family \"$family\" is installed from ${owner:-no package} ($file), but the list names $package"
  fi
}
while IFS= read -r value; do
  [[ -n $value ]] || continue
  mapfile -t families < <(tr ',' '\n' <<<"$value" | sed -E 's/^[[:space:]]+//; s/[[:space:]]+$//; s/^"//; s/"$//' | awk 'NF')
  n=${#families[@]}
  for ((i = 0; i < n; i++)); do
    check_font "${families[i]}" "$([[ $i -eq $((n - 1)) ]] && echo yes || echo no)"
  done
done < <(cat "$here"/config/*/campaign.ini |
         sed -nE 's/^[[:space:]]*font_(song|hei|kai|title|body|heading1|heading2|page|fallbacks)[[:space:]]*=[[:space:]]*//p' | sort -u)

# 2. tools the tests require
while IFS= read -r package; do
  is_listed "$package" || is_essential "$package" ||
    problem "a test requires a tool from $package, which deps/debian-packages.txt does not list"
done < <(grep -rhoE 'hz_test_require\("[^"]+", *"[^"]+"\)' "$here/tests" |
         sed -E 's/.*, *"([^"]+)"\)/\1/' | sort -u)

# 3. python modules
stdlib=$(/usr/bin/python3 -c 'import sys; print("\n".join(sorted(sys.stdlib_module_names)))')
while IFS= read -r module; do
  grep -qx "$module" <<<"$stdlib" && continue
  is_listed "python3-$module" ||
    problem "python module $module is imported but python3-$module is not in deps/debian-packages.txt"
done < <(grep -rhoE '^\s*(import|from) [A-Za-z_][A-Za-z0-9_]*' "$here/bench" "$here/tests" "$here/scripts" \
           --include=*.py --include=*.sh 2>/dev/null | awk '{ print $2 }' | sort -u)

if ((problems)); then
  echo "check-deps: $problems problem(s) with deps/debian-packages.txt" >&2
  exit 1
fi
echo "   dependency list covers the configured fonts, the tests' tools and python modules"
