// SPDX-License-Identifier: MIT
// The GitHub run store of find/latest/fetch --commit over the cache index
// (issue 6): github::RunStore backed by cache::Index, and the S3 lister of
// find that serves a completed run's listing from the index. It lives in the
// CLI because it is the one place allowed to join the github and cache
// layers without making either depend on the other (docs/ARCHITECTURE.md).
#pragma once

#include "s3_options.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/github/find.hpp>
#include <rockart/github/run_source.hpp>

namespace rockart::cli {

// The index row of `run` of `repo` with its GitHub object; bucket and prefix
// are left empty (find's bucket depends on its flags; fetch sets its own).
cache::RunRecord run_record(std::string_view repo, const github::WorkflowRun& run);

// Runs as their GitHub objects (RunRecord::raw_json) and commit -> runs
// answers in `index`, which must outlive the store. A run stored without its
// object (by an older rockart) counts as unknown.
class IndexRunStore final : public github::RunStore {
public:
  explicit IndexRunStore(cache::Index& index) : m_index(index) {}

  std::optional<github::WorkflowRun> load_run(std::string_view repo, std::uint64_t run_id) override;
  void save_run(std::string_view repo, const github::WorkflowRun& run) override;
  std::optional<std::vector<std::uint64_t>>
  load_commit_runs(std::string_view repo, std::string_view workflow, std::string_view sha) override;
  void save_commit_runs(std::string_view repo,
                        std::string_view workflow,
                        std::string_view sha,
                        const std::vector<github::WorkflowRun>& runs) override;

private:
  cache::Index& m_index;
};

// The file names directly below a run's storage path. A completed run's
// stored listing is served without a request; otherwise S3 is listed and the
// listing stored (final when the run completed). With `offline` any stored
// listing is served and a missing one is a NotFoundError naming the S3 URI.
// `cache` null: always list. A vanished bucket becomes RemoteError
// "NoSuchBucket" (find forgives it for legacy buckets).
github::ListRunFiles make_run_lister(S3Session& s3, cache::Cache* cache, bool offline);

} // namespace rockart::cli
