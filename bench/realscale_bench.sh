#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetch at real scale: one GPU family's view of a multi-arch TheRock CI run
# (`rockart-gen-artifacts --scale real`: 266 .tar.zst, about 2 GiB compressed,
# the largest about 400 MB, most under 2 MB) served by moto. Prints side by side
#   (a)  rockart fetch (extract mode: one directory per archive; cold cache in
#        the work dir): wall time, peak RSS, peak disk use of output + cache
#   (a0) the same with --no-cache
#   (c)  the local limit: `zstd -dc | tar -x` of the same archives from local
#        disk, nproc in parallel
#   (c1) every archive GET to /dev/null, 16 at once (what the server costs)
# and the ratios a/c (target <= 1.0) and rockart's peak RSS (target <= 150 MB).
# Peak disk is the filesystem's use above its use at the start, sampled every
# 0.5 s with df (statfs: walking the growing tree would cost the fetch CPU).
# Every run starts with the page cache dropped when we may (root), so the
# local extraction reads the archives from disk as the fetch's server would.
#
# usage: bench/realscale_bench.sh [BUILD_DIR] [WORK_DIR]
#   env: REAL_SIZE (uncompressed size of the set, passed to --total-size; default
#        the generator's 6G, e.g. REAL_SIZE=300M for a quick try),
#        REPEAT (1: times are the best of REPEAT runs, RSS and disk the highest)
# The generated set is kept in WORK_DIR (one per REAL_SIZE) for later runs.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh" build/test rockart-realscale-bench "$@"
jobs="$(nproc)"
run=20083647898 bucket=therock-ci-artifacts
sampler=""

cleanup() {
  [[ -n "$sampler" ]] && kill "$sampler" 2>/dev/null
  stop_servers
}
trap cleanup EXIT
start_servers

mib() { echo $(($1 / 1048576)); }

repeat="${REPEAT:-1}"
declare -A best=() rss=() disk=()
drop_caches=1 # timed runs start with an empty page cache (bench/lib.sh)
# bytes_under DIR...: apparent bytes of the files under the DIRs that exist.
bytes_under() {
  local n
  n="$(du -scb "$@" 2>/dev/null | tail -1 | cut -f1)" || true
  echo "${n:-0}"
}
# used_bytes: bytes in use on the work directory's filesystem (statfs: cheap,
# unlike walking a tree of 100k files while the fetch runs).
used_bytes() { df --output=used -B1 "$work" | tail -1 | tr -d ' '; }
# sample_disk FILE: until killed, every 0.5 s, writes to FILE the most bytes
# the filesystem used above what it used when sampling began.
sample_disk() {
  local file="$1" base peak=0 n
  base="$(used_bytes)"
  echo 0 >"$file"
  while :; do
    n=$(($(used_bytes) - base))
    if ((n > peak)); then
      peak="$n"
      echo "$peak" >"$file"
    fi
    sleep 0.5
  done
}
# measured_fetch NAME OUT CACHE FETCH-ARGS...: one timed fetch into OUT with
# CACHE (may stay unused) under /usr/bin/time -v and the disk sampler; keeps the
# highest peak RSS (kB) in rss[NAME] and peak disk (bytes) in disk[NAME].
measured_fetch() {
  local name="$1" out="$2" cache="$3" r d
  shift 3
  rm -rf "$out" "$cache"
  sync
  sample_disk "$work/$name.disk" &
  sampler=$!
  timed "$name" /usr/bin/time -v -o "$work/$name.time" "${fetch[@]}" --output-dir "$out" "$@"
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  sampler=""
  d="$(cat "$work/$name.disk")"
  ((d > ${disk[$name]:-0})) && disk[$name]="$d"
  r="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")"
  ((r > ${rss[$name]:-0})) && rss[$name]="$r"
  local dirs
  dirs="$(find "$out" -mindepth 1 -maxdepth 1 -type d | wc -l)"
  if ((dirs != count)); then
    echo "($name) fetched $dirs archive directories, expected $count" >&2
    exit 1
  fi
  rm -rf "$out" "$cache"
}
raw_gets() { # DATA: every archive GET to /dev/null, 16 at once (curl, signed: moto wants it)
  find "$1" -maxdepth 1 -name '*.tar.zst' -printf '%f\n' |
    xargs -P 16 -I{} curl -sf --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
      --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -o /dev/null \
      "$endpoint/$bucket/$run-linux/{}"
}
local_extract() { # DATA OUT: zstd -dc | tar -x, nproc in parallel
  # One directory per archive, as fetch's extract mode makes them.
  # shellcheck disable=SC2016 # the inner script expands its own arguments
  find "$1" -maxdepth 1 -name '*.tar.zst' -print0 |
    xargs -0 -P "$jobs" -n 1 sh -c \
      'd="$1/$(basename "$2" .tar.zst)" && mkdir -p "$d" && zstd -qdc "$2" | tar -x -C "$d"' \
      sh "$2"
}

