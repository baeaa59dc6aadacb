#!/usr/bin/env bash
# What .NET 11 breaks: runs the course's pieces on a private .NET 11 runtime and writes a works/fails table.
#
# The .NET 11 runtime is assembled from NuGet's runtime packs (Microsoft.NETCore.App.Runtime.linux-x64 and
# Microsoft.AspNetCore.App.Runtime.linux-x64 11.0.0) into a dotnet root that has NO .NET 10 runtime: the installed
# dotnet's muxer, the pack's hostfxr, shared/Microsoft.NETCore.App/11.0.0 and shared/Microsoft.AspNetCore.App/11.0.0,
# and (hard links of) the installed SDK 10, which then also runs on runtime 11. No SDK 11 is served here, so what an
# SDK 11 would do is not measured (see the README's ".NET 11" section). Each row runs with roll-forward
# (DOTNET_ROLL_FORWARD=Major, as every process started from it inherits) or without, as its name says.
#
#   bash tests/dotnet11/trial.sh                 all rows (~10 min on 2 busy cores; the unit tests take most)
#   bash tests/dotnet11/trial.sh --quick         runtime, CLI, kernel tools and lesson 00 only (~4 min)
#   bash tests/dotnet11/trial.sh --out DIR       table and logs into DIR (default out/dotnet11)
#
# Environment: NUGET_PACKAGES (the NuGet cache, as for every dotnet command), DOTNET11_TESTS (the dotnet test filter,
# default: the Losses, Quality and Layout tests). Linux x64 only. Exit code 0 when the trial ran (whatever the rows
# say), 1 when it could not be set up.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
bash lib/check-sdk.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

quick=0
out=out/dotnet11
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --out) out=${2:?--out needs a folder}; shift ;;
    *) echo "trial: unknown argument $1 (use --quick, --out DIR)" >&2; exit 1 ;;
  esac
  shift
done
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "trial: the runtime packs used here are linux-x64 only" >&2; exit 1; }
version=11.0.0
tests_filter=${DOTNET11_TESTS:-FullyQualifiedName~NotebookStyle.Tests.Losses|FullyQualifiedName~NotebookStyle.Tests.Quality|FullyQualifiedName~NotebookStyle.Tests.Layout}
mkdir -p "$out"
out=$(cd "$out" && pwd)
logs=$out/logs
rm -rf "$logs" && mkdir -p "$logs"
work=$(mktemp -d "${TMPDIR:-/tmp}/notebookstyle-dotnet11.XXXXXX")
trap 'rm -rf "$work"' EXIT
packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
base=$(dirname "$(readlink -f "$(command -v dotnet)")")
sdk10=$(dotnet --version)
step() { echo "== $*"; }

step "build with SDK $sdk10 (CLI, tests, the library's package for the lessons) and restore the kernel tools"
dotnet tool restore >/dev/null
dotnet build tests/NotebookStyle.Tests -c Release -v q -clp:ErrorsOnly -nologo >"$logs/build.log" 2>&1 \
  || { tail -20 "$logs/build.log"; echo "trial: the build failed (log: $logs/build.log)" >&2; exit 1; }
tool_dll() { # TOOL-ID DLL -> the tool's dll in the NuGet cache, at the manifest's version
  local v
  v=$(awk -v id="\"$1\"" '$1 == id":" {found=1} found && /"version"/ {gsub(/[",]/, "", $2); print $2; exit}' dotnet-tools.json)
  compgen -G "$packages/$1/$v/tools/*/any/$2" | head -1
}
repl=$(tool_dll dotnet-repl dotnet-repl.dll)
interactive=$(tool_dll microsoft.dotnet-interactive Microsoft.DotNet.Interactive.App.dll)
if [ ! -f "$repl" ] || [ ! -f "$interactive" ]; then echo "trial: kernel tools not found in $packages" >&2; exit 1; fi

step "runtime packs $version from NuGet"
mkdir -p "$work/packs"
cp NuGet.config "$work/packs/"
cat >"$work/packs/packs.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Microsoft.NETCore.App.Runtime.linux-x64" Version="[$version]" />
    <PackageDownload Include="Microsoft.AspNetCore.App.Runtime.linux-x64" Version="[$version]" />
  </ItemGroup>
