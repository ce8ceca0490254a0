#!/usr/bin/env bash
# Runs every test project (already built by setup.sh) and ends with one summary line:
#   Tests: N passed, N failed, N skipped
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test DFLComposite.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# dotnet test prints one "Passed!/Failed!  - Failed: a, Passed: b, Skipped: c, Total: d" line per project.
read -r passed failed skipped < <(grep -E '(Passed|Failed)!  - Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo "Tests: $passed passed, $failed failed, $skipped skipped"
if (( status == 0 && failed == 0 && passed == 0 )); then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"
