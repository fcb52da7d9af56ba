// SPDX-License-Identifier: MIT
#include "bucket_flags.hpp"

namespace rockart::cli {

void add_bucket_flags(CLI::App& command, BucketFlags& flags) {
  command.add_option("--repo",
                     flags.repo,
                     "Base repository OWNER/REPO (default: $GITHUB_REPOSITORY, else ROCm/TheRock)");
  command.add_option(
      "--release-type",
      flags.release_type,
      "ci, dev, dev-bkc, nightly, nightly-bkc or prerelease (default: $RELEASE_TYPE, else ci)");
  flags.bucket_opt = command.add_option(
      "--bucket",
      flags.bucket,
      "Use this bucket; skips selection (external_repo is empty, environment not read)");
  flags.head_opt = command.add_option("--head-repo",
                                      flags.head_repo,
                                      "A run is in hand: its head_repository.full_name (default: "
                                      "the base repository; empty: null, a deleted fork)");
  flags.updated_opt = command.add_option("--run-updated-at",
                                         flags.run_updated_at,
                                         "A run is in hand: its updated_at, e.g. "
                                         "2025-11-11T16:18:48Z (decides legacy buckets)");
  CLI::Option* fork = command.add_flag(
      "--fork", flags.fork, "The run is a pull request from a fork (no run in hand)");
  CLI::Option* no_fork = command.add_flag("--no-fork", flags.no_fork, "The run is not a fork");
  fork->excludes(no_fork);
  for (CLI::Option* run_opt : {flags.head_opt, flags.updated_opt}) {
    run_opt->excludes(fork);
    run_opt->excludes(no_fork);
  }
}

layout::BucketOverrides bucket_overrides(const BucketFlags& flags) {
  layout::BucketOverrides overrides;
  overrides.repository = flags.repo;
  overrides.release_type = flags.release_type;
  overrides.bucket = flags.bucket;
  if (flags.fork || flags.no_fork) {
    overrides.fork = flags.fork;
  }
  const bool has_head = flags.head_opt->count() > 0;
  const bool has_updated = flags.updated_opt->count() > 0;
  if (has_head || has_updated) {
    layout::WorkflowRunFacts run;
    if (has_head && !flags.head_repo.empty()) {
      run.head_repository = flags.head_repo;
    }
    if (has_updated) {
      run.updated_at = flags.run_updated_at;
    }
    overrides.run_head_is_base = !has_head;
    overrides.run = run;
  }
  return overrides;
}

} // namespace rockart::cli
