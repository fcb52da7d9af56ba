#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite: bootstrap if needed, check formatting, build with -Werror, run every
# ctest label (unit, integration, e2e), then rebuild the unit tests under
# ASan+UBSan and run them. Usage: scripts/test.sh [--no-sanitizers]
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers=1
[ "${1:-}" = "--no-sanitizers" ] && sanitizers=0

scripts/bootstrap.sh

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# Let ccache hit across clones in different directories (CI uses a fresh one).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
jobs=$(nproc)

# CI must not silently skip tests whose fake servers failed to start.
export ROCKART_REQUIRE_FAKES=1

# The tree is clang-formatted (.clang-format); a diff fails CI.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "== format check (clang-format)"
  git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run -Werror
fi

echo "== build (RelWithDebInfo, -Werror)"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DROCKART_WERROR=ON \
  "${launcher[@]}" >/dev/null
cmake --build build/test -j "$jobs"

echo "== tests"
ctest --test-dir build/test --output-on-failure -j "$jobs" --timeout 600

if ((sanitizers)); then
  echo "== unit tests under ASan+UBSan"
  cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DROCKART_WERROR=ON \
    -DROCKART_SANITIZERS="address;undefined" "${launcher[@]}" >/dev/null
  cmake --build build/asan -j "$jobs" --target unit_tests
  # Unit tests never read the ambient environment (they inject it): this
  # pass runs them with a hostile CI environment exported, so any test that
  # does read it fails here.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    RELEASE_TYPE=nightly GITHUB_REPOSITORY=Foo/Bar IS_PR_FROM_FORK=true \
    GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH=/nonexistent/event.json \
    AWS_PROFILE=hostile-profile-that-does-not-exist AWS_REGION=eu-north-1 \
    GITHUB_TOKEN=hostile-token ROCKART_CACHE_DIR=/nonexistent/cache \
    ctest --test-dir build/asan --output-on-failure -j "$jobs" -L unit
fi
