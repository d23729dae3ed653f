#!/usr/bin/env bash
# Makes the man page huizong.1 from the program's own help texts, so that
# the page and `huizong --help` cannot disagree:
#   scripts/gen-man.sh BINARY VERSION OUTPUT SOURCE_DIR DATA_DIR [en|zh]
# en (the default) makes man1/huizong.1, zh the Chinese page that installs
# as zh_CN/man1/huizong.1 (man shows it where LANG is zh_CN). The help of a
# build-tree binary names the source tree as its data folder; the page names
# the installed one (DATA_DIR) instead.
set -euo pipefail
bin=$1 version=$2 out=$3 source_dir=$4 data_dir=$5 lang=${6:-en}
export LC_ALL=C.UTF-8
help() { "$bin" --lang "$lang" "$@" | sed "s|$source_dir|$data_dir|g"; }

# roff-safe text: backslashes, hyphens, and lines starting with . or '
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

case $lang in
en)
  h_name=NAME h_synopsis=SYNOPSIS h_description=DESCRIPTION h_commands=COMMANDS
  h_files=FILES h_see=SEE\ ALSO
  name='check, consolidate, report and archive the returns of an enforcement campaign'
  synopsis_common='common options' synopsis_command=command synopsis_options=options
  synopsis_files=files section='User Commands'
  f_config='the campaign configurations (INI)' f_templates='the report templates (Markdown)'
  see='The README in' ;;
zh)
  h_name=名称 h_synopsis=概要 h_description=说明 h_commands=命令 h_files=文件 h_see=参见
  name='专项行动统计报送的校验、汇总、报告与归档工具'
  synopsis_common=通用选项 synopsis_command=命令 synopsis_options=选项 synopsis_files=文件
  section=用户命令
  f_config='各专项行动的配置（INI）' f_templates='报告模板（Markdown）'
  see='使用说明（README）：' ;;
*) echo "gen-man.sh: language must be en or zh" >&2; exit 2 ;;
esac

main=$(help --help)
# The command names are read from the English list, whose heading is fixed.
commands=$("$bin" --lang en --help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }')
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y "$bin")}" +%Y-%m-%d)
{
  printf '.TH HUIZONG 1 "%s" "huizong %s" "%s"\n' "$date" "$version" "$section"
  printf '.SH %s\nhuizong \\- %s\n' "$h_name" "$name"
  printf '.SH %s\n.B huizong\n[\\fI%s\\fR]\n.I %s\n[\\fI%s\\fR] [\\fI%s\\fR]\n' \
    "$h_synopsis" "$synopsis_common" "$synopsis_command" "$synopsis_options" "$synopsis_files"
  printf '.SH %s\n.nf\n' "$h_description"
  roff <<<"$main"
  printf '.fi\n.SH %s\n' "$h_commands"
  for c in $commands; do
    printf '.SS %s\n.nf\n' "$c"
    help "$c" --help | roff
    printf '.fi\n'
  done
  printf '.SH %s\n.TP\n.I <bindir>/../share/huizong/config/\n%s\n' "$h_files" "$f_config"
  printf '.TP\n.I <bindir>/../share/huizong/templates/\n%s\n' "$f_templates"
  printf '.SH %s\n%s\n.IR /usr/share/doc/huizong/README.md .\n' "$h_see" "$see"
} >"$out.tmp"
mv "$out.tmp" "$out"