</Project>
EOF
(cd "$work/packs" && cp "$repo/global.json" . && dotnet restore -v q >"$logs/packs.log" 2>&1) \
  || { tail -20 "$logs/packs.log"; echo "trial: the runtime packs could not be restored" >&2; exit 1; }
core=$packages/microsoft.netcore.app.runtime.linux-x64/$version/runtimes/linux-x64
asp=$packages/microsoft.aspnetcore.app.runtime.linux-x64/$version/runtimes/linux-x64

step "a dotnet root with runtime $version and no .NET 10 runtime"
link_tree() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; } # hard links where the file system allows
assemble() { # ROOT SDK-FOLDER-NAME
  local root=$1
  mkdir -p "$root/host/fxr/$version" "$root/shared/Microsoft.NETCore.App/$version" \
    "$root/shared/Microsoft.AspNetCore.App/$version" "$root/sdk"
  cp "$base/dotnet" "$root/"
  cp "$core/native/libhostfxr.so" "$root/host/fxr/$version/"
  cp "$core"/lib/net*/* "$root/shared/Microsoft.NETCore.App/$version/"
  find "$core/native" -maxdepth 1 -type f ! -name libhostfxr.so -exec cp {} "$root/shared/Microsoft.NETCore.App/$version/" \;
  cp "$asp"/lib/net*/* "$root/shared/Microsoft.AspNetCore.App/$version/"
  link_tree "$base/sdk/$sdk10" "$root/sdk/$2"
  for d in sdk-manifests packs; do [ -d "$base/$d" ] && link_tree "$base/$d" "$root/$d"; done
}
r11=$work/root
assemble "$r11" "$sdk10"
runtimes=$(DOTNET_ROOT=$r11 "$r11/dotnet" --list-runtimes | awk '{print $1, $2}' | paste -sd, - | sed 's/,/, /g')
case "$runtimes" in *" 10."*) echo "trial: a .NET 10 runtime got into $r11 ($runtimes)" >&2; exit 1 ;; esac

rows=()
row() { rows+=("| $1 | $2 | $3 |"); printf '   %-5s %s: %s\n' "$2" "$1" "$3"; }
first_error() { # LOG -> the first line that says what went wrong
  grep -m1 -E 'You must install|It was not possible|error|Error|Exception|Failed|not found' "$1" | cut -c1-300 || true
}
use_root=$r11
env11() { # ROLL(yes|no) -> sets env11_vars: the private root ($use_root) on PATH and as DOTNET_ROOT, roll-forward or not
  env11_vars=(DOTNET_ROOT="$use_root" PATH="$use_root:$PATH" DOTNET_HOST_PATH="$use_root/dotnet" NUGET_PACKAGES="$packages")
  if [ "$1" = yes ]; then env11_vars+=(DOTNET_ROLL_FORWARD=Major); fi
}
on11() { # ROLL(yes|no) LOG CMD... -> runs CMD on the private root, output into LOG
  local log=$2
  env11 "$1"; shift 2
  env -u DOTNET_ROLL_FORWARD "${env11_vars[@]}" timeout 900 "$@" >"$log" 2>&1
}
row "the runtime" works "$runtimes (assembled from the runtime packs; SDK $sdk10 beside it, no .NET 10 runtime)"

step "the CLI (nstyle, 64 px, 3 iterations, offline ResNet18)"
content=$repo/images/chelsea.png style=$repo/images/hubble_deep_field.jpg
if [ -d ../shared/images ]; then
  content=$(cd ../shared/images && pwd)/golden_gate.jpg style=$(cd ../shared/images && pwd)/starry_night.jpg
fi
cli=(lib/NotebookStyle.Cli/bin/Release/net10.0/nstyle.dll --content "$content" --style "$style" --size 64 -n 3
  --network resnet18)
if on11 no "$logs/cli-no-roll.log" "$r11/dotnet" "${cli[@]}" --output "$work/cli-no-roll.png"; then
  row "CLI, no roll-forward" works "$(tail -1 "$logs/cli-no-roll.log")"
