// SPDX-License-Identifier: MIT
// What `rockart fetch` will download (spec/behaviours.md §3.2 steps 2-5,
// artifacts.md §1.2, §5.1, §6.1, issue 5 item 2): pure, from a run root's listing.
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
};

struct PlanRequest {
  layout::FetchRequest gpu;            // --artifact-group / --amdgpu-targets
  std::vector<std::string> includes;   // positional regexes
  std::vector<std::string> excludes;   // --exclude
  bool keep_both_compressions = false; // --no-extract keeps .tar.xz next to .tar.zst (§5.1.4)
};

struct FetchPlan {
  bool all = false;                            // no group and no targets (§5.1.1)
  std::vector<std::string> requested_families; // {"generic"} ∪ {G} ∪ T, or empty
  size_t gpu_selected = 0;                     // archives after §5.1, before §6.1
  std::vector<PlannedArchive> archives;        // final set, sorted by name
  std::vector<std::string> unmatched_includes; // include patterns matching no final archive
};

// Selects from `listing` (file names directly below the run root): archive
// candidates, §5.1 GPU selection, .tar.zst preferred unless
// `keep_both_compressions`, §6.1 include/exclude. An include is *unmatched*
// when it is found in no archive of the final set. Throws UsageError for an
// invalid regex (naming it).
FetchPlan plan_fetch(const std::vector<runs::RunFile>& listing, const PlanRequest& request);

} // namespace rockart::fetch
