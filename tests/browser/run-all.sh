#!/usr/bin/env bash
# A learner's screen for every lesson: builds what the kernels load, registers the .NET Interactive Jupyter kernel,
# then runs tests/browser/learner_screen.py over all eight lessons in one Jupyter server and one headless Chromium.
# Needs Debian's jupyter-notebook, chromium, chromium-driver and python3-selenium (.ci/run installs them).
# Screenshots and logs go to out/browser-all/; prints one PASS/FAIL line per lesson and the total time.
#
#   tests/browser/run-all.sh            quick mode (NOTEBOOKSTYLE_QUICK=1)
#   tests/browser/run-all.sh --verbose  also one line per cell with its time (the per-cell table in docs/workshop/minutes.md)
#   tests/browser/run-all.sh --full     the full lessons (on 2 quiet cores ≈ 17 minutes headless, 11 of them the capstone)
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
quick=(--quick); out=out/browser-all; cell_timeout=600; verbose=()
for a in "$@"; do
  case "$a" in
    --full) quick=(); out=out/browser-all-full; cell_timeout=3600 ;;
    --verbose) verbose=(--verbose) ;;
    *) echo "usage: tests/browser/run-all.sh [--full] [--verbose]" >&2; exit 2 ;;
  esac
done
start=$(date +%s)
dotnet tool restore >/dev/null
dotnet restore lib/NotebookStyle.Cli -v q >/dev/null # the libtorch natives the kernels load from the NuGet cache
dotnet build lib/NotebookStyle -c Release --no-restore -v q -clp:ErrorsOnly -nologo
dotnet run --project lib/NotebookStyle.Setup -c Release -- "${NUGET_PACKAGES:-$HOME/.nuget/packages}/torchsharp" >/dev/null
(cd notebooks && dotnet interactive jupyter install >/dev/null)
set +e
timeout 7200 /usr/bin/python3 tests/browser/learner_screen.py "${quick[@]}" "${verbose[@]}" --cell-timeout "$cell_timeout" --out "$out" notebooks/[0-9][0-9]-*.ipynb
rc=$?
set -e
echo "browser, all lessons: $(( $(date +%s) - start )) s (build included); screenshots in $out/"
exit $rc
