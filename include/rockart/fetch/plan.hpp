// SPDX-License-Identifier: MIT
// What `rockart fetch` will download: archive candidates, GPU selection and
// include/exclude filters, pure, from a run root's listing.
#pragma once

#include <rockart/layout/artifact_select.hpp>
#include <rockart/runs/run.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rockart::fetch {

// One archive to fetch, with its `.sha256sum` companion when the listing has one.
struct PlannedArchive {
  std::string name;
  std::uint64_t size = 0;
  std::optional<runs::RunFile> companion;
  std::string etag; // the listing's
  // The sha256 already known for these bytes: read from the companion by the
  // caller (then it is not read again), or, without a companion, learnt when
  // this object (same key and ETag) was downloaded before. It verifies the
  // bytes and finds the blob.
  std::optional<std::string> known_sha256;
  // A release tarball (a plain tar of the tree, no artifact manifest): only
  // with Mode::flatten.
  bool tarball = false;
};

struct PlanRequest {
  layout::FetchRequest gpu;            // --artifact-group / --amdgpu-targets
  std::vector<std::string> includes;   // positional regexes
  std::vector<std::string> excludes;   // --exclude
  bool keep_both_compressions = false; // --no-extract keeps .tar.xz next to .tar.zst
};

struct FetchPlan {
  bool all = false;                            // no group and no targets: every archive
  std::vector<std::string> requested_families; // {"generic"} ∪ {G} ∪ T, or empty
  size_t gpu_selected = 0;                     // after GPU selection, before include/exclude
  // A GPU was asked for (a group other than "generic", or explicit targets)
  // and the GPU selection holds no archive other than a generic one: the
  // tree would be host-only, without device code.
  bool host_only = false;
  std::vector<std::string> run_families;       // the run's non-generic target families
  std::vector<PlannedArchive> archives;        // final set, sorted by name
  std::vector<std::string> unmatched_includes; // include patterns matching no final archive
};

// Selects from `listing` (file names directly below the run root): archive
// candidates, GPU selection (layout::select_for_fetch), .tar.zst preferred
// unless `keep_both_compressions` (extracting both would do the work twice),
// include/exclude. An include is *unmatched* when it is found in no archive of
// the final set. Throws UsageError for an invalid regex (naming it).
FetchPlan plan_fetch(const std::vector<runs::RunFile>& listing, const PlanRequest& request);

// The archives of `listing` a stage fetch takes (layout::select_for_manager:
// topology names, excluded components, families; .tar.zst over .tar.xz), with
// their companions, sorted by name.
std::vector<PlannedArchive> plan_stage_fetch(const std::vector<runs::RunFile>& listing,
                                             const layout::ManagerFilter& filter);

} // namespace rockart::fetch
