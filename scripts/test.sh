#!/usr/bin/env bash
# Runs every test (already built by setup.sh) and ends with one summary line:
#   Tests: N passed, N failed, N skipped
# 1. the panel: `tsc --noEmit` against Adobe's published Premiere declarations, then its vitest unit tests;
# 2. every .NET test project.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

panel=host-adapters/premiere-panel
echo "test: panel typecheck (tsc --noEmit against @adobe/premierepro)"
(cd "$panel" && npm run --silent typecheck) || status=1
(cd "$panel" && npx vitest run --reporter=default 2>&1) | tee -a "$log"
(( PIPESTATUS[0] == 0 )) || status=1

dotnet test DFLComposite.sln -c Release --no-build -nologo "$@" 2>&1 | tee -a "$log"
(( PIPESTATUS[0] == 0 )) || status=1

# dotnet test prints one "Passed!/Failed!  - Failed: a, Passed: b, Skipped: c, Total: d" line per project;
# vitest prints "Tests  N passed (N)" or "Tests  F failed | N passed (T)".
read -r passed failed skipped < <(grep -E '(Passed|Failed)!  - Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
vitest=$(grep -E '^\s*Tests\s+' "$log" | tail -1 | sed 's/\x1b\[[0-9;]*m//g')
vp=$(sed -nE 's/.* ([0-9]+) passed.*/\1/p' <<<"$vitest"); vf=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$vitest")
passed=$((passed + ${vp:-0})); failed=$((failed + ${vf:-0}))
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( status == 0 && failed == 0 && passed == 0 )); then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"
