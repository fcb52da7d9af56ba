// SPDX-License-Identifier: MIT
// github::RunStore over the cache index: what find, fetch and bisect remember
// about workflow runs (their GitHub objects) and about commits (which runs
// built them), so a question about a completed run needs no request.
#pragma once

#include <rockart/cache/index.hpp>
#include <rockart/github/run.hpp>
#include <rockart/github/run_source.hpp>

#include <string_view>

namespace rockart::runs {

// The index row of `run` of `repo` with its GitHub object (bucket and prefix
// empty: they depend on the reader's flags, and are recomputed from the object).
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

} // namespace rockart::runs
