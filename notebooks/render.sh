#!/usr/bin/env bash
# Renders the executed lessons of a course run (notebooks/run.sh) as Markdown with their pictures as PNG files, for
# reading on a code-hosting site without running anything. Each page says which network, weights, sizes and machine
# made it (from the run's run.json).
#
#   notebooks/render.sh                                   out/ → docs/lessons/
#   notebooks/render.sh --out out/course-vgg19 docs/lessons-vgg19
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
run=out
target=docs/lessons
while [ $# -gt 0 ]; do
  case "$1" in
    --out) run=$2; shift 2 ;;
    -*) echo "usage: notebooks/render.sh [--out RUN_DIR] [TARGET_DIR]" >&2; exit 2 ;;
    *) target=$1; shift ;;
  esac
done
dotnet build lib/NotebookStyle.NotebookRunner -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
exec dotnet lib/NotebookStyle.NotebookRunner/bin/Release/net10.0/NotebookStyle.NotebookRunner.dll --render "$target" --out "$run"
