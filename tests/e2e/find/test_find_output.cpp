// SPDX-License-Identifier: MIT
// Output contract of `rockart find` (behaviours.md §1.4, §1.5), GitHub error
// handling (github-api.md §3) and authentication (§2) end to end.
#include "find_world.hpp"

namespace rockart::test {
namespace {

using FindOutput = FindWorld;

const std::string k_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";

std::vector<std::string> find_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {
      "find", "--commit", k_sha, "--workflow", "ci.yml", "--artifact-group", "gfx110X-all"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST_F(FindOutput, JsonSchemaKeyByKey) {
  const auto r = rockart(find_args({"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.out, doc.dump(2) + "\n"); // sorted keys, 2-space indent
  EXPECT_EQ(doc.size(), 3u);
  EXPECT_EQ(doc["status"], "found");
  EXPECT_EQ(doc["missing_artifact_groups"], nlohmann::json::array());
  ASSERT_EQ(doc["results"].size(), 1u);
  const nlohmann::json expected = {
      {"amdgpu_targets", nlohmann::json::array()},
      {"artifact_filenames", {"base_lib_generic.tar.zst", "rocblas_lib_gfx110X-all.tar.zst"}},
      {"artifact_group", "gfx110X-all"},
      {"external_repo", ""},
      {"git_commit_sha", k_sha},
      {"git_commit_url", "https://github.com/ROCm/TheRock/commit/" + k_sha},
      {"github_repository_name", "ROCm/TheRock"},
      {"missing_required_artifact_patterns", nlohmann::json::array()},
      {"platform", "linux"},
      {"required_artifact_patterns", nlohmann::json::array()},
      {"s3_bucket", "therock-ci-artifacts"},
      {"s3_index_url",
       "https://therock-ci-artifacts.s3.amazonaws.com/20083647898-linux/index.html"},
      {"s3_path", "20083647898-linux/"},
      {"s3_uri", "s3://therock-ci-artifacts/20083647898-linux/"},
      {"workflow_file_name", "ci.yml"},
      {"workflow_run_attempt", 1},
      {"workflow_run_conclusion", "success"},
      {"workflow_run_html_url", "https://github.com/ROCm/TheRock/actions/runs/20083647898"},
      {"workflow_run_id", "20083647898"},
      {"workflow_run_status", "completed"},
  };
  const auto& result = doc["results"][0];
  for (const auto& [key, value] : expected.items()) {
    ASSERT_TRUE(result.contains(key)) << key;
    EXPECT_EQ(result[key], value) << key;
  }
  EXPECT_EQ(result.size(), expected.size());
}

TEST_F(FindOutput, PartialResultListsMissingGroupsAndWarns) {
  const auto r = rockart(find_args({"gfx950-dcgpu", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["missing_artifact_groups"], nlohmann::json({"gfx950-dcgpu"}));
  EXPECT_EQ(doc["results"].size(), 1u);
  EXPECT_NE(r.err.find("rockart: warn: no artifacts found for group(s) gfx950-dcgpu"),
            std::string::npos)
      << r.err;
}

TEST_F(FindOutput, HumanBlockWithValuesInColumnTwentyFour) {
  const auto r = rockart(find_args({"--amdgpu-target", "gfx1100"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "Artifact info:\n"
      "  Git repository:      ROCm/TheRock\n"
      "  Git commit:          "
          + k_sha
          + "\n"
            "  Git commit URL:      https://github.com/ROCm/TheRock/commit/"
          + k_sha
          + "\n"
            "  Platform:            linux\n"
            "  Artifact group:      gfx110X-all\n"
            "  AMDGPU targets:      gfx1100\n"
            "  Workflow name:       ci.yml\n"
            "  Workflow run ID:     20083647898\n"
            "  Workflow run URL:    https://github.com/ROCm/TheRock/actions/runs/20083647898\n"
            "  Workflow run status: completed (success)\n"
            "  S3 Bucket:           therock-ci-artifacts\n"
            "  S3 Path:             20083647898-linux/\n"
            "  S3 Index:            https://therock-ci-artifacts.s3.amazonaws.com/"
            "20083647898-linux/index.html\n"
            "  Artifact count:      2\n"
            "  Artifacts:\n"
            "    base_lib_generic.tar.zst\n"
            "    rocblas_lib_gfx110X-all.tar.zst\n"
            "\n");
}

TEST_F(FindOutput, RateLimitMessageAndExitCodeTwo) {
  restart_github(
      {"--control", R"({"rate_limit": {"limit": 60, "remaining": 0, "reset_in": 1800}})"});
  const auto r = rockart(find_args());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  for (const std::string& part :
       {"rockart: error: GitHub API rate limit exceeded (HTTP 403) for " + m_github->url()
            + "/repos/ROCm/TheRock/actions/workflows/ci.yml/runs?head_sha=" + k_sha,
        std::string("The core limit (60 of 60 requests used) resets at "),
        std::string("(in 30 minutes)"),
        std::string("hint: authenticate with `gh auth login` or set GITHUB_TOKEN"),
        std::string(
            "https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api")}) {
    EXPECT_NE(r.err.find(part), std::string::npos) << "missing '" << part << "' in\n" << r.err;
  }
}

TEST_F(FindOutput, UnauthenticatedWarningOnceAndTokenSentWhenSet) {
  const auto anonymous = rockart(find_args());
  ASSERT_EQ(anonymous.exit_code, 0) << anonymous.err;
  const std::string warning = "rockart: warn: no GitHub authentication found";
  const auto first = anonymous.err.find(warning);
  ASSERT_NE(first, std::string::npos) << anonymous.err;
  EXPECT_EQ(anonymous.err.find(warning, first + 1), std::string::npos) << anonymous.err;
  EXPECT_EQ(github_stats()["authorizations"], nlohmann::json::array({nullptr}));

  restart_github({});
  auto args = find_args();
  args.push_back("--no-cache"); // the first answer is cached: ask GitHub again
  const auto with_token = rockart(args, {{"GH_TOKEN", "gho_e2e_token"}});
  ASSERT_EQ(with_token.exit_code, 0) << with_token.err;
  EXPECT_EQ(with_token.err.find(warning), std::string::npos);
  EXPECT_EQ(with_token.err.find("gho_e2e_token"), std::string::npos);
  const auto stats = github_stats();
  EXPECT_EQ(stats["authorizations"], nlohmann::json({"Bearer gho_e2e_token"}));
  EXPECT_EQ(stats["accept_ok"], stats["total"]);
  EXPECT_EQ(stats["api_version_ok"], stats["total"]);
}

TEST_F(FindOutput, BadCredentialsNeverEchoTheToken) {
  restart_github({"--control", R"({"valid_tokens": ["good"]})"});
  const auto r = rockart(find_args(), {{"GITHUB_TOKEN", "ghp_wrong_secret"}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Authentication failed (401)"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("ghp_wrong_secret"), std::string::npos) << r.err;
}

TEST_F(FindOutput, ServerErrorBurstIsRetried) {
  restart_github(
      {"--control",
       R"({"faults": [{"kind": "status", "status": [502, 503], "count": 2, "path": "/runs$"}]})"});
  const auto r = rockart(find_args({"--stats"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_stats()["total"], 3);
  EXPECT_NE(r.err.find("github requests: 3"), std::string::npos) << r.err;
}

TEST_F(FindOutput, MalformedJsonIsAnErrorNamingTheUrl) {
  restart_github({"--control", R"({"faults": [{"kind": "malformed", "path": "/runs$"}]})"});
  const auto r = rockart(find_args());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("Invalid JSON response from " + m_github->url()
                       + "/repos/ROCm/TheRock/actions/workflows/ci.yml/runs?head_sha="),
            std::string::npos)
      << r.err;
}

TEST_F(FindOutput, UnknownWorkflowNamesWorkflowAndRepository) {
  const auto r = rockart(
      {"find", "--commit", k_sha, "--workflow", "nightly.yml", "--artifact-group", "gfx110X-all"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("(workflow 'nightly.yml' of repository ROCm/TheRock)"), std::string::npos)
      << r.err;
}

TEST_F(FindOutput, WaitOnRateLimitSleepsThroughASecondaryLimit) {
  restart_github(
      {"--control",
       R"({"faults": [{"kind": "secondary_rate_limit", "retry_after": 1, "count": 1}]})"});
  const auto r = rockart(find_args({"--wait-on-rate-limit"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("waiting 1 s for the reset"), std::string::npos) << r.err;
}

} // namespace
} // namespace rockart::test
