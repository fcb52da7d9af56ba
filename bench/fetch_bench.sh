#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 5 "Performance": times `rockart fetch --flatten` of a TheRock-like run
# against (b) `aws s3 cp --recursive` + `tar -xf` of each archive and (c) the
# physical limit max(parallel raw GETs to /dev/null, local `zstd -d | tar -x`
# with nproc parallelism), then prints the ratios and rockart's peak RSS,
# (d) a warm re-fetch from the persistent cache with --offline (issue 6), and
# (e) a fetch done as TheRock's fetch_artifacts.py does it (bench/therock_style_fetch.py).
# Does the same for a smaller .tar.xz set.
#
# usage: bench/fetch_bench.sh [BUILD_DIR] [WORK_DIR]
#   env: ZST_SIZE (default 1.5G), ZST_COUNT (200), XZ_SIZE (300M), XZ_COUNT (40),
#        REPEAT (3: every figure is the best of REPEAT runs)
set -euo pipefail

source "$(dirname "$0")/lib.sh" build/fetch rockart-fetch-bench "$@"
jobs="$(nproc)"

# The warm re-fetch (d) needs no request at all: the fixture's runs are completed.
trap stop_servers EXIT
start_servers

# (e) runs under Debian's interpreter, which has python3-boto3 and python3-zstandard.
therock=(/usr/bin/python3 "$here/bench/therock_style_fetch.py")
/usr/bin/python3 -c 'import boto3, zstandard' 2>/dev/null || {
  echo "(e) needs Debian's python3-boto3 and python3-zstandard: apt-get install python3-boto3 python3-zstandard" >&2
  exit 2
}

max() { python3 -c "print(max($1, $2))"; }

