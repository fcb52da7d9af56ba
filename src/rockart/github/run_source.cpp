// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/run_source.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>

namespace rockart::github {

namespace {

bool completed(const WorkflowRun& run) {
  return run.status == "completed";
}

std::string describe(std::string_view repo, std::string_view workflow, std::string_view sha) {
  return "runs of " + std::string(workflow) + " for commit " + std::string(sha) + " of "
         + std::string(repo);
}

} // namespace

WorkflowRun ApiRunSource::get_run(std::string_view repo, std::uint64_t run_id) {
  return m_client.get_run(repo, run_id);
}

std::optional<std::vector<WorkflowRun>> ApiRunSource::runs_for_commit(std::string_view repo,
                                                                      std::string_view workflow,
                                                                      std::string_view sha) {
  return m_client.list_runs_for_commit(repo, workflow, sha);
}

WorkflowRun StoreFirstRunSource::get_run(std::string_view repo, std::uint64_t run_id) {
  const std::string id = std::to_string(run_id);
  if (auto stored = m_store.load_run(repo, run_id)) {
    if (completed(*stored)) {
      util::log_debug("run store: run " + id + " of " + std::string(repo) + " (completed)");
      return *stored;
    }
    if (m_upstream == nullptr) {
      util::log_warn("offline: run " + id + " was " + stored->status.value_or("unknown")
                     + " when cached; its facts may be stale");
      return *stored;
    }
  }
  if (m_upstream == nullptr) {
    throw NotFoundError("offline: no cached run " + id + " of " + std::string(repo),
                        "run the same command once without --offline");
  }
  WorkflowRun run = m_upstream->get_run(repo, run_id);
  m_store.save_run(repo, run);
  return run;
}

std::optional<std::vector<WorkflowRun>> StoreFirstRunSource::stored_answer(
    std::string_view repo, std::string_view workflow, std::string_view sha) {
  const auto ids = m_store.load_commit_runs(repo, workflow, sha);
  if (!ids || ids->empty()) {
    return std::nullopt;
  }
  std::vector<WorkflowRun> runs;
  for (const std::uint64_t id : *ids) {
    auto run = m_store.load_run(repo, id);
    if (!run) {
      return std::nullopt; // an incomplete answer is no answer
    }
    runs.push_back(std::move(*run));
  }
  return runs;
}

std::optional<std::vector<WorkflowRun>> StoreFirstRunSource::runs_for_commit(
    std::string_view repo, std::string_view workflow, std::string_view sha) {
  if (auto runs = stored_answer(repo, workflow, sha)) {
    const bool final = std::all_of(runs->begin(), runs->end(), completed);
    if (final) {
      util::log_debug("run store: " + describe(repo, workflow, sha) + " (all completed)");
      return runs;
    }
    if (m_upstream == nullptr) {
      util::log_warn("offline: some " + describe(repo, workflow, sha)
                     + " were in progress when cached; the answer may be stale");
      return runs;
    }
  }
  if (m_upstream == nullptr) {
    return std::nullopt;
  }
  auto runs = m_upstream->runs_for_commit(repo, workflow, sha);
  if (runs) {
    for (const WorkflowRun& run : *runs) {
      m_store.save_run(repo, run);
    }
    m_store.save_commit_runs(repo, workflow, sha, *runs);
  }
  return runs;
}

} // namespace rockart::github
