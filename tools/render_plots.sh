#!/usr/bin/env bash
# Renders the README's plot commands: each command's SVG, then a PNG of it with rsvg-convert (Debian:
# librsvg2-bin). Usage: tools/render_plots.sh [HEADROOM [OUT_DIR [README]]]
#   defaults: build/release/bin/headroom, docs/img, README.md (run from the repository root).
# With a README it also checks that the README shows each command (the ctest cli-plots-render runs it
# into the build tree; regenerate docs/img with `tools/render_plots.sh build/release/bin/headroom`).
# Fails when a command fails, an SVG is missing or a render fails.
set -euo pipefail
exe=${1:-build/release/bin/headroom}
out=${2:-docs/img}
readme=${3:-README.md}
command -v rsvg-convert >/dev/null || { echo "render_plots.sh: rsvg-convert not found (Debian: librsvg2-bin)" >&2; exit 1; }
mkdir -p "$out"
# name|arguments: the README shows `headroom ARGUMENTS --plot NAME.svg` and the image docs/img/NAME.png.
plots=(
  "fit|fit llama-3-70b --gpu rtx-4090 --method qlora --gc full"
  "compare|compare llama-3-8b --gpu rtx-4090 --gpu a100-sxm4-80gb"
  "roofline|perf llama-3-8b --gpu rtx-4090 --batch 8"
  "scale|scale llama-3-8b --gpu rtx-4090 --gpu h100-sxm5-80gb --gpus 1,2,4,8 --method full --zero 3"
  "curve|serve llama-3.1-8b --gpu h100-sxm5-80gb --prompt 1024 --generate 256 --concurrency 1,8,64,256"
)
status=0
for p in "${plots[@]}"; do
  name=${p%%|*}
  args=${p#*|}
  if [ -n "$readme" ] && ! grep -qF -- "headroom $args --plot $name.svg" "$readme"; then
    echo "render_plots.sh: $readme does not show 'headroom $args --plot $name.svg'" >&2
    status=1
  fi
  if [ -n "$readme" ] && ! grep -qF -- "docs/img/$name.png" "$readme"; then
    echo "render_plots.sh: $readme does not show docs/img/$name.png" >&2
    status=1
  fi
  rm -f "$out/$name.svg" "$out/$name.png"
  # 10: the job does not fit, a model outcome the plot shows.
  rc=0
  # shellcheck disable=SC2086
  "$exe" $args --plot "$out/$name.svg" >/dev/null || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 10 ]; then
    echo "render_plots.sh: headroom $args exited $rc" >&2
    exit 1
  fi
  rsvg-convert --format png -o "$out/$name.png" "$out/$name.svg"
  [ -s "$out/$name.png" ] || { echo "render_plots.sh: no PNG for $name" >&2; exit 1; }
  # The SVG stays only in a build tree; docs/img keeps the PNG.
  [ "$out" = docs/img ] && rm -f "$out/$name.svg"
done
exit $status