# Every timing is the best of REPEAT runs, each started after `sync`: on this
# kind of VM the writeback of the previous run's 1.5 GiB makes single runs
# vary by +-50 %.
repeat="${REPEAT:-3}"
declare -A best=()
aws_then_tar() { # BUCKET RUN OUT FORMAT
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "s3://$1/$2-linux/" "$3/dl/"
  for f in "$3"/dl/*.tar."$4"; do tar -xf "$f" -C "$3/x"; done
}
raw_gets() { # DATA BUCKET RUN (curl, signed: moto refuses anonymous reads)
  ls "$1" | grep -E '\.tar\.(zst|xz)$' |
    xargs -P 16 -I{} curl -sf --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
      --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -o /dev/null "$endpoint/$2/$3-linux/{}"
}
local_extract() { # DATA FORMAT OUT DECOMPRESS, nproc in parallel
  # One directory per archive: parallel tars into one tree would race on shared paths.
  ls "$1"/*.tar."$2" |
    xargs -P "$jobs" -I{} sh -c "d='$3/\$(basename {})'; mkdir -p \"\$d\"; $4 '{}' | tar -x -C \"\$d\""
}

# bench_set NAME FORMAT SIZE COUNT RUN_ID EXTRA_GEN_ARGS...
# RUN_ID: a completed ROCm/TheRock run of the fixture's `find` scenario (its
# artifacts live in the therock-ci-artifacts bucket).
bench_set() {
  local name="$1" format="$2" size="$3" count="$4" run="$5"
  shift 5
  local data="$work/$name-data" bucket="therock-ci-artifacts"
  local fetch=("$rockart" -q fetch --run-id "$run" --run-github-repo ROCm/TheRock --platform linux
    --endpoint-url "$endpoint" --flatten)
  echo "== $name: $count archives, $size uncompressed, .$format"
  if [[ ! -f "$data/.complete" ]]; then
  rm -rf "$data"
  # The generator has 84 distinct names per family: spread the set over
  # families (generic names then repeat and are overwritten, like re-uploads).
  local families=(gfx94X-dcgpu gfx110X-all gfx1151) per_count per_size seed=11
  (( count <= 84 )) && families=(gfx94X-dcgpu)
  per_count=$(( (count + ${#families[@]} - 1) / ${#families[@]} ))
  (( per_count > 84 )) && per_count=84
  per_size="$(numfmt --from=iec "$size")"
  per_size=$(( per_size / ${#families[@]} ))
  for family in "${families[@]}"; do
    "$gen" --out "$data" --format "$format" --family "$family" --count "$per_count" \
      --total-size "$per_size" --skew --seed "$seed" "$@" >/dev/null
    seed=$((seed + 1))
  done
  touch "$data/.complete"
  fi
  local compressed
  compressed="$(du -cb "$data"/*.tar."$format" | tail -1 | cut -f1)"
  echo "   compressed: $((compressed / 1048576)) MiB in $(ls "$data"/*.tar."$format" | wc -l) archives"
  aws --endpoint-url "$endpoint" s3 mb "s3://$bucket" >/dev/null 2>&1 || true
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$data" "s3://$bucket/$run-linux/"

  local out_a="$work/$name-a" out_b="$work/$name-b" out_c="$work/$name-c" cache="$work/$name-cache"
  local decompress="zstd -dc"
  [[ "$format" == xz ]] && decompress="xz -dc -T1"
  # (b) aws s3 cp --recursive, then tar -xf of each archive (once: it is slow).
  rm -rf "$out_b" && mkdir -p "$out_b/dl" "$out_b/x"
  timed b aws_then_tar "$bucket" "$run" "$out_b" "$format"
  rm -rf "$out_b"
  # (e) TheRock's own way (boto3 downloads, tarfile extraction), once: it is slower still.
  local out_e="$work/$name-e"
  rm -rf "$out_e"
  timed e "${therock[@]}" "$endpoint" "$bucket" "$run-linux/" "$out_e"
  rm -rf "$out_e"
  local rss=0 r
  for ((rep = 1; rep <= repeat; rep++)); do
    # (a) rockart fetch --flatten with a cold cache (the default: blobs are
    # stored as they stream in) and (a0) with --no-cache.
    rm -rf "$out_a" "$cache"
    timed a /usr/bin/time -v -o "$work/$name-a.time" "${fetch[@]}" --output-dir "$out_a" \
      --cache-dir "$cache"
    r="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name-a.time")"
    (( r > rss )) && rss="$r"
    rm -rf "$out_a"
    timed a0 "${fetch[@]}" --output-dir "$out_a" --no-cache
    # (d) warm re-fetch (issue 6): the same fetch again from the cache alone;
    # --offline makes any network request an error, so this proves zero requests.
    rm -rf "$out_a"
    timed d "${fetch[@]}" --output-dir "$out_a" --cache-dir "$cache" --offline
    rm -rf "$out_a" "$cache"
    # (c1) parallel raw GETs to /dev/null; (c2) local decompress | tar -x.
    timed c1 raw_gets "$data" "$bucket" "$run"
    rm -rf "$out_c" && mkdir -p "$out_c"
    timed c2 local_extract "$data" "$format" "$out_c" "$decompress"
    rm -rf "$out_c"
  done
  local a="${best[a]}" a0="${best[a0]}" b="${best[b]}" c1="${best[c1]}" c2="${best[c2]}"
  local d="${best[d]}" e="${best[e]}" c
  c="$(max "$c1" "$c2")"
  best=()

  echo "   best of $repeat runs each"
  echo "   (a) rockart fetch --flatten: ${a} s, peak RSS $((rss / 1024)) MB (cold cache; --no-cache ${a0} s)"
  echo "   (b) aws s3 cp + tar -xf:     ${b} s (one run)"
  echo "   (e) TheRock-style boto3 + tarfile: ${e} s (one run)"
  echo "   (c) limit: max(raw GETs ${c1} s, local decompress|tar ${c2} s) = ${c} s"
  echo "   a/c = $(ratio "$a" "$c") (target <= 1.10); b/a = $(ratio "$b" "$a") (target >= 1.40)"
  echo "   e/a = $(ratio "$e" "$a") (target >= 4)"
  echo "   (d) warm re-fetch --offline: ${d} s; d/c2 = $(ratio "$d" "$c2") (target <= 1.15)"
}

bench_set zst zst "${ZST_SIZE:-1.5G}" "${ZST_COUNT:-200}" 20083647898
bench_set xz xz "${XZ_SIZE:-300M}" "${XZ_COUNT:-40}" 19680190301
