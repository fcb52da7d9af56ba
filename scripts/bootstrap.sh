#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything rockart's build, tests and demo need on Debian 12
# (idempotent: does nothing when all is present) and checks the Python test
# servers. Run as root or with sudo available.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache git
  libcurl4-openssl-dev libssl-dev nlohmann-json3-dev libcli11-dev
  libarchive-dev libzstd-dev liblzma-dev libsqlite3-dev libtomlplusplus-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  zstd xz-utils tar python3 time clang-format
  # the install test and scripts/package.sh: dpkg-shlibdeps (and `file`, which
  # CPack needs to run it), man for rendering the generated pages, and the
  # shells whose completion scripts are checked
  dpkg-dev file man-db zsh fish
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "bootstrap: all Debian packages present"
fi

# Test servers: moto (S3) and botocore (SigV4 oracle) ship in this image's
# Python. Elsewhere, install them with pip only when missing.
if ! python3 -c 'import moto.server, botocore, werkzeug' 2>/dev/null; then
  echo "bootstrap: moto/botocore missing, installing with pip"
  python3 -m pip install --quiet 'moto[server]' botocore
fi
python3 -c 'import moto; print("bootstrap: moto", moto.__version__)'
if ! command -v aws >/dev/null 2>&1; then
  echo "bootstrap: note: no 'aws' CLI on PATH; interop tests and benchmarks that compare with it will fail" >&2
fi
