// SPDX-License-Identifier: MIT
// The bucket-selection flags shared by `rockart bucket` and `rockart locate`
// (--repo, --release-type, --bucket, --head-repo, --run-updated-at, --fork,
// --no-fork) and their translation into layout::BucketOverrides.
#pragma once

#include <rockart/layout/ci_environment.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace rockart::cli {

struct BucketFlags {
  std::optional<std::string> repo;
  std::optional<std::string> release_type;
  std::optional<std::string> bucket;
  std::string head_repo;
  std::string run_updated_at;
  bool fork = false;
  bool no_fork = false;
  CLI::Option* head_opt = nullptr;    // count() tells whether --head-repo was given
  CLI::Option* updated_opt = nullptr; // same for --run-updated-at
  CLI::Option* bucket_opt = nullptr;  // for excludes() by the caller
};

// Adds the flags to `command`, storing into `flags` (which must outlive it).
void add_bucket_flags(CLI::App& command, BucketFlags& flags);

// Flags that were given become overrides; the rest is left to the environment.
// Without --head-repo a run in hand is a same-repository run; an empty
// --head-repo models GitHub's null head_repository (a deleted fork).
layout::BucketOverrides bucket_overrides(const BucketFlags& flags);

} // namespace rockart::cli
