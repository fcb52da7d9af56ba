#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# S3 throughput benchmark (not a test): `rockart s3 cp` next to the image's
# `aws s3 cp`, against a local moto server on a free 127.0.0.1 port.
#
#   bench/s3_bench.sh            # 1 GiB object + 500 x 64 KiB objects
#   BIG_MIB=256 SMALL_COUNT=100 bench/s3_bench.sh   # quicker
#
# Builds rockart (Release) in build/bench if needed; ROCKART_BIN=path skips the
# build and benchmarks that binary instead. Prints one row per tool and
# operation: bytes moved, wall seconds and MB/s (10^6 bytes/s) of the fastest of
# REPEAT runs, and the largest peak RSS of the client process (/usr/bin/time -v).
# Runs of the two tools alternate so both see the same machine load. moto is a
# Python server and usually the bottleneck, for both tools alike: a ranged GET
# reads the whole object (aws's parallel 8 MiB ranges pay that per range), and
# CompleteMultipartUpload joins the parts in Python (8-12 s for 1 GiB: the parts
# are copied into one buffer, then into moto's temp file). Without a declared
# checksum algorithm moto adds a FULL_OBJECT CRC64NVME step over one more copy
# of the whole object; both tools declare CRC32 (aws since botocore 1.36, rockart
# sends x-amz-checksum-crc32 per part), which moto combines per part instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${ROCKART_BENCH_BUILD:-$ROOT/build/bench}
BIG_MIB=${BIG_MIB:-1024}
SMALL_COUNT=${SMALL_COUNT:-500}
SMALL_KIB=${SMALL_KIB:-64}
CONCURRENCY=${CONCURRENCY:-8}
REPEAT=${REPEAT:-3}  # each row runs REPEAT times; the fastest run is reported

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rockart-s3-bench.XXXXXX")
MOTO_PID=""

cleanup() {
  if [[ -n "$MOTO_PID" ]]; then
    exec 3>&- || true  # closing moto's stdin asks it to exit
    kill "$MOTO_PID" 2>/dev/null || true
    wait "$MOTO_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "s3_bench: $*" >&2; }

build_rockart() {
  if [[ -n "${ROCKART_BIN:-}" ]]; then
    ROCKART=$ROCKART_BIN
    return
  fi
  ROCKART=$BUILD/rockart
  if [[ ! -f "$BUILD/build.ninja" ]]; then
    log "configuring a Release build in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DROCKART_BUILD_TESTS=OFF \
      >"$WORK/cmake.log" 2>&1 || { cat "$WORK/cmake.log" >&2; exit 2; }
  fi
  log "building rockart in $BUILD"
  cmake --build "$BUILD" --target rockart -- -j2 >"$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log" >&2; exit 2; }
}

start_moto() {
  mkfifo "$WORK/moto.in"
  python3 "$ROOT/tests/fakes/run_moto.py" <"$WORK/moto.in" >"$WORK/moto.out" 2>"$WORK/moto.err" &
  MOTO_PID=$!
  exec 3>"$WORK/moto.in"  # held open: moto exits when it closes
  for _ in $(seq 1 300); do
    if grep -q '^PORT=' "$WORK/moto.out"; then
      PORT=$(sed -n 's/^PORT=//p' "$WORK/moto.out" | head -1)
      ENDPOINT="http://127.0.0.1:$PORT"
      log "moto listening on $ENDPOINT (pid $MOTO_PID)"
      return
    fi
    kill -0 "$MOTO_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$WORK/moto.err" >&2
  log "moto did not start"
  exit 2
}

make_data() {
  log "writing ${BIG_MIB} MiB and ${SMALL_COUNT} x ${SMALL_KIB} KiB of random test data"
  head -c "$((BIG_MIB << 20))" /dev/urandom >"$WORK/big.bin"
  mkdir -p "$WORK/small"
  for i in $(seq -w 1 "$SMALL_COUNT"); do
    head -c "$((SMALL_KIB << 10))" /dev/urandom >"$WORK/small/f$i.bin"
  done
}

ROWS=()

# time_once COMMAND...: sets SECONDS_TAKEN and RSS_KIB for one run of COMMAND.
time_once() {
  local start end
  start=$(date +%s.%N)
  if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err"; then
    cat "$WORK/cmd.err" >&2
    log "FAILED: $*"
    exit 2
  fi
  end=$(date +%s.%N)
  SECONDS_TAKEN=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
  RSS_KIB=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
}

