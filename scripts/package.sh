#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian packages with CPack (cmake/RockartPackage.cmake):
#   rockart_<version>-1_<arch>.deb      binary, man pages, completions
#   rockart-dev_<version>-1_<arch>.deb  headers, static libraries, CMake package
#
# Usage: scripts/package.sh [--build-dir DIR] [--output-dir DIR] [--components LIST]
#   (default)          configure and build a Release tree in build/package with
#                      prefix /usr (Debian's multiarch library directory), then package
#   --build-dir DIR    package an already built tree as it is (no configure, no build)
#   --output-dir DIR   where the .deb files go (default: <build dir>/packages)
#   --components LIST  "runtime", "dev" or "runtime;dev" (default: both)
# Prints the path of each package built.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=""
output_dir=""
components="runtime;dev"
while (($#)); do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --output-dir) output_dir=$2; shift 2 ;;
    --components) components=$2; shift 2 ;;
    -h | --help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# dpkg-shlibdeps computes the Depends line; without it (or `file`, which
# CPack uses to find the binaries to scan) CPack would quietly leave it out.
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
  if ! command -v "$tool" >/dev/null; then
    echo "package.sh: '$tool' is missing; run scripts/bootstrap.sh" >&2
    exit 2
  fi
done

if [[ -z $build_dir ]]; then
  build_dir=build/package
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
    -DROCKART_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
  cmake --build "$build_dir" -j "$(nproc)"
elif [[ ! -f $build_dir/CPackConfig.cmake ]]; then
  echo "package.sh: $build_dir is not a configured rockart build tree" >&2
  exit 2
fi
build_dir=$(cd "$build_dir" && pwd)
output_dir=${output_dir:-$build_dir/packages}
mkdir -p "$output_dir"
output_dir=$(cd "$output_dir" && pwd)

# CPack stages in <output>/_CPack_Packages; only the .deb files are the result.
cpack --config "$build_dir/CPackConfig.cmake" -G DEB -B "$output_dir" \
  -D CPACK_COMPONENTS_ALL="$components" >"$output_dir/cpack.log" 2>&1 || {
  cat "$output_dir/cpack.log" >&2
  exit 1
}
rm -rf "$output_dir/_CPack_Packages"
ls "$output_dir"/*.deb
