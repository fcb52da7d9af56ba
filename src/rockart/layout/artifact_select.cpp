// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

namespace rockart::layout {

namespace {

void append_unique(std::vector<std::string>& list, std::string_view value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) {
    list.emplace_back(value);
  }
}

bool iequals(std::string_view a, std::string_view b) {
  return util::to_lower(a) == util::to_lower(b);
}

// Fetch / artifact-manager flavour: case-sensitive base-arch equality with the
// empty-prefix fallback of base_arch().
bool matches_base_arch(std::string_view target_family, const std::vector<std::string>& requested) {
  if (target_family.empty()) {
    return false;
  }
  const std::string_view base = base_arch(target_family);
  return std::any_of(requested.begin(), requested.end(), [&](const std::string& r) {
    return base_arch(r) == base;
  });
}

} // namespace

std::vector<std::string> split_list(std::string_view text, char sep) {
  std::vector<std::string> items;
  for (const auto& item : util::split(text, sep)) {
    std::string_view trimmed = util::trim(item);
    if (!trimmed.empty()) {
      items.emplace_back(trimmed);
    }
  }
  return items;
}

bool fetch_selects_all(const FetchRequest& request) {
  return (!request.group || request.group->empty()) && request.targets.empty();
}

std::vector<std::string> fetch_requested_families(const FetchRequest& request) {
  std::vector<std::string> requested;
  if (fetch_selects_all(request)) {
    return requested;
  }
  append_unique(requested, k_generic);
  if (request.group && !request.group->empty()) {
    append_unique(requested, *request.group);
  }
  for (const auto& target : request.targets) {
    append_unique(requested, target);
  }
  if (request.expand_family && request.targets.empty() && request.group) {
    for (const auto& target : expand_family(*request.group)) {
      append_unique(requested, target);
    }
  }
  return requested;
}

std::vector<std::string> gpu_families_in(const std::vector<std::string>& file_names) {
  std::set<std::string> families;
  for (const auto& file_name : file_names) {
    const std::optional<ArtifactFile> file = parse_artifact_file_name(file_name);
    if (file && !file->artifact.target_family.empty()
        && file->artifact.target_family != k_generic) {
      families.insert(file->artifact.target_family);
    }
  }
  return {families.begin(), families.end()};
}

std::vector<std::string> select_for_fetch(const std::vector<std::string>& file_names,
                                          const FetchRequest& request) {
  const bool all = fetch_selects_all(request);
  const std::vector<std::string> requested = fetch_requested_families(request);
  std::vector<std::string> selected;
  for (const auto& file_name : file_names) {
    if (all) {
      if (is_archive_candidate(file_name)) {
        selected.push_back(file_name);
      }
      continue;
    }
    std::optional<ArtifactFile> file = parse_artifact_file_name(file_name);
    if (file && matches_base_arch(file->artifact.target_family, requested)) {
      selected.push_back(file_name);
    }
  }
  return selected;
}

std::vector<std::string> validate_find_groups(const std::vector<std::string>& groups,
                                              const std::vector<std::string>& targets) {
  if (groups.empty()) {
    throw UsageError("at least one artifact group is required (e.g. gfx94X-dcgpu)");
  }
  std::vector<std::string> distinct;
  for (const auto& group : groups) {
    if (group.empty()) {
      throw UsageError("an artifact group must not be empty");
    }
    append_unique(distinct, group);
  }
  if (!targets.empty() && distinct.size() != 1) {
    throw UsageError("explicit targets only with one artifact group (got "
                         + std::to_string(distinct.size()) + ": " + util::join(distinct, ", ")
                         + ")",
                     "run once per group, or drop the explicit targets");
  }
  return distinct;
}

std::vector<std::string> find_requested_targets(const FindRequest& request,
                                                const FamilyMap& families) {
  std::vector<std::string> requested;
  append_unique(requested, request.group);
  for (const auto& target : expand_family(request.group, families)) {
    append_unique(requested, target);
  }
  for (const auto& target : request.targets) {
    append_unique(requested, target);
  }
  return requested;
}

