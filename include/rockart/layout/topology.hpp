// SPDX-License-Identifier: MIT
// TheRock's BUILD_TOPOLOGY.toml: build stages (multi-arch CI jobs) build
// topology groups; each artifact belongs to one group. Read with toml++; only
// the tables the artifact manager needs ([build_stages.*], [artifact_groups.*],
// [artifacts.*]) are kept.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// One `[build_stages.NAME]`: a CI job. `type` is "generic" (runs once) or
// "per-arch" (fans out per GPU family); absent means "generic".
struct TopologyStage {
  std::string name, description, type;
  std::vector<std::string> artifact_groups;
};

// One `[artifact_groups.NAME]` (a "topology group", not a CI artifact group).
struct TopologyGroup {
  std::string name, description, type;
  std::vector<std::string> artifact_group_deps;
};

// One `[artifacts.NAME]`. `type` is "target-neutral" (generic archives only)
// or "target-specific" (generic plus per-GPU archives).
struct TopologyArtifact {
  std::string name, artifact_group, type;
  std::vector<std::string> artifact_deps;
};

class Topology {
public:
  // Parses TOML `text`; `source` names the file in errors. Throws ConfigError
  // naming the source and the key for malformed TOML, a field of the wrong type,
  // a stage naming an unknown group or an artifact without a known group.
  static Topology parse(std::string_view text, const std::string& source);

  // Stage names in file order (the order TheRock's tools list them in).
  std::vector<std::string> stage_names() const;

  // The stage called `name`. Throws NotFoundError "Stage '{name}' not found;
  // available stages: a, b, …" (exit code 1, as upstream's artifact manager)
  // when unknown.
  const TopologyStage& stage(std::string_view name) const;

  // Names of the artifacts whose group the stage builds (what the stage
  // produces, as `copy` selects). Throws like stage() for an unknown stage.
  std::set<std::string> produced_artifacts(std::string_view stage_name) const;

  // The union of produced_artifacts() over every stage (`--stage all`).
  std::set<std::string> all_produced_artifacts() const;

  // What the stage needs from earlier stages (a stage fetch downloads these):
  //  1. for each group it builds, every artifact of each group that group
  //     lists in artifact_group_deps, with their artifact_deps closure (one
  //     level of groups: a dependency group's own group deps are not followed);
  //  2. the artifact_deps closure of everything the stage builds;
  //  3. minus what the stage produces.
  // Platform fields are ignored (a Windows-only artifact is inbound on Linux
  // too; listing the run decides what exists). Throws like stage().
  std::set<std::string> inbound_artifacts(std::string_view stage_name) const;

  // Every `[artifacts.*]` name (`fetch --stage all`).
  std::set<std::string> artifact_names() const;

  const std::map<std::string, TopologyArtifact>& artifacts() const { return m_artifacts; }

  const std::map<std::string, TopologyGroup>& groups() const { return m_groups; }

private:
  // `names` plus the artifact_deps of each, transitively (unknown names kept,
  // not followed: the topology may name artifacts another platform defines).
  std::set<std::string> with_dependencies(std::set<std::string> names) const;

  std::map<std::string, TopologyStage, std::less<>> m_stages;
  std::vector<std::string> m_stage_order; // file order
  std::map<std::string, TopologyGroup> m_groups;
  std::map<std::string, TopologyArtifact> m_artifacts;
};

// The default topology path: the first BUILD_TOPOLOGY.toml found in the
// absolute directory `start` or one of its parents (the TheRock checkout CI
// runs in), asking `is_file` (injected: this layer does no I/O). Throws
// ConfigError naming `start` and hinting --topology when there is none.
std::filesystem::path
find_topology_file(const std::filesystem::path& start,
                   const std::function<bool(const std::filesystem::path&)>& is_file);

} // namespace rockart::layout
