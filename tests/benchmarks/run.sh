#!/usr/bin/env bash
# NotebookStyle against PyTorch, side by side, in one command: builds the C# side, checks the PyTorch peer's setup,
# runs both runtimes alternately (tests/benchmarks/bench.py), prints a markdown table and writes JSON under
# out/benchmarks/. Options are bench.py's: --quick (smoke run, a minute or two), --threads N, --sizes 256,512,
# --networks vgg19,resnet18, --rounds N, --evals N, --images DIR, ... (tests/benchmarks/run.sh --help).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
python=/usr/bin/python3   # Debian's python3 (python3-torch); a pyenv/venv python3 on PATH is not it

if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "run.sh: Debian's PyTorch is missing: apt-get update && apt-get install -y python3-torch python3-numpy libopenblas0-pthread" >&2
  exit 1
fi
# Without OpenBLAS Debian's torch runs its matrix products on the reference BLAS (2.6-3x slower steps): an unfair peer.
blas="$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: //p')"
case "$blas" in
  *openblas*) ;;
  *) echo "run.sh: libblas.so.3 is '${blas:-unknown}', not OpenBLAS: apt-get install -y libopenblas0-pthread (or update-alternatives --set libblas.so.3-x86_64-linux-gnu .../openblas-pthread/libblas.so.3)" >&2
     exit 1 ;;
esac

for arg in "$@"; do
  if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then exec "$python" tests/benchmarks/bench.py --dll - --help; fi
done

echo "building tests/NotebookStyle.Benchmarks (Release)" >&2
dotnet build tests/NotebookStyle.Benchmarks -c Release -nologo -v q >&2
dotnet run --project lib/NotebookStyle.Setup -c Release >/dev/null   # libLibTorchSharp.so loadable on Debian 12 (idempotent)

dll="tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll"
exec "$python" tests/benchmarks/bench.py --dll "$dll" "$@"
