// SPDX-License-Identifier: MIT
// select_bucket() against spec/buckets.md §2, §3.1, §4 and §6.1. The §8 worked
// examples are run end to end (environment adapter + selection) in
// test_ci_environment.cpp; this file pins the decision table itself.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/util/time.hpp>

#include <string>
#include <vector>

namespace rockart::layout {
namespace {

constexpr const char* k_allowed = "ci, dev, dev-bkc, nightly, nightly-bkc, prerelease";

BucketInputs
ci_run(std::string repo, std::optional<std::string> head, std::optional<std::string> updated_at) {
  BucketInputs inputs;
  inputs.repository = std::move(repo);
  inputs.run = WorkflowRunFacts{std::move(head), std::move(updated_at)};
  return inputs;
}

TEST(Bucket, CutoverIsTheCommitTimeOfTheRename) {
  EXPECT_EQ(util::format_iso8601(legacy_cutover()), "2025-11-11T16:18:48Z");
}

// §4 rows 5/6 and 8/9 at Cut - 1 s, Cut and Cut + 1 s (§9 boundary tests),
// plus the same instants written with numeric offsets (normalised to UTC).
struct BoundaryCase {
  const char* head;
  const char* updated_at;
  const char* bucket;
  const char* external_repo;
  bool legacy;
};

TEST(Bucket, CutoverBoundaryIsInclusiveForMainAndExternalRows) {
  const std::vector<BoundaryCase> cases = {
      {"ROCm/TheRock", "2025-11-11T16:18:47Z", "therock-artifacts", "", true},
      {"ROCm/TheRock", "2025-11-11T16:18:48Z", "therock-artifacts", "", true},
      {"ROCm/TheRock", "2025-11-11T16:18:49Z", "therock-ci-artifacts", "", false},
      {"ROCm/TheRock", "2025-11-11T08:18:48-08:00", "therock-artifacts", "", true},
      {"ROCm/TheRock", "2025-11-11T08:18:49-08:00", "therock-ci-artifacts", "", false},
      {"ROCm/TheRock", "2025-11-11T16:18:48+00:00", "therock-artifacts", "", true},
      {"SomeUser/TheRock",
       "2025-11-11T16:18:47Z",
       "therock-artifacts-external",
       "ROCm-TheRock/",
       true},
      {"SomeUser/TheRock",
       "2025-11-11T16:18:48Z",
       "therock-artifacts-external",
       "ROCm-TheRock/",
       true},
      {"SomeUser/TheRock",
       "2025-11-11T16:18:49Z",
       "therock-ci-artifacts-external",
       "ROCm-TheRock/",
       false},
      {"SomeUser/TheRock",
       "2025-11-11T17:18:49+01:00",
       "therock-ci-artifacts-external",
       "ROCm-TheRock/",
       false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.head) + " @ " + c.updated_at);
    const auto d = select_bucket(ci_run("ROCm/TheRock", c.head, c.updated_at));
    EXPECT_EQ(d.bucket, c.bucket);
    EXPECT_EQ(d.external_repo, c.external_repo);
    EXPECT_EQ(d.legacy, c.legacy);
  }
}

TEST(Bucket, ExternalRepositoryBoundaryUsesItsOwnPrefix) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"2025-11-11T16:18:47Z", "therock-artifacts-external"},
      {"2025-11-11T16:18:48Z", "therock-artifacts-external"},
      {"2025-11-11T16:18:49Z", "therock-ci-artifacts-external"},
  };
  for (const auto& [updated_at, bucket] : cases) {
    SCOPED_TRACE(updated_at);
    const auto d = select_bucket(ci_run("ROCm/rocm-libraries", "ROCm/rocm-libraries", updated_at));
    EXPECT_EQ(d.bucket, bucket);
    EXPECT_EQ(d.external_repo, "ROCm-rocm-libraries/");
    EXPECT_FALSE(d.fork);
  }
}

