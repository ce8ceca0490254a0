#!/usr/bin/env bash
# The README's main job: a whole face swap on built-in example media, on the CPU, in a few minutes.
#   src: the largest face in a group photo (face-api's demo sample2.jpg, fetched by set-up from npm)
#   dst: a 4-second clip made from another group photo (sample6.jpg, four faces) with a slow zoom
# extract both -> train a small 64-px SAEHD df model for --minutes (default 3) -> merge -> result.mp4
# Re-running resumes: facesets are kept, training continues from the saved model.
set -euo pipefail
dflc=$1; shift
minutes=3
while (( $# )); do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    *) echo "demo: unknown option $1 (use --minutes N)" >&2; exit 2 ;;
  esac
done
examples=${DFLC_EXAMPLES:-$HOME/.cache/dflcomposite/examples}
out=${DFLC_DEMO:-$HOME/dflcomposite-demo}
mkdir -p "$out"

"$dflc" doctor > "$out/doctor.txt" || { cat "$out/doctor.txt"; exit 4; }

if [[ ! -f "$out/dst.mp4" ]]; then
  echo "demo: making a 4-second destination clip from $examples/sample6.jpg"
  ffmpeg -loglevel error -y -loop 1 -i "$examples/sample6.jpg" \
    -vf "scale=1280:-2,zoompan=z='1+0.0012*on':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=100:s=960x720:fps=25" \
    -frames:v 100 -c:v libx264 -pix_fmt yuv420p "$out/dst.mp4.tmp.mp4"
  mv "$out/dst.mp4.tmp.mp4" "$out/dst.mp4"
fi

[[ -f "$out/src/faceset.json" ]] || "$dflc" extract -i "$examples/sample2.jpg" -o "$out/src" --max-faces 1 --size 256
[[ -f "$out/dst/faceset.json" ]] || "$dflc" extract -i "$out/dst.mp4" -o "$out/dst" --size 256 --every 2

"$dflc" train --src "$out/src" --dst "$out/dst" -w "$out/model" \
  --archi df --resolution 64 --ae-dims 128 --e-dims 32 --d-dims 32 --d-mask-dims 16 --lr 2e-4 \
  --max-minutes "$minutes" --preview-every 50 --report-every 25 --save-every-minutes 1

"$dflc" merge -w "$out/model" -i "$out/dst.mp4" -o "$out/result.mp4"

ffmpeg -loglevel error -y -ss 2 -i "$out/dst.mp4" -ss 2 -i "$out/result.mp4" \
  -filter_complex "[0:v][1:v]hstack" -frames:v 1 "$out/before-after.png"

echo
echo "Done. Result: $out/result.mp4"
echo "      before | after: $out/before-after.png"
echo "      training preview: $out/model/preview.png, losses: $out/model/loss.png"
