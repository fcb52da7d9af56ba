// SPDX-License-Identifier: MIT
// `rockart find` and `rockart latest` inside GitHub Actions: the step outputs
// read back as the runner reads $GITHUB_OUTPUT, the job summary, `::error`
// lines for every failure, and nothing at all outside a workflow.
#include "find_world.hpp"
#include "support/actions_files.hpp"

namespace rockart::test {
namespace {

using FindActions = FindWorld;

const std::string k_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";
const std::string k_no_runs = "9403ff12112673f118de545f218de5c72d3f3942";

std::vector<std::string> find_args(const std::string& sha, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {
      "find", "--commit", sha, "--workflow", "ci.yml", "--artifact-group", "gfx110X-all"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST_F(FindActions, EveryOutputOfTheRunFound) {
  ActionsFiles files;
  const auto r = rockart(find_args(k_sha), files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(workflow_errors(r.err), std::vector<WorkflowError>{});
  auto outputs = github_output_map(files.output());
  const auto json_doc = nlohmann::json::parse(outputs.at("json"));
  outputs.erase("json");
  const std::map<std::string, std::string> expected = {
      {"found", "true"},
      {"run_id", "20083647898"},
      {"run_url", "https://github.com/ROCm/TheRock/actions/runs/20083647898"},
      {"bucket", "therock-ci-artifacts"},
      {"s3_uri", "s3://therock-ci-artifacts/20083647898-linux/"},
      {"s3_index_url",
       "https://therock-ci-artifacts.s3.amazonaws.com/20083647898-linux/index.html"},
      {"commit", k_sha},
      {"commit_url", "https://github.com/ROCm/TheRock/commit/" + k_sha},
      {"workflow", "ci.yml"},
      {"platform", "linux"},
      {"missing_groups", ""}};
  EXPECT_EQ(outputs, expected);
  // The json output is the --json document, on one line.
  const auto as_json = rockart(find_args(k_sha, {"--json"}));
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  EXPECT_EQ(json_doc, nlohmann::json::parse(as_json.out));
  EXPECT_EQ(files.output().find("json=" + json_doc.dump() + "\n") != std::string::npos, true);
  // stdout is unchanged: the human block.
  EXPECT_NE(r.out.find("  Workflow run ID:     20083647898\n"), std::string::npos) << r.out;
}

TEST_F(FindActions, SummaryTableOfTheRunFound) {
  ActionsFiles files;
  const auto r = rockart(find_args(k_sha), files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected =
      "### rockart find: run 20083647898 for commit 77f0cb2112d1\n\n"
      "| Field | Value |\n"
      "| --- | --- |\n"
      "| Repository | ROCm/TheRock |\n"
      "| Commit | [`"
      + k_sha + "`](https://github.com/ROCm/TheRock/commit/" + k_sha
      + ") |\n"
        "| Workflow | `ci.yml` |\n"
        "| Platform | linux |\n"
        "| Result | success |\n"
        "\n"
        "| Artifact group | Workflow run | Status | S3 | Artifacts |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| gfx110X-all | [20083647898](https://github.com/ROCm/TheRock/actions/runs/20083647898) "
        "| completed (success) | [`s3://therock-ci-artifacts/20083647898-linux/`]"
        "(https://therock-ci-artifacts.s3.amazonaws.com/20083647898-linux/index.html) | 2 |\n"
        "\n";
  EXPECT_EQ(files.summary(), expected);
  EXPECT_EQ(files.summary_mirror(), expected);
}

TEST_F(FindActions, ACommitWithoutRunsIsAnErrorLineAndAFailedSummary) {
  ActionsFiles files;
  const auto r = rockart(find_args(k_no_runs), files.env());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  const std::string message = "no matching artifacts found for commit " + k_no_runs
                              + " (platform linux, artifact groups gfx110X-all)";
  EXPECT_EQ(workflow_errors(r.err),
            (std::vector<WorkflowError>{{"rockart find: not found", message}}));
  EXPECT_NE(r.err.find("::error title=rockart find%3A not found::" + message + "\n"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(github_output_map(files.output()),
            (std::map<std::string, std::string>{{"found", "false"}}));
  const std::string summary = files.summary();
  EXPECT_NE(summary.find("### rockart find: nothing found for commit " + k_no_runs + "\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("| Result | **failed** (exit code 1) |\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("| not found | " + message + " |\n"), std::string::npos) << summary;
}

TEST_F(FindActions, AThrownErrorStillWritesTheErrorLineAndTheSummary) {
  ActionsFiles files;
  // An abbreviation several commits share: an error (exit 2) thrown deep in the lookup.
  const auto r = rockart(find_args("77f0cb2"), files.env());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  const auto errors = workflow_errors(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_TRUE(errors[0].title.starts_with("rockart find: ")) << errors[0].title;
  EXPECT_NE(errors[0].message.find("commit abbreviation '77f0cb2' is ambiguous in ROCm/TheRock"),
            std::string::npos)
      << errors[0].message;
  EXPECT_EQ(files.output(), "");
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 2) |\n"), std::string::npos)
      << files.summary();
  // The usual error line follows, for people reading the log.
  EXPECT_NE(r.err.find("rockart: error: commit abbreviation '77f0cb2' is ambiguous"),
            std::string::npos)
      << r.err;
}

TEST_F(FindActions, TheFlagWorksOutsideAWorkflow) {
  ActionsFiles files;
  const auto r = rockart(find_args(k_sha, {"--github-output"}), files.env(false));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()).at("run_id"), "20083647898");
  EXPECT_NE(files.summary().find("### rockart find: run 20083647898"), std::string::npos);
}

TEST_F(FindActions, NothingIsWrittenOutsideAWorkflowWithoutTheFlag) {
  ActionsFiles files;
  const auto found = rockart(find_args(k_sha), files.env(false));
  ASSERT_EQ(found.exit_code, 0) << found.err;
  const auto missing = rockart(find_args(k_no_runs), files.env(false));
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_TRUE(files.untouched());
  EXPECT_EQ(missing.err.find("::error"), std::string::npos) << missing.err;
  // GITHUB_ACTIONS=false is outside a workflow too.
  auto env = files.env(false);
  env["GITHUB_ACTIONS"] = "false";
  EXPECT_EQ(rockart(find_args(k_sha), env).exit_code, 0);
  EXPECT_TRUE(files.untouched());
}

TEST_F(FindActions, LatestReportsTheCommitItSettledOn) {
  ActionsFiles files;
  const auto r = rockart({"latest", "--artifact-group", "gfx94X-dcgpu"}, files.env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto outputs = github_output_map(files.output());
  outputs.erase("json");
  const std::string sha = "b21aac868f2550b5cbe93af7c62795737301fa6d";
  const std::map<std::string, std::string> expected = {
      {"found", "true"},
      {"run_id", "30964030362"},
      {"run_url", "https://github.com/ROCm/TheRock/actions/runs/30964030362"},
      {"bucket", "therock-ci-artifacts"},
      {"s3_uri", "s3://therock-ci-artifacts/30964030362-linux/"},
      {"s3_index_url",
       "https://therock-ci-artifacts.s3.amazonaws.com/30964030362-linux/index.html"},
      {"commit", sha},
      {"commit_url", "https://github.com/ROCm/TheRock/commit/" + sha},
      {"workflow", "multi_arch_ci.yml"},
      {"platform", "linux"},
      {"missing_groups", ""}};
  EXPECT_EQ(outputs, expected);
  EXPECT_NE(files.summary().find("### rockart latest: run 30964030362 for commit b21aac868f25\n"),
            std::string::npos)
      << files.summary();
}

TEST_F(FindActions, LatestWithNothingInRangeIsAnErrorLine) {
  ActionsFiles files;
  const auto r =
      rockart({"latest", "--artifact-group", "gfx94X-dcgpu", "--max-commits", "2"}, files.env());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto errors = workflow_errors(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  EXPECT_EQ(errors[0].title, "rockart latest: not found");
  EXPECT_EQ(errors[0].message,
            "no matching artifacts found for last 2 commits on ROCm/TheRock/main (platform "
            "linux, artifact groups gfx94X-dcgpu)");
  EXPECT_EQ(github_output_map(files.output()).at("found"), "false");
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 1) |"), std::string::npos);
}

} // namespace
} // namespace rockart::test
