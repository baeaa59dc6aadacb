#!/usr/bin/env bash
# Checks, before any dotnet command, that a .NET SDK which global.json accepts is installed (SDK 10: the notebook kernel
# is deprecated and is only known to work there, see the README's ".NET 11" section). Silent when one is; otherwise
# prints ONE line saying what is missing and how to install SDK 10 beside the newer one, and exits 1.
# notebooks/run.sh, .ci/run and the README's test command start with it.
#
#   lib/check-sdk.sh            (from anywhere; reads the repository's global.json)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

# global.json: "version": "10.0.100", "rollForward": "latestFeature" (the SDK's own rules, simplified to what this
# check needs: which major.minor, or which major, and the lowest version accepted).
pin=$(sed -n 's/.*"version"[[:space:]]*:[[:space:]]*"\([0-9][0-9.]*\)[^"]*".*/\1/p' "$root/global.json" | head -1)
roll=$(sed -n 's/.*"rollForward"[[:space:]]*:[[:space:]]*"\([A-Za-z]*\)".*/\1/p' "$root/global.json" | head -1)
if [ -z "$pin" ]; then
  echo "check-sdk: $root/global.json names no SDK version (\"sdk\": {\"version\": \"10.0.100\"} expected)" >&2
  exit 1
fi
IFS=. read -r pin_major pin_minor pin_patch <<<"$pin"
channel="$pin_major.$pin_minor"

script="./dotnet-install.sh --channel $channel"
if ! command -v dotnet >/dev/null 2>&1; then
  echo "check-sdk: the .NET SDK $channel is missing: there is no \`dotnet\` on PATH (global.json pins $pin). Install it:\
 $script (Microsoft's install script, https://dot.net/v1/dotnet-install.sh), or your package manager's dotnet-sdk-$channel." >&2
  exit 1
fi

# `dotnet --list-sdks` prints "10.0.401 [/usr/share/dotnet/sdk]" per SDK; it needs no SDK itself.
sdks=$(dotnet --list-sdks 2>/dev/null | awk '{print $1}') || sdks=""
at_least() { # A B -> 0 when A >= B (numeric, A and B without a pre-release tail)
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -1)" = "$2" ]
}
accepted() { # VERSION -> 0 when global.json's pin and roll-forward accept it
  local v=${1%%-*} major minor patch
  [[ "$v" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
  IFS=. read -r major minor patch <<<"$v"
  at_least "$v" "$pin" || return 1
  case "$roll" in
    disable) [ "$v" = "$pin" ] ;;
    major|latestMajor) true ;;
    minor|latestMinor) [ "$major" = "$pin_major" ] ;;
    feature|latestFeature) [ "$major.$minor" = "$channel" ] ;;
    *) [ "$major.$minor" = "$channel" ] && [ $((patch / 100)) = $((pin_patch / 100)) ] ;; # patch, latestPatch (the default)
  esac
}
for v in $sdks; do
  if accepted "$v"; then exit 0; fi
done

if [ -z "$sdks" ]; then
  listed="lists no SDK (a runtime alone cannot build)"
else
  listed="lists only $(echo "$sdks" | paste -sd, - | sed 's/,/, /g')"
fi
# Into the folder of the dotnet on PATH, so that this one dotnet sees both SDKs and global.json can pick.
home=$(dirname "$(readlink -f "$(command -v dotnet)")")
echo "check-sdk: the .NET SDK $channel is missing: \`dotnet --list-sdks\` $listed, and global.json pins $pin\
${roll:+ (rollForward $roll)}. Install SDK $channel beside it, both can stay installed: $script --install-dir $home\
 (Microsoft's install script, https://dot.net/v1/dotnet-install.sh), or your package manager's dotnet-sdk-$channel." >&2
exit 1