else
  row "CLI, no roll-forward" fails "$(first_error "$logs/cli-no-roll.log") (nstyle.runtimeconfig.json asks Microsoft.NETCore.App 10.0.0)"
fi
if on11 yes "$logs/cli.log" "$r11/dotnet" "${cli[@]}" --output "$out/cli-net11.png"; then
  row "CLI, DOTNET_ROLL_FORWARD=Major" works "$(grep -m1 '^wrote ' "$logs/cli.log" | sed "s#$out/##")"
else
  row "CLI, DOTNET_ROLL_FORWARD=Major" fails "$(first_error "$logs/cli.log")"
fi

if [ "$quick" = 0 ]; then
  step "unit tests ($tests_filter) through dotnet test: SDK $sdk10 and the test host on runtime $version"
  if on11 yes "$logs/tests.log" "$r11/dotnet" test tests/NotebookStyle.Tests -c Release --no-build --filter "$tests_filter"; then
    row "unit tests (dotnet test, a subset), DOTNET_ROLL_FORWARD=Major" works "$(grep -m1 -E '^(Passed|Failed)!' "$logs/tests.log" | cut -c1-200)"
  else
    row "unit tests (dotnet test, a subset), DOTNET_ROLL_FORWARD=Major" fails "$(grep -m1 -E '^(Passed|Failed)!' "$logs/tests.log" || first_error "$logs/tests.log")"
  fi
fi

step "the kernel tools"
if on11 no "$logs/repl-version.log" "$r11/dotnet" "$repl" --version; then
  row "dotnet-repl, no roll-forward" works "$(tail -1 "$logs/repl-version.log") starts (its runtimeconfig says rollForward LatestMajor)"
else
  row "dotnet-repl, no roll-forward" fails "$(first_error "$logs/repl-version.log")"
fi
if on11 no "$logs/interactive-version.log" "$r11/dotnet" "$interactive" --version; then
  row "dotnet-interactive, no roll-forward" works "$(tail -1 "$logs/interactive-version.log")"
else
  row "dotnet-interactive, no roll-forward" fails "$(first_error "$logs/interactive-version.log") (its runtimeconfig asks Microsoft.NETCore.App 10.0.0 and Microsoft.AspNetCore.App 10.0.0; dotnet-tools.json says rollForward false)"
fi
# The Jupyter kernel's own protocol on stdio: one C# submission, its return value, then the kernel is stopped.
stdio_log=$logs/interactive-stdio.log
submit='{"token":"trial","commandType":"SubmitCode","command":{"code":"System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription","targetKernelName":"csharp"}}'
done_event='"eventType":"Command(Succeeded|Failed)","command":\{"token":"trial"'
mkfifo "$work/stdio.in"
env11 yes
env -u DOTNET_ROLL_FORWARD "${env11_vars[@]}" timeout 300 "$r11/dotnet" "$interactive" stdio --default-kernel csharp \
  <"$work/stdio.in" >"$stdio_log" 2>&1 &
kernel=$!
exec 3>"$work/stdio.in"
echo "$submit" >&3
for _ in $(seq 1 400); do
  grep -qE "$done_event" "$stdio_log" && break
  kill -0 "$kernel" 2>/dev/null || break
  sleep 0.5
done
kill "$kernel" 2>/dev/null || true # timeout passes the signal on to the kernel
wait "$kernel" 2>/dev/null || true
exec 3>&-
value=$(grep '"eventType":"ReturnValueProduced"' "$stdio_log" | grep -o '"value":"[^"]*"' | head -1 | cut -d'"' -f4 || true)
if [ -n "$value" ] && grep -qE "${done_event/Command(Succeeded|Failed)/CommandSucceeded}" "$stdio_log"; then
  row "dotnet-interactive (stdio), a C# cell, DOTNET_ROLL_FORWARD=Major" works "the cell returned \"$value\""
else
  row "dotnet-interactive (stdio), a C# cell, DOTNET_ROLL_FORWARD=Major" fails "$(first_error "$stdio_log")"
fi

