// SPDX-License-Identifier: MIT
// `rockart stages list` and `rockart stages info S` (= `artifact_manager.py
// list-stages` / `info`): what BUILD_TOPOLOGY.toml says each build stage
// builds and needs, in upstream's text layout, or as JSON.
#include "cli.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/topology.hpp>
#include <rockart/storage/push.hpp>
#include <rockart/util/strings.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>

namespace rockart::cli {

namespace {

struct StagesOptions {
  std::optional<std::string> topology;
  std::string stage;
  std::string families;
  bool json = false;
};

layout::Topology load(const StagesOptions& o) {
  return storage::load_topology(o.topology ? std::optional<std::filesystem::path>(*o.topology)
                                           : std::nullopt);
}

// An artifact's type; one a dependency names but no table defines is "unknown".
std::string artifact_type(const layout::Topology& topology, const std::string& name) {
  const auto it = topology.artifacts().find(name);
  return it == topology.artifacts().end() ? "unknown" : it->second.type;
}

std::string item_lines(const layout::Topology& topology, const std::set<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    text += "  - " + name + " (" + artifact_type(topology, name) + ")\n";
  }
  return text;
}

nlohmann::json items_json(const layout::Topology& topology, const std::set<std::string>& names) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& name : names) {
    items.push_back({{"name", name}, {"type", artifact_type(topology, name)}});
  }
  return items;
}

void run_info(const StagesOptions& o) {
  const auto topology = load(o);
  const layout::TopologyStage& stage = topology.stage(o.stage);
  const auto inbound = topology.inbound_artifacts(o.stage);
  const auto produced = topology.produced_artifacts(o.stage);
  // The families a per-arch job of the stage would fetch for, as given (no expansion).
  std::vector<std::string> families;
  if (!o.families.empty()) {
    families.emplace_back(layout::k_generic);
    for (const auto& family : layout::split_list(o.families, ';')) {
      families.push_back(family);
    }
  }
  if (o.json) {
    nlohmann::json doc = {{"name", stage.name},
                          {"type", stage.type},
                          {"description", stage.description},
                          {"artifact_groups", stage.artifact_groups},
                          {"inbound", items_json(topology, inbound)},
                          {"produced", items_json(topology, produced)}};
    if (!families.empty()) {
      doc["target_families"] = families;
    }
    print_out(json_text(doc));
    return;
  }
  std::string text = "Stage: " + stage.name + "\nType: " + stage.type
                     + "\nDescription: " + stage.description
                     + "\nArtifact groups: " + util::join(stage.artifact_groups, ", ") + "\n\n";
  text += "Inbound artifacts (" + std::to_string(inbound.size()) + "):\n"
          + item_lines(topology, inbound) + "\n";
  text += "Produced artifacts (" + std::to_string(produced.size()) + "):\n"
          + item_lines(topology, produced);
  if (!families.empty()) {
    text += "\nTarget families: " + util::join(families, ", ") + "\n";
  }
  print_out(text);
}

void run_list(const StagesOptions& o) {
  const auto topology = load(o);
  nlohmann::json stages = nlohmann::json::array();
  std::string text = "Build stages:\n";
  for (const auto& name : topology.stage_names()) {
    const layout::TopologyStage& stage = topology.stage(name);
    const auto inbound = topology.inbound_artifacts(name);
    const auto produced = topology.produced_artifacts(name);
    stages.push_back({{"name", name},
                      {"type", stage.type},
                      {"description", stage.description},
                      {"artifact_groups", stage.artifact_groups},
                      {"inbound", inbound},
                      {"produced", produced}});
    text += "\n  " + name + " (" + stage.type + ")\n    " + stage.description
            + "\n    Groups: " + util::join(stage.artifact_groups, ", ")
            + "\n    Inbound: " + std::to_string(inbound.size())
            + " artifacts\n    Produces: " + std::to_string(produced.size()) + " artifacts\n";
  }
  if (o.json) {
    print_out(json_text(nlohmann::json{{"stages", stages}}));
  } else {
    print_out(text);
  }
}

void add_common(CLI::App& cmd, StagesOptions& o) {
  cmd.add_option("--topology", o.topology, "BUILD_TOPOLOGY.toml (default: found in . or a parent)");
  cmd.add_flag("--json", o.json, "JSON on stdout");
}

} // namespace

void register_stages(CLI::App& app, Context& context) {
  auto o = std::make_shared<StagesOptions>();
  CLI::App* stages = app.add_subcommand(
      "stages",
      "The build stages of BUILD_TOPOLOGY.toml: what each builds and what it needs from "
      "earlier stages (artifact_manager.py list-stages / info)");
  stages->require_subcommand(1);
  stages->footer(
      "Examples:\n"
      "  rockart stages list\n"
      "  rockart stages info math-libs --amdgpu-families gfx94X-dcgpu\n"
      "  rockart stages info comm-libs --json --topology ../TheRock/BUILD_TOPOLOGY.toml\n"
      "Exit status: 0 shown, 1 unknown stage, 2 error (unreadable topology, usage).");
  CLI::App* list = stages->add_subcommand("list", "Every stage in file order, with counts");
  add_common(*list, *o);
  list->callback([o, &context] {
    context.json = o->json;
    run_list(*o);
  });
  CLI::App* info =
      stages->add_subcommand("info", "One stage's groups, inbound and produced artifacts");
  info->add_option("stage", o->stage, "Stage name (see `rockart stages list`)");
  info->add_option("--stage", o->stage, "The same, as artifact_manager.py spells it");
  info->add_option("--amdgpu-families",
                   o->families,
                   "Also print the target families a fetch would use (';'-separated)");
  add_common(*info, *o);
  info->callback([o, &context] {
    context.json = o->json;
    if (o->stage.empty()) {
      throw UsageError("stages info needs a stage name", "see `rockart stages list`");
    }
    run_info(*o);
  });
}

} // namespace rockart::cli
