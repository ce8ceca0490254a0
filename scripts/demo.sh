#!/usr/bin/env bash
# The README's main job on a built-in example. Until the swap pipeline lands this checks the machine
# (dflc doctor) and lists the engine's parts.
set -euo pipefail
dflc=$1; shift
"$dflc" doctor "$@"
"$dflc" plugins
