// SPDX-License-Identifier: MIT
// Bucket and external-repo-prefix selection: turns a
// workflow-run context into `(bucket, external_repo)`. Pure: the environment
// is interpreted by ci_environment.hpp, never here.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// Facts taken from a GitHub workflow-run object already in hand.
struct WorkflowRunFacts {
  std::optional<std::string> head_repository; // nullopt = missing/null (deleted fork)
  std::optional<std::string> updated_at;      // raw text; nullopt = absent
};

// Everything bucket selection depends on. Defaults are the upstream tools' defaults.
struct BucketInputs {
  std::string repository = "ROCm/TheRock"; // base repo, owner/repo
  std::string release_type = "ci";
  bool fork = false; // fork flag from the environment (used when no run)
  std::optional<WorkflowRunFacts> run;
  std::optional<std::string> bucket_override;
  // Sentences saying where the inputs came from (e.g. "The repository comes
  // from GITHUB_REPOSITORY."); copied to the front of BucketDecision::reasons.
  std::vector<std::string> provenance;
};

// The selected bucket, the key prefix inside it, and why.
struct BucketDecision {
  std::string bucket;
  std::string external_repo;         // "" or "{owner}-{repo}/"
  std::vector<std::string> reasons;  // one sentence per step, in order
  bool legacy = false;               // a legacy therock-artifacts{,-external,-internal}
  bool fork = false;                 // final fork flag F (drops the upload role)
  std::vector<std::string> warnings; // e.g. null head repository treated as a fork
};

// Selects the bucket; the first matching rule wins: a bucket override; the
// dev / nightly / prerelease bucket of a release type; for ci, ROCm/TheRock
// (not a fork) -> therock-ci-artifacts, ROCm/therock-releases-internal (not a
// fork) -> therock-artifacts-internal with its prefix, anything else ->
// therock-ci-artifacts-external with the `{owner}-{repo}/` prefix. A ci run
// updated at or before legacy_cutover() uses the legacy therock-artifacts /
// therock-artifacts-external instead. Throws UsageError naming the value for
// an invalid release type, a repository not of the form owner/repo, an empty
// bucket override, or an unparseable `updated_at`.
BucketDecision select_bucket(const BucketInputs& inputs);

// One line for users about `decision`, made from `inputs`: "bucket
// therock-ci-artifacts: a CI run of ROCm/TheRock, not a fork", "bucket
// therock-ci-artifacts-external, prefix ROCm-rocm-libraries/: a CI run of
// ROCm/rocm-libraries, not a fork", "bucket my-bucket: given explicitly".
// The full reasoning is decision.reasons.
std::string summarize_decision(const BucketInputs& inputs, const BucketDecision& decision);

// The instant the CI buckets were renamed, 2025-11-11T16:18:48Z. A run whose
// `updated_at` is at or before it (inclusive) uses the legacy buckets.
std::chrono::sys_seconds legacy_cutover();

// The allowed release types, in the order they are listed in messages.
const std::vector<std::string>& allowed_release_types();

// True when `value` is exactly one of allowed_release_types() (no trimming or
// case folding).
bool is_release_type(std::string_view value);

// The message for a rejected release type: names `value` and lists the allowed
// ones, e.g. "invalid release type 'bogus': expected one of ci, dev, ...".
std::string invalid_release_type_message(std::string_view value);

// Owner and name of a repository given as `owner/repo`.
struct RepositoryName {
  std::string owner;
  std::string name;
};

// Splits `repository` at its single '/'. Returns nullopt unless there is
// exactly one '/' with a non-empty part on each side.
std::optional<RepositoryName> parse_repository(std::string_view repository);

// The message for a repository not of the form owner/repo; names `value`
// and, for a GitHub URL, the OWNER/REPO it meant.
std::string invalid_repository_message(std::string_view value);

// Whether `a` and `b` name the same repository: GitHub compares owner and
// name ignoring case.
bool same_repository(std::string_view a, std::string_view b);

// `repository` in the spelling GitHub uses for the repositories TheRock's CI
// writes for (ROCm/TheRock, ROCm/rocm-libraries, ROCm/rocm-systems,
// ROCm/therock-releases-internal), matched ignoring case; any other as given.
std::string canonical_repository(std::string_view repository);

// The external-repo prefix `{owner}-{repo}/` of `repository`, in its
// canonical spelling (S3 keys are case-sensitive: "rocm/rocm-systems" must find
// the prefix ROCm-rocm-systems/). Throws UsageError when `repository` is not owner/repo.
std::string external_repo_prefix(std::string_view repository);

// Static facts about a known artifact bucket.
struct BucketInfo {
  std::string name;
  std::string account;      // AWS account id
  std::string region;       // e.g. us-east-2
  std::string write_role;   // IAM role name for uploads; "" when none is known
  bool public_read = false; // anonymous GetObject/ListObjectsV2 work
  bool legacy = false;      // read-only history from before the cutover
};

// The inventory entry for artifact bucket `bucket`, or nullopt when the
// bucket is not a known artifact bucket (e.g. a `--bucket` override).
std::optional<BucketInfo> find_bucket_info(std::string_view bucket);

// The IAM role ARN to assume for uploads to `decision.bucket`:
// `arn:aws:iam::{account}:role/{role}`, or "" for forks (fork PRs cannot
// assume a role; they use the runner's base credentials),
// unknown buckets and buckets without a role.
std::string upload_role_arn(const BucketDecision& decision);

} // namespace rockart::layout
