// SPDX-License-Identifier: MIT
// The one place where environment variables for bucket selection are
// interpreted (repository, release type, fork signals). Pure: the process
// environment and the filesystem come in as injected functions.
#pragma once

#include <rockart/layout/bucket.hpp>
#include <rockart/util/env.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::layout {

// Values given explicitly (command-line flags); each wins over the environment.
struct BucketOverrides {
  std::optional<std::string> repository;   // else GITHUB_REPOSITORY, else ROCm/TheRock
  std::optional<std::string> release_type; // else RELEASE_TYPE, else ci
  std::optional<std::string> bucket;       // --bucket: nothing else is read
  std::optional<bool> fork;                // else fork detection from the environment
  std::optional<WorkflowRunFacts> run;     // a run in hand: fork comes from it, not env
  // With `run`: its head repository is the resolved base repository (a
  // same-repository run), replacing run->head_repository.
  bool run_head_is_base = false;
};

// Builds the inputs of select_bucket() from `overrides` and the environment.
// With a bucket override the environment is not read at all. Throws
// ConfigError when RELEASE_TYPE or GITHUB_REPOSITORY is set to an invalid value
// (set-but-empty RELEASE_TYPE included) or the pull-request event payload at
// GITHUB_EVENT_PATH is missing, unreadable, not JSON or not a JSON object.
BucketInputs bucket_inputs_from_environment(const BucketOverrides& overrides,
                                            const util::EnvLookup& env,
                                            const util::FileReader& read_file);

// Fork flag from the environment alone (no run object): true when GITHUB_EVENT_NAME is
// `pull_request` and the payload at GITHUB_EVENT_PATH has a truthy
// `pull_request.head.repo.fork`, or when IS_PR_FROM_FORK is exactly `true`.
// Appends one sentence per signal to `reasons`. Throws ConfigError as above.
bool fork_from_environment(const util::EnvLookup& env,
                           const util::FileReader& read_file,
                           std::vector<std::string>& reasons);

} // namespace rockart::layout
