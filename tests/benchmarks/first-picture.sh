#!/usr/bin/env bash
# Time to a first picture, as a workshop laptop sees it: wall time from the start of the process to the PNG written, for
# the CLI's default run (`nstyle --content C --style S -o x.png`: ResNet18 from its ONNX file, 512 px, the default
# preset's colours, L-BFGS for the default iterations) against a plain PyTorch script doing the same
# (tests/benchmarks/peer.py picture: PIL to load and resize, the same histogram recolouring, the same weights and losses,
# torch.optim.LBFGS with strong Wolfe, PIL to write). Rounds alternate the order (C# first, then PyTorch first, ...).
# Prints medians (min-max) as a markdown table and writes the raw figures, both pictures and the CLI's loss curve
# (--metrics: the total loss after every iteration) under out/first-picture/.
#
# Usage: tests/benchmarks/first-picture.sh [ROUNDS (3)]
#        tests/benchmarks/first-picture.sh --summary DIR   (the table again from a run's folder, also of a run cut short)
# Environment: SIZE (512, the CLI's default), ITERATIONS (the CLI's default, read from its --help), THREADS (the
# PyTorch script's threads; default: what the CLI's own default chose, from its metrics), CONTENT, STYLE.
# Needs the Release CLI and tests/NotebookStyle.Benchmarks built, Debian's python3-torch with OpenBLAS and python3-pil.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
python=/usr/bin/python3
summary=""
if [[ "${1:-}" == --summary ]]; then summary="${2:?--summary needs a run folder}"; fi
rounds="${1:-3}"
size="${SIZE:-512}"
cli=lib/NotebookStyle.Cli/bin/Release/net10.0/nstyle.dll
bench=tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll
shared="${NOTEBOOKSTYLE_SHARED:-$root/../shared}"
content="${CONTENT:-$shared/images/golden_gate.jpg}"; style="${STYLE:-$shared/images/starry_night.jpg}"
measure() {
for f in "$cli" "$bench" "$content" "$style"; do [[ -f "$f" ]] || { echo "first-picture.sh: missing $f (build the CLI and the benchmarks in Release)" >&2; exit 1; }; done
"$python" -c 'import torch, numpy, PIL' 2>/dev/null || { echo "first-picture.sh: needs Debian's python3-torch, python3-numpy, python3-pil" >&2; exit 1; }
# The CLI's default iteration count, as its help states it ("[default: N]").
iterations="${ITERATIONS:-$(dotnet "$cli" --help | sed -n 's/.*--iterations.*\[default: \([0-9]*\)\].*/\1/p' | head -1)}"
[[ "$iterations" =~ ^[0-9]+$ ]] || { echo "first-picture.sh: could not read the CLI's default --iterations from its --help; set ITERATIONS" >&2; exit 1; }

out="$root/out/first-picture/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
echo "first-picture: $out ($rounds rounds, $size px, $iterations iterations)" >&2
# The weights and loss settings the PyTorch script reads (the ResNet18 default from its ONNX file, written as raw float32).
dotnet "$bench" prepare --out "$out/problems" --networks resnet18 --sizes "$size" --content "$content" --style "$style" >/dev/null 2>&1
problem="$out/problems/resnet18-$size/problem.json"
echo "$(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/raw.txt"

# One timed process: wall seconds from its start to the PNG's last write (mtime) and to its exit, and its peak RSS.
timed() { # NAME PNG COMMAND...
  local name=$1 png=$2; shift 2
  rm -f "$png"
  local load start end
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  /usr/bin/time -o "$out/time.txt" -f %M "$@" >"$out/$name.log" 2>&1 || { cat "$out/$name.log" >&2; exit 1; }
  end=$(date +%s.%N)
  local written; written=$(stat -c %.9Y "$png")
  awk -v n="$name" -v w="$written" -v s="$start" -v e="$end" -v m="$(tail -1 "$out/time.txt")" -v l="$load" \
    'BEGIN { printf "%s %.3f %.3f %s %s\n", n, w - s, e - s, m, l }' >>"$out/raw.txt"
}
# The CLI as a user runs it: only --size (its default unless SIZE is set) and -n when ITERATIONS is set.
cli_iterations=(); [[ -n "${ITERATIONS:-}" ]] && cli_iterations=(-n "$iterations")
cs() { timed cs "$out/nstyle.png" dotnet "$cli" --content "$content" --style "$style" -o "$out/nstyle.png" --size "$size" "${cli_iterations[@]}" --metrics "$out/metrics.json" -q; }
py() {
  local threads="${THREADS:-$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["threads"])' "$out/metrics.json" 2>/dev/null || nproc)}"
  OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads MKL_NUM_THREADS=$threads timed py "$out/pytorch.png" "$python" tests/benchmarks/peer.py picture \
    --problem "$problem" --json "$out/pytorch.json" --content "$content" --style "$style" --output "$out/pytorch.png" --size "$size" \
    --iterations "$iterations" --threads "$threads"
}
for r in $(seq "$rounds"); do
  if (( r % 2 == 1 )); then cs; py; else py; cs; fi
  echo "  round $r done" >&2
done
echo "$(date -Is) load $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/raw.txt"
}

