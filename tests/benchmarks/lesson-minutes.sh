#!/usr/bin/env bash
# Minutes per lesson for the facilitator's guide (docs/workshop/): each lesson run headless with dotnet-repl (the
# README's run command), one at a time, in quick and full mode, on the offline ResNet18 default (real weights) and on
# VGG19 from a Keras-layout .h5 with random weights (tests/reference/make_weight_fixtures.py: the time of an evaluation
# does not depend on the weight values). Each lesson runs under a timeout; a lesson that hits it is reported as "> N s".
# Writes OUT/minutes.tsv (mode, network, lesson, seconds, pass/fail) and the runner's logs beside it.
#
#   tests/benchmarks/lesson-minutes.sh [--out DIR] [--timeout SECONDS] [--modes "quick full"] [--networks "resnet18 vgg19"] [LESSON...]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=out/lesson-minutes; limit=900; modes="quick full"; networks="resnet18 vgg19"; lessons=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --timeout) limit=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --networks) networks=$2; shift 2 ;;
    *) lessons+=("$1"); shift ;;
  esac
done
[ ${#lessons[@]} -gt 0 ] || mapfile -t lessons < <(ls notebooks/[0-9][0-9]-*.ipynb)
mkdir -p "$out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash notebooks/run.sh --timeout 1 --out "$out/warmup" notebooks/00-setup.ipynb >/dev/null 2>&1 || true # builds, setup step
weights=$(mktemp -d); trap 'rm -rf "$weights"' EXIT
/usr/bin/python3 tests/reference/make_weight_fixtures.py "$weights" >/dev/null
runner=lib/NotebookStyle.NotebookRunner/bin/Release/net10.0/NotebookStyle.NotebookRunner.dll
shared="${NOTEBOOKSTYLE_SHARED:-../shared}"
if [ -z "${NOTEBOOKSTYLE_IMAGES:-}" ] && [ -d "$shared/images" ]; then
  NOTEBOOKSTYLE_IMAGES="$(cd "$shared/images" && pwd)"
  export NOTEBOOKSTYLE_IMAGES
fi
echo "# $(date -u +%FT%TZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/minutes.tsv"
for mode in $modes; do
  for net in $networks; do
    for nb in "${lessons[@]}"; do
      name=$(basename "$nb" .ipynb)
      if [ "$mode" = quick ]; then envs=(NOTEBOOKSTYLE_QUICK=1); else envs=(NOTEBOOKSTYLE_QUICK=0); fi
      if [ "$net" = vgg19 ]; then envs+=(NOTEBOOKSTYLE_WEIGHTS="$weights/keras.h5"); else envs+=(NOTEBOOKSTYLE_NETWORK=resnet18); fi
      log="$out/$mode-$net-$name.log"
      start=$(date +%s.%N); load0=$(cut -d' ' -f1 /proc/loadavg)
      set +e
      env "${envs[@]}" timeout $((limit + 60)) dotnet "$runner" --timeout "$limit" --out "$out/$mode-$net" "$nb" >"$log" 2>&1
      rc=$?
      set -e
      secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
      if [ $rc = 0 ]; then status=pass; elif grep -q "timed out" "$log"; then status=timeout; else status=fail; fi
      printf '%s\t%s\t%s\t%s\t%s\tload %s-%s\n' "$mode" "$net" "$name" "$secs" "$status" "$load0" "$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/minutes.tsv"
    done
  done
done
