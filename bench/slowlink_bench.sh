#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetch over an emulated CI link (tests/fakes/link_proxy.py in front of moto),
# side by side in one run: rockart fetch (extract mode, cold cache), the
# boto3-style reference `aws s3 cp --recursive` (10 concurrent requests, 8 MiB
# parts: the aws cli defaults) + `tar -x` of each archive, and the link limit
# (compressed bytes / link rate), and a fetch done as TheRock's fetch_artifacts.py
# does it (bench/therock_style_fetch.py: boto3 downloads, tarfile). Three link shapes, each with a 40 ms RTT:
#   (a) 1 MB/s per flow, 12 MB/s in total   (b) 0.3 MB/s per flow, no link cap
#   (c) 8 MB/s in total, no per-flow cap
# on a TheRock-like set of ~120 MiB with one archive of >= 40 MiB.
#
# usage: bench/slowlink_bench.sh [BUILD_DIR] [WORK_DIR]
#   env: SHAPES (default "a b c"), SET_SIZE (240M uncompressed: the small archives), BIG_SIZE (140M)
set -euo pipefail

source "$(dirname "$0")/lib.sh" build/test rockart-slowlink-bench "$@"

# The reference's transfer settings, spelled out (they are the aws cli defaults).
cat >"$work/aws.config" <<'EOF'
[default]
s3 =
  max_concurrent_requests = 10
  multipart_chunksize = 8MB
  multipart_threshold = 8MB
EOF
export AWS_CONFIG_FILE="$work/aws.config"
/usr/bin/python3 -c 'import boto3, zstandard' 2>/dev/null || {
  echo "the TheRock-style reference needs Debian's python3-boto3 and python3-zstandard" >&2
  exit 2
}

fifo="$work/servers.stdin"
rm -f "$fifo" && mkfifo "$fifo"
python3 "$here/tests/fakes/run_moto.py" <"$fifo" >"$work/moto.out" 2>"$work/moto.err" &
pids=($!)
exec 9>"$fifo"
trap 'exec 9>&-; wait "${pids[@]}" 2>/dev/null || true' EXIT
wait_port() { for _ in $(seq 100); do grep -q '^PORT=' "$1" 2>/dev/null && break; sleep 0.1; done
  sed -n 's/^PORT=//p' "$1"; }
moto="http://127.0.0.1:$(wait_port "$work/moto.out")"

data="$work/data"
if [[ ! -f "$data/.complete" ]]; then
  rm -rf "$data"
  "$gen" --out "$data" --count 40 --total-size "${SET_SIZE:-240M}" --skew --seed 21 >/dev/null
  "$gen" --out "$data" --name big_lib_gfx94X-dcgpu --size "${BIG_SIZE:-140M}" --seed 22 >/dev/null
  touch "$data/.complete"
fi
compressed="$(du -cb "$data"/*.tar.zst | tail -1 | cut -f1)"
largest="$(du -b "$data"/*.tar.zst | sort -n | tail -1 | cut -f1)"
echo "set: $(ls "$data"/*.tar.zst | wc -l) archives, $((compressed / 1048576)) MiB compressed," \
  "largest $((largest / 1048576)) MiB; $(nproc) cores"
aws --endpoint-url "$moto" s3 mb s3://bench >/dev/null
aws --endpoint-url "$moto" s3 cp --recursive --quiet "$data" s3://bench/1-linux/

secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }

printf '%-6s %-34s %9s %9s %9s %9s %8s %8s %9s %10s\n' shape link rockart "aws+tar" TheRock \
  limit "vs aws" "vs TheRock" "vs limit" "rockart RSS"
for shape in ${SHAPES:-a b c}; do
  case "$shape" in
    a) flow=1000000 link=12000000 desc="1 MB/s per flow, 12 MB/s total" ;;
    b) flow=300000 link=0 desc="0.3 MB/s per flow, no link cap" ;;
    c) flow=0 link=8000000 desc="8 MB/s total, no per-flow cap" ;;
    *) echo "unknown shape $shape" >&2; exit 2 ;;
  esac
  python3 "$here/tests/fakes/link_proxy.py" --upstream "$moto" --flow-rate "$flow" \
    --link-rate "$link" --rtt-ms 40 <"$fifo" >"$work/link-$shape.out" 2>&1 9>&- &
  pids+=($!)
  proxy="http://127.0.0.1:$(wait_port "$work/link-$shape.out")"

  out="$work/rockart-$shape"
  rm -rf "$out" "$work/cache"
  sync
  t0="$(now)"
  /usr/bin/time -f %M -o "$work/rss" "$rockart" -q fetch --run-id 1 --bucket bench \
    --platform linux --endpoint-url "$proxy" --cache-dir "$work/cache" --output-dir "$out"
  t_rockart="$(secs "$t0" "$(now)")"
  stats="$(curl -s "$proxy/__stats")"
  curl -s -X POST "$proxy/__reset" >/dev/null
  rm -rf "$out" "$work/cache"

  ref="$work/aws-$shape"
  rm -rf "$ref" && mkdir -p "$ref/dl" "$ref/x"
  sync
  t0="$(now)"
  aws --endpoint-url "$proxy" s3 cp --recursive --quiet s3://bench/1-linux/ "$ref/dl/"
  for f in "$ref"/dl/*.tar.zst; do
    d="$ref/x/$(basename "$f" .tar.zst)"
    mkdir -p "$d" && tar -xf "$f" -C "$d"
  done
  t_aws="$(secs "$t0" "$(now)")"
  rm -rf "$ref"
  sync
  t0="$(now)"
  /usr/bin/python3 "$here/bench/therock_style_fetch.py" "$proxy" bench 1-linux/ "$ref"
  t_therock="$(secs "$t0" "$(now)")"
  rm -rf "$ref"

  if ((link > 0)); then
    limit="$(python3 -c "print(f'{$compressed / $link:.1f}')")"
    vs_limit="$(python3 -c "print(f'{$t_rockart / $limit:.2f}x')")"
  else
    limit="-" vs_limit="-"
  fi
  vs_aws="$(python3 -c "print(f'{$t_aws / $t_rockart:.2f}x')")"
  vs_therock="$(python3 -c "print(f'{$t_therock / $t_rockart:.2f}x')")"
  printf '%-6s %-34s %8ss %8ss %8ss %8s%s %8s %10s %8s %8s MB\n' "($shape)" "$desc" "$t_rockart" \
    "$t_aws" "$t_therock" "$limit" "$([[ $limit == - ]] || echo s)" "$vs_aws" "$vs_therock" "$vs_limit" \
    "$(( $(cat "$work/rss") / 1024 ))"
  echo "       rockart over the link: $stats"
done
echo "vs aws / vs TheRock: how many times faster rockart was; vs limit: rockart's time / the link limit"
