// SPDX-License-Identifier: MIT
// The GPU part of the commands that take a run's artifacts (fetch, install):
// --artifact-group, --amdgpu-targets, --no-expand-family and
// --allow-generic-only, and how they become a layout::FetchRequest.
#pragma once

#include <rockart/layout/artifact_select.hpp>
#include <rockart/runs/session.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace rockart::cli {

struct GpuFlags {
  std::optional<std::string> group; // --artifact-group
  std::string targets;              // --amdgpu-targets, comma-separated
  bool no_expand_family = false;    // --no-expand-family: the literal {generic, group} set
  bool allow_generic_only = false;  // --allow-generic-only: a host-only tree is only a warning
};

// Adds the four flags to `command`; `group_names` is the flag spelling of the
// group option ("--artifact-group", or "--artifact-group,--amdgpu-family").
void add_gpu_flags(CLI::App& command,
                   GpuFlags& flags,
                   const std::string& group_names = "--artifact-group");

// Rewrites the group and targets in their canonical spelling ("gfx94x-dcgpu"
// -> "gfx94X-dcgpu"), so run lookups and archive names compare exactly.
// Throws UsageError naming the closest known names for an unknown one.
void canonicalize(GpuFlags& flags);

// The fetch request of (canonical) `flags`: without explicit targets the group
// expands to its targets unless --no-expand-family, logged as
// "Expanding family 'F' to targets: t1,t2".
layout::FetchRequest gpu_request(const GpuFlags& flags);

// The run fetch and install ask for: run `run_id` of `repo` when given, else
// the run that built `commit` holding the group's archives; `bucket`
// overrides the bucket (no GitHub lookup).
runs::RunQuestion run_question(const std::string& repo,
                               const std::string& platform,
                               std::optional<std::uint64_t> run_id,
                               const std::string& commit,
                               const GpuFlags& gpu,
                               const std::optional<std::string>& bucket,
                               const std::string& workflow = {});

// Adds --run-github-repo (alias --repo), and --workflow (only with `commit`,
// the --commit option) for the run a fetch-like command reads.
void add_run_flags(CLI::App& command,
                   std::string& repo,
                   std::string& workflow,
                   CLI::Option* commit);

} // namespace rockart::cli
