#!/usr/bin/env bash
# The newcomer's entry point. Every command runs the idempotent set-up first.
#   ./run.sh demo     the main job on a built-in example
#   ./run.sh test     the whole test suite
#   ./run.sh setup    only the set-up (apt packages, model files, build)
#   ./run.sh dflc ... run dflc with any arguments
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
dflc="$root/host-adapters/DFLComposite.Node/bin/Release/net10.0/linux-x64/dflc"

case "${1:-help}" in
  setup)
    scripts/setup.sh ;;
  demo)
    scripts/setup.sh
    shift
    exec "$dflc" demo "$@" ;;
  test)
    scripts/setup.sh
    shift
    scripts/test.sh "$@" ;;
  dflc)
    shift
    [[ -x "$dflc" ]] || scripts/setup.sh >&2
    exec "$dflc" "$@" ;;
  *)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    exit 2 ;;
esac
