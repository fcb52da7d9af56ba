// SPDX-License-Identifier: MIT
#include <rockart/fetch/plan.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/artifact_pattern.hpp>

#include <algorithm>
#include <map>

namespace rockart::fetch {

FetchPlan plan_fetch(const std::vector<runs::RunFile>& listing, const PlanRequest& request) {
  const auto includes = layout::compile_patterns(request.includes, "include pattern");
  const auto excludes = layout::compile_patterns(request.excludes, "exclude pattern");

  std::map<std::string, std::uint64_t> sizes;
  std::map<std::string, std::string> etags;
  std::map<std::string, runs::RunFile> companions;
  std::vector<std::string> candidates;
  for (const auto& file : listing) {
    if (layout::is_archive_candidate(file.name)) {
      if (sizes.emplace(file.name, file.size).second) {
        etags.emplace(file.name, file.etag);
        candidates.push_back(file.name);
      }
    } else if (layout::companion_archive(file.name)) {
      companions.emplace(file.name, file);
    }
  }
  std::sort(candidates.begin(), candidates.end());

  FetchPlan plan;
  plan.all = layout::fetch_selects_all(request.gpu);
  plan.requested_families = layout::fetch_requested_families(request.gpu);
  auto selected = layout::select_for_fetch(candidates, request.gpu);
  plan.gpu_selected = selected.size();
  const bool gpu_asked = !request.gpu.targets.empty()
                         || (request.gpu.group && !request.gpu.group->empty()
                             && *request.gpu.group != layout::k_generic);
  plan.host_only =
      gpu_asked && std::none_of(selected.begin(), selected.end(), [](const auto& name) {
        const auto file = layout::parse_artifact_file_name(name);
        return file && file->artifact.target_family != layout::k_generic;
      });
  plan.run_families = layout::gpu_families_in(candidates);
  if (!request.keep_both_compressions) {
    selected = layout::prefer_zstd(selected);
  }
  const auto kept = layout::filter_include_exclude(selected, includes, excludes);
  for (const auto& name : kept) {
    PlannedArchive archive;
    archive.name = name;
    archive.size = sizes[name];
    archive.etag = etags[name];
    if (const auto it = companions.find(layout::companion_name(name)); it != companions.end()) {
      archive.companion = it->second;
    }
    plan.archives.push_back(std::move(archive));
  }
  for (const auto& include : includes) {
    const bool matched = std::any_of(
        kept.begin(), kept.end(), [&](const std::string& name) { return include.found_in(name); });
    if (!matched) {
      plan.unmatched_includes.push_back(include.text());
    }
  }
  return plan;
}

} // namespace rockart::fetch
