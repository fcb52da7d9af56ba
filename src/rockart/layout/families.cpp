// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
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
    map.m_families.push_back(parse_family(name, targets));
  }
  return map;
}

const AmdgpuFamily* FamilyMap::find(std::string_view name) const {
  auto it = m_index.find(name);
  return it == m_index.end() ? nullptr : &m_families[it->second];
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

std::string_view base_arch(std::string_view target) {
  std::string_view before = base_arch_before_colon(target);
  return before.empty() ? target : before;
}

std::string_view base_arch_before_colon(std::string_view target) {
  return target.substr(0, target.find(':'));
}

} // namespace rockart::layout
