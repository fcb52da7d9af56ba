#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 14 "Performance": `rockart install` of one GPU family's view of a real
# multi-arch run (rockart-gen-artifacts --scale real: generic + kpack-split
# gfx942 archives) against the same selection done with `aws s3 cp` + `tar -x`,
# then what the incremental install saves:
#   (a) install --blas --tests, cold cache, into an empty directory (and with
#       --no-cache: streamed straight into the directory, no tree store)
#   (b) the same archives with aws s3 cp + tar -xf (the selection taken from (a)'s plan)
#   (c) the same install again, same directory, --offline (0 requests): the target is <= 1 s
#   (d) a changed selection (--blas --fft --tests): only the fft archives are added
#   (e) a warm install of the whole set (no component flag) into a new, empty
#       directory, --offline, hard links (target <= 1 s) and --link-mode copy
#
# usage: bench/install_bench.sh [BUILD_DIR] [WORK_DIR]
#   env: REAL_SIZE (uncompressed size of the set, default 1500M), REPEAT (3)
set -euo pipefail

source "$(dirname "$0")/lib.sh" build/fetch rockart-install-bench "$@"
trap stop_servers EXIT
start_servers

repeat="${REPEAT:-3}"
declare -A best=()
run=20083647898 # a completed ROCm/TheRock run of the fixture's `find` scenario
bucket=therock-ci-artifacts
data="$work/data"
if [[ ! -f "$data/.complete" ]]; then
  rm -rf "$data"
  "$gen" --out "$data" --scale real --total-size "${REAL_SIZE:-1500M}" --seed 3 >/dev/null
  touch "$data/.complete"
fi
compressed="$(du -cb "$data"/*.tar.zst | tail -1 | cut -f1)"
echo "== set: $(ls "$data"/*.tar.zst | wc -l) archives, $((compressed / 1048576)) MiB compressed"
aws --endpoint-url "$endpoint" s3 mb "s3://$bucket" >/dev/null 2>&1 || true
aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$data" "s3://$bucket/$run-linux/"

loud=("$rockart" install --run-id "$run" --run-github-repo ROCm/TheRock --platform linux
  --artifact-group gfx94X-dcgpu --endpoint-url "$endpoint")
install=("${loud[0]}" -q "${loud[@]:1}")
cache="$work/cache"

# The archives an install of FLAGS selects, from its dry run's plan.
selection() {
  "${install[@]}" --dry-run --json --no-cache --output-dir "$work/none" "$@" |
    python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["plan"]["add"]))'
}
aws_then_tar() { # OUT NAMES_FILE
  local args=(--exclude '*') archive
  while read -r archive; do args+=(--include "$archive"); done <"$2"
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "${args[@]}" \
    "s3://$bucket/$run-linux/" "$1/dl/"
  for f in "$1"/dl/*.tar.zst; do tar -xf "$f" -C "$1/x"; done
}
plan_line() { grep -o 'Install plan: .*' "$1" | head -1; }

selection --blas --tests >"$work/blas.names"
bytes=0
while read -r name; do bytes=$((bytes + $(stat -c %s "$data/$name"))); done <"$work/blas.names"
echo "   --blas --tests selects $(wc -l <"$work/blas.names") archives, $((bytes / 1048576)) MiB"

for ((rep = 1; rep <= repeat; rep++)); do
  rm -rf "$work/a" "$cache" "$work/b" && mkdir -p "$work/b/dl" "$work/b/x"
  timed a "${install[@]}" --blas --tests --output-dir "$work/a" --cache-dir "$cache"
  rm -rf "$work/a0"
  timed a0 "${install[@]}" --blas --tests --output-dir "$work/a0" --no-cache
  rm -rf "$work/a0"
  timed b aws_then_tar "$work/b" "$work/blas.names"
  rm -rf "$work/b"
  timed c "${install[@]}" --blas --tests --output-dir "$work/a" --cache-dir "$cache" --offline
  cp -a "$work/a" "$work/a-changed"
  timed d "${loud[@]}" --blas --fft --tests --output-dir "$work/a-changed" \
    --cache-dir "$cache" 2>"$work/d.log"
  rm -rf "$work/a-changed"
  # (e) the whole set: once cold into e0 (fills the store), then into new directories.
  rm -rf "$work/e0" "$work/e1" "$work/e2"
  "${install[@]}" --output-dir "$work/e0" --cache-dir "$cache"
  timed e1 "${install[@]}" --output-dir "$work/e1" --cache-dir "$cache" --offline
  timed e2 "${install[@]}" --output-dir "$work/e2" --cache-dir "$cache" --offline \
    --link-mode copy
  files="$(find "$work/e1" -type f | wc -l)"
  rm -rf "$work/e0" "$work/e1" "$work/e2"
done

echo "   best of $repeat runs each"
echo "   (a) rockart install --blas --tests, cold cache: ${best[a]} s (--no-cache, no tree store: ${best[a0]} s)"
echo "   (b) aws s3 cp + tar -xf of the same archives:  ${best[b]} s; b/a = $(ratio "${best[b]}" "${best[a]}")"
echo "   (c) the same install again, --offline:         ${best[c]} s (target <= 1 s, 0 requests)"
echo "   (d) --blas --fft --tests after it:             ${best[d]} s ($(plan_line "$work/d.log"))"
echo "   (e) whole set ($files files) into a new directory, --offline:"
echo "       hard links ${best[e1]} s (target <= 1 s); --link-mode copy ${best[e2]} s"
