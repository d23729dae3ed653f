#!/usr/bin/env bash
# Runs the README's two commands, in the README's order, in a new Debian 12
# root made by debootstrap from this machine's own APT source (no host is
# named here), on a clean copy of the committed tree. Whatever the tests
# need and deps/debian-packages.txt does not list fails there, even when
# this machine happens to have it. As root:
#   scripts/fresh-machine.sh [--quick]     (--quick: test.sh --quick)
# The root is kept under build/fresh-root between runs (delete it to start
# over); the log is build/fresh-machine.log.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "fresh-machine.sh: run as root" >&2; exit 2; }
command -v debootstrap >/dev/null || "$here/scripts/deps.sh"
root="$here/build/fresh-root"
log="$here/build/fresh-machine.log"
mkdir -p "$here/build"
mirror=$(grep -hE '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1 | awk '{ print $2 }')
[[ -n $mirror ]] || mirror=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{ print $2 }' | head -n 1)
[[ -n $mirror ]] || { echo "fresh-machine.sh: no Debian APT source on this machine" >&2; exit 3; }
if [[ ! -x $root/bin/bash ]]; then
  echo "== debootstrap bookworm into $root"
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$log.debootstrap" 2>&1 ||
    { tail -n 20 "$log.debootstrap" >&2; exit 3; }
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -rf "$root/src"
mkdir -p "$root/src/huizong"
git -C "$here" archive HEAD | tar -x -C "$root/src/huizong"
# the contract folder lives beside the checkout, as in CI
if [[ -d $here/../shared ]]; then rm -rf "$root/src/shared"; cp -r "$here/../shared" "$root/src/shared"; fi
cleanup() { for m in dev/pts dev proc sys; do umount -l "$root/$m" 2>/dev/null || true; done; }
trap cleanup EXIT
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
flag=${1:-}
echo "== in the new root: scripts/sample.sh, then scripts/test.sh $flag (log: $log)"
start=$(date +%s)
rc=0
chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  bash -c "cd /src/huizong && bash scripts/sample.sh && bash scripts/test.sh $flag" >"$log" 2>&1 || rc=$?
echo "   exit $rc after $(( $(date +%s) - start )) s; closing lines:"
grep -E 'tests passed|Synthesis|Failed|installing missing' "$log" | tail -n 8 | sed 's/^/   /'
exit "$rc"
