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
