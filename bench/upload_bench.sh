#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Upload throughput: `rockart push` vs `aws s3 cp --recursive` of the same
# generated artifact set (~1.5 GiB of archives) to one local moto server.
# Usage: bench/upload_bench.sh [BUILD_DIR] (default build/upload); env
# BENCH_DIR (scratch, default /tmp/rockart-upload-bench), BENCH_SIZE (uncompressed, default 4600M),
# BENCH_ROCKART_ARGS (extra `rockart push` flags, e.g. "--parts-per-file 4 --part-size 32"),
# BENCH_SKIP_AWS=1 (time rockart only, for sweeps of its settings).
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
# push selects by stage (behaviours.md §5): one stage producing every name the
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
t0=$(now)
# shellcheck disable=SC2086 # BENCH_ROCKART_ARGS is a list of flags
"$rockart" -q push --stage all --topology "$topology" --build-dir "$work/build" --run-id 2 \
  --endpoint-url "$url" \
  ${BENCH_ROCKART_ARGS:-}
t1=$(now)
if [ -z "${BENCH_SKIP_AWS:-}" ]; then
  aws --endpoint-url "$url" s3 cp --recursive --quiet "$work/build/artifacts" "s3://$bucket/3-linux/"
fi
t2=$(now)

report() { awk -v b="$bytes" -v s="$2" -v e="$3" -v n="$1" \
  'BEGIN { d = e - s; printf "%-28s %8.2f s  %8.1f MiB/s\n", n, d, b / d / 1048576 }'; }
echo "artifact set: $(ls "$work/build/artifacts" | wc -l) files, $((bytes / 1048576)) MiB"
report "rockart push ${BENCH_ROCKART_ARGS:-}" "$t0" "$t1"
[ -n "${BENCH_SKIP_AWS:-}" ] || report "aws s3 cp --recursive" "$t1" "$t2"
