#!/usr/bin/env bash
# Checks the committed notebooks without running them: no outputs, no execution counts, and none of the known
# dotnet-repl traps (text after #r "…", relative #i sources, interpolation in #r, the library referenced other than
# by ../lib/NotebookStyle/bin/Release/net10.0/NotebookStyle.dll). Prints "N passed, N failed"; exits 1 on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build lib/NotebookStyle.NotebookRunner -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
exec dotnet lib/NotebookStyle.NotebookRunner/bin/Release/net10.0/NotebookStyle.NotebookRunner.dll --check "$@"
