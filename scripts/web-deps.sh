#!/usr/bin/env bash
# Builds the libraries of the check core (zlib, expat, libzip, json-c,
# nettle) for WebAssembly with Debian's emscripten, from Debian's own source
# packages (issue 17). Prints the install prefix on stdout.
#
#   scripts/web-deps.sh [BUILD_DIR]        (default: build/)
#
# emscripten's ports would download from the internet (LIBRARY-NOTES), so
# the sources come from `apt-get source`, pinned to the bookworm main-suite
# versions (the security suite's source files answer 404). The deb-src
# entries are derived from this machine's APT sources in a private APT
# directory: no host is named here and /etc/apt is left alone.
#
# Cache: BUILD_DIR/web-deps/src/ keeps the unpacked sources, and
# BUILD_DIR/web-deps/<key>/ the installed libraries, where <key> hashes the
# emcc version, the pinned versions and the recipe number below: a second run finds every
# library's stamp and returns at once.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
mkdir -p "$build"
build=$(cd "$build" && pwd)

# source package=version, in build order (libzip needs zlib)
pins=(zlib=1:1.2.13.dfsg-1 expat=2.5.0-1+deb12u2 json-c=0.16-2 nettle=3.8.1-2 libzip=1.7.3-1)
# raise when a build_* recipe below changes, so the cache is rebuilt
recipe=1

export NODE_PATH=/usr/share/nodejs    # emcc's own node scripts (Node 20)
export NODE_OPTIONS=--no-experimental-fetch
for tool in emcc emcmake emconfigure emmake emar apt-get dpkg-source cmake make; do
  command -v "$tool" >/dev/null || {
    echo "web-deps: $tool is missing (scripts/deps.sh installs the dependency list)" >&2
    exit 3
  }
done
emcc_version=$(emcc --version | sed -n 1p)
key=$( (echo "$emcc_version"; printf '%s\n' "${pins[@]}"; echo "recipe $recipe") | sha256sum | cut -c1-12)
root=$build/web-deps
prefix=$root/$key
src=$root/src
mkdir -p "$prefix" "$src"

