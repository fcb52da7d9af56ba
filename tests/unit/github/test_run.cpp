// SPDX-License-Identifier: MIT
// JSON mapping of saved GitHub responses (tests/data/github/responses, captured
// from fake_github.py's wire format) into WorkflowRun / Commit.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/github/run.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rockart::github {
namespace {

nlohmann::json load(const std::string& name) {
  return nlohmann::json::parse(
      rockart::test::read_file(std::string(ROCKART_TEST_DATA_DIR) + "/github/responses/" + name));
}

TEST(RunMapping, ForkRunKeepsEveryUsedField) {
  const auto run = parse_workflow_run(load("run_fork_20384488184.json"), "saved");
  EXPECT_EQ(run.id, 20384488184u);
  EXPECT_EQ(run.run_attempt, 1);
  EXPECT_EQ(run.head_sha, "62bc1eaa02e6ad1b49a718eed111cf4c9f03593a");
  EXPECT_EQ(run.head_branch, "users/someone/feature");
  EXPECT_EQ(run.head_repository, "ScottTodd/TheRock");
  EXPECT_EQ(run.repository, "ROCm/TheRock");
  EXPECT_EQ(run.status, "completed");
  EXPECT_EQ(run.conclusion, "failure");
  EXPECT_EQ(run.html_url, "https://github.com/ROCm/TheRock/actions/runs/20384488184");
  EXPECT_EQ(run.path, ".github/workflows/ci.yml");
  EXPECT_EQ(run.name, "CI");
  EXPECT_EQ(run.event, "pull_request");
  EXPECT_EQ(run.created_at, "2025-12-19T17:02:44Z");
  EXPECT_EQ(run.updated_at, "2025-12-19T20:31:09Z");
  EXPECT_FALSE(run.successful());
}

TEST(RunMapping, RunsListOfARetriggeredCommitSortsNewestFirst) {
  auto runs = parse_workflow_runs(load("runs_retriggered.json"), "saved");
  ASSERT_EQ(runs.size(), 3u);
  sort_newest_first(runs);
  EXPECT_EQ(runs[0].id, 28508900123u);
  EXPECT_EQ(runs[1].id, 28502800455u);
  EXPECT_EQ(runs[2].id, 28500000301u);
  EXPECT_EQ(runs[2].run_attempt, 3);
  EXPECT_TRUE(runs[0].successful());
}

TEST(RunMapping, NullHeadRepositoryAndConclusionAreAbsent) {
  const auto run = parse_workflow_run(
      nlohmann::json::parse(R"({"id": 7, "head_repository": null, "conclusion": null,
                                "status": "in_progress", "extra": {"ignored": true}})"),
      "x");
  EXPECT_EQ(run.head_repository, std::nullopt);
  EXPECT_EQ(run.conclusion, std::nullopt);
  EXPECT_EQ(run.run_attempt, std::nullopt);
  EXPECT_EQ(run.html_url, "");
}

TEST(RunMapping, MissingIdIsMalformedDataNamingTheSource) {
  EXPECT_ERROR(parse_workflow_run(nlohmann::json::parse(R"({"head_sha": "x"})"),
                                  "https://api.github.com/repos/a/b/actions/runs/1"),
               RemoteError,
               "malformed GitHub API data from https://api.github.com/repos/a/b/actions/runs/1: "
               "a workflow run has no numeric `id`");
  EXPECT_ERROR(parse_workflow_runs(nlohmann::json::parse(R"({"total_count": 0})"), "u"),
               RemoteError,
               "no `workflow_runs` array");
}

TEST(RunMapping, CommitsListKeepsParents) {
  const auto list = load("commits_main.json");
  ASSERT_TRUE(list.is_array());
  const auto head = parse_commit(list[0], "saved");
  EXPECT_EQ(head.sha, "b2153d4a32b0a87f51c3f8bed247d156d63d40a7");
  ASSERT_EQ(head.parents.size(), 1u);
  EXPECT_EQ(head.parents[0], parse_commit(list[1], "saved").sha);
}

TEST(RunMapping, RunsWithoutCreatedAtSortLast) {
  std::vector<WorkflowRun> runs(3);
  runs[0].id = 9;
  runs[1].id = 1;
  runs[1].created_at = "2025-01-01T00:00:00Z";
  runs[2].id = 2;
  runs[2].created_at = "2026-01-01T00:00:00Z";
  sort_newest_first(runs);
  EXPECT_EQ(runs[0].id, 2u);
  EXPECT_EQ(runs[1].id, 1u);
  EXPECT_EQ(runs[2].id, 9u);
}

TEST(RunMapping, FullShaIsFortyHexDigits) {
  EXPECT_TRUE(is_full_sha("77f0cb2112d1d0aaae0de6088a6e4337f2488233"));
  EXPECT_TRUE(is_full_sha("77F0CB2112D1D0AAAE0DE6088A6E4337F2488233"));
  EXPECT_FALSE(is_full_sha("77f0cb21"));
  EXPECT_FALSE(is_full_sha("77f0cb2112d1d0aaae0de6088a6e4337f248823g"));
}

} // namespace
} // namespace rockart::github
