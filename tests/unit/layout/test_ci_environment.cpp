// SPDX-License-Identifier: MIT
// The environment adapter (buckets.md §1-§3): sources and priority of each
// input, fork detection from the event payload and IS_PR_FROM_FORK, errors.
#include "fake_ci_environment.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/layout/ci_environment.hpp>

#include <string>
#include <vector>

namespace rockart::layout {
namespace {

using namespace rockart::layout::fakes;

TEST(CiEnvironment, ExplicitValuesWinOverTheEnvironment) {
  FakeSystem system{{{"GITHUB_REPOSITORY", "ROCm/TheRock"}, {"RELEASE_TYPE", "dev"}}, {}, {}, {}};
  BucketOverrides o;
  o.repository = "ROCm/rocm-libraries";
  o.release_type = "ci";
  const auto inputs = bucket_inputs_from_environment(o, system.lookup(), system.reader());
  EXPECT_EQ(inputs.repository, "ROCm/rocm-libraries");
  EXPECT_EQ(inputs.release_type, "ci");
  EXPECT_EQ(inputs.provenance[0], "The repository ROCm/rocm-libraries was given explicitly.");
  EXPECT_EQ(inputs.provenance[1], "The release type ci was given explicitly.");
}

TEST(CiEnvironment, DefaultsAndProvenanceWhenNothingIsSet) {
  FakeSystem system;
  const auto inputs = bucket_inputs_from_environment({}, system.lookup(), system.reader());
  EXPECT_EQ(inputs.repository, "ROCm/TheRock");
  EXPECT_EQ(inputs.release_type, "ci");
  EXPECT_FALSE(inputs.fork);
  EXPECT_FALSE(inputs.run.has_value());
  const std::vector<std::string> expected = {
      "GITHUB_REPOSITORY is unset, so the default repository ROCm/TheRock applies.",
      "RELEASE_TYPE is unset, so the default release type ci applies.",
      "GITHUB_EVENT_NAME is unset, so the event payload is not consulted.",
  };
  EXPECT_EQ(inputs.provenance, expected);
  EXPECT_TRUE(system.file_reads.empty());
}

TEST(CiEnvironment, RunInHandOrExplicitForkSkipsEnvironmentForkDetection) {
  // The payload file is missing: reading it would be an error, so not reading it is observable.
  FakeSystem system{pr_env("ROCm/TheRock"), {}, {}, {}};
  system.env["IS_PR_FROM_FORK"] = "true";
  const auto with_run = system.select(run("ROCm/TheRock", "ROCm/TheRock", std::nullopt));
  EXPECT_FALSE(with_run.fork);
  BucketOverrides explicit_fork;
  explicit_fork.fork = false;
  EXPECT_FALSE(system.select(explicit_fork).fork);
  EXPECT_TRUE(system.file_reads.empty());
  for (const auto& name : system.env_reads) {
    EXPECT_TRUE(name == "GITHUB_REPOSITORY" || name == "RELEASE_TYPE") << name;
  }
}

TEST(CiEnvironment, SameRepositoryRunTakesTheResolvedBaseRepository) {
  FakeSystem system{{{"GITHUB_REPOSITORY", "ROCm/rocm-libraries"}}, {}, {}, {}};
  BucketOverrides o;
  o.run = WorkflowRunFacts{std::nullopt, "2025-09-15T00:00:00Z"};
  o.run_head_is_base = true;
  const auto decision = system.select(o);
  EXPECT_FALSE(decision.fork);
  EXPECT_EQ(decision.bucket, "therock-artifacts-external");
  EXPECT_EQ(decision.external_repo, "ROCm-rocm-libraries/");
}

TEST(CiEnvironment, EventPayloadForkValueFollowsPythonTruthiness) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {R"({"pull_request":{"head":{"repo":{"fork":true}}}})", true},
      {R"({"pull_request":{"head":{"repo":{"fork":1}}}})", true},
      {R"({"pull_request":{"head":{"repo":{"fork":"yes"}}}})", true},
      {R"({"pull_request":{"head":{"repo":{"fork":false}}}})", false},
      {R"({"pull_request":{"head":{"repo":{"fork":null}}}})", false},
      {R"({"pull_request":{"head":{"repo":{"fork":0}}}})", false},
      {R"({"pull_request":{"head":{"repo":{"fork":""}}}})", false},
      {R"({"pull_request":{"head":{"repo":{}}}})", false},
      {R"({"pull_request":{"head":{"repo":null}}})", false},
      {R"({"pull_request":null})", false},
      {R"({})", false},
  };
  for (const auto& [payload, fork] : cases) {
    SCOPED_TRACE(payload);
    FakeSystem system{pr_env("ROCm/TheRock"), {{k_event, payload}}, {}, {}};
    std::vector<std::string> reasons;
    EXPECT_EQ(fork_from_environment(system.lookup(), system.reader(), reasons), fork);
    EXPECT_EQ(system.file_reads, std::vector<std::string>{k_event});
  }
}

