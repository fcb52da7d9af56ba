// SPDX-License-Identifier: MIT
// The store-first run source (issue 6): completed runs and all-completed
// commit answers come from the store with no upstream call, in-progress ones
// are refreshed and recorded, offline (no upstream) serves what is stored and
// names what is missing; the run object survives its JSON round trip; and
// ArtifactSearch uses an injected source (offline fallback over default workflows).
#include "github_test_util.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/github/run_source.hpp>
#include <rockart/github/search.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

namespace rockart::github {
namespace {

const std::string k_repo = "ROCm/TheRock";
const std::string k_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";

WorkflowRun make_run(std::uint64_t id, std::string status) {
  WorkflowRun run;
  run.id = id;
  run.status = std::move(status);
  if (run.status == "completed") {
    run.conclusion = "success";
  }
  run.head_sha = k_sha;
  run.head_repository = k_repo;
  run.html_url = "https://github.com/ROCm/TheRock/actions/runs/" + std::to_string(id);
  run.created_at = "2026-01-0" + std::to_string(id % 9 + 1) + "T00:00:00Z";
  return run;
}

// An in-memory RunStore that counts writes.
struct MapStore final : RunStore {
  std::map<std::uint64_t, WorkflowRun> runs;
  std::map<std::string, std::vector<std::uint64_t>> answers; // "workflow sha"
  int saves = 0;

  std::optional<WorkflowRun> load_run(std::string_view, std::uint64_t id) override {
    const auto it = runs.find(id);
    return it == runs.end() ? std::nullopt : std::optional<WorkflowRun>(it->second);
  }

  void save_run(std::string_view, const WorkflowRun& run) override {
    runs[run.id] = run;
    ++saves;
  }

  std::optional<std::vector<std::uint64_t>>
  load_commit_runs(std::string_view, std::string_view workflow, std::string_view sha) override {
    const auto it = answers.find(std::string(workflow) + " " + std::string(sha));
    return it == answers.end() ? std::nullopt
                               : std::optional<std::vector<std::uint64_t>>(it->second);
  }

  void save_commit_runs(std::string_view,
                        std::string_view workflow,
                        std::string_view sha,
                        const std::vector<WorkflowRun>& found) override {
    std::vector<std::uint64_t> ids;
    for (const auto& run : found) {
      ids.push_back(run.id);
    }
    answers[std::string(workflow) + " " + std::string(sha)] = ids;
  }
};

// An upstream answering from maps and counting questions.
struct FakeUpstream final : RunSource {
  std::map<std::uint64_t, WorkflowRun> runs;
  std::map<std::string, std::vector<WorkflowRun>> answers; // by workflow
  int calls = 0;

  WorkflowRun get_run(std::string_view, std::uint64_t id) override {
    ++calls;
    return runs.at(id);
  }

