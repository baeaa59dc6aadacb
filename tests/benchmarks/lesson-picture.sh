#!/usr/bin/env bash
# Lesson 04 as a workshop laptop runs it: the notebook executed in a real .NET Interactive kernel (dotnet-repl, the
# repository's tool manifest), full size (not quick mode), on the CPU, with the offline default network. Measures the
# kernel's whole-process peak RSS (/usr/bin/time's %M: the largest process of the tree, the kernel), the notebook's wall
# time from start to exit, and the main run's own time (the L-BFGS cell's "done …; X s" line), against the PyTorch
# script doing the same run (tests/benchmarks/peer.py picture: same images, size, iterations, network and colour mode)
# from process start to PNG written. Rounds alternate the order. Prints a markdown table of medians (min-max).
#
# Usage: tests/benchmarks/lesson-picture.sh [ROUNDS (2)]
# Needs: dotnet build -c Release (the library packed into out/feed, the benchmarks built), Debian's python3-torch,
# python3-numpy, python3-pil.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
python=/usr/bin/python3
rounds="${1:-2}"
notebook=04-style-transfer.ipynb
bench=tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll
shared="${NOTEBOOKSTYLE_SHARED:-$root/../shared}"
[[ -f "$bench" ]] || { echo "lesson-picture.sh: build the benchmarks first (dotnet build NotebookStyle.sln -c Release)" >&2; exit 1; }
# The lesson's settings (LessonSettings.Full) and images: chelsea (images/) and starry_night, long side 320, 200 iterations.
size=320 iterations=200 content="$root/images/chelsea.png" style="$shared/images/starry_night.jpg"
export NOTEBOOKSTYLE_BACKEND=cpu NOTEBOOKSTYLE_IMAGES="$(cd "$shared/images" && pwd)" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset NOTEBOOKSTYLE_QUICK NOTEBOOKSTYLE_WEIGHTS

out="$root/out/lesson-picture/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
echo "lesson-picture: $out ($rounds rounds, $notebook full size on the CPU)" >&2
dotnet tool restore >/dev/null
dotnet run --project lib/NotebookStyle.Setup -c Release >/dev/null
dotnet "$bench" prepare --out "$out/problems" --networks resnet18 --sizes "$size" --content "$content" --style "$style" >/dev/null 2>&1
echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/raw.txt"
# The kernel's own baseline: dotnet-repl running one cell (1 + 1), no library.
"$python" - "$out/empty.ipynb" <<'PY'
import json, sys
cell = {"cell_type": "code", "execution_count": None, "metadata": {"dotnet_interactive": {"language": "csharp"}}, "outputs": [], "source": ["1 + 1"]}
json.dump({"cells": [cell], "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
           "language_info": {"name": "polyglot-notebook"}}, "nbformat": 4, "nbformat_minor": 5}, open(sys.argv[1], "w"))
PY
/usr/bin/time -o "$out/time.txt" -f %M dotnet tool run dotnet-repl --run "$out/empty.ipynb" --exit-after-run --output-path "$out/empty-run.ipynb" >"$out/empty.log" 2>&1 \
  || { tail -20 "$out/empty.log" >&2; exit 1; }
echo "empty $(tail -1 "$out/time.txt")" >>"$out/raw.txt"

kernel() { # ROUND
  local start end
  start=$(date +%s.%N)
  (cd notebooks && /usr/bin/time -o "$out/time.txt" -f %M dotnet tool run dotnet-repl --run "$notebook" --exit-after-run \
    --output-path "$out/04-$1.ipynb" >"$out/kernel-$1.log" 2>&1) || { tail -20 "$out/kernel-$1.log" >&2; exit 1; }
  end=$(date +%s.%N)
  local run
  run=$("$python" - "$out/04-$1.ipynb" <<'PY'
import json, re, sys
text = json.dumps(json.load(open(sys.argv[1])))
m = re.findall(r"done (\d+) \((\d+) evaluations\): total ([0-9.eE+-]+)[^;]*; ([0-9.]+) s", text)
if not m: raise SystemExit("the lesson's run printed no 'done … s' line")
print(" ".join(m[0]))
PY
)
  echo "cs $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }') $(tail -1 "$out/time.txt") $run" >>"$out/raw.txt"
}
peer() {
  local start
  start=$(date +%s.%N)
  OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2 /usr/bin/time -o "$out/time.txt" -f %M "$python" tests/benchmarks/peer.py picture \
    --problem "$out/problems/resnet18-$size/problem.json" --json "$out/pytorch.json" --content "$content" --style "$style" \
    --output "$out/pytorch.png" --size "$size" --iterations "$iterations" --threads 2 >"$out/peer.log" 2>&1 || { cat "$out/peer.log" >&2; exit 1; }
  local written; written=$(stat -c %.9Y "$out/pytorch.png")
  echo "py $(awk -v s="$start" -v w="$written" 'BEGIN { printf "%.3f", w - s }') $(tail -1 "$out/time.txt") $("$python" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["evaluations"], r["last_loss"])' "$out/pytorch.json")" >>"$out/raw.txt"
}
for r in $(seq "$rounds"); do
  if (( r % 2 == 1 )); then kernel "$r"; peer; else peer; kernel "$r"; fi
  echo "  round $r done" >&2
done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/raw.txt"

"$python" - "$out/raw.txt" <<'PY'
import statistics as st, sys
cs, py, loads, empty = [], [], [], None
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "load": loads.append("/".join(f[1:4]))
    elif f[0] == "empty": empty = int(f[1]) / 1024
    elif f[0] == "cs": cs.append((float(f[1]), int(f[2]) / 1024, int(f[3]), int(f[4]), float(f[5]), float(f[6])))
    else: py.append((float(f[1]), int(f[2]) / 1024, int(f[3]), float(f[4])))
span = lambda v, d=1: f"{st.median(v):.{d}f} ({min(v):.{d}f}–{max(v):.{d}f})"
print(f"Lesson 04, full size (320 px, 200 iterations), CPU, 2 threads; load average {loads[0]} before, {loads[-1]} after.\n")
print("| | runs | main run s | whole notebook s | peak RSS MB (whole process) | evaluations | final loss |\n|---|---|---|---|---|---|---|")
print(f"| lesson 04 in the kernel | {len(cs)} | {span([c[5] for c in cs])} | {span([c[0] for c in cs])} | {span([c[1] for c in cs], 0)} | {cs[0][3]} | {cs[0][4]:.4g} |")
print(f"| PyTorch script (start → PNG) | {len(py)} | {span([p[0] for p in py])} | – | {span([p[1] for p in py], 0)} | {py[0][2]} | {py[0][3]:.4g} |")
print(f"\nAn empty kernel (dotnet-repl, one cell, no library) peaks at {empty:.0f} MB: the lesson's own share is "
      f"{st.median(c[1] for c in cs) - empty:.0f} MB.")
print(f"\nmain run / PyTorch script: {st.median(c[5] for c in cs) / st.median(p[0] for p in py):.2f}; "
      f"peak RSS kernel / PyTorch: {st.median(c[1] for c in cs) / st.median(p[1] for p in py):.2f}")
PY
