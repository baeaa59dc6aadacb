#!/usr/bin/env bash
# Runs once when the devcontainer is created (postCreateCommand), from the repository root. Picks the TorchSharp
# backend (CUDA when a GPU works here, else CPU, and says which), restores tools and packages, builds, runs the
# setup step and fetches the VGG19 weights into the cache. Safe to run again by hand: bash .devcontainer/post-create.sh
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

say() { printf '\n== %s\n' "$*"; }
note() { printf '   %s\n' "$@"; }

say "GPU"
backend=cpu
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/   /'
  backend=cuda
else
  note "No NVIDIA GPU is visible in this container, so NotebookStyle runs on the CPU (it works, only slower:" \
       "about 2.8 s per evaluation at 512 px on 2 cores; use --size 256 or the notebooks' quick mode)." \
       "On a GPU host: install the NVIDIA driver and the NVIDIA Container Toolkit, then rebuild the container" \
       "(see .devcontainer/README.md)."
fi

say "dotnet tools"
if [ -f dotnet-tools.json ] || [ -f .config/dotnet-tools.json ]; then
  dotnet tool restore || note "dotnet tool restore failed (see above); notebooks run from VS Code need no tools."
else
  note "no tool manifest: nothing to restore"
fi

say "packages (TorchBackend=$backend)"
if [ "$backend" = cuda ] && ! dotnet restore NotebookStyle.sln -p:TorchBackend=cuda; then
  note "The CUDA natives (TorchSharp-cuda-linux) could not be restored (see the lines above); using the CPU backend."
  backend=cpu
fi
if [ "$backend" = cpu ]; then
  dotnet restore NotebookStyle.sln -p:TorchBackend=cpu || { note "restore failed: check the network and NuGet.config"; exit 1; }
fi

# Later builds (terminal, C# Dev Kit, notebooks) pick the same natives: MSBuild reads TorchBackend from the environment.
for rc in "$HOME/.profile" "$HOME/.bashrc"; do
  touch "$rc"
  sed -i '/# notebookstyle-backend$/d' "$rc"
  echo "export TorchBackend=$backend # notebookstyle-backend" >> "$rc"
done
export TorchBackend=$backend
note "TorchBackend=$backend is exported from ~/.profile and ~/.bashrc (override with -p:TorchBackend=cpu|cuda)."

say "build"
# The CLI and the setup step only: every executable gets its own copy of the natives (several GB for CUDA);
# `dotnet test` builds the tests when they are first run.
# lib/NotebookStyle also packs the library into out/feed, where the lessons' first cell finds it.
for project in lib/NotebookStyle lib/NotebookStyle.Cli lib/NotebookStyle.Setup; do
  dotnet build "$project" -c Release --no-restore -p:TorchBackend="$backend" -clp:ErrorsOnly || exit 1
done

say "setup step"
# Checks libLibTorchSharp.so against this libstdc++; on Ubuntu 24.04 it finds nothing to do.
dotnet run --project lib/NotebookStyle.Setup -c Release --no-build || note "the setup step failed (see above)"

if [ "$backend" = cuda ]; then
  say "CUDA from .NET"
  if dotnet run --project tests/gpu/DeviceCheck -c Release -p:TorchBackend=cuda -- probe; then
    note "the GPU works from .NET: --device auto will use it. Full check with timings: bash tests/gpu/gpu-check.sh"
  else
    note "libtorch could not use the GPU (often a driver older than CUDA 12.8 wants: R570 or newer);" \
         "--device auto runs on the CPU meanwhile."
  fi
  # Each executable carries its own copy of the CUDA natives (GBs): drop the probe's until gpu-check.sh needs it.
  rm -rf tests/gpu/DeviceCheck/bin
fi

say "Jupyter kernel"
# The second front end: any Jupyter client (VS Code's Jupyter extension, the notebook server, nbconvert) runs the
# lessons with the .NET Interactive kernel, pinned in dotnet-tools.json.
if command -v jupyter >/dev/null 2>&1; then
  (cd notebooks && dotnet interactive jupyter install) || note "registering the .NET Jupyter kernel failed (see above)"
else
  note "jupyter is not installed: only VS Code's Polyglot Notebooks extension runs the lessons here"
fi

say "VGG19 weights"
# The weights command belongs to the CLI; until it exists (or without internet) --network auto uses the offline
# ResNet18 default and says so.
cli=(dotnet run --project lib/NotebookStyle.Cli -c Release --no-build --)
if "${cli[@]}" --help 2>/dev/null | grep -q 'fetch-weights'; then
  "${cli[@]}" fetch-weights || note "fetching the VGG19 weights failed (no internet?); retry later with:" \
    "dotnet run --project lib/NotebookStyle.Cli -c Release -- fetch-weights"
else
  note "this CLI has no fetch-weights command yet: skipped (--network auto falls back to the offline default network)."
fi

say "ready (backend: $backend)"
note "dotnet run --project lib/NotebookStyle.Cli -c Release -- --content C.jpg --style S.jpg --output out.png --device auto"
