// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/families.hpp>
#include <rockart/util/strings.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rockart::layout {

namespace {

AmdgpuFamily parse_family(const std::string& name, const nlohmann::ordered_json& targets) {
  if (name.empty()) {
    throw ConfigError("AMDGPU family map: a family has an empty name");
  }
  if (!targets.is_array()) {
    throw ConfigError("AMDGPU family map: family '" + name + "' is not a list of targets");
  }
  AmdgpuFamily family{name, {}};
  for (const auto& target : targets) {
    if (!target.is_string() || target.get_ref<const std::string&>().empty()) {
      throw ConfigError("AMDGPU family map: family '" + name
                        + "' has a target that is not a non-empty string");
    }
    const auto& text = target.get_ref<const std::string&>();
    if (std::find(family.targets.begin(), family.targets.end(), text) == family.targets.end()) {
      family.targets.push_back(text);
    }
  }
  return family;
}

} // namespace

FamilyMap FamilyMap::parse_json(std::string_view json_text) {
  // ordered_json keeps the key order of the file (families in order of first
  // mention, as TheRock's own parser of the CMake file produces them).
  nlohmann::ordered_json root;
  try {
    root = nlohmann::ordered_json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(std::string("AMDGPU family map is not valid JSON: ") + e.what());
  }
  if (!root.is_object()) {
    throw ConfigError("AMDGPU family map must be a JSON object {family: [targets]}");
  }
  FamilyMap map;
  for (const auto& [name, targets] : root.items()) {
    map.m_index.emplace(name, map.m_families.size());
    map.m_lower_index.emplace(util::to_lower(name), map.m_families.size());
    map.m_families.push_back(parse_family(name, targets));
  }
  return map;
}

const AmdgpuFamily* FamilyMap::find(std::string_view name) const {
  auto it = m_index.find(name);
  return it == m_index.end() ? nullptr : &m_families[it->second];
}

const AmdgpuFamily* FamilyMap::find_ignore_case(std::string_view name) const {
  auto it = m_lower_index.find(util::to_lower(name));
  return it == m_lower_index.end() ? nullptr : &m_families[it->second];
}

std::vector<std::string> FamilyMap::names() const {
  std::vector<std::string> result;
  for (const auto& family : m_families) {
    result.push_back(family.name);
  }
  return result;
}

std::vector<std::string> FamilyMap::all_targets() const {
  std::vector<std::string> targets;
  for (const auto& family : m_families) {
    for (const auto& target : family.targets) {
      if (std::find(targets.begin(), targets.end(), target) == targets.end()) {
        targets.push_back(target);
      }
    }
  }
  return targets;
}

const FamilyMap& amdgpu_families() {
  static const FamilyMap map = FamilyMap::parse_json(amdgpu_families_json());
  return map;
}

std::vector<std::string> expand_family(std::string_view name, const FamilyMap& families) {
  const AmdgpuFamily* family = families.find(name);
  return family ? family->targets : std::vector<std::string>{};
}

std::vector<std::string> expand_family_strict(std::string_view name, const FamilyMap& families) {
  const AmdgpuFamily* family = families.find(name);
  if (family == nullptr) {
    std::vector<std::string> names;
    for (const auto& known : families.families()) {
      names.push_back(known.name);
    }
    throw UsageError("unknown AMDGPU family '" + std::string(name) + "'",
                     "known families (case-sensitive): " + util::join(names, ", "));
  }
  return family->targets;
}

namespace {

std::string did_you_mean(const std::vector<std::string>& names) {
  return names.empty() ? std::string() : "did you mean " + util::join(names, " or ") + "? ";
}

} // namespace

std::string canonical_group(std::string_view group, const FamilyMap& families) {
  const std::string_view typed = util::trim(group);
  if (util::to_lower(typed) == k_generic) {
    return std::string(k_generic);
  }
  if (const AmdgpuFamily* family = families.find_ignore_case(typed)) {
    return family->name;
  }
  const std::string lower = util::to_lower(typed);
  for (const std::string_view variant : k_group_variants) {
    if (lower.size() > variant.size() && lower.ends_with(variant)) {
      const std::string_view base = typed.substr(0, typed.size() - variant.size());
      if (const AmdgpuFamily* family = families.find_ignore_case(base)) {
        return family->name + std::string(variant);
      }
    }
  }
  throw UsageError("unknown artifact group '" + std::string(typed) + "'",
                   did_you_mean(util::closest_names(typed, families.names()))
                       + "Groups are AMDGPU families such as gfx94X-dcgpu, gfx110X-all or gfx1151, "
                         "optionally with -asan, -host-asan or -tsan");
}

std::string canonical_target(std::string_view target, const FamilyMap& families) {
  const std::string_view typed = util::trim(target);
  const std::string_view base = base_arch_before_colon(typed);
  const std::string_view features = typed.substr(base.size());
  const std::vector<std::string> targets = families.all_targets();
  for (const auto& known : targets) {
    if (util::to_lower(known) == util::to_lower(base)) {
      return known + std::string(features);
    }
  }
  if (const AmdgpuFamily* family = families.find_ignore_case(base)) {
    throw UsageError("'" + std::string(typed) + "' is an AMDGPU family, not a target",
                     "pass it as --artifact-group " + family->name + ", or give its targets ("
                         + util::join(family->targets, ",") + ") as --amdgpu-targets");
  }
  throw UsageError("unknown AMDGPU target '" + std::string(typed) + "'",
                   did_you_mean(util::closest_names(base, targets))
                       + "Targets are gfx names such as gfx942 or gfx1100, optionally with a "
                         "feature suffix such as :xnack+");
}

std::string_view base_arch(std::string_view target) {
  std::string_view before = base_arch_before_colon(target);
  return before.empty() ? target : before;
}

std::string_view base_arch_before_colon(std::string_view target) {
  return target.substr(0, target.find(':'));
}

} // namespace rockart::layout