// §4 rows 2-4: every release type, for the main repo and for a pre-cutover
// fork run of another repository (neither changes the bucket nor adds a prefix).
TEST(Bucket, EveryReleaseTypeHasItsBucketWhateverTheRunContext) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"ci", "therock-ci-artifacts"},
      {"dev", "therock-dev-artifacts"},
      {"dev-bkc", "therock-dev-artifacts"},
      {"nightly", "therock-nightly-artifacts"},
      {"nightly-bkc", "therock-nightly-artifacts"},
      {"prerelease", "therock-prerelease-artifacts"},
  };
  for (const auto& [type, bucket] : cases) {
    SCOPED_TRACE(type);
    BucketInputs plain;
    plain.release_type = type;
    const auto d = select_bucket(plain);
    EXPECT_EQ(d.bucket, bucket);
    EXPECT_EQ(d.external_repo, "");
    EXPECT_FALSE(d.legacy);
    if (std::string(type) == "ci") {
      continue;
    }
    auto other = ci_run("ROCm/rockrel", "Someone/rockrel", "2025-10-01T00:00:00Z");
    other.release_type = type;
    const auto o = select_bucket(other);
    EXPECT_EQ(o.bucket, bucket);
    EXPECT_EQ(o.external_repo, "");
    EXPECT_FALSE(o.legacy);
    EXPECT_TRUE(o.fork);
  }
}

TEST(Bucket, InvalidReleaseTypesNameTheValueAndListTheAllowedOnes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"release", "invalid release type 'release': expected one of "},
      {"bogus", "invalid release type 'bogus': expected one of "},
      {"Dev", "invalid release type 'Dev': expected one of "},
      {" dev", "invalid release type ' dev': expected one of "},
      {"dev ", "invalid release type 'dev ': expected one of "},
      {"nightly_bkc", "invalid release type 'nightly_bkc': expected one of "},
      {"", "invalid release type '' (empty): expected one of "},
  };
  for (const auto& [type, prefix] : cases) {
    SCOPED_TRACE("'" + type + "'");
    EXPECT_FALSE(is_release_type(type));
    BucketInputs inputs;
    inputs.release_type = type;
    try {
      select_bucket(inputs);
      ADD_FAILURE() << "no error";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), prefix + k_allowed);
    }
  }
}

TEST(Bucket, InvalidRepositoryShapesAreRejectedWithAClearMessage) {
  for (const std::string repo : {"TheRock", "ROCm/TheRock/x", "/TheRock", "ROCm/", "", "/"}) {
    SCOPED_TRACE("'" + repo + "'");
    EXPECT_FALSE(parse_repository(repo).has_value());
    BucketInputs inputs;
    inputs.repository = repo;
    try {
      select_bucket(inputs);
      ADD_FAILURE() << "no error";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()),
                "invalid repository '" + repo
                    + "': expected OWNER/REPO with exactly one '/' and a non-empty owner and "
                      "name (e.g. ROCm/TheRock)");
    }
    // Release types do not use the repository, but a malformed one is still rejected.
    inputs.release_type = "nightly";
    EXPECT_ERROR(select_bucket(inputs), UsageError, "invalid repository");
  }
}

TEST(Bucket, RepositoryPrefixUsesGitHubsSpellingAndIsOnlyForOwnerSlashRepo) {
  const auto name = parse_repository("ROCm/rocm-libraries");
  ASSERT_TRUE(name.has_value());
  EXPECT_EQ(name->owner, "ROCm");
  EXPECT_EQ(name->name, "rocm-libraries");
  // GitHub names are case-insensitive, S3 keys are not: the known repositories
  // get their own spelling, others keep the one given.
  EXPECT_EQ(external_repo_prefix("rocm/therock"), "ROCm-TheRock/");
  EXPECT_EQ(external_repo_prefix("ROCM/ROCM-SYSTEMS"), "ROCm-rocm-systems/");
  EXPECT_EQ(external_repo_prefix("SomeUser/TheRock"), "SomeUser-TheRock/");
  EXPECT_ERROR(external_repo_prefix("a/b/c"), UsageError, "invalid repository 'a/b/c'");
}

