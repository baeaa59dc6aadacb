#!/usr/bin/env bash
# The GPU check, in one go, on a machine with an NVIDIA GPU: device facts, a CUDA build, one 512 px stylisation with
# the CLI on the GPU, time per evaluation and peak GPU memory, printed as a table (also written to report.md); then the
# side-by-side benchmark's problems (ResNet18 and VGG19 at 256 and 512 px, tests/benchmarks/bench.py) on the GPU: ms per
# evaluation and peak GPU memory, NotebookStyle against the PyTorch peer when a Python with CUDA torch is at hand
# (PEER_PYTHON, python3, /usr/bin/python3), else NotebookStyle alone (benchmark.md).
#
#   bash tests/gpu/gpu-check.sh
#
# Needs: the NVIDIA driver (nvidia-smi), the .NET 10 SDK, and TorchSharp-cuda-linux 0.107.0 from a NuGet source or
# already in the NuGet cache (the devcontainer on a GPU host has all three). Environment (all optional):
#   SIZE (512), ITERATIONS (20), BENCH_REPS (10),
#   BENCH_SIZES (256,512), BENCH_NETWORKS (resnet18,vgg19), BENCH_ROUNDS (3), BENCH_EVALS (30): the benchmark's problems,
#   PEER_PYTHON (a python with CUDA torch and numpy for tests/benchmarks/peer.py; default: the first of python3,
#   /usr/bin/python3 whose torch sees CUDA),
#   CONTENT, STYLE (default: golden_gate.jpg and starry_night.jpg in ../shared/images, or $NOTEBOOKSTYLE_SHARED/images),
#   WEIGHTS (a VGG19 weights file; default: VGG19 with seeded random weights, which costs the same time and memory),
#   GPU_CHECK_OUT (default: $OUT/gpu-check, else out/gpu-check),
#   GPU_CHECK_DRY_RUN=1: the same steps on the CPU backend at 64 px, no GPU needed (CI runs this to keep the script,
#   the CLI options, the benchmark and the reports in step; it measures nothing about GPUs).
# Exit codes: 0 done; 1 no usable GPU or a step failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
dry=${GPU_CHECK_DRY_RUN:-0}
if [ "$dry" = 1 ]; then backend=cpu device=cpu; else backend=cuda device=cuda; fi
size=${SIZE:-$([ "$dry" = 1 ] && echo 64 || echo 512)}
iterations=${ITERATIONS:-$([ "$dry" = 1 ] && echo 3 || echo 20)}
reps=${BENCH_REPS:-$([ "$dry" = 1 ] && echo 2 || echo 10)}
bench_sizes=${BENCH_SIZES:-$([ "$dry" = 1 ] && echo 64 || echo 256,512)}
bench_networks=${BENCH_NETWORKS:-resnet18,vgg19}
bench_rounds=${BENCH_ROUNDS:-$([ "$dry" = 1 ] && echo 1 || echo 3)}
bench_evals=${BENCH_EVALS:-$([ "$dry" = 1 ] && echo 4 || echo 30)}
out=${GPU_CHECK_OUT:-${OUT:-out}/gpu-check}
mkdir -p "$out"
out=$(cd "$out" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 TorchBackend=$backend
start=$(date +%s)
step() { echo; echo "== $* ($(( $(date +%s) - start )) s)"; }
fail() { echo "gpu-check: $*" >&2; exit 1; }
check=tests/gpu/DeviceCheck/bin/Release/net10.0/DeviceCheck.dll
bench=tests/NotebookStyle.Benchmarks/bin/Release/net10.0/NotebookStyle.Benchmarks.dll
cli=lib/NotebookStyle.Cli/bin/Release/net10.0/nstyle.dll

step "device (nvidia-smi)"
if [ "$dry" = 1 ]; then
  echo "dry run: no GPU needed"
else
  command -v nvidia-smi >/dev/null || fail "no nvidia-smi: not a GPU machine (or a container started without --gpus all)."
  nvidia-smi --query-gpu=index,name,driver_version,memory.total,memory.used,compute_cap --format=csv || fail "nvidia-smi found no usable GPU."
  nvidia-smi | sed -n 3p || true
fi
command -v dotnet >/dev/null || fail "no dotnet: install the .NET 10 SDK."
echo "dotnet $(dotnet --version)"

step "build with -p:TorchBackend=$backend$([ "$backend" = cuda ] && echo ' (first time: restores several GB)')"
for project in lib/NotebookStyle.Cli tests/gpu/DeviceCheck tests/NotebookStyle.Benchmarks; do
  dotnet build "$project" -c Release -p:TorchBackend="$backend" -v minimal -nologo || fail "build of $project failed (see above)."
done
# Marks libLibTorchSharp.so loadable where the system libstdc++ is older than GCC 13's; does nothing elsewhere.
dotnet run --project lib/NotebookStyle.Setup -c Release -- . >/dev/null || fail "the setup step failed."

step "CUDA from .NET: devices, cuDNN, one evaluation at ${size} px with autotuning off and on, an out-of-memory probe"
if [ "$dry" = 1 ]; then
  # Exit code 1 = no CUDA, expected here; libtorch's NNPACK warnings on CPUs it does not support are dropped.
  dotnet "$check" probe --json "$out/device.json" --bench "$size" --reps "$reps" --bench-on cpu 2> >(grep -v NNPACK >&2) || true
else
  dotnet "$check" probe --json "$out/device.json" --bench "$size" --reps "$reps" --oom || fail "TorchSharp cannot use the GPU (see above)."
fi

step "one ${size} px stylisation on $device (${iterations} L-BFGS iterations)"
shared=${NOTEBOOKSTYLE_SHARED:-../shared}
content=${CONTENT:-$shared/images/golden_gate.jpg}
style=${STYLE:-$shared/images/starry_night.jpg}
if [ ! -f "$content" ] || [ ! -f "$style" ]; then fail "images missing: set CONTENT and STYLE (looked for $content and $style)."; fi
if [ -n "${WEIGHTS:-}" ]; then network=(--network vgg19 --weights "$WEIGHTS"); else network=(--network vgg19 --random-weights 0); fi
memory=()
if [ "$dry" != 1 ]; then
  idle=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 | head -1)
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i 0 -lms 100 > "$out/memory.log" &
  poller=$!
  memory=(--memory "$out/memory.log" --idle "$idle")
