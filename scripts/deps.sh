#!/usr/bin/env bash
# Installs the Debian packages listed in deps/debian-packages.txt that are
# missing. As root it runs apt-get; otherwise it prints the exact command.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# A line is a package name, optionally followed by a "#" comment.
mapfile -t wanted < <(sed 's/#.*//' "$here/deps/debian-packages.txt" | awk 'NF { print $1 }')
missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  echo "huizong: installing missing packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  $cmd >&2
else
  echo "huizong: these Debian packages are missing; run as root:" >&2
  echo "  sudo apt-get update && sudo $cmd" >&2
  exit 3
fi
