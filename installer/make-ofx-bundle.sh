#!/usr/bin/env bash
# Lays out the OpenFX bundle:
#   <dest>/DFLComposite.ofx.bundle/Contents/Info.plist
#   <dest>/DFLComposite.ofx.bundle/Contents/Resources/org.dflcomposite.faceswap.png, org.dflcomposite.facematte.png
#   <dest>/DFLComposite.ofx.bundle/Contents/Linux-x86-64/DFLComposite.ofx   (the NativeAOT library)
#
# Usage: installer/make-ofx-bundle.sh [dest] [--binary FILE] [--install]
#   dest       folder to put the bundle in (default: dist/)
#   --binary   an already published library (DFLComposite.Ofx.so) instead of publishing it here
#   --install  also copy the bundle into the first folder of OFX_PLUGIN_PATH, else /usr/OFX/Plugins
#
# The solution build runs this with --binary (artifacts/ofx/). Other platforms (not built here):
#   Win64:  dotnet publish host-adapters/DFLComposite.Ofx -c Release -r win-x64 (x64 Native Tools prompt, for cl/lib),
#           then Contents/Win64/DFLComposite.ofx = the published DFLComposite.Ofx.dll; install to
#           %CommonProgramFiles%\OFX\Plugins.
#   MacOS:  dotnet publish ... -r osx-arm64 (and osx-x64; lipo them into one universal file), then
#           Contents/MacOS/DFLComposite.ofx = DFLComposite.Ofx.dylib; install to /Library/OFX/Plugins.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest="" binary="" install=0
while (( $# )); do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --install) install=1; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-ofx-bundle: unknown option $1" >&2; exit 2 ;;
    *) dest=$1; shift ;;
  esac
done
dest=$(realpath -m "${dest:-$root/dist}")

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) arch=Linux-x86-64 ;;
  Linux-aarch64) arch=Linux-arm-64 ;;
  *) echo "make-ofx-bundle: this script builds the Linux bundle; see its header for Win64/MacOS" >&2; exit 2 ;;
esac

if [[ -z "$binary" ]]; then
  publish=$(mktemp -d)
  trap 'rm -rf "$publish"' EXIT
  dotnet publish "$root/host-adapters/DFLComposite.Ofx/DFLComposite.Ofx.csproj" -c Release -p:DflcSkipOfxBundle=true \
    -o "$publish" -nologo -v quiet -clp:NoSummary >&2
  binary="$publish/DFLComposite.Ofx.so"
fi
[[ -f "$binary" ]] || { echo "make-ofx-bundle: no library at $binary" >&2; exit 1; }

version=$(sed -n 's/.*VersionMajor => \([0-9]*\);.*/\1/p' "$root/host-adapters/DFLComposite.Ofx/FaceEffectPlugin.cs" | head -1).$(
  sed -n 's/.*VersionMinor => \([0-9]*\);.*/\1/p' "$root/host-adapters/DFLComposite.Ofx/FaceEffectPlugin.cs" | head -1)

# Build next to the destination, then swap it in, so a host never sees a half-written bundle.
mkdir -p "$dest"
stage="$dest/.DFLComposite.ofx.bundle.$$"
rm -rf "$stage"
mkdir -p "$stage/Contents/Resources" "$stage/Contents/$arch"
cp "$binary" "$stage/Contents/$arch/DFLComposite.ofx"
chmod 755 "$stage/Contents/$arch/DFLComposite.ofx"
cp "$root/installer/ofx/org.dflcomposite.faceswap.png" "$root/installer/ofx/org.dflcomposite.facematte.png" "$stage/Contents/Resources/"
cat > "$stage/Contents/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>CFBundleDevelopmentRegion</key>
  <string>English</string>
  <key>CFBundleExecutable</key>
  <string>DFLComposite.ofx</string>
  <key>CFBundleIdentifier</key>
  <string>org.dflcomposite.ofx</string>
  <key>CFBundleInfoDictionaryVersion</key>
  <string>6.0</string>
  <key>CFBundleName</key>
  <string>DFLComposite</string>
  <key>CFBundlePackageType</key>
  <string>BNDL</string>
  <key>CFBundleShortVersionString</key>
  <string>$version</string>
  <key>CFBundleVersion</key>
  <string>$version</string>
</dict>
</plist>
PLIST
rm -rf "$dest/DFLComposite.ofx.bundle"
mv "$stage" "$dest/DFLComposite.ofx.bundle"
echo "$dest/DFLComposite.ofx.bundle"

if (( install )); then
  target=${OFX_PLUGIN_PATH%%:*}
  target=${target:-/usr/OFX/Plugins}
  mkdir -p "$target"
  rm -rf "$target/DFLComposite.ofx.bundle.new"
  cp -R "$dest/DFLComposite.ofx.bundle" "$target/DFLComposite.ofx.bundle.new"
  rm -rf "$target/DFLComposite.ofx.bundle"
  mv "$target/DFLComposite.ofx.bundle.new" "$target/DFLComposite.ofx.bundle"
  echo "installed: $target/DFLComposite.ofx.bundle"
fi
