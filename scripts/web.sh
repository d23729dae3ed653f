#!/usr/bin/env bash
# Builds the browser validator (issue 17, DESIGN §11) with Debian's emscripten:
#
#   scripts/web.sh [--config DIR] [--copy-to DIR]
#
#   build/web/huizong-check.html   one self-contained offline page (wasm and
#                                  script inline, configuration built in)
#   build/web/huizong-check-template.html
#                                  the same page without a configuration:
#                                  `huizong template --all` and `huizong
#                                  serve` write theirs into it (installed to
#                                  share/huizong/web/ by `cmake --install`)
#   build/web/huizong-cli.mjs      `node huizong-cli.mjs check ...`, the same
#   build/web/huizong-cli.wasm     output and exit codes as `huizong check`
#
# --config DIR   the campaign configuration (default config/xuchang-2022):
#                the native `huizong snapshot` validates it and writes the
#                JSON snapshot that both outputs carry (iniparser cannot be
#                compiled to WebAssembly here)
# --copy-to DIR  also copy the page into DIR (`huizong template --all -o DIR`
#                does this by itself once the page is built or installed)
#
# The libraries come from scripts/web-deps.sh (Debian source packages,
# cached under build/web-deps/). Missing tools are an error, never a skip.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
config=$here/config/xuchang-2022
copy_to=
while (($#)); do
  case $1 in
    --config) config=$2; shift 2 ;;
    --config=*) config=${1#*=}; shift ;;
    --copy-to) copy_to=$2; shift 2 ;;
    --copy-to=*) copy_to=${1#*=}; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "web.sh: unknown argument $1 (see scripts/web.sh --help)" >&2; exit 2 ;;
  esac
done
for tool in emcc emar python3 node; do
  command -v "$tool" >/dev/null || {
    echo "web.sh: $tool is missing (scripts/deps.sh installs deps/debian-packages.txt)" >&2
    exit 3
  }
done
export NODE_PATH=/usr/share/nodejs
export NODE_OPTIONS=--no-experimental-fetch
start=$SECONDS
build=$here/build
out=$build/web
obj=$out/obj
mkdir -p "$obj"

prefix=$("$here/scripts/web-deps.sh" "$build")
# pkg-config for the wasm build sees only the libraries of web-deps.sh (the
# native build of step 1 keeps the system's)
wasm_pkg_config=(env PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" PKG_CONFIG_PATH=)

# 1. The configuration snapshot, from the native program.
if [[ ! -x $build/huizong || -n $(find "$here/src" -newer "$build/huizong" -name '*.[ch]' -print -quit) ||
      -n $(find "$here/src" -newer "$build/huizong" -name '*.def' -print -quit) ]]; then
  cmake -S "$here" -B "$build" -DHZ_WERROR=ON >/dev/null
  cmake --build "$build" --target huizong -j 2 -- --no-print-directory >&2
fi
"$build/huizong" snapshot --config "$config" -o "$obj/snapshot.json" >/dev/null
python3 "$here/src/web/embed.py" snapshot "$obj/snapshot.json" "$obj/snapshot.c"

# 2. The check core: the CMake target huizong_core (HZ_CORE_ONLY=ON, no
# writer library; without iniparser it leaves the INI loader out and the
# configuration comes from the snapshot), cross-compiled with emcmake against
# the libraries of web-deps.sh; then the CLI's check command and src/web.
core=$out/core
if [[ ! -e $core/CMakeCache.txt ]]; then
  "${wasm_pkg_config[@]}" emcmake cmake -S "$here" -B "$core" -DHZ_CORE_ONLY=ON -DHZ_WERROR=ON -DHZ_TESTS=OFF \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-O2 \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix" >"$out/core-configure.log" 2>&1 ||
    { cat "$out/core-configure.log" >&2; exit 1; }
fi
"${wasm_pkg_config[@]}" cmake --build "$core" --target huizong_core -j 2 -- --no-print-directory >&2
version=$(sed -nE 's/^project\(huizong VERSION ([0-9.]+).*/\1/p' "$here/CMakeLists.txt")
cflags=(-std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -D_POSIX_C_SOURCE=200809L
        -DHZ_VERSION="\"$version\"" -DHZ_SOURCE_DIR="\"/huizong\""
        # cli_paths.c's installed-data lookup: never taken in the browser,
        # where the configuration is the embedded snapshot
        -DHZ_BINARY_DIR="\"/huizong/build\"" -DHZ_DATA_FROM_BIN="\"../share/huizong\""
        -DHZ_DEFAULT_CAMPAIGN="\"xuchang-2022\""
        -I"$here/src/lib" -I"$here/src/cli" -I"$here/src/web" -isystem "$prefix/include")
newest_header=$(find "$here/src/lib" "$here/src/cli" "$here/src/web" \( -name '*.h' -o -name '*.def' \) \
                -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
compile() { # compile SOURCE OBJECT, when the object is older than it or a header
  local src=$1 o=$2
  if [[ ! -e $o || $src -nt $o || $newest_header -nt $o ]]; then
    emcc "${cflags[@]}" -c "$src" -o "$o"
  fi
}
pids=()
# two compilers at a time (the machine is shared); a failed one fails the build
throttle() { while (($(jobs -rp | wc -l) >= 2)); do sleep 0.1; done; }
for src in src/cli/cli.c src/cli/cli_paths.c src/cli/cli_progress.c src/cli/cmd_check.c src/web/web_config.c \
           src/web/web_cli.c src/web/web_page.c src/web/web_snapshot_none.c "$obj/snapshot.c"; do
  [[ $src == /* ]] || src=$here/$src
  throttle
  compile "$src" "$obj/$(basename "$src" .c).o" & pids+=($!)
done
for pid in "${pids[@]}"; do
  wait "$pid" || { echo "web.sh: compiling failed" >&2; exit 1; }
done
common=("$obj/cli.o" "$obj/cli_paths.o" "$obj/cli_progress.o" "$obj/cmd_check.o" "$obj/web_config.o"
        "$core/libhuizong_core.a"
        -L"$prefix/lib" -lzip -lz -lexpat -lnettle -ljson-c
        -O2 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sABORTING_MALLOC=0)

# 3. huizong-cli.mjs + .wasm for node: the real file system (NODERAWFS) and
# the process's environment, exit code of main.
emcc "${common[@]}" "$obj/web_cli.o" "$obj/snapshot.o" -o "$out/huizong-cli.mjs" \
  -sENVIRONMENT=node -sNODERAWFS=1 -sEXIT_RUNTIME=1 -sMODULARIZE=1 -sEXPORT_ES6=1 \
  --pre-js "$here/src/web/cli-pre.js" --extern-pre-js "$here/src/web/cli-extern-pre.js" \
  --extern-post-js "$here/src/web/cli-post.js"

# 4. The page, built once for every configuration: the worker module with
# its wasm inline (SINGLE_FILE), no eval, no configuration of its own
# (web_snapshot_none.c), then one HTML file with the worker's source, the
# page script and a marker where the configuration snapshot goes
# (huizong-check-template.html, installed to share/huizong/web/). The page
# of one configuration is that file with the snapshot written in: here for
# --config, and by `huizong template --all` / `huizong serve` for theirs.
emcc "${common[@]}" "$obj/web_page.o" "$obj/web_snapshot_none.o" -o "$obj/huizong-worker.js" \
  -sENVIRONMENT=worker -sSINGLE_FILE=1 -sMODULARIZE=1 -sEXPORT_NAME=createHuizong \
  -sDYNAMIC_EXECUTION=0 -sEXIT_RUNTIME=0 -sINVOKE_RUN=0 \
  -sEXPORTED_FUNCTIONS=_hz_web_check,_hz_web_free,_hz_web_snapshot_text,_malloc,_free \
  -sEXPORTED_RUNTIME_METHODS=FS,ccall,UTF8ToString
python3 "$here/src/web/embed.py" page "$here/src/web/page" "$obj/huizong-worker.js" \
  "$out/huizong-check-template.html"
python3 "$here/src/web/embed.py" fill "$out/huizong-check-template.html" "$obj/snapshot.json" \
  "$out/huizong-check.html"

size=$(stat -c %s "$out/huizong-check.html")
limit=$((3 * 1024 * 1024))
if ((size >= limit)); then
  echo "web.sh: huizong-check.html is $size bytes, above the 3 MB limit" >&2
  exit 1
fi
if [[ -n $copy_to ]]; then
  mkdir -p "$copy_to"
  cp "$out/huizong-check.html" "$copy_to/"
  echo "web.sh: page copied to $copy_to/huizong-check.html" >&2
fi
echo "web.sh: $out/huizong-check.html ($size bytes), $out/huizong-cli.mjs + .wasm" \
     "in $((SECONDS - start)) s (configuration $config)" >&2