TEST(CiEnvironment, BadEventPayloadIsAConfigErrorNamingThePath) {
  const std::string prefix = "the GitHub event payload GITHUB_EVENT_PATH=/fake/event.json ";
  const std::vector<std::pair<std::optional<std::string>, std::string>> cases = {
      {std::nullopt,
       "cannot read the GitHub event payload GITHUB_EVENT_PATH=/fake/event.json: the file is "
       "missing or unreadable"},
      {"not json", prefix + "is not valid JSON: "},
      {"[1, 2]", prefix + "is not a JSON object"},
      {"\"fork\"", prefix + "is not a JSON object"},
      {"\xff\xfe", prefix + "is not valid JSON: "},
  };
  for (const auto& [content, message] : cases) {
    SCOPED_TRACE(message);
    FakeSystem system{pr_env("ROCm/TheRock"), {}, {}, {}};
    if (content) {
      system.files[k_event] = *content;
    }
    try {
      system.select();
      ADD_FAILURE() << "no error";
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).substr(0, message.size()), message);
      EXPECT_NE(e.hint().find("GITHUB_EVENT_PATH"), std::string::npos);
    }
  }
}

TEST(CiEnvironment, PayloadIsOnlyReadForPullRequestEvents) {
  for (const char* event : {"push", "workflow_dispatch", "schedule", "pull_request_target"}) {
    SCOPED_TRACE(event);
    // The file does not exist; a non-PR event must not even try to read it.
    FakeSystem system{with(pr_env("ROCm/TheRock"), "GITHUB_EVENT_NAME", event), {}, {}, {}};
    EXPECT_FALSE(system.select().fork);
    EXPECT_TRUE(system.file_reads.empty());
  }
  FakeSystem no_path{
      {{"GITHUB_EVENT_NAME", "pull_request"}, {"GITHUB_EVENT_PATH", ""}}, {}, {}, {}};
  EXPECT_FALSE(no_path.select().fork);
  EXPECT_TRUE(no_path.file_reads.empty());
}

TEST(CiEnvironment, ForkSignalsAreExplainedInTheReasons) {
  FakeSystem system{
      with(pr_env("ROCm/TheRock"), "IS_PR_FROM_FORK", "True"), {{k_event, k_fork_payload}}, {}, {}};
  const auto decision = system.select();
  const std::vector<std::string> expected = {
      "The repository ROCm/TheRock comes from GITHUB_REPOSITORY.",
      "RELEASE_TYPE is unset, so the default release type ci applies.",
      "The pull_request event payload at /fake/event.json has a truthy "
      "pull_request.head.repo.fork.",
      "IS_PR_FROM_FORK is 'True', which is not exactly 'true', so it does not mark a fork.",
      "Repository ROCm/TheRock, release type ci.",
      "Without a run object the fork flag is set, so the run counts as a fork.",
      "The run's updated_at is unknown, so the current (post-2025-11-11T16:18:48Z) rules apply.",
      "A CI run of another repository or a fork uses therock-ci-artifacts-external with "
      "the base repository's prefix ROCm-TheRock/.",
  };
  EXPECT_EQ(decision.reasons, expected);
}

} // namespace
} // namespace rockart::layout
