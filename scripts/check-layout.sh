#!/usr/bin/env bash
# Checks the shape of src/lib (issue 12) and fails when
#  - a module include circle appears (module X includes Y's header -> X uses
#    Y; a module is NAME.c with NAME.h; the edges of both files count),
#  - a file of the check core (the huizong_core sources of CMakeLists.txt)
#    includes a writer library's header (xlsxwriter, hpdf, cmark, fontconfig),
#  - a library file reads the environment (getenv, secure_getenv, environ).
# Usage: scripts/check-layout.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
exec python3 - "$here" <<'PY'
import os, re, sys
root = sys.argv[1]
lib = os.path.join(root, 'src', 'lib')
problems = []

# module graph
edges = {}
for name in sorted(os.listdir(lib)):
    if not name.endswith(('.c', '.h')):
        continue
    mod = name[:-2]
    text = open(os.path.join(lib, name), encoding='utf-8').read()
    for inc in re.findall(r'^\s*#\s*include\s+"([^"]+)\.h"', text, re.M):
        if inc != mod and os.path.exists(os.path.join(lib, inc + '.h')):
            edges.setdefault(mod, set()).add(inc)
state, stack = {}, []
def visit(m):
    state[m] = 1
    stack.append(m)
    for n in sorted(edges.get(m, ())):
        if state.get(n) == 1:
            problems.append('include circle: ' + ' -> '.join(stack[stack.index(n):] + [n]))
        elif n not in state:
            visit(n)
    stack.pop()
    state[m] = 2
for m in sorted(edges):
    if m not in state:
        visit(m)

# the check core: the modules listed in HZ_CORE_MODULES, plus config_ini
cmake = open(os.path.join(root, 'CMakeLists.txt'), encoding='utf-8').read()
found = re.search(r'set\(HZ_CORE_MODULES\s+([^)]*)\)', cmake)
if not found:
    problems.append('CMakeLists.txt: no HZ_CORE_MODULES list')
    core = []
else:
    core = found.group(1).split() + ['config_ini']
writers = re.compile(r'^\s*#\s*include\s+<(xlsxwriter|hpdf|cmark|fontconfig)[^>]*>', re.M)
# every header a core module reaches must be a core header too
core_set = set(core)
for m in core:
    for ext in ('.c', '.h'):
        p = os.path.join(lib, m + ext)
        if not os.path.exists(p):
            continue
        text = open(p, encoding='utf-8').read()
        for w in writers.findall(text):
            problems.append('check core includes a writer header: src/lib/%s%s <%s>' % (m, ext, w))
    for n in sorted(edges.get(m, ())):
        if n not in core_set:
            problems.append('check core module %s includes %s.h, which is not in the core' % (m, n))

# no environment in the library
envre = re.compile(r'\b(getenv|secure_getenv|environ|HZ_SOURCE_DIR)\b')
for dirpath, _, files in os.walk(lib):
    for name in sorted(files):
        if not name.endswith(('.c', '.h')):
            continue
        p = os.path.join(dirpath, name)
        for no, line in enumerate(open(p, encoding='utf-8'), 1):
            code = re.sub(r'/\*.*?\*/|//.*$|"(?:\\.|[^"\\])*"', '', line)
            if envre.search(code) and not code.lstrip().startswith('*'):
                problems.append('library reads the environment: %s:%d: %s'
                                % (os.path.relpath(p, root), no, line.strip()))

for p in problems:
    print('check-layout: ' + p, file=sys.stderr)
if problems:
    sys.exit(1)
print('check-layout: %d modules, no include circle; check core (%d modules) without writer headers; no environment in src/lib'
      % (len({f[:-2] for f in os.listdir(lib) if f.endswith(('.c', '.h'))}), len(core)))
PY
