#!/usr/bin/env bash
# Whole-process peak RSS as a user sees it (/usr/bin/time's %M): the CLI (nstyle, ResNet18 default, from the ONNX file)
# against the PyTorch peer (tests/benchmarks/peer.py lbfgs, same weights and images), alternated A B A B.
# Usage: tests/benchmarks/process-rss.sh [ROUNDS (3)] [SIZES (256 512)]; prints a markdown table of medians (min-max).
# Needs the Release CLI and tests/NotebookStyle.Benchmarks built, Debian's python3-torch with OpenBLAS (see README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rounds="${1:-3}"; shift || true
sizes=("${@:-256 512}"); read -r -a sizes <<<"${sizes[*]}"
content=../shared/images/golden_gate.jpg; style=../shared/images/starry_night.jpg
[[ -f "$content" ]] || content=/work/shared/images/golden_gate.jpg
[[ -f "$style" ]] || style=/work/shared/images/starry_night.jpg
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2 DOTNET_gcServer=0
dotnet tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll prepare --out "$work/p" --networks resnet18 \
  --sizes "$(IFS=,; echo "${sizes[*]}")" --content "$content" --style "$style" --threads 2 >/dev/null 2>&1
peak() { /usr/bin/time -o "$work/t" -f %M "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }; tail -1 "$work/t"; }
for r in $(seq "$rounds"); do
  for s in "${sizes[@]}"; do
    echo "cs $s $(peak dotnet lib/NotebookStyle.Cli/bin/Release/net10.0/nstyle.dll --content "$content" --style "$style" \
      -o "$work/x.png" --size "$s" -n 20 --network resnet18 --threads 2 -q)" >>"$work/raw"
    echo "py $s $(peak /usr/bin/python3 tests/benchmarks/peer.py lbfgs --problem "$work/p/resnet18-$s/problem.json" \
      --json "$work/p.json" --evals 25 --threads 2)" >>"$work/raw"
  done
done
/usr/bin/python3 - "$work/raw" <<'PY'
import sys, statistics as st
rows = {}
for line in open(sys.argv[1]):
    who, size, kb = line.split(); rows.setdefault((size, who), []).append(int(kb) / 1024)
print("| size | nstyle MB | PyTorch MB | ratio |\n|---|---|---|---|")
for size in sorted({s for s, _ in rows}, key=int):
    c, p = rows[(size, "cs")], rows[(size, "py")]
    f = lambda v: f"{st.median(v):.0f} ({min(v):.0f}–{max(v):.0f})"
    print(f"| {size} | {f(c)} | {f(p)} | {st.median(c) / st.median(p):.2f} |")
PY