GroupEvaluation evaluate_group_for_find(const std::vector<std::string>& file_names,
                                        const FindRequest& request,
                                        const std::vector<ArtifactPattern>& required,
                                        const FamilyMap& families) {
  std::set<std::string> wanted; // lower(base(r)), find flavour: no empty-prefix fallback
  for (const auto& target : find_requested_targets(request, families)) {
    wanted.insert(util::to_lower(base_arch_before_colon(target)));
  }
  std::set<std::string> selected;
  bool any_generic = false;
  bool any_gpu = false;
  for (const auto& file_name : file_names) {
    std::optional<ArtifactFile> file = parse_artifact_file_name(file_name);
    if (!file) {
      continue;
    }
    const std::string& family = file->artifact.target_family;
    if (iequals(family, k_generic)) {
      any_generic = true;
      selected.insert(file_name);
    } else if (wanted.contains(util::to_lower(base_arch_before_colon(family)))) {
      any_gpu = true;
      selected.insert(file_name);
    }
  }
  // Built in one go: gcc 12 reports a false -Wnull-dereference for vector::assign here.
  GroupEvaluation result{false, {selected.begin(), selected.end()}, {}};
  result.missing_patterns = missing_required_patterns(result.selected, required);
  // A generic-only inventory never proves a GPU group: multi-arch runs upload
  // their generic archives first.
  const bool satisfied = iequals(request.group, k_generic) ? any_generic : any_gpu;
  result.present = satisfied && result.missing_patterns.empty();
  return result;
}

std::vector<std::string> manager_requested_families(const ManagerRequest& request,
                                                    const FamilyMap& families) {
  std::vector<std::string> requested{std::string(k_generic)};
  if (request.generic_only) {
    return requested;
  }
  for (const auto& family : request.amdgpu_families) {
    append_unique(requested, family);
  }
  if (request.expand_family_to_targets) {
    for (const auto& family : request.amdgpu_families) {
      for (const auto& target : expand_family(family, families)) {
        append_unique(requested, target);
      }
    }
  }
  for (const auto& target : request.amdgpu_targets) {
    append_unique(requested, target);
  }
  return requested;
}

std::set<std::string>
parse_name_list(std::string_view text, const std::set<std::string>& known, std::string_view flag) {
  std::string normalized(text);
  std::replace(normalized.begin(), normalized.end(), ';', ',');
  std::set<std::string> names;
  const std::vector<std::string> valid(known.begin(), known.end());
  for (auto& name : split_list(normalized, ',')) {
    if (!known.contains(name)) {
      const auto closest = util::closest_names(name, valid);
      std::string hint = closest.empty() ? "" : "did you mean " + util::join(closest, ", ") + "?";
      if (valid.size() <= 10) {
        hint += std::string(hint.empty() ? "" : " ") + "valid: " + util::join(valid, ", ");
      }
      throw UsageError("unknown name '" + name + "' in " + std::string(flag), hint);
    }
    names.insert(std::move(name));
  }
  return names;
}

std::vector<std::string> select_for_manager(const std::vector<std::string>& file_names,
                                            const ManagerFilter& filter) {
  // Sorting parsed files by (identity, compression) orders by stem, then
  // zstd before xz, exactly the iteration order of upstream's artifact manager.
  std::vector<ArtifactFile> files;
  for (const auto& file_name : file_names) {
    if (std::optional<ArtifactFile> file = parse_artifact_file_name(file_name)) {
      files.push_back(std::move(*file));
    }
  }
  std::sort(files.begin(), files.end(), [](const ArtifactFile& a, const ArtifactFile& b) {
    const std::string sa = a.artifact.stem();
    const std::string sb = b.artifact.stem();
    return sa != sb ? sa < sb : a.compression < b.compression;
  });
  std::set<ArtifactName> taken;
  std::vector<std::string> selected;
  for (const auto& file : files) {
    const ArtifactName& id = file.artifact;
    if (!filter.artifact_names.contains(id.name)
        || filter.excluded_components.contains(id.component)
        || !matches_base_arch(id.target_family, filter.requested_families)
        || !taken.insert(id).second) {
      continue;
    }
    selected.push_back(file.file_name());
  }
  return selected;
}

std::vector<RequiredArtifact>
missing_baseline_artifacts(const std::vector<std::string>& file_names,
                           const std::vector<RequiredArtifact>& required) {
  if (required.empty()) {
    throw UsageError("the list of required baseline artifacts is empty");
  }
  const std::set<std::string> present(file_names.begin(), file_names.end());
  std::vector<RequiredArtifact> missing;
  for (const auto& requirement : required) {
    const std::string name(util::trim(requirement.name));
    const std::string family(util::trim(requirement.target_family));
    if (name.empty() || family.empty()) {
      throw UsageError("a required baseline artifact has an empty name or target family ('"
                       + requirement.name + "', '" + requirement.target_family + "')");
    }
    bool found = false;
    for (std::string_view component : k_components) {
      for (Compression compression : {Compression::zstd, Compression::xz}) {
        ArtifactFile file{{name, std::string(component), family}, compression};
        found = found || present.contains(file.file_name());
      }
    }
    if (!found) {
      missing.push_back({name, family});
    }
  }
  return missing;
}

} // namespace rockart::layout
