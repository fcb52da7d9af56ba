#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real install of the current build, end to end (ctest: install_and_package,
# label e2e): `cmake --install` into a temp prefix; a consumer project
# (tests/install/consumer) built against it with find_package(rockart CONFIG);
# every installed man page rendered by man without warnings; the completion
# scripts checked by their shells, and bash's asked to complete; then the
# Debian packages built by scripts/package.sh and inspected with dpkg-deb.
#
# Usage: test_install.sh BUILD_DIR SOURCE_DIR (an already built tree).
set -euo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/rockart-install-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
step() { echo "== $*"; }
# Fails unless the text in $1 contains the line or fragment $2.
expect_in() {
  [[ $1 == *"$2"* ]] || fail "expected '$2' in: ${3:-$1}"
}
run_logged() { # run_logged LOG COMMAND...: quiet unless it fails
  local log=$1
  shift
  "$@" >"$log" 2>&1 || {
    cat "$log" >&2
    fail "$* (exit $?)"
  }
}

for tool in man dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || fail "'$tool' is missing; run scripts/bootstrap.sh"
done
[[ -f $build/docs/generated.stamp ]] || fail "$build has no generated docs: build it first (ninja)"

step "cmake --install into $work/prefix"
prefix=$work/prefix
run_logged "$work/install.log" cmake --install "$build" --prefix "$prefix"
for file in bin/rockart share/man/man1/rockart.1.gz share/man/man1/rockart-fetch.1.gz \
  share/man/man1/rockart-s3-ls.1.gz share/bash-completion/completions/rockart \
  share/zsh/vendor-completions/_rockart share/fish/vendor_completions.d/rockart.fish \
  include/rockart/util/version.hpp include/rockart/layout/workflow_output_root.hpp; do
  [[ -f $prefix/$file ]] || fail "not installed: $file"
done
# The library directory is lib/ or Debian's lib/<multiarch>/, as configured.
for file in librockart_util.a librockart_install.a rockartConfig.cmake rockartTargets.cmake; do
  [[ -n $(find "$prefix" -name "$file") ]] || fail "not installed: $file"
done
generated_pages=$(find "$build/docs/man1" -name '*.1.gz' | wc -l)
installed_pages=$(find "$prefix/share/man/man1" -name '*.1.gz' | wc -l)
((generated_pages > 40)) || fail "only $generated_pages generated man pages"
((installed_pages == generated_pages)) || fail "$installed_pages of $generated_pages pages installed"
version_line=$("$prefix/bin/rockart" --version)
expect_in "$version_line" "rockart "
version=$(echo "$version_line" | cut -d' ' -f2)

step "a consumer project: find_package(rockart CONFIG REQUIRED)"
run_logged "$work/consumer-configure.log" cmake -S "$source_dir/tests/install/consumer" \
  -B "$work/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
# It must have used the temp prefix, not some other rockart on the system.
expect_in "$(grep '^rockart_DIR:' "$work/consumer/CMakeCache.txt")" "$prefix/"
run_logged "$work/consumer-build.log" cmake --build "$work/consumer"
output=$("$work/consumer/rockart_consumer")
expected="s3://therock-ci-artifacts/ROCm-rocm-libraries/20083647898-linux/base_lib_generic.tar.zst
$version"
[[ $output == "$expected" ]] || fail "consumer printed '$output', expected '$expected'"

step "man pages render without warnings ($installed_pages pages)"
for page in "$prefix"/share/man/man1/*.1.gz; do
  text=$(MANWIDTH=80 MANPAGER=cat man --warnings -E UTF-8 -l "$page" 2>"$work/man.err")
  [[ ! -s $work/man.err ]] || fail "man warns about $(basename "$page"): $(cat "$work/man.err")"
  for section in NAME SYNOPSIS OPTIONS EXAMPLES "EXIT STATUS"; do
    expect_in "$text" "$section" "$(basename "$page") rendered without $section"
  done
done

step "completion scripts"
completions=$prefix/share/bash-completion/completions/rockart
bash -n "$completions" || fail "bash -n $completions"
if command -v zsh >/dev/null; then
  zsh -n "$prefix/share/zsh/vendor-completions/_rockart" || fail "zsh -n _rockart"
else
  echo "SKIP: zsh is not installed, _rockart not syntax-checked"
fi
if command -v fish >/dev/null; then
  fish_script=$prefix/share/fish/vendor_completions.d/rockart.fish
  fish -n "$fish_script" || fail "fish -n rockart.fish"
  expect_in "$(fish -c "source '$fish_script'; complete -C 'rockart fe'")" "fetch"
else
  echo "SKIP: fish is not installed, rockart.fish not checked"
fi

# What bash offers for the words given (the last one is being completed),
# calling the function the script registers as readline would.
bash_offers() {
  bash -c '
    source "$1"
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    function=$(complete -p rockart | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
    [[ -n $function ]] || { echo "no completion function registered for rockart" >&2; exit 1; }
    "$function" rockart "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"
  ' bash_offers "$completions" "$@"
}
[[ $(bash_offers rockart fe) == fetch ]] || fail "rockart fe<TAB> offers '$(bash_offers rockart fe)'"
expect_in "$(bash_offers rockart s3 l)" "ls"
expect_in "$(bash_offers rockart -v fetch --run-id 1 --link-mode '')" "reflink"
expect_in "$(bash_offers rockart s3 cp --rec)" "--recursive"
[[ -z $(bash_offers rockart __) ]] || fail "bash offers the hidden command: $(bash_offers rockart __)"

step "Debian packages (scripts/package.sh)"
run_logged "$work/package.log" "$source_dir/scripts/package.sh" --build-dir "$build" \
  --output-dir "$work/debs"
runtime_deb=$(find "$work/debs" -name 'rockart_*.deb')
dev_deb=$(find "$work/debs" -name 'rockart-dev_*.deb')
[[ -f $runtime_deb && -f $dev_deb ]] || fail "packages missing: $(ls "$work/debs")"

info=$(dpkg-deb --info "$runtime_deb")
depends=$(echo "$info" | grep '^ Depends:') || fail "no Depends line in $runtime_deb: $info"
expect_in "$depends" "libcurl"
expect_in "$depends" "libarchive"
for field in "Maintainer:" "Section: utils" "Description:" "Package: rockart"; do
  expect_in "$info" " $field" "$info"
done
contents=$(dpkg-deb --contents "$runtime_deb")$'\n' # each entry ends in a newline
for file in ./usr/bin/rockart ./usr/share/man/man1/rockart.1.gz \
  ./usr/share/man/man1/rockart-fetch.1.gz ./usr/share/man/man1/rockart-s3-ls.1.gz \
  ./usr/share/bash-completion/completions/rockart ./usr/share/zsh/vendor-completions/_rockart \
  ./usr/share/fish/vendor_completions.d/rockart.fish; do
  expect_in "$contents" " $file"$'\n' "$file not in $runtime_deb"
done
packaged_pages=$(echo "$contents" | grep -c '/usr/share/man/man1/.*\.1\.gz$')
((packaged_pages == generated_pages)) || fail "$packaged_pages of $generated_pages pages packaged"

dev_info=$(dpkg-deb --info "$dev_deb")
expect_in "$dev_info" "libcurl4-openssl-dev"
dev_contents=$(dpkg-deb --contents "$dev_deb")
for file in /usr/include/rockart/util/version.hpp librockart_util.a cmake/rockart/rockartConfig.cmake; do
  expect_in "$dev_contents" "$file" "$file not in $dev_deb"
done
[[ $dev_contents != *"/usr/bin/"* ]] || fail "the -dev package holds a binary"

echo "PASS"
