#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# clang-tidy with the repository's .clang-tidy. Usage: scripts/tidy.sh [file.cpp...]
# Checks the given files, or every src/**/*.cpp when none are given; exits non-zero on any
# finding (.clang-tidy sets WarningsAsErrors). Uses build/tidy (override with ROCKART_TIDY_BUILD)
# for compile_commands.json and configures it when it is missing or lacks a requested file.
set -euo pipefail
cd "$(dirname "$0")/.."

build="${ROCKART_TIDY_BUILD:-build/tidy}"
jobs=$(nproc)

files=()
if (($# > 0)); then
  for f in "$@"; do
    files+=("$(realpath "$f")")
  done
else
  while IFS= read -r -d '' f; do
    files+=("$PWD/$f")
  done < <(find src -name '*.cpp' -print0 | sort -z)
fi

configure=0
[ -f "$build/compile_commands.json" ] || configure=1
if ((!configure)); then
  for f in "${files[@]}"; do
    grep -qF "\"file\": \"$f\"" "$build/compile_commands.json" || { configure=1; break; }
  done
fi
if ((configure)); then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    "${launcher[@]}" >/dev/null
fi

tidy=$(command -v clang-tidy-14 || command -v clang-tidy)
runner=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
echo "== clang-tidy: ${#files[@]} files, -j$jobs"
if [ -n "$runner" ]; then
  # run-clang-tidy takes regexes; anchor and escape each path so exactly these files run.
  regexes=()
  for f in "${files[@]}"; do
    regexes+=("^$(printf '%s' "$f" | sed 's/[][\.*^$()+?{}|]/\\&/g')\$")
  done
  "$runner" -clang-tidy-binary "$tidy" -p "$build" -j "$jobs" -quiet "${regexes[@]}" \
    2> >(grep -v 'warnings\? generated\.$' >&2)
else
  printf '%s\0' "${files[@]}" \
    | xargs -0 -n1 -P "$jobs" "$tidy" -p "$build" --quiet 2> >(grep -v 'warnings\? generated\.$' >&2)
fi
echo "== clang-tidy: clean"
