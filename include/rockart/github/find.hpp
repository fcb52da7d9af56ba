// SPDX-License-Identifier: MIT
// "Which run built commit X and holds group G's artifacts" (commit and run-id
// modes): a pure function over the runs of a commit, an injected lister of
// one run's storage prefix, and the options. No GitHub calls happen here.
#pragma once

#include <rockart/github/run.hpp>
#include <rockart/layout/bucket.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::github {

// Where one run's archives live for one platform.
struct RunStorage {
  std::string bucket;
  std::string external_repo;         // "" or "{owner}-{repo}/"
  std::string path;                  // "{external_repo}{run_id}-{platform}/"
  bool legacy = false;               // a pre-cutover bucket that retention may have deleted
  bool run_completed = false;        // the run had completed: its listing is final (cacheable)
  std::vector<std::string> warnings; // from bucket selection (e.g. null head repository)
};

// File names directly below a run's `path` (no prefix). May throw any
// rockart::Error; a NoSuchBucketError for a legacy bucket (retention may have
// deleted it) is treated as "no artifacts" with a warning.
using ListRunFiles = std::function<std::vector<std::string>(const RunStorage& storage)>;

// What to look for (the find command-line options).
struct FindOptions {
  std::string platform;                       // linux or windows
  std::vector<std::string> groups;            // as given, duplicates allowed
  std::vector<std::string> targets;           // --amdgpu-target
  std::vector<std::string> required_patterns; // --require-artifact
  bool require_single_run = false;
  bool require_successful_run = false;
  // Base inputs of bucket selection (repository, release type, --bucket); the
  // run facts of each inspected run are filled in per run.
  layout::BucketInputs bucket_inputs;
};

// One group found in one run.
struct FindResult {
  std::string group;
  WorkflowRun run;
  RunStorage storage;
  std::vector<std::string> artifacts; // selected file names, sorted and unique
};

// The outcome of one search.
struct FindOutcome {
  std::vector<FindResult> results;         // in --artifact-group order, duplicates repeated
  std::vector<std::string> missing_groups; // distinct groups without a result
  std::vector<std::string> warnings;       // e.g. legacy bucket gone
  std::vector<std::string> rejections;     // one line per inspected or skipped run
  int runs_listed = 0;                     // storage listings made
};

// Throws UsageError for invalid groups/targets (targets need exactly one
// distinct group), a platform
// other than linux/windows, or an invalid --require-artifact regex.
void validate_find_options(const FindOptions& options);

// The storage of `run` per layout::select_bucket (run facts from the run object).
RunStorage storage_for_run(const WorkflowRun& run, const FindOptions& options);

// Visits `runs_newest_first`, listing each inspected run once, and returns the
// groups found: by default each group from the newest run that has it (runs
// may differ per group); with require_single_run, only a run that has every
// group. In run-id mode, single-run semantics are implied.
FindOutcome find_in_runs(const std::vector<WorkflowRun>& runs_newest_first,
                         const FindOptions& options,
                         const ListRunFiles& list);

// Default workflows of `repo`: ROCm/TheRock -> {multi_arch_ci.yml, ci.yml}
// (the second only when the first has no runs: older commits were built by ci.yml),
// ROCm/rocm-libraries and ROCm/rocm-systems -> {therock-ci.yml}, else
// {multi_arch_ci.yml}.
std::vector<std::string> default_workflows(std::string_view repo);

} // namespace rockart::github
