// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/topology.hpp>
#include <rockart/util/strings.hpp>

#include <toml++/toml.h>

#include <algorithm>

namespace rockart::layout {

namespace {

namespace fs = std::filesystem;

// Reads one section entry (e.g. `[artifacts.blas]`), naming `where` in errors.
class Entry {
public:
  Entry(const toml::table& table, std::string where, const std::string& source)
      : m_table(table), m_where(std::move(where)), m_source(source) {}

  // The string field `key`, or `fallback` when absent.
  std::string string(std::string_view key, std::string fallback = {}) const {
    const toml::node* node = m_table.get(key);
    if (node == nullptr) {
      return fallback;
    }
    if (!node->is_string()) {
      fail(key, "is not a string");
    }
    return node->value<std::string>().value_or("");
  }

  // The string field `key`, which must be present and non-empty.
  std::string required_string(std::string_view key) const {
    std::string value = string(key);
    if (value.empty()) {
      fail(key, "is missing or empty");
    }
    return value;
  }

  // The array-of-strings field `key` (empty when absent).
  std::vector<std::string> strings(std::string_view key) const {
    std::vector<std::string> out;
    const toml::node* node = m_table.get(key);
    if (node == nullptr) {
      return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      fail(key, "is not an array of strings");
    }
    for (const toml::node& element : *array) {
      if (!element.is_string()) {
        fail(key, "is not an array of strings");
      }
      out.push_back(element.value<std::string>().value_or(""));
    }
    return out;
  }

private:
  [[noreturn]] void fail(std::string_view key, std::string_view what) const {
    throw ConfigError(m_source + ": " + m_where + "." + std::string(key) + " " + std::string(what));
  }

  const toml::table& m_table;
  std::string m_where;
  const std::string& m_source;
};

// Calls `each(name, entry)` for every sub-table of the top-level table
// `section`, in file order (toml++ keeps tables sorted by key).
template <typename Each>
void for_each_entry(const toml::table& root,
                    std::string_view section,
                    const std::string& source,
                    Each each) {
  const toml::node* node = root.get(section);
  if (node == nullptr) {
    return;
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    throw ConfigError(source + ": " + std::string(section) + " is not a table");
  }
  std::vector<std::pair<std::string, const toml::node*>> entries;
  for (const auto& [key, value] : *table) {
    entries.emplace_back(std::string(key.str()), &value);
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.second->source().begin < b.second->source().begin;
  });
  for (const auto& [name, value] : entries) {
    const toml::table* entry = value->as_table();
    if (entry == nullptr) {
      throw ConfigError(source + ": " + std::string(section) + "." + name + " is not a table");
    }
    each(name, Entry(*entry, std::string(section) + "." + name, source));
  }
}

toml::table parse_toml(std::string_view text, const std::string& source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    throw ConfigError(source + ":" + std::to_string(e.source().begin.line) + ":"
                      + std::to_string(e.source().begin.column)
                      + ": invalid TOML: " + std::string(e.description()));
  }
}

} // namespace

Topology Topology::parse(std::string_view text, const std::string& source) {
  const toml::table root = parse_toml(text, source);
  Topology topology;
  for_each_entry(root, "artifact_groups", source, [&](const std::string& name, const Entry& e) {
    topology.m_groups[name] = {name,
                               e.string("description"),
                               e.string("type", "generic"),
                               e.strings("artifact_group_deps")};
  });
  for_each_entry(root, "build_stages", source, [&](const std::string& name, const Entry& e) {
    TopologyStage stage{
        name, e.string("description"), e.string("type", "generic"), e.strings("artifact_groups")};
    for (const auto& group : stage.artifact_groups) {
      if (!topology.m_groups.contains(group)) {
        throw ConfigError(source + ": build_stages." + name + " names unknown artifact group '"
                          + group + "'");
      }
    }
    topology.m_stage_order.push_back(name);
    topology.m_stages.emplace(name, std::move(stage));
  });
  for_each_entry(root, "artifacts", source, [&](const std::string& name, const Entry& e) {
    TopologyArtifact artifact{name,
                              e.required_string("artifact_group"),
                              e.string("type", "target-neutral"),
                              e.strings("artifact_deps")};
    if (!topology.m_groups.contains(artifact.artifact_group)) {
      throw ConfigError(source + ": artifacts." + name + " names unknown artifact group '"
                        + artifact.artifact_group + "'");
    }
    topology.m_artifacts.emplace(name, std::move(artifact));
  });
  return topology;
}

std::vector<std::string> Topology::stage_names() const {
  return m_stage_order;
}

const TopologyStage& Topology::stage(std::string_view name) const {
  const auto it = m_stages.find(name);
  if (it == m_stages.end()) {
    throw NotFoundError("Stage '" + std::string(name)
                        + "' not found; available stages: " + util::join(stage_names(), ", "));
  }
  return it->second;
}

std::set<std::string> Topology::produced_artifacts(std::string_view stage_name) const {
  const TopologyStage& s = stage(stage_name);
  const std::set<std::string> groups(s.artifact_groups.begin(), s.artifact_groups.end());
  std::set<std::string> out;
  for (const auto& [name, artifact] : m_artifacts) {
    if (groups.contains(artifact.artifact_group)) {
      out.insert(name);
    }
  }
  return out;
}

std::set<std::string> Topology::all_produced_artifacts() const {
  std::set<std::string> out;
  for (const auto& [name, stage] : m_stages) {
    out.merge(produced_artifacts(name));
  }
  return out;
}

std::set<std::string> Topology::with_dependencies(std::set<std::string> names) const {
  std::vector<std::string> pending(names.begin(), names.end());
  while (!pending.empty()) {
    const std::string name = std::move(pending.back());
    pending.pop_back();
    const auto it = m_artifacts.find(name);
    if (it == m_artifacts.end()) {
      continue;
    }
    for (const auto& dep : it->second.artifact_deps) {
      if (names.insert(dep).second) {
        pending.push_back(dep);
      }
    }
  }
  return names;
}

std::set<std::string> Topology::inbound_artifacts(std::string_view stage_name) const {
  const TopologyStage& s = stage(stage_name);
  std::set<std::string> dependency_groups;
  for (const auto& group : s.artifact_groups) {
    const auto it = m_groups.find(group);
    if (it != m_groups.end()) {
      dependency_groups.insert(it->second.artifact_group_deps.begin(),
                               it->second.artifact_group_deps.end());
    }
  }
  const std::set<std::string> produced = produced_artifacts(stage_name);
  std::set<std::string> seeds = produced;
  for (const auto& [name, artifact] : m_artifacts) {
    if (dependency_groups.contains(artifact.artifact_group)) {
      seeds.insert(name);
    }
  }
  std::set<std::string> inbound = with_dependencies(std::move(seeds));
  for (const auto& name : produced) {
    inbound.erase(name);
  }
  return inbound;
}

std::set<std::string> Topology::artifact_names() const {
  std::set<std::string> names;
  for (const auto& [name, artifact] : m_artifacts) {
    names.insert(name);
  }
  return names;
}

fs::path find_topology_file(const fs::path& start,
                            const std::function<bool(const fs::path&)>& is_file) {
  for (fs::path dir = start;; dir = dir.parent_path()) {
    fs::path candidate = dir / "BUILD_TOPOLOGY.toml";
    if (is_file(candidate)) {
      return candidate;
    }
    if (dir == dir.parent_path() || dir.empty()) {
      break;
    }
  }
  throw ConfigError("no BUILD_TOPOLOGY.toml in " + start.string() + " or any parent directory",
                    "run from the TheRock checkout or pass --topology PATH");
}

} // namespace rockart::layout
