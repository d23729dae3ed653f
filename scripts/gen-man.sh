#!/usr/bin/env bash
# Makes the man page huizong.1 from the program's own help texts, so that
# the page and `huizong --help` cannot disagree:
#   scripts/gen-man.sh BINARY VERSION OUTPUT SOURCE_DIR DATA_DIR
# The help of a build-tree binary names the source tree as its data folder;
# the page names the installed one (DATA_DIR) instead.
set -euo pipefail
bin=$1 version=$2 out=$3 source_dir=$4 data_dir=$5
export LC_ALL=C.UTF-8
help() { "$bin" --lang en "$@" | sed "s|$source_dir|$data_dir|g"; }

# roff-safe text: backslashes, hyphens, and lines starting with . or '
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

main=$(help --help)
commands=$(awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' <<<"$main")
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y "$bin")}" +%Y-%m-%d)
{
  printf '.TH HUIZONG 1 "%s" "huizong %s" "User Commands"\n' "$date" "$version"
  printf '.SH NAME\nhuizong \\- check, consolidate, report and archive the returns of an enforcement campaign\n'
  printf '.SH SYNOPSIS\n.B huizong\n[\\fIcommon options\\fR]\n.I command\n[\\fIoptions\\fR] [\\fIfiles\\fR]\n'
  printf '.SH DESCRIPTION\n.nf\n'
  roff <<<"$main"
  printf '.fi\n.SH COMMANDS\n'
  for c in $commands; do
    printf '.SS %s\n.nf\n' "$c"
    help "$c" --help | roff
    printf '.fi\n'
  done
  printf '.SH FILES\n.TP\n.I <bindir>/../share/huizong/config/\nthe campaign configurations (INI)\n'
  printf '.TP\n.I <bindir>/../share/huizong/templates/\nthe report templates (Markdown)\n'
  printf '.SH SEE ALSO\nThe README in\n.IR /usr/share/doc/huizong/README.md .\n'
} >"$out.tmp"
mv "$out.tmp" "$out"
