#!/usr/bin/env bash
# The long fuzz run of the image loader: mutated JPEG, PNG and WebP files (byte-level and structure-aware) fed to
# ImageLoader; prints the outcome counts and writes out/fuzz/seed<N>.json. Exit code 1 when any outcome was unexpected
# (an exception outside the loader's named ones, or a hang); those inputs are saved under out/fuzz/unexpected/.
# About 1 ms per input on 2 cores (100,000 in 1–2 minutes); a hang holds a core until the run ends.
#   tests/benchmarks/fuzz.sh                     100,000 inputs, seed 1
#   tests/benchmarks/fuzz.sh --inputs 5000 --seed 7
#   tests/benchmarks/fuzz.sh --only 6974,19054   replay chosen inputs of a seed's sequence
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
inputs=100000
seed=1
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --inputs) inputs="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
echo "building tests/NotebookStyle.Benchmarks (Release)" >&2
dotnet build tests/NotebookStyle.Benchmarks -c Release -v q -clp:ErrorsOnly >&2
mkdir -p out/fuzz
exec dotnet tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll fuzz \
  --inputs "$inputs" --seed "$seed" --json "out/fuzz/seed$seed.json" --keep out/fuzz/unexpected "${args[@]}"
