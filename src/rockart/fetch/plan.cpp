// SPDX-License-Identifier: MIT
#include <rockart/fetch/plan.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/artifact_pattern.hpp>

#include <algorithm>
#include <map>

namespace rockart::fetch {

namespace {

// A run root's listing split into archive candidates (sorted, first listing
// entry wins) and their companions.
class ListingIndex {
public:
  explicit ListingIndex(const std::vector<runs::RunFile>& listing) {
    for (const auto& file : listing) {
      if (layout::is_archive_candidate(file.name)) {
        if (m_archives.emplace(file.name, file).second) {
          m_candidates.push_back(file.name);
        }
      } else if (layout::companion_archive(file.name)) {
        m_companions.emplace(file.name, file);
      }
    }
    std::sort(m_candidates.begin(), m_candidates.end());
  }

  const std::vector<std::string>& candidates() const { return m_candidates; }

  // The archive `name` (a candidate) with its size, ETag and companion.
  PlannedArchive planned(const std::string& name) const {
    const runs::RunFile& file = m_archives.at(name);
    PlannedArchive archive;
    archive.name = name;
    archive.size = file.size;
    archive.etag = file.etag;
    if (const auto it = m_companions.find(layout::companion_name(name)); it != m_companions.end()) {
      archive.companion = it->second;
    }
    return archive;
  }

private:
  std::map<std::string, runs::RunFile> m_archives;
  std::map<std::string, runs::RunFile> m_companions;
  std::vector<std::string> m_candidates;
};

} // namespace

FetchPlan plan_fetch(const std::vector<runs::RunFile>& listing, const PlanRequest& request) {
  const auto includes = layout::compile_patterns(request.includes, "include pattern");
  const auto excludes = layout::compile_patterns(request.excludes, "exclude pattern");
  const ListingIndex index(listing);
  const auto& candidates = index.candidates();

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
    plan.archives.push_back(index.planned(name));
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

std::vector<PlannedArchive> plan_stage_fetch(const std::vector<runs::RunFile>& listing,
                                             const layout::ManagerFilter& filter) {
  const ListingIndex index(listing);
  std::vector<PlannedArchive> archives;
  for (const auto& name : layout::select_for_manager(index.candidates(), filter)) {
    archives.push_back(index.planned(name));
  }
  std::sort(archives.begin(), archives.end(), [](const auto& a, const auto& b) {
    return a.name < b.name;
  });
  return archives;
}

} // namespace rockart::fetch
