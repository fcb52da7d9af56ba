// SPDX-License-Identifier: MIT
// Selecting a run's artifact archives for a GPU request. Each upstream tool
// has its own rules, kept as separate functions: fetch (case-sensitive), find
// (case-insensitive targets), artifact manager and the baseline check. All
// are pure.
#pragma once

#include <rockart/layout/artifact_pattern.hpp>
#include <rockart/layout/families.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// The reserved target family of GPU-independent archives.
inline constexpr std::string_view k_generic = "generic";

// Splits a `sep`-separated list, trimming whitespace and dropping empty
// entries ("gfx942, ,gfx950" -> {"gfx942", "gfx950"}); order and duplicates kept.
std::vector<std::string> split_list(std::string_view text, char sep);

// --- fetch-artifacts / install-from-run-id selection ---

// What `fetch` was asked for; an empty `group` counts as not given.
struct FetchRequest {
  std::optional<std::string> group; // --artifact-group
  std::vector<std::string> targets; // --amdgpu-targets, already split
  // Without explicit targets, add the group's targets (non-strict expansion):
  // a kpack-split run stores device code per target (blas_lib_gfx942), so the
  // family name alone would select only the host-only generic archives.
  bool expand_family = false;
};

// True when neither a group nor targets were given: every archive is fetched.
bool fetch_selects_all(const FetchRequest& request);

// The requested set {"generic"} ∪ {group} ∪ targets, in that order without
// duplicates; empty when fetch_selects_all(). With `expand_family` and no
// targets, the group's targets stand in for them.
std::vector<std::string> fetch_requested_families(const FetchRequest& request);

// The archives of `file_names` that fetch selects, in input order: all archive
// candidates when fetch_selects_all(), else those that parse and whose
// base_arch(target_family) equals base_arch(r) for a requested r (case-sensitive).
std::vector<std::string> select_for_fetch(const std::vector<std::string>& file_names,
                                          const FetchRequest& request);

// The distinct target families of the archives in `file_names` other than
// "generic", sorted: what a run does have, for a request that matched nothing.
std::vector<std::string> gpu_families_in(const std::vector<std::string>& file_names);

// --- find-artifacts-for-commit / find-latest-artifacts selection ---

// Distinct groups in first-seen order. Throws UsageError when `groups` is
// empty or a group is empty, or when `targets` is non-empty and there is not
// exactly one distinct group ("explicit targets only with one artifact group").
std::vector<std::string> validate_find_groups(const std::vector<std::string>& groups,
                                              const std::vector<std::string>& targets);

// One group to look for in a run, with optional explicit targets.
struct FindRequest {
  std::string group;
  std::vector<std::string> targets;
};

// Requested targets: (group, expand_family(group), targets...) in that
// order without exact duplicates.
std::vector<std::string> find_requested_targets(const FindRequest& request,
                                                const FamilyMap& families = amdgpu_families());

// The outcome of looking for one group in one run's listing.
struct GroupEvaluation {
  bool present = false;                      // group satisfied and no pattern missing
  std::vector<std::string> selected;         // sorted, de-duplicated file names
  std::vector<std::string> missing_patterns; // required patterns found in none of `selected`
};

// Selects generic archives (ignoring case) and those whose
// lower(base(family)) equals lower(base(r)) for a requested target r. A
// non-generic group needs a non-generic archive (a multi-arch run uploads its
// generic archives first, so they never prove a GPU group); "generic" needs a
// generic one. Then every required pattern must match a selected name.
GroupEvaluation evaluate_group_for_find(const std::vector<std::string>& file_names,
                                        const FindRequest& request,
                                        const std::vector<ArtifactPattern>& required = {},
                                        const FamilyMap& families = amdgpu_families());

// --- artifact manager selection (fetch --stage / copy) ---

// The GPU part of an artifact-manager request.
struct ManagerRequest {
  std::vector<std::string> amdgpu_families; // --amdgpu-families, split on ';'
  std::vector<std::string> amdgpu_targets;  // --amdgpu-targets, split on ','
  bool generic_only = false;                // --generic-only
  bool expand_family_to_targets = false;    // --expand-family-to-targets
};

// "generic", then (unless generic_only) the families, their targets (when
// expanding, non-strict) and the explicit targets, each only once.
std::vector<std::string> manager_requested_families(const ManagerRequest& request,
                                                    const FamilyMap& families = amdgpu_families());

// The names of a comma- or semicolon-separated list (whitespace trimmed, empty
// entries dropped), each checked against `known`. Throws UsageError naming
// `flag`, the unknown name, the closest known ones and, for a short list,
// every valid name.
std::set<std::string>
parse_name_list(std::string_view text, const std::set<std::string>& known, std::string_view flag);

// Which archives the manager may take, besides the GPU match.
struct ManagerFilter {
  std::set<std::string> artifact_names;      // candidate names from the topology
  std::set<std::string> excluded_components; // --exclude-components
  std::vector<std::string> requested_families;
};

// Archives sorted by (stem, zstd before xz) that parse, whose name is a
// candidate, whose component is not excluded and whose base arch matches a
// requested family (case-sensitive); only the first per identity, so .tar.zst wins.
std::vector<std::string> select_for_manager(const std::vector<std::string>& file_names,
                                            const ManagerFilter& filter);

// --- baseline availability check ---

// A required (artifact name, target family) pair.
struct RequiredArtifact {
  std::string name;          // e.g. "blas"
  std::string target_family; // e.g. "generic", "gfx94X-dcgpu"

  bool operator==(const RequiredArtifact&) const = default;
};

// The required pairs (trimmed) for which no `{name}_{component}_{family}{ext}`
// exists in `file_names` for any standard component and .tar.zst/.tar.xz
// (exact string equality). Throws UsageError on an empty list or empty value.
std::vector<RequiredArtifact>
missing_baseline_artifacts(const std::vector<std::string>& file_names,
                           const std::vector<RequiredArtifact>& required);

} // namespace rockart::layout
