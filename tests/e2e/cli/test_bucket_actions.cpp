// SPDX-License-Identifier: MIT
// `rockart bucket --github-output`: the outputs TheRock's bucket-info step
// (write_artifacts_bucket_info.py) gives its credentials action, read back as
// the runner reads $GITHUB_OUTPUT, for each kind of run.
#include "support/actions_files.hpp"
#include "support/support.hpp"

#include <map>
#include <string>

namespace rockart::test {
namespace {

using Outputs = std::map<std::string, std::string>;

const std::string k_role = "arn:aws:iam::692859939525:role/";

ProcessResult bucket(const ActionsFiles& files,
                     const std::vector<std::string>& args,
                     std::map<std::string, std::string> vars = {},
                     bool github_actions = false) {
  RunOptions options;
  options.env = files.env(github_actions);
  for (auto& [name, value] : vars) {
    options.env[name] = value;
  }
  std::vector<std::string> argv = {"bucket"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_rockart(argv, options);
}

TEST(BucketActions, TheRockCiRunAssumesTheCiRole) {
  ActionsFiles files;
  const auto r = bucket(files, {"--github-output"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "bucket=therock-ci-artifacts\nexternal_repo=\n"); // stdout unchanged
  EXPECT_EQ(github_output_map(files.output()),
            (Outputs{{"bucket", "therock-ci-artifacts"},
                     {"external_repo", ""},
                     {"iam_role", k_role + "therock-ci"},
                     {"aws_region", "us-east-2"}}));
  EXPECT_EQ(
      files.summary(),
      "### rockart bucket: therock-ci-artifacts\n\n"
      "| Field | Value |\n"
      "| --- | --- |\n"
      "| Bucket | `therock-ci-artifacts` |\n"
      "| External repo prefix | (none) |\n"
      "| IAM role | `arn:aws:iam::692859939525:role/therock-ci` |\n"
      "| Region | us-east-2 |\n"
      "| Rule | A non-fork CI run of ROCm/TheRock uses therock-ci-artifacts with no prefix. |\n"
      "| Result | success |\n\n");
}

TEST(BucketActions, OtherRepositoriesAndReleaseTypesUseTheirBucketsRole) {
  struct Case {
    std::map<std::string, std::string> env;
    Outputs expected;
  };

  const std::vector<Case> cases = {
      {{{"GITHUB_REPOSITORY", "ROCm/rocm-libraries"}},
       {{"bucket", "therock-ci-artifacts-external"},
        {"external_repo", "ROCm-rocm-libraries/"},
        {"iam_role", k_role + "therock-ci-external"},
        {"aws_region", "us-east-2"}}},
      {{{"RELEASE_TYPE", "nightly"}},
       {{"bucket", "therock-nightly-artifacts"},
        {"external_repo", ""},
        {"iam_role", k_role + "therock-nightly"},
        {"aws_region", "us-east-2"}}},
      {{{"RELEASE_TYPE", "dev"}},
       {{"bucket", "therock-dev-artifacts"},
        {"external_repo", ""},
        {"iam_role", k_role + "therock-dev"},
        {"aws_region", "us-east-2"}}},
      {{{"RELEASE_TYPE", "prerelease"}},
       {{"bucket", "therock-prerelease-artifacts"},
        {"external_repo", ""},
        {"iam_role", k_role + "therock-prerelease"},
        {"aws_region", "us-east-2"}}},
  };
  for (const auto& c : cases) {
    ActionsFiles files;
    const auto r = bucket(files, {}, c.env, /*github_actions=*/true);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(github_output_map(files.output()), c.expected) << c.env.begin()->second;
  }
}

TEST(BucketActions, AForkPullRequestAssumesNoRole) {
  // Fork PRs have no OIDC trust: the credentials step must be skipped.
  ActionsFiles files;
  const auto r = bucket(files, {"--github-output"}, {{"IS_PR_FROM_FORK", "true"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()),
            (Outputs{{"bucket", "therock-ci-artifacts-external"},
                     {"external_repo", "ROCm-TheRock/"},
                     {"iam_role", ""},
                     {"aws_region", "us-east-2"}}));
  EXPECT_NE(files.summary().find("| IAM role | (none: runner credentials) |"), std::string::npos)
      << files.summary();
}

TEST(BucketActions, AnExplicitBucketHasNoRoleAndTheConfiguredRegion) {
  ActionsFiles files;
  const auto r =
      bucket(files, {"--bucket", "my-bucket", "--github-output"}, {{"AWS_REGION", "eu-west-1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()),
            (Outputs{{"bucket", "my-bucket"},
                     {"external_repo", ""},
                     {"iam_role", ""},
                     {"aws_region", "eu-west-1"}}));
}

TEST(BucketActions, SecretsOfTheEnvironmentAreMasked) {
  // A value that happens to equal a token never reaches the job's files.
  const std::string token = "ghp_0123456789abcdefghij";
  ActionsFiles files;
  const auto r = bucket(files, {"--bucket", token, "--github-output"}, {{"GITHUB_TOKEN", token}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_output_map(files.output()).at("bucket"), "****");
  EXPECT_EQ(files.summary().find(token), std::string::npos) << files.summary();
  EXPECT_EQ(files.output().find(token), std::string::npos) << files.output();
}

TEST(BucketActions, AnInvalidReleaseTypeIsAnErrorLineAndAFailedSummary) {
  ActionsFiles files;
  const auto r = bucket(files, {}, {{"RELEASE_TYPE", "weekly"}}, /*github_actions=*/true);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(workflow_errors(r.err),
            (std::vector<WorkflowError>{
                {"rockart bucket: config error",
                 "environment variable RELEASE_TYPE: invalid release type 'weekly': expected one "
                 "of ci, dev, dev-bkc, nightly, nightly-bkc, prerelease\nhint: fix or unset "
                 "RELEASE_TYPE (unset means ci), or pass --release-type"}}));
  EXPECT_EQ(files.output(), "");
  EXPECT_NE(files.summary().find("| Result | **failed** (exit code 2) |"), std::string::npos)
      << files.summary();
}

TEST(BucketActions, NothingIsWrittenWithoutTheFlagOutsideAWorkflow) {
  ActionsFiles files;
  EXPECT_EQ(bucket(files, {}).exit_code, 0);
  const auto failed = bucket(files, {"--release-type", "weekly"});
  EXPECT_EQ(failed.exit_code, 2);
  EXPECT_EQ(failed.err.find("::error"), std::string::npos) << failed.err;
  EXPECT_TRUE(files.untouched());
}

} // namespace
} // namespace rockart::test
