#!/usr/bin/env bash
# Builds the test host: tests/ofx-test-host/build.sh OUT_FILE. Needs a C compiler (clang, clang-14 or gcc) and
# zlib1g-dev (both installed by scripts/setup.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/ofx-test-host}
cc=${CC:-}
if [[ -z "$cc" ]]; then for c in clang clang-14 gcc cc; do if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi; done; fi
[[ -n "$cc" ]] || { echo "build.sh: no C compiler (apt-get install clang)" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
"$cc" -std=gnu11 -O1 -g -Wall -Wextra -Werror -o "$out.tmp" "$here"/main.c "$here"/badhandles.c "$here"/plugin.c \
  "$here"/props.c "$here"/params.c "$here"/effect.c "$here"/suites.c "$here"/frames.c "$here"/clip.c "$here"/png.c -ldl -lz -lm -lpthread
mv "$out.tmp" "$out"
