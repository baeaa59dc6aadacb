#!/usr/bin/env bash
# What control over the result costs per evaluation (issue #12: regions and blends add at most 15 %): ms per
# loss-and-gradient evaluation at 512 px for a single style, a blend of two and a map of three regions, with the Gram and
# the Wasserstein style loss, alternated in one process per network (ResNet18 default; VGG19 with seeded random weights
# unless --weights FILE). Prints a markdown table; JSON under out/benchmarks/. Run it on a quiet machine (the table
# records the load average). About 10 minutes on 2 cores.
#   tests/benchmarks/control-cost.sh                         both networks, 512 px, 3 rounds × 5 evaluations per variant
#   tests/benchmarks/control-cost.sh --quick                 128 px, 1 round × 2 evaluations (a smoke run)
# Other options pass through: --networks resnet18,vgg19, --size N, --rounds N, --evals N, --losses gram,wasserstein,
# --threads N (default: all logical CPUs), --weights FILE (VGG19), --images DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
images="${NOTEBOOKSTYLE_SHARED:-$root/../shared}/images"
quick=0
threads=$(nproc)
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --images) images="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
if [[ ! -d "$images" ]]; then
  echo "control-cost.sh: no images folder at $images (set NOTEBOOKSTYLE_SHARED or pass --images DIR)" >&2
  exit 1
fi

echo "building tests/NotebookStyle.Benchmarks (Release)" >&2
dotnet build tests/NotebookStyle.Benchmarks -c Release -nologo -v q >&2
dotnet run --project lib/NotebookStyle.Setup -c Release >/dev/null   # libLibTorchSharp.so loadable on Debian 12 (idempotent)
dll="tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll"
mkdir -p out/benchmarks
json="out/benchmarks/control-cost-$(date -u +%Y%m%dT%H%M%S).json"
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads"
if [[ $quick == 1 ]]; then
  args=(--size 128 --rounds 1 --evals 2 "${args[@]}")
fi
dotnet "$dll" control-cost --images "$images" --threads "$threads" --json "$json" "${args[@]}" 2> >(grep -v NNPACK >&2)
echo "JSON: $json" >&2
