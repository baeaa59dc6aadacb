#!/usr/bin/env bash
# The quality report: every photo in the images folder with every painting, stylised with each preset, at 256 px
# (default, strong, subtle) and 512 px (default); a contact sheet per pair, a markdown table and JSON under
# out/quality/. Takes ~20 min on 2 cores with the offline ResNet18 default.
#   tests/benchmarks/quality.sh                        the offline default network (ResNet18)
#   tests/benchmarks/quality.sh --network vgg19 --weights vgg19.h5   the same figures for VGG19 with your weights
#   tests/benchmarks/quality.sh --quick                256 px, default preset only, 50 iterations (a smoke run)
#   tests/benchmarks/quality.sh --control              control over the result (issue #12) at 256 px, 200 iterations: a blend's
#                                                      weight grid, styles per region (each region's figures, the border step),
#                                                      Gram against Wasserstein over every pair; under out/quality/control/
#   tests/benchmarks/quality.sh --control --quick      the same at 128 px, 100 iterations (~1/10 of the time)
# Other options pass through: --iterations N, --images DIR, --photos a,b, --paintings a,b, --set "StyleWeight=30;TvWeight=1e-3";
# with --control also --sections blends,regions,losses, --blend-styles a,b, --blend-weights 1,0.5,0, --region-styles sky,water,
# --region-losses gram,wasserstein, --w2-style-scales 1,0.3 (Wasserstein runs at multiples of the default style weight).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
images="${NOTEBOOKSTYLE_SHARED:-$root/../shared}/images"
out="$root/out/quality"
quick=0
control=0
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --control) control=1; shift ;;
    --images) images="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ ! -d "$images" ]]; then
  echo "quality.sh: no images folder at $images (set NOTEBOOKSTYLE_SHARED or pass --images DIR)" >&2
  exit 1
fi

echo "building tests/NotebookStyle.Benchmarks (Release)" >&2
dotnet build tests/NotebookStyle.Benchmarks -c Release -nologo -v q >&2
dotnet run --project lib/NotebookStyle.Setup -c Release >/dev/null   # libLibTorchSharp.so loadable on Debian 12 (idempotent)
dll="tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll"
run() { dotnet "$dll" quality --images "$images" "$@" 2> >(grep -v NNPACK >&2); }

if [[ $control == 1 && $quick == 1 ]]; then
  run --out "$out/control-quick" --sections blends,regions,losses --control-size 128 --iterations 100 "${args[@]}"
elif [[ $control == 1 ]]; then
  run --out "$out/control" --sections blends,regions,losses --control-size 256 "${args[@]}"
elif [[ $quick == 1 ]]; then
  run --out "$out/quick" --sizes 256 --presets default --iterations 50 "${args[@]}"
else
  run --out "$out/256" --sizes 256 --presets default,strong,subtle "${args[@]}"
  run --out "$out/512" --sizes 512 --presets default "${args[@]}"
fi
echo "sheets and tables under $out" >&2
