// SPDX-License-Identifier: MIT
// Plain structs for the GitHub REST objects rockart reads, and their mapping
// from JSON. Unknown fields are ignored; JSON null and a
// missing field are the same "absent".
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::github {

// One workflow run (only the fields rockart uses).
struct WorkflowRun {
  std::uint64_t id = 0;
  std::optional<std::int64_t> run_attempt;
  std::string head_sha; // "" when absent
  std::optional<std::string> head_branch;
  std::optional<std::string> head_repository; // head_repository.full_name; nullopt = null
  std::optional<std::string> repository;      // repository.full_name
  std::optional<std::string> status;          // queued, in_progress, completed, ...
  std::optional<std::string> conclusion;      // null while running
  std::string html_url;                       // "" when absent
  std::string path;                           // .github/workflows/<file>
  std::string name;
  std::string event;
  std::optional<std::string> created_at;
  std::optional<std::string> updated_at;
  std::optional<std::string> run_started_at;

  // True when status is "completed" and conclusion is "success".
  bool successful() const;

  bool operator==(const WorkflowRun&) const = default;
};

// One commit of a branch listing or a ref lookup.
struct Commit {
  std::string sha;
  std::vector<std::string> parents; // parent SHAs, first parent first
};

// Maps a run object. Throws RemoteError naming `source` (the URL) when `json` is
// not an object or `id` is missing or not a positive integer.
WorkflowRun parse_workflow_run(const nlohmann::json& json, std::string_view source);

// The GitHub run object for `run`: the fields above under their API names
// (head_repository/repository as {full_name}, absent values as null), so that
// parse_workflow_run(workflow_run_to_json(run)) == run. Stored by the cache.
nlohmann::json workflow_run_to_json(const WorkflowRun& run);

// Maps `{total_count, workflow_runs: [...]}`. Throws RemoteError naming `source`
// when `workflow_runs` is missing or not an array.
std::vector<WorkflowRun> parse_workflow_runs(const nlohmann::json& json, std::string_view source);

// Maps a commit object (`sha`, `parents[].sha`). Throws RemoteError naming
// `source` when `sha` is missing.
Commit parse_commit(const nlohmann::json& json, std::string_view source);

// Sorts newest first: `created_at` descending, ties by `id` descending, runs
// without `created_at` last. GitHub's own order is not documented, so runs
// are always sorted.
void sort_newest_first(std::vector<WorkflowRun>& runs);

// True when `text` is exactly 40 hex digits (either case).
bool is_full_sha(std::string_view text);

} // namespace rockart::github
