// SPDX-License-Identifier: MIT
#include <rockart/runs/run_store.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

namespace rockart::runs {

cache::RunRecord run_record(std::string_view repo, const github::WorkflowRun& run) {
  cache::RunRecord record;
  record.repository = std::string(repo);
  record.run_id = run.id;
  record.attempt = static_cast<int>(run.run_attempt.value_or(1));
  record.head_sha = run.head_sha;
  record.workflow = run.path;
  record.status = run.status.value_or("");
  record.conclusion = run.conclusion.value_or("");
  record.updated_at = run.updated_at.value_or("");
  record.raw_json = github::workflow_run_to_json(run).dump();
  return record;
}

std::optional<github::WorkflowRun> IndexRunStore::load_run(std::string_view repo,
                                                           std::uint64_t run_id) {
  const auto record = m_index.get_run(repo, run_id);
  if (!record || record->raw_json.empty()) {
    return std::nullopt;
  }
  try {
    return github::parse_workflow_run(nlohmann::json::parse(record->raw_json), "the cache index");
  } catch (const std::exception& e) {
    util::log_warn("cache: stored run " + std::to_string(run_id) + " of " + std::string(repo)
                   + " is unreadable (" + e.what() + "); asking GitHub again");
    return std::nullopt;
  }
}

void IndexRunStore::save_run(std::string_view repo, const github::WorkflowRun& run) {
  m_index.put_run(run_record(repo, run));
}

std::optional<std::vector<std::uint64_t>> IndexRunStore::load_commit_runs(std::string_view repo,
                                                                          std::string_view workflow,
                                                                          std::string_view sha) {
  const auto answer = m_index.get_commit_runs(repo, workflow, sha);
  if (!answer) {
    return std::nullopt;
  }
  std::vector<std::uint64_t> ids;
  ids.reserve(answer->runs.size());
  for (const auto& run : answer->runs) {
    ids.push_back(run.run_id);
  }
  return ids;
}

void IndexRunStore::save_commit_runs(std::string_view repo,
                                     std::string_view workflow,
                                     std::string_view sha,
                                     const std::vector<github::WorkflowRun>& runs) {
  cache::CommitRuns answer{std::string(repo), std::string(workflow), std::string(sha), {}, {}};
  for (const auto& run : runs) {
    answer.runs.push_back({run.id, run.status == "completed"});
  }
  m_index.put_commit_runs(answer); // an empty answer is dropped, never stored
}

} // namespace rockart::runs
