// SPDX-License-Identifier: MIT
// The GitHub side of find / latest / baseline: commit resolution
// (abbreviations to full SHAs), runs of a commit with the default-workflow
// fallback, run-id mode, newest qualifying commit of a branch and the
// first-parent ancestor fallback.
#pragma once

#include <rockart/github/client.hpp>
#include <rockart/github/command.hpp>
#include <rockart/github/find.hpp>
#include <rockart/github/run_source.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::github {

// Resolves `input` for `repo` to a full lower-case SHA: 40 hex as is; 4-39 hex
// via `git rev-parse` in the current directory when one of its remotes is
// `repo` (through `git`), else (and for ref names) GET commits/{input}.
// Throws UsageError for an ambiguous abbreviation (listing git's candidates
// when known) or an unknown commit/ref.
std::string resolve_commit(std::string_view input,
                           std::string_view repo,
                           Client& client,
                           const CommandRunner& git);

// True when a git remote URL (https, ssh or scp form, optional .git) names `repo`.
bool remote_url_matches(std::string_view url, std::string_view repo);

// The answer for one commit or run.
struct CommitSearch {
  std::string sha;                          // resolved commit (run-id mode: the run's head_sha)
  std::string workflow;                     // workflow file reported
  std::vector<std::string> workflows_asked; // in order; a default that does not exist is skipped
  int runs_found = 0;
  FindOutcome outcome;

  // True when every requested group has a result.
  bool complete() const { return runs_found > 0 && outcome.missing_groups.empty(); }

  // One line saying why this commit does not qualify ("" when complete()).
  std::string rejection() const;
};

// Searches runs through `runs` (default: the API through `client`), commits
// through `client`, and lists storage through `list`.
class ArtifactSearch {
public:
  // `workflow` empty = the defaults of `repo` with the ROCm/TheRock fallback.
  // `runs` (null = ApiRunSource over `client`) must outlive the search.
  ArtifactSearch(Client& client,
                 std::string repo,
                 std::string workflow,
                 FindOptions options,
                 ListRunFiles list,
                 RunSource* runs = nullptr);

  // Commit mode for the full `sha`: one runs query per workflow tried.
  // When the source cannot answer for any workflow tried and none had runs
  // (offline, not cached), throws NotFoundError naming repository, commit
  // and workflows.
  CommitSearch commit(const std::string& sha);

  // Run-id mode: one GET run, single-run semantics.
  CommitSearch run(std::uint64_t run_id);

  // The first of `commits` (newest first) whose runs hold every group;
  // nullopt when none does. Logs per-commit progress at debug.
  std::optional<CommitSearch> latest(const std::vector<Commit>& commits);

  // latest() over the newest `max_commits` commits of `branch` (one listing,
  // in pages of 100).
  std::optional<CommitSearch> latest_on_branch(const std::string& branch, int max_commits);

  // The commit `ref` (branch, tag or SHA) points at, with its results only
  // when every group has one: partial coverage does not count.
  CommitSearch at_ref(const std::string& ref);

  // Baseline search: `sha`, then up to `max_ancestors` first-parent ancestors
  // (one commit listing, more only when the chain leaves it). Returns the
  // first complete commit and, in `rejected`, why each closer one failed.
  std::optional<CommitSearch>
  with_ancestors(const std::string& sha, int max_ancestors, std::vector<CommitSearch>& rejected);

  const std::string& repo() const { return m_repo; }

  const FindOptions& options() const { return m_options; }

private:
  Client& m_client;
  std::string m_repo;
  std::string m_workflow;
  FindOptions m_options;
  ListRunFiles m_list;
  std::unique_ptr<ApiRunSource> m_api; // when no source was given
  RunSource* m_runs;
};

} // namespace rockart::github
