// SPDX-License-Identifier: MIT
// Every worked example of spec/buckets.md §8, run through
// bucket_inputs_from_environment() + select_bucket() with a fully controlled
// fake environment and file system (the real environment is never read).
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
      // Row 14 compares case-sensitively upstream; rockart compares as GitHub
      // does (issue 14): "rocm/therock" is ROCm/TheRock, so its own bucket.
      {14, {{"GITHUB_REPOSITORY", "rocm/therock"}, {"RELEASE_TYPE", "ci"}}, {}, {}, ci, "", false},
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

} // namespace
} // namespace rockart::layout
