#!/usr/bin/env bash
# Checks of the devcontainer and the GPU path that need neither Docker nor a GPU (the schema validation of
# devcontainer.json, the CUDA restore message and the out-of-memory handling are xunit tests, under tests/…/Gpu):
#   1. the Dockerfile, linted by dockerfile-utils and dockerfilelint (pinned in .ci/devcontainer-lint; hadolint is
#      neither in Debian 12 nor on npm);
#   2. the shell scripts (lib/check-sdk.sh among them), by bash -n and shellcheck (Debian's; installed here when running as root);
#   3. tests/gpu/gpu-check.sh as a dry run on the CPU backend at 64 px: builds the CLI and the DeviceCheck helper,
#      stylises once and prints the report table, so the GPU script, the CLI's options and the metrics stay in step.
# Usage: bash .ci/lint-devcontainer.sh   (from anywhere; exit code 0 when every check passed)
set -euo pipefail
cd "$(dirname "$0")/.."
failed=0
check() {
  local name=$1; shift
  echo "== $name"
  if "$@"; then echo "   ok: $name"; else echo "   FAILED: $name"; failed=$((failed + 1)); fi
}

lint_dockerfile() {
  (cd .ci/devcontainer-lint && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || return 1
  local bin=.ci/devcontainer-lint/node_modules/.bin
  "$bin/dockerfile-utils" lint .devcontainer/Dockerfile || return 1
  # dockerfilelint reads .devcontainer/.dockerfilelintrc; its exit code is the number of issues.
  "$bin/dockerfilelint" .devcontainer/Dockerfile
}

lint_shell() {
  local scripts=(.devcontainer/post-create.sh tests/gpu/gpu-check.sh .ci/lint-devcontainer.sh lib/check-sdk.sh tests/dotnet11/trial.sh)
  for s in "${scripts[@]}"; do bash -n "$s" || return 1; done
  if ! command -v shellcheck >/dev/null && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null 2>&1; } || true
  fi
  if command -v shellcheck >/dev/null; then shellcheck "${scripts[@]}"; else echo "   shellcheck not available: syntax checked only"; fi
}

gpu_check_dry_run() {
  GPU_CHECK_DRY_RUN=1 GPU_CHECK_OUT="${TMPDIR:-/tmp}/notebookstyle-gpu-check-dry" bash tests/gpu/gpu-check.sh
}

check "Dockerfile lint" lint_dockerfile
check "shell scripts" lint_shell
check "GPU check, dry run on the CPU" gpu_check_dry_run

if [ "$failed" = 0 ]; then echo "lint-devcontainer: all checks passed"; else echo "lint-devcontainer: $failed check(s) failed"; fi
[ "$failed" = 0 ]
