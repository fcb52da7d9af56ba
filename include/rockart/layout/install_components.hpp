// SPDX-License-Identifier: MIT
// The component flags of install-from-run-id (--blas, --miopen, ...) as data,
// and the archive include patterns a selection of them yields. Mirrors the
// selection of TheRock's build_tools/install_rocm_from_artifacts.py. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// The `only_with` value of a pattern that is added only with --tests.
inline constexpr std::string_view k_only_with_tests = "tests";

// One explicit include pattern of a component, added always (`only_with`
// empty), only with --tests (`k_only_with_tests`), or only when the component
// flag named by `only_with` (e.g. "prim") is on as well.
struct ComponentPattern {
  std::string_view pattern;
  std::string_view only_with = {};
};

// One row of the component table. Each extra artifact `a` yields `{a}_lib`,
// plus `{a}_test` with --tests; explicit patterns are added as listed.
struct InstallComponent {
  std::string_view flag; // without dashes: "blas" is --blas / --no-blas
  std::string_view help; // one short line for --help
  std::vector<std::string_view> extra_artifacts;
  std::vector<ComponentPattern> explicit_patterns;
};

// The 33 component rows in table order; that order fixes the pattern order.
const std::vector<InstallComponent>& install_components();

// The 18 base patterns, in order: what every selection of components starts with.
const std::vector<std::string_view>& install_base_patterns();

// The row whose flag is exactly `flag` (no dashes, case-sensitive), or nullptr.
const InstallComponent* find_install_component(std::string_view flag);

// What install-from-run-id was asked to install.
struct InstallSelection {
  std::vector<std::string> components; // enabled flags, any order, duplicates allowed
  bool tests = false;                  // --tests
  bool base_only = false;              // --base-only
};

// The include patterns (unanchored regexes searched in archive names) for
// `selection`. `base_only`: the base patterns alone. Else, with a component on:
// the base patterns, then the enabled rows' explicit patterns whose condition
// holds, then `{a}_lib` and (with `tests`) `{a}_test` for their extra
// artifacts, all in table order; duplicates are dropped after the base part
// only. Else empty, meaning every archive of the group. Throws UsageError
// naming the first unknown component, whatever the other fields say.
std::vector<std::string> install_patterns(const InstallSelection& selection);

} // namespace rockart::layout