TEST(Bucket, RepositoryNamesCompareIgnoringCase) {
  EXPECT_TRUE(same_repository("rocm/rocm-systems", "ROCm/rocm-systems"));
  EXPECT_FALSE(same_repository("ROCm/rocm-systems", "ROCm/rocm-libraries"));
  EXPECT_EQ(canonical_repository("rocm/theRock"), "ROCm/TheRock");
  EXPECT_EQ(canonical_repository("me/TheRock"), "me/TheRock");
  // The same run, typed either way: same bucket, same prefix, not a fork.
  const auto typed = select_bucket(ci_run("rocm/rocm-systems", "ROCm/rocm-systems", std::nullopt));
  const auto exact = select_bucket(ci_run("ROCm/rocm-systems", "ROCm/rocm-systems", std::nullopt));
  EXPECT_EQ(typed.bucket, exact.bucket);
  EXPECT_EQ(typed.external_repo, "ROCm-rocm-systems/");
  EXPECT_FALSE(typed.fork);
  EXPECT_EQ(select_bucket(ci_run("rocm/therock", "ROCm/TheRock", std::nullopt)).bucket,
            "therock-ci-artifacts");
}

TEST(Bucket, AGitHubUrlGivenAsARepositoryNamesTheOwnerRepoForm) {
  EXPECT_EQ(invalid_repository_message("https://github.com/ROCm/rocm-systems.git"),
            "invalid repository 'https://github.com/ROCm/rocm-systems.git': expected OWNER/REPO "
            "with exactly one '/' and a non-empty owner and name (e.g. ROCm/TheRock); for that "
            "URL give ROCm/rocm-systems");
}

TEST(Bucket, UnparseableUpdatedAtIsAnErrorNamingTheValue) {
  for (const std::string raw : {"2025-11-11", "yesterday", "", "2025-11-11T16:18:48+0800"}) {
    SCOPED_TRACE("'" + raw + "'");
    try {
      select_bucket(ci_run("ROCm/TheRock", "ROCm/TheRock", raw));
      ADD_FAILURE() << "no error";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()),
                "cannot parse the run's updated_at '" + raw
                    + "': expected an ISO 8601 timestamp such as 2025-11-11T16:18:48Z");
    }
    // Malformed run data is an error even where the date would not matter.
    auto nightly = ci_run("ROCm/TheRock", "ROCm/TheRock", raw);
    nightly.release_type = "nightly";
    EXPECT_ERROR(select_bucket(nightly), UsageError, "cannot parse the run's updated_at");
  }
}

TEST(Bucket, NullHeadRepositoryIsTreatedAsAForkWithAWarning) {
  const auto d = select_bucket(ci_run("ROCm/TheRock", std::nullopt, "2026-02-01T00:00:00Z"));
  EXPECT_EQ(d.bucket, "therock-ci-artifacts-external");
  EXPECT_EQ(d.external_repo, "ROCm-TheRock/");
  EXPECT_TRUE(d.fork);
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0],
            "the run's head repository is missing or null (a deleted fork?); treating the run "
            "as a fork");
  const auto pre = select_bucket(ci_run("ROCm/TheRock", std::nullopt, "2025-11-01T00:00:00Z"));
  EXPECT_EQ(pre.bucket, "therock-artifacts-external");
}

TEST(Bucket, RunObjectDecidesForkOverTheEnvironmentFlag) {
  auto same = ci_run("ROCm/TheRock", "ROCm/TheRock", std::nullopt);
  same.fork = true; // ignored: the run object is authoritative (§1)
  EXPECT_EQ(select_bucket(same).bucket, "therock-ci-artifacts");
  EXPECT_FALSE(select_bucket(same).fork);
  BucketInputs env_fork;
  env_fork.fork = true;
  EXPECT_EQ(select_bucket(env_fork).bucket, "therock-ci-artifacts-external");
  EXPECT_EQ(select_bucket(env_fork).external_repo, "ROCm-TheRock/");
}

TEST(Bucket, InternalRepositoryRowHasNoDateConditionButForksLeaveIt) {
  const std::string internal = "ROCm/therock-releases-internal";
  for (const char* updated_at : {"2025-10-01T00:00:00Z", "2026-01-15T00:00:00Z"}) {
    SCOPED_TRACE(updated_at);
    const auto d = select_bucket(ci_run(internal, internal, updated_at));
    EXPECT_EQ(d.bucket, "therock-artifacts-internal");
    EXPECT_EQ(d.external_repo, "ROCm-therock-releases-internal/");
    EXPECT_TRUE(d.legacy);
  }
  const auto fork = select_bucket(ci_run(internal, "Someone/x", "2025-10-01T00:00:00Z"));
  EXPECT_EQ(fork.bucket, "therock-artifacts-external");
}

