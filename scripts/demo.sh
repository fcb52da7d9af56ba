#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rockart's main job, end to end and offline. Builds rockart, then shows where
# every output of a real TheRock CI run lives and which bucket it uses.
# (The find/fetch part, against a local S3 server and GitHub fixture, is added
# as those commands land.)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh >/dev/null
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release -DROCKART_BUILD_TESTS=OFF \
  "${launcher[@]}" >/dev/null
cmake --build build/demo -j "$(nproc)" --target rockart >/dev/null
rockart=build/demo/rockart

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Which bucket does a fork PR into ROCm/TheRock use, one second after the bucket rename?"
"$rockart" bucket --repo ROCm/TheRock --head-repo ScottTodd/TheRock \
  --run-updated-at 2025-11-11T16:18:49Z --release-type ci --explain

step "Every output of ROCm/rocm-systems run 20723767265 (linux, gfx94X-dcgpu)"
repo=(--repo ROCm/rocm-systems --run-id 20723767265 --platform linux)
for kind in run-root run-index "artifact blas_lib_gfx94X-dcgpu.tar.zst" \
  "artifact-checksum blas_lib_gfx94X-dcgpu.tar.zst" "log-dir gfx94X-dcgpu" \
  "ninja-log-archive gfx94X-dcgpu" "stage-log-dir math-libs gfx94X-dcgpu" \
  "manifest gfx94X-dcgpu" "python-dir gfx94X-dcgpu" \
  "tarball therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0+abc123.tar.gz"; do
  # shellcheck disable=SC2086
  printf '%-32s %s\n' "${kind%% *}" "$("$rockart" locate "${repo[@]}" $kind | sed -n 's/^https_url=//p')"
done

step "The same location as JSON, with a local staging directory"
"$rockart" locate "${repo[@]}" --staging-dir /tmp/staging --json log-dir gfx94X-dcgpu

step "Invalid input is refused with a clear error (exit code 2)"
"$rockart" locate "${repo[@]}" log-dir ../etc || echo "(exit code $?)"

printf '\nAll location kinds: %s locate --list\n' "$rockart"
