// SPDX-License-Identifier: MIT
// The environment adapter (buckets.md §1-§3) and every worked example of §8,
// run through bucket_inputs_from_environment() + select_bucket() with a fully
// controlled fake environment and file system (the real one is never read).
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/layout/ci_environment.hpp>

#include <map>
#include <string>
#include <vector>

namespace rockart::layout {
namespace {

using Env = std::map<std::string, std::string>;
using Files = std::map<std::string, std::string>;

constexpr const char* k_event = "/fake/event.json";
constexpr const char* k_fork_payload = R"({"pull_request":{"head":{"repo":{"fork":true}}}})";
constexpr const char* k_same_payload = R"({"pull_request":{"head":{"repo":{"fork":false}}}})";

// Fakes that record what was read, so tests can assert "nothing was read".
struct FakeSystem {
  Env env;
  Files files;
  std::vector<std::string> env_reads;
  std::vector<std::string> file_reads;

  EnvLookup lookup() {
    return [this](std::string_view name) -> std::optional<std::string> {
      env_reads.emplace_back(name);
      const auto it = env.find(std::string(name));
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  FileReader reader() {
    return [this](const std::string& path) -> std::optional<std::string> {
      file_reads.push_back(path);
      const auto it = files.find(path);
      return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  BucketDecision select(const BucketOverrides& overrides = {}) {
    return select_bucket(bucket_inputs_from_environment(overrides, lookup(), reader()));
  }
};

Env pr_env(const char* repo) {
  return {{"GITHUB_REPOSITORY", repo},
          {"GITHUB_EVENT_NAME", "pull_request"},
          {"GITHUB_EVENT_PATH", k_event}};
}

Env with(Env env, const std::string& key, const std::string& value) {
  env[key] = value;
  return env;
}

BucketOverrides run(const char* repo,
                    std::optional<std::string> head,
                    std::optional<std::string> updated_at,
                    const char* type = "ci") {
  BucketOverrides o;
  o.repository = repo;
  o.release_type = type;
  o.run = WorkflowRunFacts{std::move(head), std::move(updated_at)};
  return o;
}

struct Example {
  int row; // buckets.md §8 row
  Env env;
  Files files;
  BucketOverrides overrides;
  std::string bucket;
  std::string external_repo;
  bool fork;
};

std::vector<Example> examples() {
  const Env push = {{"GITHUB_REPOSITORY", "ROCm/TheRock"}, {"GITHUB_EVENT_NAME", "push"}};
  const Files fork_file = {{k_event, k_fork_payload}};
  const char* tr = "ROCm/TheRock";
  const char* libs = "ROCm/rocm-libraries";
  const char* internal = "ROCm/therock-releases-internal";
  const std::string ci = "therock-ci-artifacts", ext = "therock-ci-artifacts-external";
  const std::string old = "therock-artifacts", old_ext = "therock-artifacts-external";
  // Month-only dates of real runs (§8) are represented by a day on the stated side.
  return {
      {1, push, {}, {}, ci, "", false},
      {2, {}, {}, {}, ci, "", false},
      {3, pr_env(tr), {{k_event, k_same_payload}}, {}, ci, "", false},
      {4, pr_env(tr), fork_file, {}, ext, "ROCm-TheRock/", true},
      {5, with(push, "GITHUB_EVENT_PATH", k_event), fork_file, {}, ci, "", false},
      {6,
       with(pr_env(tr), "GITHUB_EVENT_NAME", "pull_request_target"),
       fork_file,
       {},
       ci,
       "",
       false},
      {7, with(push, "IS_PR_FROM_FORK", "true"), {}, {}, ext, "ROCm-TheRock/", true},
      {8, with(push, "IS_PR_FROM_FORK", "True"), {}, {}, ci, "", false},
      {9, with(pr_env(tr), "IS_PR_FROM_FORK", "false"), fork_file, {}, ext, "ROCm-TheRock/", true},
      {10,
       {{"GITHUB_REPOSITORY", libs}, {"GITHUB_EVENT_NAME", "push"}},
       {},
       {},
       ext,
       "ROCm-rocm-libraries/",
       false},
      {11,
       {{"GITHUB_REPOSITORY", "ROCm/rocm-systems"},
        {"RELEASE_TYPE", "ci"},
        {"GITHUB_EVENT_NAME", "push"}},
       {},
       {},
       ext,
       "ROCm-rocm-systems/",
       false},
      {12,
       {{"GITHUB_REPOSITORY", "ROCm/llvm-project"}, {"RELEASE_TYPE", "ci"}},
       {},
       {},
       ext,
       "ROCm-llvm-project/",
       false},
      {13,
       {{"GITHUB_REPOSITORY", "SomeUser/TheRock"},
        {"RELEASE_TYPE", "ci"},
        {"GITHUB_EVENT_NAME", "push"}},
       {},
       {},
       ext,
       "SomeUser-TheRock/",
       false},
      {14,
       {{"GITHUB_REPOSITORY", "rocm/therock"}, {"RELEASE_TYPE", "ci"}},
       {},
       {},
       ext,
       "rocm-therock/",
       false},
      {15, {}, {}, run(tr, tr, "2026-01-15T12:00:00Z"), ci, "", false},
      {16, {}, {}, run(tr, tr, "2025-11-11T16:18:48Z"), old, "", false},
      {17, {}, {}, run(tr, tr, "2025-11-11T16:18:49Z"), ci, "", false},
      {18, {}, {}, run(tr, tr, "2025-11-11T16:18:47Z"), old, "", false},
      {19, {}, {}, run(tr, tr, "2025-10-01T00:00:00Z"), old, "", false},
      {20, {}, {}, run(tr, tr, "2025-09-15T00:00:00Z"), old, "", false}, // run 18022609292
      {21, {}, {}, run(tr, tr, "2025-10-15T00:00:00Z"), old, "", false}, // run 18740768335
      {22, {}, {}, run(tr, tr, "2025-11-05T00:00:00Z"), old, "", false}, // run 19264731491
      {23, {}, {}, run(tr, tr, "2025-11-20T00:00:00Z"), ci, "", false},  // run 19680190301
      {24, {}, {}, run(tr, tr, "2025-11-21T00:00:00Z"), ci, "", false},  // run 19688861356
      {25, {}, {}, run(tr, tr, "2025-12-10T00:00:00Z"), ci, "", false},  // run 20083647898
      {26, {}, {}, run(tr, "SomeUser/TheRock", "2026-01-15T12:00:00Z"), ext, "ROCm-TheRock/", true},
      {27,
       {},
       {},
       run(tr, "SomeUser/TheRock", "2025-11-11T16:18:48Z"),
       old_ext,
       "ROCm-TheRock/",
       true},
      {28,
       {},
       {},
       run(tr, "someone/TheRock", "2025-09-15T00:00:00Z"),
       old_ext,
       "ROCm-TheRock/",
       true}, // run 18023442478
      {29,
       {},
       {},
       run(tr, "ScottTodd/TheRock", "2025-12-15T00:00:00Z"),
       ext,
       "ROCm-TheRock/",
       true}, // run 20384488184
      {30,
       {},
       {},
       run(libs, libs, "2025-09-15T00:00:00Z"),
       old_ext,
       "ROCm-rocm-libraries/",
       false}, // run 18020401326
      {31,
       {},
       {},
       run(libs, libs, "2025-11-25T00:00:00Z"),
       ext,
       "ROCm-rocm-libraries/",
       false}, // run 19784318631
      {32,
       {},
       {},
       run(libs, libs, "2026-01-20T00:00:00Z"),
       ext,
       "ROCm-rocm-libraries/",
       false}, // run 21365647639
      {33,
       {},
       {},
       run("ROCm/rocm-systems", "ROCm/rocm-systems", "2026-01-05T00:00:00Z"),
       ext,
       "ROCm-rocm-systems/",
       false}, // run 20723767265
      {34,
       {{"GITHUB_REPOSITORY", internal}, {"RELEASE_TYPE", "ci"}, {"GITHUB_EVENT_NAME", "push"}},
       {},
       {},
       "therock-artifacts-internal",
       "ROCm-therock-releases-internal/",
       false},
      {35,
       {},
       {},
       run(internal, internal, "2025-10-01T00:00:00Z"),
       "therock-artifacts-internal",
       "ROCm-therock-releases-internal/",
       false},
      {36,
       {},
       {},
       run(internal, "Someone/therock-releases-internal", "2026-01-15T00:00:00Z"),
       ext,
       "ROCm-therock-releases-internal/",
       true},
      {37,
       {},
       {},
       run("ROCm/therock-releases", "ROCm/therock-releases", "2025-09-01T00:00:00Z"),
       old_ext,
       "ROCm-therock-releases/",
       false},
      {38, with(push, "RELEASE_TYPE", "dev"), {}, {}, "therock-dev-artifacts", "", false},
      {39, with(push, "RELEASE_TYPE", "dev-bkc"), {}, {}, "therock-dev-artifacts", "", false},
      {40, with(push, "RELEASE_TYPE", "nightly"), {}, {}, "therock-nightly-artifacts", "", false},
      {41,
       with(push, "RELEASE_TYPE", "nightly-bkc"),
       {},
       {},
       "therock-nightly-artifacts",
       "",
       false},
      {42,
       with(push, "RELEASE_TYPE", "prerelease"),
       {},
       {},
       "therock-prerelease-artifacts",
       "",
       false},
      {43,
       {{"GITHUB_REPOSITORY", "ROCm/rockrel"}, {"RELEASE_TYPE", "nightly"}},
       {},
       {},
       "therock-nightly-artifacts",
       "",
       false},
      {44,
       {{"RELEASE_TYPE", "nightly"}},
       {},
       [&] {
         auto o = run(tr, tr, "2025-11-05T00:00:00Z"); // run 19157864140
         o.release_type.reset();                       // from the environment
         return o;
       }(),
       "therock-nightly-artifacts",
       "",
       false},
      {45,
       {},
       {},
       run(tr, "SomeUser/TheRock", "2025-10-01T00:00:00Z", "dev"),
       "therock-dev-artifacts",
       "",
       true},
      {46,
       with(push, "RELEASE_TYPE", "dev"),
       {},
       [] {
         BucketOverrides o;
         o.release_type = "ci";
         return o;
       }(),
       ci,
       "",
       false},
      {47, with(push, "RELEASE_TYPE", "nightly"), {}, {}, "therock-nightly-artifacts", "", false},
      {53, {}, {}, run(tr, tr, std::nullopt), ci, "", false},
      {55, {}, {}, run(tr, std::nullopt, "2026-02-01T00:00:00Z"), ext, "ROCm-TheRock/", true},
  };
}

TEST(BucketExamples, EveryWorkedExampleOfSection8) {
  for (const auto& example : examples()) {
    SCOPED_TRACE("buckets.md §8 row " + std::to_string(example.row));
    FakeSystem system{example.env, example.files, {}, {}};
    const auto decision = system.select(example.overrides);
    EXPECT_EQ(decision.bucket, example.bucket);
    EXPECT_EQ(decision.external_repo, example.external_repo);
    EXPECT_EQ(decision.fork, example.fork);
  }
}

// Rows 48-52 and 54: errors, with the exact message and kind.
struct ErrorExample {
  int row;
  Env env;
  BucketOverrides overrides;
  std::string kind;
  std::string message;
};

TEST(BucketExamples, ErrorRowsOfSection8) {
  const std::string allowed =
      ": expected one of ci, dev, dev-bkc, nightly, nightly-bkc, prerelease";
  const std::string shape =
      "': expected OWNER/REPO with exactly one '/' and a non-empty owner and name (e.g. "
      "ROCm/TheRock)";
  auto type = [](const char* t) {
    BucketOverrides o;
    o.release_type = t;
    return o;
  };
  auto repo = [](const char* r) {
    BucketOverrides o;
    o.repository = r;
    o.release_type = "ci";
    return o;
  };
  const std::vector<ErrorExample> cases = {
      {48, {}, type("bogus"), "usage", "invalid release type 'bogus'" + allowed},
      {49, {}, type("release"), "usage", "invalid release type 'release'" + allowed},
      {50, {}, type(""), "usage", "invalid release type '' (empty)" + allowed},
      {50,
       {{"RELEASE_TYPE", ""}},
       {},
       "config",
       "environment variable RELEASE_TYPE: invalid release type '' (empty)" + allowed},
      {51, {}, repo("TheRock"), "usage", "invalid repository 'TheRock" + shape},
      {51,
       {{"GITHUB_REPOSITORY", "TheRock"}},
       {},
       "config",
       "environment variable GITHUB_REPOSITORY: invalid repository 'TheRock" + shape},
      {52, {}, repo("ROCm/TheRock/x"), "usage", "invalid repository 'ROCm/TheRock/x" + shape},
      {54,
       {},
       run("ROCm/TheRock", "ROCm/TheRock", "2025-11-11"),
       "usage",
       "cannot parse the run's updated_at '2025-11-11': expected an ISO 8601 timestamp such as "
       "2025-11-11T16:18:48Z"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("buckets.md §8 row " + std::to_string(c.row));
    FakeSystem system{c.env, {}, {}, {}};
    try {
      system.select(c.overrides);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.kind()), c.kind);
      EXPECT_EQ(std::string(e.what()), c.message);
    }
  }
}

TEST(BucketExamples, Row56OverrideReadsNoEnvironmentAndNoFiles) {
  FakeSystem system{pr_env("bad repo"), {}, {}, {}};
  system.env["RELEASE_TYPE"] = "bogus";
  BucketOverrides o;
  o.bucket = "my-bucket";
  const auto decision = system.select(o);
  EXPECT_EQ(decision.bucket, "my-bucket");
  EXPECT_EQ(decision.external_repo, "");
  EXPECT_TRUE(system.env_reads.empty());
  EXPECT_TRUE(system.file_reads.empty());
}

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
      "Row 9: a CI run of another repository or a fork uses therock-ci-artifacts-external with "
      "the base repository's prefix ROCm-TheRock/.",
  };
  EXPECT_EQ(decision.reasons, expected);
}

} // namespace
} // namespace rockart::layout