TEST(Bucket, OverrideShortCircuitsEverything) {
  BucketInputs inputs;
  inputs.bucket_override = "my-bucket";
  inputs.release_type = "bogus";
  inputs.repository = "not a repo";
  inputs.run = WorkflowRunFacts{std::nullopt, "garbage"};
  const auto d = select_bucket(inputs);
  EXPECT_EQ(d.bucket, "my-bucket");
  EXPECT_EQ(d.external_repo, "");
  EXPECT_FALSE(d.legacy);
  EXPECT_TRUE(d.warnings.empty());
  ASSERT_EQ(d.reasons.size(), 1u);
  EXPECT_EQ(d.reasons[0],
            "The bucket my-bucket was given explicitly, so no selection rule applies and "
            "there is no prefix.");
  inputs.bucket_override = "";
  EXPECT_ERROR(select_bucket(inputs), UsageError, "the bucket override is empty");
}

TEST(Bucket, ReasonChainExplainsEachStepInOrder) {
  auto inputs = ci_run("ROCm/TheRock", "SomeUser/TheRock", "2025-11-11T16:18:48Z");
  inputs.provenance = {"The repository ROCm/TheRock was given explicitly."};
  const auto d = select_bucket(inputs);
  const std::vector<std::string> expected = {
      "The repository ROCm/TheRock was given explicitly.",
      "Repository ROCm/TheRock, release type ci.",
      "The run's head repository SomeUser/TheRock differs from the base repository "
      "ROCm/TheRock, so the run comes from a fork.",
      "The run was last updated at 2025-11-11T16:18:48Z, at or before the bucket-rename "
      "cutover 2025-11-11T16:18:48Z, so the legacy rules apply.",
      "A CI run of another repository or a fork from before the cutover uses the legacy "
      "bucket therock-artifacts-external with the base repository's prefix ROCm-TheRock/.",
  };
  EXPECT_EQ(d.reasons, expected);
  const auto current = select_bucket(BucketInputs{});
  EXPECT_EQ(current.reasons.back(),
            "A non-fork CI run of ROCm/TheRock uses therock-ci-artifacts with no prefix.");
}

// §6.1 inventory: account, region, write role, public readability.
TEST(Bucket, InventoryAndUploadRoles) {
  struct Row {
    const char* bucket;
    const char* role_arn; // for a non-fork decision
    bool public_read;
    bool legacy;
  };

  const std::vector<Row> rows = {
      {"therock-ci-artifacts", "arn:aws:iam::692859939525:role/therock-ci", true, false},
      {"therock-ci-artifacts-external",
       "arn:aws:iam::692859939525:role/therock-ci-external",
       true,
       false},
      {"therock-dev-artifacts", "arn:aws:iam::692859939525:role/therock-dev", true, false},
      {"therock-nightly-artifacts", "arn:aws:iam::692859939525:role/therock-nightly", true, false},
      {"therock-prerelease-artifacts",
       "arn:aws:iam::692859939525:role/therock-prerelease",
       true,
       false},
      {"therock-release-artifacts", "", true, false},
      {"therock-artifacts", "", true, true},
      {"therock-artifacts-external", "", true, true},
      {"therock-artifacts-internal", "", false, true},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.bucket);
    const auto info = find_bucket_info(row.bucket);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->account, "692859939525");
    EXPECT_EQ(info->region, "us-east-2");
    EXPECT_EQ(info->public_read, row.public_read);
    EXPECT_EQ(info->legacy, row.legacy);
    BucketDecision decision;
    decision.bucket = row.bucket;
    EXPECT_EQ(upload_role_arn(decision), row.role_arn);
    decision.fork = true; // forks never assume a role
    EXPECT_EQ(upload_role_arn(decision), "");
  }
  EXPECT_FALSE(find_bucket_info("my-bucket").has_value());
  BucketDecision unknown;
  unknown.bucket = "my-bucket";
  EXPECT_EQ(upload_role_arn(unknown), "");
}

} // namespace
} // namespace rockart::layout
