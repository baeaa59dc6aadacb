#!/usr/bin/env bash
# Runs the lesson notebooks headless: builds the library, applies the TorchSharp setup step, then executes each
# notebook with dotnet-repl (from the repository's tool manifest) from its own folder, each under a timeout.
# Executed notebooks go to out/notebooks/, every picture they produced to out/images/<notebook>/.
# Prints "N passed, N failed"; exits non-zero when any notebook fails (a failed cell or an error output).
#
#   notebooks/run.sh                      all seven lessons, full size
#   notebooks/run.sh --quick              quick mode (NOTEBOOKSTYLE_QUICK=1): small images, few iterations (CI)
#   notebooks/run.sh --timeout 600 notebooks/04-style-transfer.ipynb
#
# Environment: NOTEBOOKSTYLE_IMAGES (default ../shared/images when that folder exists), NOTEBOOKSTYLE_BACKEND=cpu|cuda,
# NOTEBOOKSTYLE_QUICK=1, NOTEBOOKSTYLE_PLOTLY=inline|cdn|none.
set -euo pipefail
cd "$(dirname "$0")/.."
# Before any dotnet command: SDK 10 installed? (one line saying how to add it beside a newer SDK, else silent)
bash lib/check-sdk.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

args=()
timeout_given=0
for a in "$@"; do
  case "$a" in
    --quick) export NOTEBOOKSTYLE_QUICK=1 ;;
    --timeout) timeout_given=1; args+=("$a") ;;
    *) args+=("$a") ;;
  esac
done
if [ "$timeout_given" = 0 ]; then
  if [ "${NOTEBOOKSTYLE_QUICK:-}" = 1 ]; then args=(--timeout 600 "${args[@]}"); else args=(--timeout 1800 "${args[@]}"); fi
fi
shared="${NOTEBOOKSTYLE_SHARED:-../shared}"
if [ -z "${NOTEBOOKSTYLE_IMAGES:-}" ] && [ -d "$shared/images" ]; then
  NOTEBOOKSTYLE_IMAGES="$(cd "$shared/images" && pwd)"
  export NOTEBOOKSTYLE_IMAGES
fi

echo "== tools and packages"
dotnet tool restore >/dev/null
# The CLI project brings the libtorch natives into the NuGet cache, where the notebook kernels find them.
dotnet restore lib/NotebookStyle.Cli -v q >/dev/null
echo "== build (library, runner)"
dotnet build lib/NotebookStyle -c Release --no-restore -v q -clp:ErrorsOnly -nologo
dotnet build lib/NotebookStyle.NotebookRunner -c Release -v q -clp:ErrorsOnly -nologo
echo "== TorchSharp setup step"
dotnet run --project lib/NotebookStyle.Setup -c Release -- "${NUGET_PACKAGES:-$HOME/.nuget/packages}/torchsharp"
echo "== notebooks (quick mode: ${NOTEBOOKSTYLE_QUICK:-0}, images: ${NOTEBOOKSTYLE_IMAGES:-images/ only})"
exec dotnet lib/NotebookStyle.NotebookRunner/bin/Release/net10.0/NotebookStyle.NotebookRunner.dll "${args[@]}"