# The set, generated once per size and kept.
size="${REAL_SIZE:-}"
data="$work/real${size:+-$size}-data"
if [[ ! -f "$data/.complete" ]]; then
  rm -rf "$data"
  "$gen" --out "$data" --scale real ${size:+--total-size "$size"} >"$work/gen.out"
  touch "$data/.complete"
fi
archives=("$data"/*.tar.zst)
count="${#archives[@]}"
compressed="$(bytes_under "${archives[@]}")"
largest="$(du -b "${archives[@]}" | sort -n | tail -1)"
echo "set: $count archives, $compressed bytes ($(mib "$compressed") MiB) compressed;" \
  "largest $(basename "$(cut -f2 <<<"$largest")") $(mib "$(cut -f1 <<<"$largest")") MiB"
aws --endpoint-url "$endpoint" s3 mb "s3://$bucket" >/dev/null 2>&1 || true
t0="$(now)"
aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$data" "s3://$bucket/$run-linux/" \
  --exclude .complete
echo "uploaded in $(elapsed "$t0" "$(now)") s"

# The family's view: generic, gfx94X-dcgpu and gfx942 archives (all of this run).
fetch=("$rockart" -q fetch --run-id "$run" --run-github-repo ROCm/TheRock --platform linux
  --endpoint-url "$endpoint" --artifact-group gfx94X-dcgpu --amdgpu-targets gfx942)
out_c="$work/c"
for ((rep = 1; rep <= repeat; rep++)); do
  # First: it also brings every object into moto's memory, so that no fetch
  # pays for the server reading its spooled objects back from disk.
  timed c1 raw_gets "$data"
  measured_fetch a "$work/a" "$work/a-cache" --cache-dir "$work/a-cache"
  measured_fetch a0 "$work/a0" "$work/a0-cache" --no-cache
  rm -rf "$out_c" && mkdir -p "$out_c"
  timed c local_extract "$data" "$out_c"
  extracted="$(bytes_under "$out_c")"
  rm -rf "$out_c"
done

echo "best of $repeat run(s); extracted set: $(mib "$extracted") MiB"
printf '%-42s %8s %10s %15s\n' "" "wall s" "peak RSS" "peak disk"
printf '%-42s %8s %7s MB %11s MiB\n' "(a)  rockart fetch, cold cache" "${best[a]}" \
  "$((rss[a] / 1024))" "$(mib "${disk[a]}")"
printf '%-42s %8s %7s MB %11s MiB\n' "(a0) rockart fetch --no-cache" "${best[a0]}" \
  "$((rss[a0] / 1024))" "$(mib "${disk[a0]}")"
printf '%-42s %8s %10s %11s MiB\n' "(c)  local zstd -dc | tar -x, $jobs parallel" "${best[c]}" \
  "-" "$(mib "$extracted")"
printf '%-42s %8s\n' "(c1) raw GETs to /dev/null, 16 at once" "${best[c1]}"
echo "a/c = $(ratio "${best[a]}" "${best[c]}"), a0/c = $(ratio "${best[a0]}" "${best[c]}")" \
  "(target <= 1.0); peak RSS $((rss[a] / 1024)) / $((rss[a0] / 1024)) MB (target <= 150 MB)"
