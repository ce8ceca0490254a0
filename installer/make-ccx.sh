#!/usr/bin/env bash
# Packages the Premiere panel as a .ccx — a ZIP of the built UXP plugin with manifest.json at its
# root — which Creative Cloud installs on double-click (or: UnifiedPluginInstallerAgent --install).
# Usage: installer/make-ccx.sh [out.ccx]   (default dist/dflcomposite-panel-<version>.ccx)
# Builds the panel first (npm ci once if node_modules is missing); checks the result with
# installer/check-ccx.mjs so a broken package is never left behind.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
panel="$root/host-adapters/premiere-panel"

cd "$panel"
[[ -d node_modules ]] || npm ci --no-audit --no-fund
npm run --silent build >/dev/null
version=$(node -p "require('./manifest.json').version")
out=$(realpath -m "${1:-$root/dist/dflcomposite-panel-$version.ccx}")
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
rm -f "$tmp"
trap 'rm -f "$tmp"' EXIT

# Entries relative to dist/panel, so manifest.json sits at the archive's root.
cd "$panel/dist/panel"
if command -v zip >/dev/null 2>&1; then
  zip -qrX "$tmp" .
else
  python3 - "$tmp" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in os.walk("."):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, "."))
PY
fi
node "$root/installer/check-ccx.mjs" "$tmp" >/dev/null
mv "$tmp" "$out"
trap - EXIT
echo "$out"
