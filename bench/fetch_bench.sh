#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 5 "Performance": times `rockart fetch --flatten` of a TheRock-like run
# against (b) `aws s3 cp --recursive` + `tar -xf` of each archive and (c) the
# physical limit max(parallel raw GETs to /dev/null, local `zstd -d | tar -x`
# with nproc parallelism), then prints the ratios and rockart's peak RSS.
# Does the same for a smaller .tar.xz set.
#
# usage: bench/fetch_bench.sh [BUILD_DIR] [WORK_DIR]
#   env: ZST_SIZE (default 1.5G), ZST_COUNT (200), XZ_SIZE (300M), XZ_COUNT (40)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build/fetch}"
work="${2:-$(mktemp -d /tmp/rockart-fetch-bench.XXXXXX)}"
rockart="$build/rockart"
gen="$build/tools/rockart-gen-artifacts"
jobs="$(nproc)"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-2
export AWS_DEFAULT_REGION=us-east-2 AWS_EC2_METADATA_DISABLED=true

for tool in "$rockart" "$gen"; do
  [[ -x "$tool" ]] || { echo "missing $tool (build rockart and rockart-gen-artifacts)" >&2; exit 2; }
done
mkdir -p "$work"

# moto on a free port; it exits when its stdin (our fifo) closes.
fifo="$work/moto.stdin"
rm -f "$fifo" && mkfifo "$fifo"
python3 "$here/tests/fakes/run_moto.py" <"$fifo" >"$work/moto.out" 2>"$work/moto.err" &
moto_pid=$!
exec 9>"$fifo"
trap 'exec 9>&-; wait "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^PORT=' "$work/moto.out" 2>/dev/null && break
  sleep 0.1
done
port="$(sed -n 's/^PORT=//p' "$work/moto.out")"
endpoint="http://127.0.0.1:$port"
echo "moto at $endpoint; work dir $work; $jobs cores"

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
max() { python3 -c "print(max($1, $2))"; }

# bench_set NAME FORMAT SIZE COUNT EXTRA_GEN_ARGS...
bench_set() {
  local name="$1" format="$2" size="$3" count="$4"
  shift 4
  local data="$work/$name-data" bucket="bench-$name" run=4242
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
  aws --endpoint-url "$endpoint" s3 mb "s3://$bucket" >/dev/null
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "$data" "s3://$bucket/$run-linux/"

  # (a) rockart fetch --flatten
  local out_a="$work/$name-a"
  rm -rf "$out_a"
  sync
  local t0 t1
  t0="$(now)"
  /usr/bin/time -v -o "$work/$name-a.time" "$rockart" -q fetch --run-id "$run" --bucket "$bucket" \
    --endpoint-url "$endpoint" --flatten --output-dir "$out_a"
  t1="$(now)"
  local a rss
  a="$(elapsed "$t0" "$t1")"
  rss="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name-a.time")"

  # (b) aws s3 cp --recursive, then tar -xf of each archive
  local out_b="$work/$name-b"
  rm -rf "$out_b" && mkdir -p "$out_b/dl" "$out_b/x"
  t0="$(now)"
  aws --endpoint-url "$endpoint" s3 cp --recursive --quiet "s3://$bucket/$run-linux/" "$out_b/dl/"
  for f in "$out_b"/dl/*.tar."$format"; do tar -xf "$f" -C "$out_b/x"; done
  t1="$(now)"
  local b
  b="$(elapsed "$t0" "$t1")"

  # (c1) parallel raw GETs to /dev/null (curl, anonymous: moto does not check signatures)
  t0="$(now)"
  ls "$data" | grep -E '\.tar\.(zst|xz)$' |
    xargs -P 16 -I{} curl -s -o /dev/null "$endpoint/$bucket/$run-linux/{}"
  t1="$(now)"
  local c1
  c1="$(elapsed "$t0" "$t1")"
  # (c2) local decompress | tar -x, nproc in parallel
  local out_c="$work/$name-c"
  rm -rf "$out_c" && mkdir -p "$out_c"
  local decompress="zstd -dc"
  [[ "$format" == xz ]] && decompress="xz -dc -T1"
  t0="$(now)"
  # One directory per archive: parallel tars into one tree would race on shared paths.
  ls "$data"/*.tar."$format" |
    xargs -P "$jobs" -I{} sh -c "d='$out_c/\$(basename {})'; mkdir -p \"\$d\"; $decompress '{}' | tar -x -C \"\$d\""
  t1="$(now)"
  local c2 c
  c2="$(elapsed "$t0" "$t1")"
  c="$(max "$c1" "$c2")"

  echo "   (a) rockart fetch --flatten: ${a} s, peak RSS $((rss / 1024)) MB"
  echo "   (b) aws s3 cp + tar -xf:     ${b} s"
  echo "   (c) limit: max(raw GETs ${c1} s, local decompress|tar ${c2} s) = ${c} s"
  echo "   a/c = $(ratio "$a" "$c") (target <= 1.10); b/a = $(ratio "$b" "$a") (target >= 1.40)"
  rm -rf "$out_a" "$out_b" "$out_c"
}

bench_set zst zst "${ZST_SIZE:-1.5G}" "${ZST_COUNT:-200}"
bench_set xz xz "${XZ_SIZE:-300M}" "${XZ_COUNT:-40}"
