// SPDX-License-Identifier: MIT
// Where ArtifactSearch gets workflow runs from: straight from the GitHub API,
// or store-first through a run store (commit -> run mapping records), which
// serves completed runs without any request,
// refreshes in-progress ones and, without an upstream (offline), answers from
// the store alone.
#pragma once

#include <rockart/github/client.hpp>
#include <rockart/github/run.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace rockart::github {

// The two run questions of find: one run by id, and the runs of a commit.
class RunSource {
public:
  virtual ~RunSource() = default;

  // Run `run_id` of `repo`. Throws the Client's errors, or NotFoundError when
  // an offline source does not know the run.
  virtual WorkflowRun get_run(std::string_view repo, std::uint64_t run_id) = 0;

  // The runs of `workflow` for the full `sha`, newest first; nullopt when the
  // source cannot tell (an offline store that never saw the question).
  virtual std::optional<std::vector<WorkflowRun>>
  runs_for_commit(std::string_view repo, std::string_view workflow, std::string_view sha) = 0;
};

// Asks GitHub every time through `client` (which must outlive it).
class ApiRunSource final : public RunSource {
public:
  explicit ApiRunSource(Client& client) : m_client(client) {}

  WorkflowRun get_run(std::string_view repo, std::uint64_t run_id) override;
  std::optional<std::vector<WorkflowRun>>
  runs_for_commit(std::string_view repo, std::string_view workflow, std::string_view sha) override;

private:
  Client& m_client;
};

// Persistent memory of runs and commit -> runs answers, keyed by repository
// (runs) and (repository, workflow, commit) (answers).
class RunStore {
public:
  virtual ~RunStore() = default;

  // The stored run; nullopt when unknown.
  virtual std::optional<WorkflowRun> load_run(std::string_view repo, std::uint64_t run_id) = 0;

  // Records (replaces) `run` of `repo`.
  virtual void save_run(std::string_view repo, const WorkflowRun& run) = 0;

  // The stored answer as run ids, newest first; nullopt when unknown.
  virtual std::optional<std::vector<std::uint64_t>>
  load_commit_runs(std::string_view repo, std::string_view workflow, std::string_view sha) = 0;

  // Records the answer `runs` (each also saved with save_run by the caller).
  // An empty answer may be dropped: "no run yet" is never final.
  virtual void save_commit_runs(std::string_view repo,
                                std::string_view workflow,
                                std::string_view sha,
                                const std::vector<WorkflowRun>& runs) = 0;
};

// Store first: a stored run whose status is "completed", and a stored answer
// whose runs are all stored and completed, are served without asking
// `upstream`; anything else is asked upstream and recorded. With `upstream`
// null (offline) every stored fact is served (in-progress ones with a
// warning that they may be stale) and a missing run is a NotFoundError.
class StoreFirstRunSource final : public RunSource {
public:
  // `store` and `upstream` (may be null) must outlive the source.
  StoreFirstRunSource(RunStore& store, RunSource* upstream)
      : m_store(store), m_upstream(upstream) {}

  WorkflowRun get_run(std::string_view repo, std::uint64_t run_id) override;
  std::optional<std::vector<WorkflowRun>>
  runs_for_commit(std::string_view repo, std::string_view workflow, std::string_view sha) override;

private:
  std::optional<std::vector<WorkflowRun>>
  stored_answer(std::string_view repo, std::string_view workflow, std::string_view sha);

  RunStore& m_store;
  RunSource* m_upstream;
};

} // namespace rockart::github
