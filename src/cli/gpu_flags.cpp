// SPDX-License-Identifier: MIT
#include "gpu_flags.hpp"

#include <rockart/layout/families.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

namespace rockart::cli {

void add_gpu_flags(CLI::App& command, GpuFlags& flags, const std::string& group_names) {
  command.add_option(group_names,
                     flags.group,
                     "Artifact group, e.g. gfx94X-dcgpu (any case); without --amdgpu-targets it "
                     "also selects the per-target archives of its targets");
  command.add_option("--amdgpu-targets",
                     flags.targets,
                     "Comma-separated targets, e.g. gfx942, used instead of the group's own");
  command.add_flag("--no-expand-family",
                   flags.no_expand_family,
                   "Select only generic and group-named archives, not the group's targets");
  command.add_flag("--allow-generic-only",
                   flags.allow_generic_only,
                   "Accept a selection with only generic (host) archives and no device code");
}

void canonicalize(GpuFlags& flags) {
  if (flags.group && !util::trim(*flags.group).empty()) {
    flags.group = layout::canonical_group(*flags.group);
  }
  std::vector<std::string> targets;
  for (const auto& target : layout::split_list(flags.targets, ',')) {
    targets.push_back(layout::canonical_target(target));
  }
  flags.targets = util::join(targets, ",");
}

layout::FetchRequest gpu_request(const GpuFlags& flags) {
  layout::FetchRequest request;
  request.group = flags.group;
  request.targets = layout::split_list(flags.targets, ',');
  request.expand_family = !flags.no_expand_family;
  if (request.expand_family && request.targets.empty() && request.group) {
    const auto targets = layout::expand_family(*request.group);
    if (!targets.empty() && targets != std::vector<std::string>{*request.group}) {
      util::log_info("Expanding family '" + *request.group
                     + "' to targets: " + util::join(targets, ","));
    }
  }
  return request;
}

runs::RunQuestion run_question(const std::string& repo,
                               const std::string& platform,
                               std::optional<std::uint64_t> run_id,
                               const std::string& commit,
                               const GpuFlags& gpu,
                               const std::optional<std::string>& bucket,
                               const std::string& workflow) {
  runs::RunQuestion question{repo,
                             platform,
                             run_id,
                             commit,
                             gpu.group,
                             layout::split_list(gpu.targets, ','),
                             workflow,
                             {}};
  question.overrides.bucket = bucket;
  return question;
}

void add_run_flags(CLI::App& command,
                   std::string& repo,
                   std::string& workflow,
                   CLI::Option* commit) {
  command.add_option("--run-github-repo,--repo",
                     repo,
                     "Repository of the run, OWNER/REPO (default: GITHUB_REPOSITORY, else "
                     "ROCm/TheRock)");
  command
      .add_option("--workflow",
                  workflow,
                  "With --commit: the workflow file whose runs count (default: the repository's, "
                  "e.g. multi_arch_ci.yml then ci.yml for ROCm/TheRock, therock-ci.yml for "
                  "rocm-libraries and rocm-systems)")
      ->needs(commit);
}

} // namespace rockart::cli
