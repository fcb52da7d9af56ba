# SPDX-License-Identifier: MIT
# Shared set-up of the fetch benchmarks (sourced): the tools under test from
# BUILD_DIR, a work directory, and moto's dummy AWS credentials for every client.
# usage: source bench/lib.sh DEFAULT_BUILD_DIR WORK_PREFIX [BUILD_DIR] [WORK_DIR]
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${3:-$here/$1}"
work="${4:-$(mktemp -d "/tmp/$2.XXXXXX")}"
rockart="$build/rockart"
gen="$build/tools/rockart-gen-artifacts"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-2
export AWS_DEFAULT_REGION=us-east-2 AWS_EC2_METADATA_DISABLED=true
for tool in "$rockart" "$gen"; do
  [[ -x "$tool" ]] || { echo "missing $tool (build rockart and rockart-gen-artifacts)" >&2; exit 2; }
done
mkdir -p "$work"

# start_servers: moto and the GitHub API fixture (scenario `find`: the bench runs
# are completed runs of ROCm/TheRock, so their listings may be cached) on free
# ports, both reading the fifo on fd 9 and exiting when it closes. Sets
# `endpoint` and exports GITHUB_API_URL; stop_servers ends them (call it from
# the script's EXIT trap).
start_servers() {
  local fifo="$work/servers.stdin"
  rm -f "$fifo" && mkfifo "$fifo"
  python3 "$here/tests/fakes/run_moto.py" <"$fifo" >"$work/moto.out" 2>"$work/moto.err" &
  moto_pid=$!
  exec 9>"$fifo"
  python3 "$here/tests/fakes/fake_github.py" --scenario find <"$fifo" >"$work/github.out" \
    2>"$work/github.err" 9>&- &
  github_pid=$!
  for _ in $(seq 100); do
    grep -q '^PORT=' "$work/moto.out" 2>/dev/null && grep -q '^PORT=' "$work/github.out" 2>/dev/null \
      && break
    sleep 0.1
  done
  endpoint="http://127.0.0.1:$(sed -n 's/^PORT=//p' "$work/moto.out")"
  GITHUB_API_URL="http://127.0.0.1:$(sed -n 's/^PORT=//p' "$work/github.out")"
  export GITHUB_API_URL
  echo "moto at $endpoint; GitHub fixture at $GITHUB_API_URL; work dir $work; $(nproc) cores"
}
stop_servers() {
  exec 9>&-
  wait "$moto_pid" "$github_pid" 2>/dev/null || true
}

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
# timed NAME CMD...: runs CMD after `sync` and keeps its wall time in best[NAME]
# (an associative array the script declares) when it is the lowest so far.
# With drop_caches=1 each run starts with an empty page cache (when root), so
# nothing is read from memory that a first run would read from disk.
timed() {
  local name="$1" t0 t1 t
  shift
  sync
  if [[ "${drop_caches:-0}" == 1 && -w /proc/sys/vm/drop_caches ]]; then
    echo 3 >/proc/sys/vm/drop_caches
  fi
  t0="$(now)"
  "$@"
  t1="$(now)"
  t="$(elapsed "$t0" "$t1")"
  if [[ -z "${best[$name]:-}" ]] || python3 -c "import sys; sys.exit($t >= ${best[$name]})"; then
    best[$name]="$t"
  fi
}
