#!/usr/bin/env bash
# Writes the two editions of the lessons from their one source (notebooks/*.ipynb, which are the teacher's):
#   out/editions/student/  each exercise's solution replaced by its stub, revealable answers removed, outputs cleared
#   out/editions/teacher/  solution markers removed, solutions and answers kept, outputs cleared
# A learner's seat gets the student edition copied over its notebooks/ folder (the lessons must run from there).
#
#   notebooks/editions.sh                          all lessons into out/editions/
#   notebooks/editions.sh --out DIR [NOTEBOOK...]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=out/editions
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
dotnet build lib/NotebookStyle.NotebookRunner -c Release -v q -clp:ErrorsOnly -nologo >/dev/null
exec dotnet lib/NotebookStyle.NotebookRunner/bin/Release/net10.0/NotebookStyle.NotebookRunner.dll --editions "$out" "${args[@]}"