# run_pair OPERATION BYTES ROCKART_COMMAND -- AWS_COMMAND: REPEAT alternating runs of
# both; appends one row per tool (best time, largest RSS).
run_pair() {
  local op=$1 bytes=$2
  shift 2
  local rockart_cmd=() aws_cmd=()
  while [[ $1 != -- ]]; do rockart_cmd+=("$1"); shift; done
  shift
  aws_cmd=("$@")
  local best_r=999999 best_a=999999 rss_r=0 rss_a=0
  for _ in $(seq 1 "$REPEAT"); do
    time_once "${rockart_cmd[@]}"
    best_r=$(awk -v a="$best_r" -v b="$SECONDS_TAKEN" 'BEGIN { print (b < a ? b : a) }')
    ((RSS_KIB > rss_r)) && rss_r=$RSS_KIB
    time_once "${aws_cmd[@]}"
    best_a=$(awk -v a="$best_a" -v b="$SECONDS_TAKEN" 'BEGIN { print (b < a ? b : a) }')
    ((RSS_KIB > rss_a)) && rss_a=$RSS_KIB
  done
  add_row rockart "$op" "$bytes" "$best_r" "$rss_r"
  add_row aws "$op" "$bytes" "$best_a" "$rss_a"
}

add_row() {
  ROWS+=("$(awk -v t="$1" -v o="$2" -v b="$3" -v d="$4" -v r="$5" \
    'BEGIN { printf "%-8s %-22s %12d %9.2f %9.1f %9.1f", t, o, b, d, b / d / 1e6, r / 1024 }')")
  log "${ROWS[-1]}"
}

same_tree() { diff -rq "$1" "$2" >/dev/null || { log "MISMATCH between $1 and $2"; exit 2; }; }

main() {
  command -v aws >/dev/null || { log "the aws CLI is not installed"; exit 2; }
  build_rockart
  local load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  start_moto
  make_data

  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-2
  export AWS_REGION=us-east-2 AWS_CONFIG_FILE=$WORK/no-config AWS_SHARED_CREDENTIALS_FILE=$WORK/no-credentials
  local rockart=("$ROCKART" -q s3)
  local ep=(--endpoint-url "$ENDPOINT")
  "${rockart[@]}" mb s3://bench "${ep[@]}"

  local big=$((BIG_MIB << 20)) small=$((SMALL_COUNT * (SMALL_KIB << 10)))
  local big_op="${BIG_MIB} MiB object" small_op="${SMALL_COUNT}x${SMALL_KIB} KiB"

  # Each tool downloads what the other uploaded, and every result is compared.
  run_pair "PUT $big_op" $big \
    "${rockart[@]}" cp "$WORK/big.bin" s3://bench/rockart/big.bin "${ep[@]}" -- \
    aws "${ep[@]}" s3 cp --quiet "$WORK/big.bin" s3://bench/aws/big.bin
  run_pair "GET $big_op" $big \
    "${rockart[@]}" cp s3://bench/aws/big.bin "$WORK/get-rockart.bin" "${ep[@]}" -- \
    aws "${ep[@]}" s3 cp --quiet s3://bench/rockart/big.bin "$WORK/get-aws.bin"
  cmp -s "$WORK/big.bin" "$WORK/get-rockart.bin" || { log "rockart GET mismatch"; exit 2; }
  cmp -s "$WORK/big.bin" "$WORK/get-aws.bin" || { log "aws GET mismatch"; exit 2; }
  rm -f "$WORK/get-rockart.bin" "$WORK/get-aws.bin"

  run_pair "PUT $small_op" $small \
    "${rockart[@]}" cp --recursive --concurrency "$CONCURRENCY" "$WORK/small" s3://bench/rockart-small/ "${ep[@]}" -- \
    aws "${ep[@]}" s3 cp --quiet --recursive "$WORK/small" s3://bench/aws-small/
  run_pair "GET $small_op" $small \
    "${rockart[@]}" cp --recursive --concurrency "$CONCURRENCY" s3://bench/aws-small/ "$WORK/get-rockart" "${ep[@]}" -- \
    aws "${ep[@]}" s3 cp --quiet --recursive s3://bench/rockart-small/ "$WORK/get-aws"
  same_tree "$WORK/small" "$WORK/get-rockart"
  same_tree "$WORK/small" "$WORK/get-aws"

  printf '\n%-8s %-22s %12s %9s %9s %9s\n' tool operation bytes seconds MB/s "RSS MiB"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "best of $REPEAT runs each; moto: $(python3 -c 'import moto; print(moto.__version__)'), aws: $(aws --version 2>&1), $(nproc) CPUs"
  echo "load average (1/5/15 min) at start: $load_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
}

main "$@"
