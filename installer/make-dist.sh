#!/usr/bin/env bash
# Lays out a self-contained Linux distribution folder:
#   <dest>/dflc            launcher (finds its models and plugins relative to itself)
#   <dest>/bin/            dflc published self-contained (the .NET runtime included), libtorch, OpenCV
#   <dest>/bin/plugins/    the built-in plugins, one folder each
#   <dest>/models/         the pretrained model files, verified
# The target machine still needs Debian's ffmpeg and libgtk-3-0 (see README).
# Usage: installer/make-dist.sh [dest]   (default: dist/dflcomposite-linux-x64)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=$(realpath -m "${1:-$root/dist/dflcomposite-linux-x64}")
models=${DFLC_MODELS:-$HOME/.cache/dflcomposite/models}

"$root/scripts/fetch-models.sh"
stage="$dest.tmp.$$"
rm -rf "$stage"
mkdir -p "$stage/models"
dotnet publish "$root/host-adapters/DFLComposite.Node/DFLComposite.Node.csproj" -c Release -r linux-x64 \
  --self-contained true -o "$stage/bin" -nologo -v quiet -clp:NoSummary
cut -f1 "$root/scripts/models.tsv" | grep -v '^#' | while read -r f; do cp "$models/$f" "$stage/models/"; done
cat > "$stage/dflc" <<'LAUNCHER'
#!/usr/bin/env bash
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
export DFLC_MODELS=${DFLC_MODELS:-$here/models}
exec "$here/bin/dflc" "$@"
LAUNCHER
chmod +x "$stage/dflc"
# Replace the old folder only once the new one is complete.
rm -rf "$dest"
mv "$stage" "$dest"
echo "$dest"