fi
set +e
dotnet "$cli" --content "$content" --style "$style" --output "$out/stylised.png" --size "$size" --iterations "$iterations" \
  --optimizer lbfgs --init content --seed 0 "${network[@]}" --device "$device" --metrics "$out/metrics.json" --quiet \
  2> >(grep -v NNPACK >&2)
rc=$?
set -e
if [ -n "${poller:-}" ]; then sleep 0.3; kill "$poller" 2>/dev/null || true; wait "$poller" 2>/dev/null || true; fi
[ "$rc" = 0 ] || fail "the stylisation failed with exit code $rc."

step "report"
dotnet "$check" report --device "$out/device.json" --metrics "$out/metrics.json" "${memory[@]}" | tee "$out/report.md"

step "the benchmark's problems on $device: $bench_networks at $bench_sizes px, $bench_rounds round(s) of $bench_evals L-BFGS evaluations"
# The PyTorch peer runs where a Python's torch can use the device (on the dry run: any torch).
peer=(--no-peer)
for py in ${PEER_PYTHON:-} python3 /usr/bin/python3; do
  if "$py" -c "import sys, numpy, torch; sys.exit(0 if '$dry' == '1' or torch.cuda.is_available() else 1)" 2>/dev/null; then
    peer=(--peer-python "$(command -v "$py")"); break
  fi
done
if [ "${peer[0]}" = --no-peer ]; then echo "no Python whose torch sees $device (PEER_PYTHON, python3, /usr/bin/python3): NotebookStyle only"; fi
runner=$(command -v /usr/bin/python3 || command -v python3) || fail "no python3 to run tests/benchmarks/bench.py (standard library only)."
"$runner" tests/benchmarks/bench.py --dll "$bench" --device "$device" --memory gpu --sizes "$bench_sizes" --networks "$bench_networks" \
  --rounds "$bench_rounds" --evals "$bench_evals" --no-adam --no-multiscale --no-breakdown \
  --images "$(dirname "$content")" --content "$(basename "$content")" --style "$(basename "$style")" \
  --out "$out/benchmark" "${peer[@]}" > "$out/benchmark.md" || fail "the benchmark failed (logs: $out/benchmark/*/logs)."
cat "$out/benchmark.md"
echo
echo "files: $out (device.json, metrics.json, $([ "$dry" = 1 ] || echo 'memory.log, ')stylised.png, report.md, benchmark.md, benchmark/)"