if [[ -n "$summary" ]]; then
  out="$(cd "$summary" && pwd)"
  iterations="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["iterations"])' "$out/metrics.json")"
  size=""
else
  measure
fi
"$python" - "$out" "$size" "$iterations" <<'PY'
import json, os, statistics as st, sys
out, size, iterations = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows, loads = {"cs": [], "py": []}, []
for line in open(os.path.join(out, "raw.txt")):
    f = line.split()
    if f[1] == "load":
        loads.append(" / ".join(f[2:5]))
        continue
    rows[f[0]].append((float(f[1]), float(f[2]), int(f[3]) / 1024, float(f[4])))
m = json.load(open(os.path.join(out, "metrics.json")))
p = json.load(open(os.path.join(out, "pytorch.json"))) if os.path.exists(os.path.join(out, "pytorch.json")) else None
span = lambda v, d=1: f"{st.median(v):.{d}f} ({min(v):.{d}f}–{max(v):.{d}f})"
after = loads[-1] if len(loads) > 1 else "? (cut short)"
print(f"Time to a first picture: {m['width']}×{m['height']} px, {iterations} iterations, {m['network']}, colour {m['color']}, "
      f"{m['threads']} threads; load average (1/5/15 min) {loads[0]} before, {after} after; 1-minute load at each "
      f"process's start {', '.join(f'{who} {x[3]:.1f}' for who in rows for x in rows[who])}. Medians (min–max), alternated.\n")
print("| | runs | start → PNG written s | start → exit s | peak RSS MB | evaluations | final loss |\n|---|---|---|---|---|---|---|")
for who, name, ev, loss in (("cs", "nstyle (CLI defaults)", m["evaluations"], m["final"]["total"]),
                            ("py", "PyTorch script", p and p["evaluations"], p and p["last_loss"])):
    v = rows[who]
    if not v:
        print(f"| {name} | 0 | – | – | – | – | – |")
        continue
    print(f"| {name} | {len(v)} | {span([x[0] for x in v])} | {span([x[1] for x in v])} | {span([x[2] for x in v], 0)} | {ev} | {loss:.4g} |")
if rows["cs"] and rows["py"]:
    ratio = st.median(x[0] for x in rows["cs"]) / st.median(x[0] for x in rows["py"])
    print(f"\nratio (start → PNG): {ratio:.2f}")
# The loss curve of the CLI's default run and where it flattens: the first iteration after which 10 more iterations
# improve the total loss by less than 1%.
h = [(e["iteration"], e["loss"]["total"], e["seconds"]) for e in m["history"]]
with open(os.path.join(out, "loss-curve.tsv"), "w") as f:
    f.write("iteration\tevaluations\tseconds\ttotal\n")
    for e in m["history"]:
        f.write(f"{e['iteration']}\t{e['evaluations']}\t{e['seconds']:.3f}\t{e['loss']['total']:.6g}\n")
flat = next((i for (i, l, _), (_, l10, _) in zip(h, h[10:]) if (l - l10) / l < 0.01), None)
marks = sorted({10, 25, 50, 75, 100, 150, 200, iterations, flat or 0} - {0})
print("\nLoss curve of the CLI's default run (total loss after an iteration; loss-curve.tsv has every one):\n")
print("| iteration | total loss | of the final | optimisation s |\n|---|---|---|---|")
final = h[-1][1]
for i, l, s in h:
    if i in marks:
        print(f"| {i}{' (flat)' if i == flat else ''} | {l:.4g} | {l / final:.3f} | {s:.1f} |")
print(f"\nflat from iteration {flat}: 10 more iterations improve the total loss by less than 1%" if flat else
      "\nthe loss still improves by 1% or more per 10 iterations at the end of the run")
PY
echo "files: $out (raw.txt, metrics.json, loss-curve.tsv, nstyle.png, pytorch.png, logs)" >&2
