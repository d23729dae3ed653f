#!/bin/bash
# bench/portal.sh - the submission portal under load (issue 18), loopback only.
#
# Makes a data folder with a city token and one token per sample unit, starts
# `huizong serve --round stage` on 127.0.0.1 (port 0: a free one) and
#   uploads  the 7 stage samples, then UPLOADS more returns of one unit
#            (版本号 2..), one after another: curl's time per upload
#            (check + save + receipts), median and maximum;
#   status   ROUNDS rounds of SECONDS seconds of status requests (city token)
#            at concurrency 20 (wrk -t2 -c20 -d SECONDS, bench/portal-status.lua
#            counts answers that are not 200), the server's RSS (VmRSS) before
#            and after each round: a few thousand requests a second, so each
#            round is some thousands of requests, bounded by time.
# Everything stops by itself; the server is stopped with SIGTERM at the end.
#
# usage: bench/portal.sh [--bin PATH] [--seconds S] [--rounds R] [--uploads U]
# Defaults: build/huizong (or $HUIZONG), 2 seconds, 3 rounds, 20 uploads.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${HUIZONG:-$ROOT/build/huizong}
SECONDS_PER_ROUND=2 ROUNDS=3 UPLOADS=20
while [ $# -gt 0 ]; do
    case $1 in
    --bin) BIN=$2; shift ;;
    --seconds) SECONDS_PER_ROUND=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --uploads) UPLOADS=$2; shift ;;
    *) echo "usage: $0 [--bin PATH] [--seconds S] [--rounds R] [--uploads U]" >&2; exit 2 ;;
    esac
    shift
done
command -v wrk >/dev/null || { echo "bench/portal.sh needs wrk (Debian package wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench/portal.sh needs curl" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hz-bench-portal-XXXXXX")
PID=
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -TERM "$PID"; wait "$PID" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
DATA=$WORK/data
CURL=(curl --noproxy '*' -s -S --max-time 60)

CITY=$("$BIN" token --data "$DATA" --city 2>/dev/null)
"$BIN" serve --round stage --data "$DATA" --listen 127.0.0.1:0 --rate-limit 0 \
    >"$WORK/serve.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
    PORT=$(grep -o 'http://127.0.0.1:[0-9]\+' "$WORK/serve.log" | sed 's/.*://' || true)
    [ -n "$PORT" ] && break
    sleep 0.05
done
[ -n "$PORT" ] || { cat "$WORK/serve.log" >&2; exit 1; }
URL=http://127.0.0.1:$PORT
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$PID/status"; }

echo "huizong serve on $URL ($(nproc) cores; $(uname -r))"
for f in "$ROOT"/input/xuchang-2022/stage/4*.xlsx; do
    code=$(basename "$f" | cut -c1-6)
    token=$("$BIN" token --data "$DATA" --unit "$code" 2>/dev/null)
    status=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
        -F "file=@$f" "$URL/api/v1/submissions")
    [ "$status" = 201 ] || { echo "upload of $f: $status" >&2; exit 1; }
    [ "$code" = 411002 ] && UNIT_TOKEN=$token
done

mkdir -p "$WORK/versions"
for v in $(seq 2 $((UPLOADS + 1))); do
    "$BIN" synth --round stage --unit 411002 --seed 11 --version "$v" -o "$WORK/versions/$v" >/dev/null
done
: >"$WORK/times"
for v in $(seq 2 $((UPLOADS + 1))); do
    f=$(ls "$WORK"/versions/"$v"/*.xlsx)
    out=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{time_total}' \
        -H "Authorization: Bearer $UNIT_TOKEN" -F "file=@$f" "$URL/api/v1/submissions")
    [ "${out%% *}" = 201 ] || { echo "upload $v: $out" >&2; exit 1; }
    echo "${out#* }" >>"$WORK/times"
done
size=$(stat -c %s "$(ls "$WORK"/versions/2/*.xlsx)")
sort -n "$WORK/times" | awk -v n="$UPLOADS" -v size="$size" '
    { t[NR] = $1 * 1000 }
    END { printf "uploads: %d returns of %d bytes one after another: median %.1f ms, max %.1f ms per upload (check, save, receipts.ini)\n",
                 n, size, t[int((n + 1) / 2)], t[n] }'

echo
printf '| round | requests | not 200 | socket errors | wall s | requests/s | p50 ms | p99 ms | max ms | RSS before KiB | RSS after KiB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for r in $(seq "$ROUNDS"); do
    before=$(rss)
    line=$(HZ_TOKEN=$CITY wrk -t2 -c20 -d"${SECONDS_PER_ROUND}s" --timeout 10s \
        -s "$ROOT/bench/portal-status.lua" "$URL" | grep '^HZ ')
    after=$(rss)
    eval "$(echo "${line#HZ }" | tr ' ' '\n' | sed 's/^/W_/')"
    awk -v r="$r" -v n="$W_answered" -v bad="$W_not200" -v se="$W_socket_errors" -v w="$W_wall_s" \
        -v p50="$W_p50_ms" -v p99="$W_p99_ms" -v mx="$W_max_ms" -v b="$before" -v a="$after" \
        'BEGIN { printf "| %d | %d | %d | %d | %.2f | %.0f | %s | %s | %s | %d | %d |\n",
                 r, n, bad, se, w, n / w, p50, p99, mx, b, a }'
done
kill -TERM "$PID"
wait "$PID"
PID=
echo
echo "server stopped by SIGTERM, exit 0; $(grep -c . "$DATA/audit.log") audit lines"
