#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Upload throughput: `rockart push` vs `aws s3 cp --recursive` of the same
# generated artifact set (~1.5 GiB of archives) to one local moto server.
# Usage: bench/upload_bench.sh [BUILD_DIR] (default build/upload); env
# BENCH_DIR (scratch, default /tmp/rockart-upload-bench), BENCH_SIZE (uncompressed, default 4600M),
# BENCH_ROCKART_ARGS (extra `rockart push` flags, e.g. "--parts-per-file 4 --part-size 32"),
# BENCH_SKIP_AWS=1 (time rockart only, for sweeps of its settings), REPEAT (best of, default 3).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/upload}
work=${BENCH_DIR:-/tmp/rockart-upload-bench}
size=${BENCH_SIZE:-4600M}
rockart=$build/rockart
gen=$build/tools/rockart-gen-artifacts

mkdir -p "$work"
if [ ! -d "$work/build/artifacts" ]; then
  # Incompressible-enough content so the archive set is ~1.5 GiB on disk.
  "$gen" --out "$work/build/artifacts" --seed 7 --count 40 --total-size "$size" --skew --level 1 >/dev/null
fi
bytes=$(du -sb "$work/build/artifacts" | cut -f1)

coproc MOTO { exec python3 "$root/tests/fakes/run_moto.py"; }
read -r line <&"${MOTO[0]}"
port=${line#PORT=}
url=http://127.0.0.1:$port
trap 'kill $MOTO_PID 2>/dev/null || true; rm -rf "$work/build/artifacts"/*.sha256sum' EXIT

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-2
export GITHUB_REPOSITORY=ROCm/TheRock AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
bucket=therock-ci-artifacts
aws --endpoint-url "$url" s3 mb "s3://$bucket" >/dev/null
# push selects by stage: one stage producing every name the
# generator uses (tools/gen_artifacts/plan.cpp).
topology=$work/BUILD_TOPOLOGY.toml
{
  printf '[build_stages.bench]\nartifact_groups = ["bench"]\n[artifact_groups.bench]\n'
  for n in base sysdeps amd-llvm core-hip core-runtime blas fft rand prim sparse solver rccl \
    miopen composable-kernel; do
    printf '[artifacts.%s]\nartifact_group = "bench"\n' "$n"
  done
} >"$topology"
# Companions first so both tools upload the very same files.
for f in "$work"/build/artifacts/*.tar.zst; do
  [ -e "$f.sha256sum" ] || (cd "$(dirname "$f")" && sha256sum "$(basename "$f")" >"$f.sha256sum")
done
bytes=$(du -sb "$work/build/artifacts" | cut -f1)

now() { date +%s.%N; }
push_rockart() {
  # shellcheck disable=SC2086 # BENCH_ROCKART_ARGS is a list of flags
  "$rockart" -q push --stage all --topology "$topology" --build-dir "$work/build" --run-id 2 \
    --endpoint-url "$url" ${BENCH_ROCKART_ARGS:-}
}
push_aws() {
  aws --endpoint-url "$url" s3 cp --recursive --quiet "$work/build/artifacts" "s3://$bucket/3-linux/"
}
# timed NAME CMD: runs CMD after sync, keeps the lowest wall time in best_NAME.
best_rockart='' best_aws=''
timed() {
  local t0 t1 t var="best_$1"
  sync
  t0=$(now)
  "$2"
  t1=$(now)
  t=$(awk -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f", e - s }')
  if [ -z "${!var}" ] || awk -v t="$t" -v b="${!var}" 'BEGIN { exit !(t < b) }'; then
    printf -v "$var" '%s' "$t"
  fi
}
# Best of REPEAT paired runs, the order alternating so neither tool always
# goes first (moto is one process; the 2nd upload of a pair overwrites keys).
repeat=${REPEAT:-3}
for ((rep = 1; rep <= repeat; rep++)); do
  if [ -n "${BENCH_SKIP_AWS:-}" ]; then
    timed rockart push_rockart
  elif ((rep % 2)); then
    timed rockart push_rockart
    timed aws push_aws
  else
    timed aws push_aws
    timed rockart push_rockart
  fi
done

report() { awk -v b="$bytes" -v d="$2" -v n="$1" \
  'BEGIN { printf "%-28s %8.2f s  %8.1f MiB/s\n", n, d, b / d / 1048576 }'; }
echo "artifact set: $(ls "$work/build/artifacts" | wc -l) files, $((bytes / 1048576)) MiB; best of $repeat; load $(cut -d' ' -f1-3 /proc/loadavg)"
report "rockart push ${BENCH_ROCKART_ARGS:-}" "$best_rockart"
[ -n "${BENCH_SKIP_AWS:-}" ] || report "aws s3 cp --recursive" "$best_aws"
