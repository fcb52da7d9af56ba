// SPDX-License-Identifier: MIT
// runs::Session's questions that need no server: a bucket override answers a
// run-id question with no request, a commit question needs a group, and the
// bucket inputs take the release type from the injected environment (never
// the process's) while leaving fork detection to each run's own facts.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/runs/session.hpp>

#include <gtest/gtest.h>

#include <map>

namespace rockart::runs {
namespace {

// GitHub and S3 point at a closed port: any request would fail the test.
util::EnvLookup fake_env(std::map<std::string, std::string> vars) {
  vars.emplace("GITHUB_API_URL", "http://127.0.0.1:9");
  vars.emplace("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
  vars.emplace("AWS_ACCESS_KEY_ID", "test");
  vars.emplace("AWS_SECRET_ACCESS_KEY", "test");
  vars.emplace("AWS_REGION", "us-east-2");
  return [vars](std::string_view name) -> std::optional<std::string> {
    const auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

github::CommandResult no_commands(const std::vector<std::string>& argv) {
  ADD_FAILURE() << "unexpected command " << (argv.empty() ? "" : argv.front());
  return {};
}

TEST(RunsSession, RunIdWithBucketOverrideAsksNothing) {
  Session session(fake_env({}), no_commands, {}, nullptr);
  RunQuestion question;
  question.repo = "ROCm/rocm-libraries";
  question.platform = "windows";
  question.run_id = 42;
  question.overrides.bucket = "my-bucket";
  const runs::Run run = session.resolve(question);
  EXPECT_EQ(run.bucket, "my-bucket");
  EXPECT_EQ(run.external_repo, "");
  EXPECT_EQ(run.id, 42U);
  EXPECT_EQ(run.platform, "windows");
  EXPECT_EQ(run.uri(), "s3://my-bucket/42-windows");
  EXPECT_EQ(session.github_requests(), 0U);
  EXPECT_EQ(session.s3_requests(), 0U);
}

TEST(RunsSession, CommitQuestionNeedsAGroup) {
  Session session(fake_env({}), no_commands, {}, nullptr);
  RunQuestion question;
  question.repo = "ROCm/TheRock";
  question.platform = "linux";
  question.commit = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";
  EXPECT_ERROR(session.resolve(question), UsageError, "--commit needs --artifact-group");
  EXPECT_EQ(session.github_requests(), 0U);
}

TEST(RunsSession, BucketInputsTakeTheReleaseTypeFromTheInjectedEnvironment) {
  // A fork signal in the environment describes the current job, not the run
  // asked about: a placeholder run is set so each run's own facts decide.
  Session session(fake_env({{"RELEASE_TYPE", "nightly"}, {"IS_PR_FROM_FORK", "true"}}),
                  no_commands,
                  {},
                  nullptr);
  layout::BucketOverrides overrides;
  overrides.repository = "ROCm/rocm-systems";
  const auto inputs = session.bucket_inputs(overrides);
  EXPECT_EQ(inputs.repository, "ROCm/rocm-systems");
  EXPECT_EQ(inputs.release_type, "nightly");
  EXPECT_TRUE(inputs.run.has_value());
  EXPECT_FALSE(inputs.fork);
}

TEST(RunsSession, BucketInputsRejectABadReleaseType) {
  Session session(fake_env({{"RELEASE_TYPE", "weekly"}}), no_commands, {}, nullptr);
  layout::BucketOverrides overrides;
  overrides.repository = "ROCm/TheRock";
  EXPECT_ERROR(session.bucket_inputs(overrides), ConfigError, "weekly");
}

} // namespace
} // namespace rockart::runs