# pkg-config files relative to themselves, so the cache stays valid when
# the checkout moves
relocatable_pc_files() {
  sed -i -E 's#/[^ ]*/web-deps/[0-9a-f]{12}#${pcfiledir}/../..#g' "$prefix"/lib/pkgconfig/*.pc
}
all_built=true
for pin in "${pins[@]}"; do
  [[ -e $prefix/.built-${pin%%=*} ]] || all_built=false
done
if $all_built; then
  relocatable_pc_files
  echo "$prefix"
  exit 0
fi

# --- sources -------------------------------------------------------------
# A private APT state whose only sources are deb-src twins of this machine's
# Debian main-suite entries (deb822 *.sources and one-line *.list files).
apt_dir=$root/apt
mkdir -p "$apt_dir/sources.list.d" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
{
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    # "deb [opts] URI SUITE COMPONENTS..." -> "deb-src ..." for the
    # codename's own suites other than -security
    awk -v cn="$codename" '$1 == "deb" {
        i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
        suite = $(i + 1)
        if (suite !~ "^" cn "(-updates)?$") next
        $1 = "deb-src"; print }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    # deb822 stanzas: keep those of type deb, with the suites narrowed to
    # the codename's main suites, as deb-src one-line entries
    awk -v cn="$codename" '
      function flush(   n, s, k, out) {
        if (types ~ /(^| )deb( |$)/ && uris != "") {
          n = split(suites, s, " ")
          for (k = 1; k <= n; k++)
            if (s[k] ~ "^" cn "(-updates)?$") {
              out = "deb-src"
              if (signed != "") out = out " [signed-by=" signed "]"
              print out " " uris " " s[k] " " comps
            }
        }
        types = uris = suites = comps = signed = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { key = $1; sub(/:$/, "", key); $1 = ""; sub(/^ /, "")
        if (key == "Types") types = $0
        else if (key == "URIs") uris = $0
        else if (key == "Suites") suites = $0
        else if (key == "Components") comps = $0
        else if (key == "Signed-By") signed = $0 }
      END { flush() }' "$f"
  done
} | sort -u >"$apt_dir/sources.list.d/deb-src.list"
if [[ ! -s $apt_dir/sources.list.d/deb-src.list ]]; then
  echo "web-deps: no Debian $codename entry in the APT sources to derive deb-src from" >&2
  exit 3
fi
apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
          -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
need_update=false
for pin in "${pins[@]}"; do
  name=${pin%%=*}; version=${pin#*=}; upstream=${version#*:}; upstream=${upstream%-*}
  [[ -e $src/$name-${version#*:}/.unpacked ]] || need_update=true
done
if $need_update; then
  echo "web-deps: fetching Debian source packages" >&2
  apt-get "${apt_opts[@]}" -qq update >&2
  for pin in "${pins[@]}"; do
    name=${pin%%=*}; version=${pin#*=}
    dir=$src/$name-${version#*:}
    [[ -e $dir/.unpacked ]] && continue
    rm -rf "$dir" "$src/fetch-$name"
    mkdir -p "$src/fetch-$name"
    (cd "$src/fetch-$name" &&
       apt-get "${apt_opts[@]}" -qq source --download-only "$name=$version" >&2 &&
       dpkg-source --no-check -x ./*.dsc "$dir" >/dev/null)
    rm -f "$src"/*.orig.tar.* "$src"/*.debian.tar.* "$src"/*.diff.gz
    rm -rf "$src/fetch-$name"
    touch "$dir/.unpacked"
  done
fi

# --- builds --------------------------------------------------------------
jobs=2
export PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig
export PKG_CONFIG_PATH=
export CFLAGS="-O2"
cmake_common=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix"
              -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_ROOT_PATH="$prefix"
              -DBUILD_SHARED_LIBS=OFF)
source_dir() {
  local p v
  for p in "${pins[@]}"; do
    [[ ${p%%=*} == "$1" ]] || continue
    v=${p#*=}
    echo "$src/$1-${v#*:}"
  done
}

build_zlib() {
  local s; s=$(source_dir zlib)
  rm -rf "$root/b-zlib" && cp -a "$s" "$root/b-zlib" && cd "$root/b-zlib"
  CHOST=wasm32 emconfigure ./configure --static --prefix="$prefix" >/dev/null
  emmake make -j"$jobs" libz.a >/dev/null
  emmake make install >/dev/null
}
build_expat() {
  local s; s=$(source_dir expat)
  rm -rf "$root/b-expat"
  emcmake cmake -S "$s/expat" -B "$root/b-expat" "${cmake_common[@]}" -DEXPAT_BUILD_TOOLS=OFF \
    -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF \
    -DEXPAT_SHARED_LIBS=OFF -DEXPAT_BUILD_FUZZERS=OFF >/dev/null
  # CMake's #cmakedefine leaves XML_DTD empty, but Debian's security patch
  # tests "#if XML_DTD == 1": give the switches their value as autoconf does
  sed -i -E 's/^#define (XML_DTD|XML_NS)$/#define \1 1/' "$root/b-expat/expat_config.h"
  cmake --build "$root/b-expat" -j "$jobs" >/dev/null
  cmake --install "$root/b-expat" >/dev/null
}
build_json-c() {
  local s; s=$(source_dir json-c)
  rm -rf "$root/b-json-c"
  emcmake cmake -S "$s" -B "$root/b-json-c" "${cmake_common[@]}" -DBUILD_TESTING=OFF \
    -DBUILD_STATIC_LIBS=ON -DDISABLE_WERROR=ON -DBUILD_APPS=OFF >/dev/null
  cmake --build "$root/b-json-c" -j "$jobs" >/dev/null
  cmake --install "$root/b-json-c" >/dev/null
}
build_nettle() {
  local s; s=$(source_dir nettle)
  rm -rf "$root/b-nettle" && cp -a "$s" "$root/b-nettle" && cd "$root/b-nettle"
  # --host: configure would otherwise run its test programs (LIBRARY-NOTES)
  emconfigure ./configure --host=wasm32-unknown-emscripten --prefix="$prefix" \
    --disable-shared --disable-assembler --disable-openssl --disable-documentation \
    --disable-public-key --disable-fat >/dev/null
  emmake make -j"$jobs" libnettle.a >/dev/null
  emmake make install-headers install-pkgconfig >/dev/null
  mkdir -p "$prefix/lib" && cp libnettle.a "$prefix/lib/"
}
build_libzip() {
  local s; s=$(source_dir libzip)
  rm -rf "$root/b-libzip"
  # CMake's type-size probes cannot run under emscripten: preset the sizes
  # of wasm32 (ILP32, 64-bit off_t) so zipconf.h gets the right types
  emcmake cmake -S "$s" -B "$root/b-libzip" "${cmake_common[@]}" \
    -DENABLE_COMMONCRYPTO=OFF -DENABLE_GNUTLS=OFF -DENABLE_MBEDTLS=OFF -DENABLE_OPENSSL=OFF \
    -DENABLE_WINDOWS_CRYPTO=OFF -DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF -DENABLE_ZSTD=OFF \
    -DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF \
    -DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a" \
    -DHAVE_SIZEOF_OFF_T=TRUE -DSIZEOF_OFF_T=8 -DHAVE_SIZEOF_SIZE_T=TRUE -DSIZEOF_SIZE_T=4 \
    -DHAVE_SIZEOF_LONG=TRUE -DSIZEOF_LONG=4 -DHAVE_SIZEOF_LONG_LONG=TRUE -DSIZEOF_LONG_LONG=8 \
    -DHAVE_SIZEOF_INT=TRUE -DSIZEOF_INT=4 -DHAVE_SIZEOF_SHORT=TRUE -DSIZEOF_SHORT=2 \
    -DHAVE_INT8_T=TRUE -DINT8_T=1 -DHAVE_UINT8_T=TRUE -DUINT8_T=1 \
    -DHAVE_INT16_T=TRUE -DINT16_T=2 -DHAVE_UINT16_T=TRUE -DUINT16_T=2 \
    -DHAVE_INT32_T=TRUE -DINT32_T=4 -DHAVE_UINT32_T=TRUE -DUINT32_T=4 \
    -DHAVE_INT64_T=TRUE -DINT64_T=8 -DHAVE_UINT64_T=TRUE -DUINT64_T=8 >/dev/null
  cmake --build "$root/b-libzip" -j "$jobs" >/dev/null
  cmake --install "$root/b-libzip" >/dev/null
}

for pin in "${pins[@]}"; do
  name=${pin%%=*}
  [[ -e $prefix/.built-$name ]] && continue
  echo "web-deps: building $pin with emcc" >&2
  start=$SECONDS
  if ! (build_"$name") >"$root/$name.log" 2>&1; then
    tail -n 40 "$root/$name.log" >&2
    echo "web-deps: building $pin failed (log: $root/$name.log)" >&2
    exit 1
  fi
  rm -rf "$root/b-$name"
  touch "$prefix/.built-$name"
  echo "web-deps:   $name in $((SECONDS - start)) s" >&2
done
relocatable_pc_files
echo "$prefix"
