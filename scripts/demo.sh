#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# rockart's main job end to end, offline: "give me the gfx94X-dcgpu artifacts of
# ROCm/rocm-systems commit 3568e0df". Builds rockart, starts a local S3 server
# (moto) and the GitHub API fixture on free 127.0.0.1 ports, seeds the run that
# built that commit with generated TheRock-like artifacts, then runs
# `rockart find` and `rockart fetch --flatten`, shows what arrived, and installs
# a test job's components with `rockart install` (again, changed, warm).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/bootstrap.sh >/dev/null
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "building rockart (build/demo) ..."
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release -DROCKART_BUILD_TESTS=OFF \
  "${launcher[@]}" >/dev/null
cmake --build build/demo -j "$(nproc)" --target rockart rockart-gen-artifacts >/dev/null
rockart=$root/build/demo/rockart
gen=$root/build/demo/tools/rockart-gen-artifacts

work=$(mktemp -d "${TMPDIR:-/tmp}/rockart-demo.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME ARGS...: runs ARGS with a stdin that stays open until this
# script exits (the fakes exit when it closes) and sets PORT from its PORT= line.
start_server() {
  local name=$1
  shift
  mkfifo "$work/$name.in"
  "$@" <"$work/$name.in" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  exec {fd}>"$work/$name.in"
  for _ in $(seq 1 300); do
    PORT=$(sed -n 's/^PORT=//p' "$work/$name.out")
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "demo: $name did not start:" >&2
  cat "$work/$name.err" >&2
  exit 2
}

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
  printf '$ %s\n' "$*" | sed "s|$root/build/demo/||g; s|$work|\$DEMO|g"
  "$@"
}

start_server moto python3 tests/fakes/run_moto.py
s3_port=$PORT
start_server github python3 tests/fakes/fake_github.py --scenario find
gh_port=$PORT

# Everything below talks only to the two local servers.
export AWS_ENDPOINT_URL="http://127.0.0.1:$s3_port" AWS_ACCESS_KEY_ID=demo \
  AWS_SECRET_ACCESS_KEY=demo-secret AWS_REGION=us-east-2
export GITHUB_API_URL="http://127.0.0.1:$gh_port" GITHUB_TOKEN=demo-token
export ROCKART_CACHE_DIR="$work/cache" # not the user's ~/.cache/rockart
unset GITHUB_REPOSITORY RELEASE_TYPE GITHUB_EVENT_NAME GITHUB_EVENT_PATH IS_PR_FROM_FORK

step "Local S3 on 127.0.0.1:$s3_port, GitHub API fixture on 127.0.0.1:$gh_port"
commit=3568e0df02c7f8d203de29b9e175ac87f7da337f
run_prefix=$("$rockart" locate --repo ROCm/rocm-systems --run-id 20723767265 --platform linux \
  --json run-root | sed -n 's/.*"s3_uri": "\(.*\)".*/\1/p')
echo "CI run 20723767265 built ROCm/rocm-systems@${commit:0:8}; its outputs live at $run_prefix/"

step "Seeding that run with generated TheRock-like artifacts (zstd, .sha256sum companions)"
"$gen" --out "$work/gen" --seed 7 --family gfx94X-dcgpu --count 24 --total-size 160M --skew \
  >/dev/null
"$gen" --out "$work/gen" --seed 8 --name blas_lib_gfx110X-all --size 8M >/dev/null
"$rockart" -q s3 mb s3://therock-ci-artifacts-external >/dev/null
run "$rockart" -q s3 cp --recursive "$work/gen/" "$run_prefix/"
"$rockart" s3 ls --summarize "$run_prefix/" | tail -3

step "Which run of ROCm/rocm-systems built $commit, and which gfx94X-dcgpu artifacts does it hold?"
run "$rockart" find --commit "${commit:0:12}" --repo ROCm/rocm-systems --workflow therock-ci.yml \
  --artifact-group gfx94X-dcgpu --platform linux --stats | sed -n '1,22p'
  echo '    ...'

step "Fetch them: download, verify sha256, decompress and merge into one tree, streaming"
run "$rockart" fetch --commit "$commit" --run-github-repo ROCm/rocm-systems \
  --artifact-group gfx94X-dcgpu --platform linux --flatten --output-dir "$work/rocm"

step "What arrived in \$DEMO/rocm"
(cd "$work/rocm" && find . -type f | wc -l | xargs echo "files:" &&
  find . -type l | wc -l | xargs echo "symlinks:" && du -sh . | cut -f1 | xargs echo "size:" &&
  ls | head -10)

step "Again, offline: the run, its listing and every archive come from the cache (no request)"
run "$rockart" -q fetch --commit "$commit" --run-github-repo ROCm/rocm-systems \
  --artifact-group gfx94X-dcgpu --platform linux --flatten --output-dir "$work/rocm-again" --offline
diff -r "$work/rocm" "$work/rocm-again" >/dev/null && echo "identical tree in \$DEMO/rocm-again"

step "Install what an RCCL test job needs (base libraries + rccl, its tests), as install_rocm_from_artifacts.py"
install=("$rockart" install --commit "$commit" --run-github-repo ROCm/rocm-systems
  --artifact-group gfx94X-dcgpu --platform linux --rccl --tests)
run "${install[@]}" --output-dir "$work/therock-build" 2>&1 | grep -v '^  '

step "The same install again: the plan keeps everything, nothing is downloaded or written"
run "${install[@]}" --output-dir "$work/therock-build" 2>&1 | grep -E 'Install plan|Installed'

step "Another selection: only the difference is added and removed"
run "$rockart" install --commit "$commit" --run-github-repo ROCm/rocm-systems \
  --artifact-group gfx94X-dcgpu --platform linux --miopen --tests \
  --output-dir "$work/therock-build" 2>&1 | grep -E 'Install plan|Installed'

step "A warm install into a fresh directory: files placed from the cache's extracted trees"
run "${install[@]}" --output-dir "$work/therock-build-2" --offline 2>&1 |
  grep -E 'Install plan|Installed'

step "A damaged archive is refused, and nothing is left behind (exit code 1)"
victim=$(cd "$work/gen" && ls ./*gfx94X-dcgpu.tar.zst | head -1 | xargs basename)
head -c 100000 "$work/gen/$victim" >"$work/damaged"
"$rockart" -q s3 cp "$work/damaged" "$run_prefix/$victim"
# --no-cache: the cache still holds the good bytes and would serve those.
"$rockart" fetch --commit "$commit" --run-github-repo ROCm/rocm-systems --artifact-group \
  gfx94X-dcgpu --platform linux --flatten --output-dir "$work/rocm2" --no-cache \
  "^${victim%%_*}_" ||
  echo "(exit code $?; $(find "$work/rocm2" -type f 2>/dev/null | wc -l) files in \$DEMO/rocm2)"

printf '\nMore: %s --help; %s locate --list\n' "$rockart" "$rockart"
