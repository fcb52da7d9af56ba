// SPDX-License-Identifier: MIT
// `rockart bucket` end to end: the built binary in a controlled environment
// (run_rockart starts it without GITHUB_*/RELEASE_TYPE unless a test sets them).
#include "support/support.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace rockart::test {
namespace {

const std::string k_allowed = "expected one of ci, dev, dev-bkc, nightly, nightly-bkc, prerelease";

std::string result(const std::string& bucket, const std::string& external_repo) {
  return "bucket=" + bucket + "\nexternal_repo=" + external_repo + "\n";
}

RunOptions env(std::map<std::string, std::string> vars) {
  RunOptions options;
  options.env = std::move(vars);
  return options;
}

std::vector<std::string> fork_run_at(const std::string& updated_at) {
  return {"bucket",
          "--repo",
          "ROCm/TheRock",
          "--head-repo",
          "someone/TheRock",
          "--run-updated-at",
          updated_at,
          "--release-type",
          "ci"};
}

TEST(BucketCommand, ForkRunAtTheCutoverUsesTheLegacyExternalBucket) {
  // buckets.md §4: the cutover comparison is inclusive (§8 row 27).
  const auto r = run_rockart(fork_run_at("2025-11-11T16:18:48Z"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-artifacts-external", "ROCm-TheRock/"));
  EXPECT_EQ(r.err, "");
}

TEST(BucketCommand, ForkRunOneSecondAfterTheCutoverUsesTheCurrentExternalBucket) {
  const auto r = run_rockart(fork_run_at("2025-11-11T16:18:49Z"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-ci-artifacts-external", "ROCm-TheRock/"));
}

TEST(BucketCommand, DefaultsWithAnEmptyEnvironment) {
  const auto r = run_rockart({"bucket"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-ci-artifacts", ""));
}

TEST(BucketCommand, RepositoryComesFromGithubRepository) {
  const auto r = run_rockart({"bucket"}, env({{"GITHUB_REPOSITORY", "ROCm/rocm-libraries"}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-ci-artifacts-external", "ROCm-rocm-libraries/"));
}

TEST(BucketCommand, ReleaseTypeComesFromTheEnvironment) {
  const auto r = run_rockart({"bucket"}, env({{"RELEASE_TYPE", "nightly"}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-nightly-artifacts", ""));
}

TEST(BucketCommand, ExplicitFlagsBeatTheEnvironment) {
  const auto options = env({{"GITHUB_REPOSITORY", "ROCm/rocm-libraries"}, {"RELEASE_TYPE", "dev"}});
  const auto r = run_rockart({"bucket", "--repo", "ROCm/TheRock", "--release-type", "ci"}, options);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-ci-artifacts", ""));
  const auto only_type = run_rockart({"bucket", "--release-type", "ci"}, options);
  EXPECT_EQ(only_type.out, result("therock-ci-artifacts-external", "ROCm-rocm-libraries/"));
}

TEST(BucketCommand, EmptyReleaseTypeInTheEnvironmentIsAnError) {
  const auto r = run_rockart({"bucket"}, env({{"RELEASE_TYPE", ""}}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("rockart: error: environment variable RELEASE_TYPE: invalid release type "
                       "'' (empty): "
                       + k_allowed),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hint: fix or unset RELEASE_TYPE"), std::string::npos) << r.err;
}

TEST(BucketCommand, InvalidFlagValuesExitWithTwo) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"bucket", "--release-type", "bogus"}, "invalid release type 'bogus': " + k_allowed},
      {{"bucket", "--release-type", "release"}, "invalid release type 'release': " + k_allowed},
      {{"bucket", "--repo", "TheRock"}, "invalid repository 'TheRock': expected OWNER/REPO"},
      {{"bucket", "--repo", "ROCm/TheRock/x"}, "invalid repository 'ROCm/TheRock/x'"},
      {{"bucket", "--run-updated-at", "2025-11-11"},
       "cannot parse the run's updated_at "
       "'2025-11-11'"},
      {{"bucket", "--fork", "--head-repo", "a/b"}, "--head-repo excludes --fork"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(message);
    const auto r = run_rockart(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
}

TEST(BucketCommand, ForkPullRequestPayloadSelectsTheExternalBucket) {
  TempDir dir;
  const auto event = dir.path() / "event.json";
  write_file(event, R"({"pull_request": {"head": {"repo": {"fork": true}}}})");
  const std::map<std::string, std::string> vars = {{"GITHUB_REPOSITORY", "ROCm/TheRock"},
                                                   {"GITHUB_EVENT_NAME", "pull_request"},
                                                   {"GITHUB_EVENT_PATH", event.string()}};
  const auto r = run_rockart({"bucket"}, env(vars));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-ci-artifacts-external", "ROCm-TheRock/"));
  // --no-fork wins over the payload; a push event ignores it.
  EXPECT_EQ(run_rockart({"bucket", "--no-fork"}, env(vars)).out,
            result("therock-ci-artifacts", ""));
  auto push = vars;
  push["GITHUB_EVENT_NAME"] = "push";
  EXPECT_EQ(run_rockart({"bucket"}, env(push)).out, result("therock-ci-artifacts", ""));
}

TEST(BucketCommand, MissingOrBrokenEventPayloadIsAnErrorNamingThePath) {
  TempDir dir;
  const auto missing = (dir.path() / "missing.json").string();
  const auto r = run_rockart(
      {"bucket"}, env({{"GITHUB_EVENT_NAME", "pull_request"}, {"GITHUB_EVENT_PATH", missing}}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read the GitHub event payload GITHUB_EVENT_PATH=" + missing
                       + ": the file is missing or unreadable"),
            std::string::npos)
      << r.err;
  const auto broken = dir.path() / "broken.json";
  write_file(broken, "{not json");
  const auto b = run_rockart(
      {"bucket"},
      env({{"GITHUB_EVENT_NAME", "pull_request"}, {"GITHUB_EVENT_PATH", broken.string()}}));
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("GITHUB_EVENT_PATH=" + broken.string() + " is not valid JSON"),
            std::string::npos)
      << b.err;
}

TEST(BucketCommand, JsonOutputHasEveryKey) {
  auto args = fork_run_at("2025-11-11T16:18:48Z");
  args.push_back("--json");
  const auto r = run_rockart(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.at("bucket"), "therock-artifacts-external");
  EXPECT_EQ(doc.at("external_repo"), "ROCm-TheRock/");
  EXPECT_EQ(doc.at("legacy"), true);
  EXPECT_EQ(doc.at("fork"), true);
  ASSERT_TRUE(doc.at("reasons").is_array());
  ASSERT_FALSE(doc.at("reasons").empty());
  EXPECT_EQ(doc.at("reasons").back(),
            "A CI run of another repository or a fork from before the cutover uses the "
            "legacy bucket therock-artifacts-external with the base repository's prefix "
            "ROCm-TheRock/.");
  EXPECT_EQ(doc.at("warnings"), nlohmann::json::array());
  EXPECT_EQ(doc.at("schema_version"), 1);
  EXPECT_EQ(doc.size(), 7u);
}

TEST(BucketCommand, JsonErrorsAreJsonOnStdout) {
  const auto r = run_rockart({"bucket", "--json", "--release-type", "Dev"});
  EXPECT_EQ(r.exit_code, 2);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("status"), "error");
  EXPECT_EQ(doc.at("error").at("kind"), "usage");
  EXPECT_EQ(doc.at("error").at("message"), "invalid release type 'Dev': " + k_allowed);
}

TEST(BucketCommand, ExplainPrintsTheNumberedReasonChain) {
  const auto r = run_rockart({"bucket", "--explain"}, env({{"IS_PR_FROM_FORK", "true"}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            result("therock-ci-artifacts-external", "ROCm-TheRock/")
                + "why:\n"
                  "  1. GITHUB_REPOSITORY is unset, so the default repository ROCm/TheRock "
                  "applies.\n"
                  "  2. RELEASE_TYPE is unset, so the default release type ci applies.\n"
                  "  3. GITHUB_EVENT_NAME is unset, so the event payload is not consulted.\n"
                  "  4. IS_PR_FROM_FORK is 'true', which marks a fork pull request.\n"
                  "  5. Repository ROCm/TheRock, release type ci.\n"
                  "  6. Without a run object the fork flag is set, so the run counts as a "
                  "fork.\n"
                  "  7. The run's updated_at is unknown, so the current "
                  "(post-2025-11-11T16:18:48Z) rules apply.\n"
                  "  8. A CI run of another repository or a fork uses "
                  "therock-ci-artifacts-external with the base repository's prefix "
                  "ROCm-TheRock/.\n");
}

TEST(BucketCommand, NullHeadRepositoryWarnsOnStderr) {
  const auto r =
      run_rockart({"bucket", "--head-repo", "", "--run-updated-at", "2026-02-01T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("therock-ci-artifacts-external", "ROCm-TheRock/"));
  EXPECT_EQ(r.err,
            "rockart: warn: the run's head repository is missing or null (a deleted fork?); "
            "treating the run as a fork\n");
}

TEST(BucketCommand, BucketOverrideIgnoresTheEnvironment) {
  const auto r = run_rockart({"bucket", "--bucket", "my-bucket"},
                             env({{"RELEASE_TYPE", ""}, {"GITHUB_REPOSITORY", "bad"}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, result("my-bucket", ""));
}

} // namespace
} // namespace rockart::test