lesson() { # NAME ROLL NOTEBOOK -> runs one lesson in quick mode through dotnet-repl from notebooks/, as run.sh does
  local name=$1 roll=$2 nb=$3 stem log executed tag
  stem=$(basename "$nb" .ipynb); tag=$stem-$roll-$(basename "$use_root")
  log=$logs/$tag.log; executed=$out/$tag.ipynb
  rm -f "$executed"
  # A HOME of its own: the kernel's NuGet step keeps the restores it made under ~/.packagemanagement and would skip the
  # SDK when it finds one there; a fresh HOME makes every row restore (the NuGet cache, NUGET_PACKAGES, is shared).
  mkdir -p "$work/home-$tag"
  (cd notebooks && on11 "$roll" "$log" env HOME="$work/home-$tag" NOTEBOOKSTYLE_QUICK=1 "$use_root/dotnet" "$repl" \
    --run "$nb" --exit-after-run --output-path "$executed") || true
  local errors dotnet
  errors=$(grep -c '"output_type": *"error"' "$executed" 2>/dev/null || true)
  dotnet=$(grep -o 'DotNet = [^,]*' "$executed" 2>/dev/null | head -1 || true)
  if [ -f "$executed" ] && [ "${errors:-0}" = 0 ]; then
    row "$name" works "every cell ran${dotnet:+ ($dotnet in the session table)}"
  elif [ -f "$executed" ]; then
    local first
    first=$(grep -m1 -o '"evalue": *"[^"]\{0,200\}' "$executed" | sed 's/"evalue": *"//; s/\\n.*//')
    row "$name" fails "$errors cell(s) failed; the first: $first"
  else
    row "$name" fails "no executed notebook: $(first_error "$log")"
  fi
}
if [ -z "${NOTEBOOKSTYLE_IMAGES:-}" ] && [ -d ../shared/images ]; then # as notebooks/run.sh does
  NOTEBOOKSTYLE_IMAGES=$(cd ../shared/images && pwd)
  export NOTEBOOKSTYLE_IMAGES
fi
step "lesson 00 through dotnet-repl, quick mode"
lesson "lesson 00 via dotnet-repl, DOTNET_ROLL_FORWARD=Major" yes 00-setup.ipynb
lesson "lesson 00 via dotnet-repl, no roll-forward (the kernel's restore starts SDK $sdk10)" no 00-setup.ipynb

step "a machine whose dotnet knows only an SDK 11 (simulated: the same root, SDK $sdk10's files listed as 11.0.100)"
# What global.json does there; what SDK 11 itself would do is not measured (no SDK 11 is served here).
use_root=$work/root-sdk11
assemble "$use_root" 11.0.100
on11 yes "$logs/check-sdk-11.log" bash lib/check-sdk.sh || true
row "lib/check-sdk.sh (the run and test commands' first step)" "$([ -s "$logs/check-sdk-11.log" ] && echo stops || echo passes)" \
  "$(head -1 "$logs/check-sdk-11.log")"
if on11 yes "$logs/tool-restore-11.log" "$use_root/dotnet" tool restore; then
  row "dotnet tool restore (the test command without the check)" works "$(tail -1 "$logs/tool-restore-11.log")"
else
  row "dotnet tool restore (the test command without the check)" fails \
    "$(grep -m1 -E 'compatible .NET SDK|error' "$logs/tool-restore-11.log" | sed 's/^ *//' || head -1 "$logs/tool-restore-11.log")"
fi
lesson "lesson 00 via dotnet-repl where global.json refuses every SDK, DOTNET_ROLL_FORWARD=Major" yes 00-setup.ipynb
use_root=$r11

if [ "$quick" = 0 ]; then
  step "lesson 01 through dotnet-repl, quick mode"
  lesson "lesson 01 via dotnet-repl, DOTNET_ROLL_FORWARD=Major" yes 01-vgg19.ipynb
fi

table=$out/dotnet11-trial.md
{
  echo "What runs on .NET $version: tests/dotnet11/trial.sh$([ "$quick" = 1 ] && echo " --quick"), $(date -u '+%Y-%m-%d %H:%M UTC'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores."
  echo
  echo "| what | result | detail |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >"$table"
step "done: $table (logs in $logs)"
cat "$table"
