#!/usr/bin/env bash
# Poster sizes: time and whole-process peak memory of one VGG19 evaluation (random weights) at 0.25, 1, 3.1, 4 and
# 12.6 megapixels, ours tiled (within --budget GB) and whole, and the PyTorch peer whole (peer.py breakdown), each in
# its own process. Prints a markdown table and writes out/benchmarks/poster-DATE/{table.md,raw/}.
# Usage: tests/benchmarks/poster.sh [--budget GB (4)] [--sizes "576 1152 2048 2304 4096"] [--whole-max 2304] [--evals 3]
# Needs tests/NotebookStyle.Benchmarks built in Release and Debian's python3-torch with OpenBLAS (see README.md).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
budget=4; sizes="576 1152 2048 2304 4096"; whole_max=2304; evals=3; network=vgg19
while [[ $# -gt 0 ]]; do
  case "$1" in
    --budget) budget="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --whole-max) whole_max="$2"; shift 2 ;;
    --evals) evals="$2"; shift 2 ;;
    --network) network="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "poster.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
content=../shared/images/golden_gate.jpg; style=../shared/images/starry_night.jpg
out="out/benchmarks/poster-$(date +%Y-%m-%d)"; mkdir -p "$out/raw"
problems="$out/problems"
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2 DOTNET_gcServer=0
bench=(dotnet tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll)
# shellcheck disable=SC2086
"${bench[@]}" prepare --out "$problems" --networks "$network" --sizes "$(echo $sizes | tr ' ' ,)" \
  --content "$content" --style "$style" --threads 2 >/dev/null
for s in $sizes; do
  p="$problems/$network-$s/problem.json"
  echo "== $s px: ours tiled (budget $budget GB)" >&2
  "${bench[@]}" poster --problem "$p" --budget "$budget" --evals "$evals" --threads 2 --json "$out/raw/tiled-$s.json" >&2
  if (( s <= whole_max )); then
    echo "== $s px: ours whole" >&2
    "${bench[@]}" poster --problem "$p" --evals "$evals" --threads 2 --json "$out/raw/whole-$s.json" >&2
    echo "== $s px: PyTorch whole" >&2
    /usr/bin/python3 tests/benchmarks/peer.py breakdown --problem "$p" --evals "$evals" --threads 2 --json "$out/raw/peer-$s.json" >&2
  fi
done
rm -rf "$problems"
/usr/bin/python3 - "$out" "$budget" <<'PY' | tee "$out/table.md"
import json, os, statistics as st, sys
out, budget = sys.argv[1], sys.argv[2]
def load(kind, size):
    path = os.path.join(out, "raw", f"{kind}-{size}.json")
    return json.load(open(path)) if os.path.exists(path) else None
sizes = sorted({int(f.split("-")[1].split(".")[0]) for f in os.listdir(os.path.join(out, "raw"))})
gb = lambda r: f"{r['peak_rss_kb'] / 1024 / 1024:.2f}" if r else "–"
med = lambda r, k="total_ms": st.median(r[k]) if r and r.get(k) else None
print(f"VGG19 (random weights), one loss-and-gradient evaluation, 2 threads; tiled within a {budget} GB budget; median of the evaluations; peak = whole-process VmHWM.\n")
print("| size | MP | tiles (core, halo) | ours tiled s/eval | pass 1 / pass 2 s | ours whole s/eval | PyTorch whole s/eval | tiled ÷ whole per MP | peak GiB tiled | whole | PyTorch |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for s in sizes:
    t, w, p = load("tiled", s), load("whole", s), load("peer", s)
    r = t or w
    mp = r["width"] * r["height"] / 1e6
    grid = f"{t['tiles']} ({t['tile_size']}, {t['halo']})" if t and t["tiled"] else "1 (whole)"
    f = lambda v: f"{v / 1000:.1f}" if v is not None else "–"
    ratio = f"{med(t) / med(w):.2f}" if t and w else "–"
    passes = f"{f(med(t, 'pass1_ms'))} / {f(med(t, 'pass2_ms'))}" if t and t["tiled"] else "–"
    print(f"| {r['width']}×{r['height']} | {mp:.2f} | {grid} | {f(med(t))} | {passes} | {f(med(w))} | {f(med(p))} | {ratio} | {gb(t)} | {gb(w)} | {gb(p)} |")
PY