  std::optional<std::vector<WorkflowRun>>
  runs_for_commit(std::string_view, std::string_view workflow, std::string_view) override {
    ++calls;
    const auto it = answers.find(std::string(workflow));
    return it == answers.end() ? std::vector<WorkflowRun>{} : it->second;
  }
};

struct GetRunCase {
  const char* name;
  std::optional<std::string> stored_status; // nullopt: not stored
  bool online;
  int upstream_calls;
  std::string served_status;
};

TEST(StoreFirstRunSource, GetRunServesOnlyCompletedRunsWithoutAsking) {
  const std::vector<GetRunCase> cases = {
      {"completed stored", "completed", true, 0, "completed"},
      {"in progress stored", "in_progress", true, 1, "completed"},
      {"queued stored", "queued", true, 1, "completed"},
      {"not stored", std::nullopt, true, 1, "completed"},
      {"offline, completed stored", "completed", false, 0, "completed"},
      {"offline, in progress stored (stale but served)", "in_progress", false, 0, "in_progress"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    MapStore store;
    FakeUpstream upstream;
    upstream.runs[7] = make_run(7, "completed");
    if (c.stored_status) {
      store.runs[7] = make_run(7, *c.stored_status);
    }
    StoreFirstRunSource source(store, c.online ? &upstream : nullptr);
    EXPECT_EQ(source.get_run(k_repo, 7).status, c.served_status);
    EXPECT_EQ(upstream.calls, c.upstream_calls);
    // What was asked is recorded; a refreshed run replaces the stale one.
    EXPECT_EQ(store.runs.at(7).status, c.served_status);
  }
}

TEST(StoreFirstRunSource, OfflineMissingRunNamesRunAndRepository) {
  MapStore store;
  StoreFirstRunSource source(store, nullptr);
  EXPECT_ERROR(source.get_run(k_repo, 20083647898),
               NotFoundError,
               "offline: no cached run 20083647898 of ROCm/TheRock");
}

struct CommitCase {
  const char* name;
  std::vector<std::pair<std::uint64_t, std::string>> stored; // answer runs (id, status)
  bool drop_one_run;                                         // answer stored, a run row missing
  bool online;
  int upstream_calls;
  bool answered;
};

TEST(StoreFirstRunSource, CommitAnswerIsFinalOnlyWhenEveryRunCompleted) {
  const std::vector<CommitCase> cases = {
      {"all completed", {{3, "completed"}, {2, "completed"}}, false, true, 0, true},
      {"one in progress", {{3, "in_progress"}, {2, "completed"}}, false, true, 1, true},
      {"run row missing", {{3, "completed"}, {2, "completed"}}, true, true, 1, true},
      {"nothing stored", {}, false, true, 1, true},
      {"offline, all completed", {{3, "completed"}}, false, false, 0, true},
      {"offline, in progress (stale but served)", {{3, "in_progress"}}, false, false, 0, true},
      {"offline, nothing stored", {}, false, false, 0, false},
      {"offline, run row missing", {{3, "completed"}, {2, "completed"}}, true, false, 0, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    MapStore store;
    FakeUpstream upstream;
    upstream.answers["ci.yml"] = {make_run(3, "completed"), make_run(2, "completed")};
    std::vector<std::uint64_t> ids;
    for (const auto& [id, status] : c.stored) {
      store.runs[id] = make_run(id, status);
      ids.push_back(id);
    }
    if (!ids.empty()) {
      store.answers["ci.yml " + k_sha] = ids;
    }
    if (c.drop_one_run) {
      store.runs.erase(2);
    }
    StoreFirstRunSource source(store, c.online ? &upstream : nullptr);
    const auto runs = source.runs_for_commit(k_repo, "ci.yml", k_sha);
    EXPECT_EQ(upstream.calls, c.upstream_calls);
    ASSERT_EQ(runs.has_value(), c.answered);
    if (runs && c.online) {
      // Served or refreshed, the answer is the upstream's (newest first) and now stored.
      ASSERT_EQ(runs->size(), 2u);
      EXPECT_EQ((*runs)[0].id, 3u);
      EXPECT_EQ(store.answers.at("ci.yml " + k_sha), (std::vector<std::uint64_t>{3, 2}));
      EXPECT_EQ(store.runs.at(3).status, "completed");
    }
  }
}

TEST(StoreFirstRunSource, AnswersAreKeptPerWorkflowAndCommit) {
  MapStore store;
  FakeUpstream upstream;
  upstream.answers["ci.yml"] = {make_run(3, "completed")};
  StoreFirstRunSource source(store, &upstream);
  ASSERT_EQ(source.runs_for_commit(k_repo, "ci.yml", k_sha)->size(), 1u);
  ASSERT_EQ(source.runs_for_commit(k_repo, "ci.yml", k_sha)->size(), 1u);
  EXPECT_EQ(upstream.calls, 1);
  // Another commit is another question.
  EXPECT_EQ(source.runs_for_commit(k_repo, "ci.yml", std::string(40, 'a'))->size(), 1u);
  EXPECT_EQ(upstream.calls, 2);
  // "No run yet" is never final: asked again every time.
  EXPECT_TRUE(source.runs_for_commit(k_repo, "multi_arch_ci.yml", k_sha)->empty());
  EXPECT_TRUE(source.runs_for_commit(k_repo, "multi_arch_ci.yml", k_sha)->empty());
  EXPECT_EQ(upstream.calls, 4);
}

TEST(WorkflowRunJson, RoundTripsEveryField) {
  WorkflowRun full = make_run(20384488184, "completed");
  full.run_attempt = 2;
  full.head_branch = "fork-branch";
  full.head_repository = "ScottTodd/TheRock";
  full.repository = "ROCm/TheRock";
  full.path = ".github/workflows/ci.yml";
  full.name = "CI";
  full.event = "pull_request";
  full.updated_at = "2026-01-02T03:04:05Z";
  full.run_started_at = "2026-01-02T00:00:00Z";
  WorkflowRun sparse;
  sparse.id = 1; // every optional absent, every string empty
  for (const WorkflowRun& run : {full, sparse}) {
    const nlohmann::json object = workflow_run_to_json(run);
    EXPECT_EQ(parse_workflow_run(nlohmann::json::parse(object.dump()), "test"), run)
        << object.dump();
  }
  EXPECT_EQ(workflow_run_to_json(full)["head_repository"]["full_name"], "ScottTodd/TheRock");
  EXPECT_TRUE(workflow_run_to_json(sparse)["conclusion"].is_null());
}

TEST(WorkflowRunJson, RoundTripsASavedApiResponse) {
  const auto body = nlohmann::json::parse(rockart::test::read_file(
      std::string(ROCKART_TEST_DATA_DIR) + "/github/responses/run_fork_20384488184.json"));
  const WorkflowRun run = parse_workflow_run(body, "saved");
  EXPECT_EQ(parse_workflow_run(workflow_run_to_json(run), "stored"), run);
}

struct Api {
  test::ScriptedTransport transport; // no responses: any request throws
  test::RecordingSleeper sleeper;
  Client client{transport, sleeper, ClientOptions{}};
};

FindOptions find_options() {
  FindOptions options;
  options.platform = "linux";
  options.groups = {"gfx110X-all"};
  return options;
}

ListRunFiles lister() {
  return [](const RunStorage&) {
    return std::vector<std::string>{"rocblas_lib_gfx110X-all.tar.zst"};
  };
}

TEST(ArtifactSearchWithSource, OfflineFallsBackToTheCachedDefaultWorkflow) {
  // Online, multi_arch_ci.yml had no runs (never stored) and ci.yml had one.
  MapStore store;
  store.runs[3] = make_run(3, "completed");
  store.answers["ci.yml " + k_sha] = {3};
  StoreFirstRunSource offline(store, nullptr);
  Api api;
  ArtifactSearch search(api.client, k_repo, "", find_options(), lister(), &offline);
  const auto found = search.commit(k_sha);
  EXPECT_EQ(found.workflow, "ci.yml");
  ASSERT_EQ(found.outcome.results.size(), 1u);
  EXPECT_EQ(found.outcome.results[0].run.id, 3u);
  EXPECT_TRUE(api.transport.requests.empty());
}

TEST(ArtifactSearchWithSource, OfflineWithoutAnyAnswerNamesRepositoryCommitAndWorkflows) {
  MapStore store;
  StoreFirstRunSource offline(store, nullptr);
  Api api;
  ArtifactSearch search(api.client, k_repo, "", find_options(), lister(), &offline);
  EXPECT_ERROR(search.commit(k_sha),
               NotFoundError,
               "offline: no cached runs of multi_arch_ci.yml, ci.yml for commit " + k_sha
                   + " of ROCm/TheRock");
  EXPECT_TRUE(api.transport.requests.empty());
}

// An upstream for which multi_arch_ci.yml does not exist (GitHub answers 404).
struct MissingFirstWorkflow final : RunSource {
  std::vector<WorkflowRun> ci_runs;

  WorkflowRun get_run(std::string_view, std::uint64_t) override {
    throw RemoteError("not found", 404);
  }

  std::optional<std::vector<WorkflowRun>>
  runs_for_commit(std::string_view, std::string_view workflow, std::string_view) override {
    if (workflow == "multi_arch_ci.yml") {
      throw RemoteError("GET .../workflows/multi_arch_ci.yml/runs: HTTP 404 Not Found", 404);
    }
    return ci_runs;
  }
};

TEST(ArtifactSearchWithSource, ADefaultWorkflowThatDoesNotExistIsSkipped) {
  MissingFirstWorkflow upstream;
  upstream.ci_runs = {make_run(3, "completed")};
  Api api;
  ArtifactSearch search(api.client, k_repo, "", find_options(), lister(), &upstream);
  const auto found = search.commit(k_sha);
  EXPECT_EQ(found.workflow, "ci.yml");
  EXPECT_EQ(found.workflows_asked, (std::vector<std::string>{"multi_arch_ci.yml", "ci.yml"}));
  ASSERT_EQ(found.outcome.results.size(), 1u);

  // No run in either: the rejection names every workflow asked.
  upstream.ci_runs.clear();
  EXPECT_EQ(search.commit(k_sha).rejection(), "no runs of multi_arch_ci.yml, ci.yml");

  // A workflow the user named must exist.
  ArtifactSearch named(
      api.client, k_repo, "multi_arch_ci.yml", find_options(), lister(), &upstream);
  EXPECT_ERROR(named.commit(k_sha), RemoteError, "404");
}

TEST(ArtifactSearchWithSource, RunIdModeGoesThroughTheSource) {
  MapStore store;
  store.runs[3] = make_run(3, "completed");
  StoreFirstRunSource offline(store, nullptr);
  Api api;
  ArtifactSearch search(api.client, k_repo, "ci.yml", find_options(), lister(), &offline);
  const auto found = search.run(3);
  EXPECT_EQ(found.sha, k_sha);
  ASSERT_EQ(found.outcome.results.size(), 1u);
  EXPECT_TRUE(api.transport.requests.empty());
}

} // namespace
} // namespace rockart::github
