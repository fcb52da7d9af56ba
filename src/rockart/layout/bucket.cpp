// SPDX-License-Identifier: MIT
// Bucket selection: a decision table over (release type, repository, fork,
// before/after the bucket-rename cutover), the allowed release types, fork
// detection from a run object and the inventory of known buckets.
#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>

#include <array>

namespace rockart::layout {

namespace {

constexpr std::string_view k_main_repository = "ROCm/TheRock";
constexpr std::string_view k_internal_repository = "ROCm/therock-releases-internal";
constexpr std::array<std::string_view, 4> k_known_repositories = {
    k_main_repository, "ROCm/rocm-libraries", "ROCm/rocm-systems", k_internal_repository};
constexpr std::string_view k_artifacts_account = "692859939525";
constexpr std::string_view k_artifacts_region = "us-east-2";

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

// The fork flag: from the run object when there is one, else the
// environment-derived flag the caller passed in.
bool decide_fork(const BucketInputs& inputs, BucketDecision& decision) {
  if (!inputs.run) {
    decision.reasons.emplace_back(
        inputs.fork ? "Without a run object the fork flag is set, so the run counts as a fork."
                    : "Without a run object the fork flag is not set, so the run is not a fork.");
    return inputs.fork;
  }
  const auto& head = inputs.run->head_repository;
  if (!head) {
    // GitHub reports a null head_repository when the fork was deleted; such a
    // run cannot be trusted with the main repository's bucket.
    const std::string warning = "the run's head repository is missing or null (a deleted fork?); "
                                "treating the run as a fork";
    decision.warnings.push_back(warning);
    decision.reasons.emplace_back("The run's head repository is missing or null, so the run is "
                                  "treated as coming from a fork.");
    return true;
  }
  if (!same_repository(*head, inputs.repository)) {
    decision.reasons.push_back("The run's head repository " + *head
                               + " differs from the base repository " + inputs.repository
                               + ", so the run comes from a fork.");
    return true;
  }
  decision.reasons.push_back("The run's head repository is the base repository " + *head
                             + ", so the run is not from a fork.");
  return false;
}

// The run's `updated_at` as UTC, nullopt when unknown. Throws UsageError when
// present but unparseable, whatever the release type: a bad timestamp means
// bad run data, and guessing a side of the cutover could pick the wrong bucket.
std::optional<std::chrono::sys_seconds> run_updated_at(const BucketInputs& inputs) {
  if (!inputs.run || !inputs.run->updated_at) {
    return std::nullopt;
  }
  const std::string& raw = *inputs.run->updated_at;
  const auto updated = util::parse_iso8601(raw);
  if (!updated) {
    throw UsageError("cannot parse the run's updated_at " + quoted(raw)
                         + ": expected an ISO 8601 timestamp such as 2025-11-11T16:18:48Z",
                     "check the workflow-run data (GitHub reports updated_at as "
                     "YYYY-MM-DDTHH:MM:SSZ)");
  }
  return updated;
}

// True when `updated` is known and at or before the cutover (inclusive).
bool decide_pre_cutover(std::optional<std::chrono::sys_seconds> updated, BucketDecision& decision) {
  const std::string cut = util::format_iso8601(legacy_cutover());
  if (!updated) {
    decision.reasons.push_back("The run's updated_at is unknown, so the current (post-" + cut
                               + ") rules apply.");
    return false;
  }
  const bool pre = *updated <= legacy_cutover();
  decision.reasons.push_back(
      "The run was last updated at " + util::format_iso8601(*updated)
      + (pre ? ", at or before" : ", after") + " the bucket-rename cutover " + cut
      + (pre ? ", so the legacy rules apply." : ", so the current rules apply."));
  return pre;
}

// Release types other than `ci` map to their bucket regardless of repository,
// fork or date: release builds are always uploaded by the main repository's
// release workflows.
std::optional<std::string_view> release_type_bucket(std::string_view type) {
  if (type == "dev" || type == "dev-bkc") {
    return "therock-dev-artifacts";
  }
  if (type == "nightly" || type == "nightly-bkc") {
    return "therock-nightly-artifacts";
  }
  if (type == "prerelease") {
    return "therock-prerelease-artifacts";
  }
  return std::nullopt;
}

void choose(BucketDecision& decision,
            std::string bucket,
            std::string external_repo,
            bool legacy,
            std::string why) {
  decision.bucket = std::move(bucket);
  decision.external_repo = std::move(external_repo);
  decision.legacy = legacy;
  decision.reasons.push_back(std::move(why));
}

// The bucket of a `ci` run: the main repository's own runs use the unprefixed
// bucket, other repositories and forks the external one under their prefix
// (so a fork can never overwrite the main repository's outputs); runs from
// before the cutover use the legacy names.
void choose_ci_bucket(const BucketInputs& inputs,
                      std::optional<std::chrono::sys_seconds> updated,
                      BucketDecision& decision) {
  const bool fork = decision.fork;
  const bool pre_cutover = decide_pre_cutover(updated, decision);
  const std::string repo = canonical_repository(inputs.repository);
  const std::string prefix = external_repo_prefix(repo);
  if (repo == k_main_repository && !fork) {
    if (pre_cutover) {
      choose(decision,
             "therock-artifacts",
             "",
             true,
             "A non-fork CI run of ROCm/TheRock from before the cutover uses the legacy "
             "bucket therock-artifacts with no prefix.");
    } else {
      choose(decision,
             "therock-ci-artifacts",
             "",
             false,
             "A non-fork CI run of ROCm/TheRock uses therock-ci-artifacts with no prefix.");
    }
  } else if (repo == k_internal_repository && !fork) {
    choose(decision,
           "therock-artifacts-internal",
           prefix,
           true,
           "A non-fork CI run of ROCm/therock-releases-internal uses the legacy bucket "
           "therock-artifacts-internal (at any date) with prefix "
               + prefix + ".");
  } else if (pre_cutover) {
    choose(decision,
           "therock-artifacts-external",
           prefix,
           true,
           "A CI run of another repository or a fork from before the cutover uses the "
           "legacy bucket therock-artifacts-external with the base repository's prefix "
               + prefix + ".");
  } else {
    choose(decision,
           "therock-ci-artifacts-external",
           prefix,
           false,
           "A CI run of another repository or a fork uses therock-ci-artifacts-external "
           "with the base repository's prefix "
               + prefix + ".");
  }
}

} // namespace

std::chrono::sys_seconds legacy_cutover() {
  using namespace std::chrono;
  // Commit time of b234c2a46 (TheRock PR #2046), which renamed the CI buckets.
  return sys_days{year{2025} / November / 11} + hours{16} + minutes{18} + seconds{48};
}

const std::vector<std::string>& allowed_release_types() {
  static const std::vector<std::string> types = {
      "ci", "dev", "dev-bkc", "nightly", "nightly-bkc", "prerelease"};
  return types;
}

bool is_release_type(std::string_view value) {
  for (const auto& type : allowed_release_types()) {
    if (type == value) {
      return true;
    }
  }
  return false;
}

std::string invalid_release_type_message(std::string_view value) {
  return "invalid release type " + quoted(value) + (value.empty() ? " (empty)" : "")
         + ": expected one of " + util::join(allowed_release_types(), ", ");
}

std::optional<RepositoryName> parse_repository(std::string_view repository) {
  const auto parts = util::split(repository, '/');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return std::nullopt;
  }
  return RepositoryName{parts[0], parts[1]};
}

std::string invalid_repository_message(std::string_view value) {
  std::string message = "invalid repository " + quoted(value)
                        + ": expected OWNER/REPO with exactly one '/' and a non-empty owner and "
                          "name (e.g. ROCm/TheRock)";
  // "https://github.com/ROCm/TheRock(.git)(/...)" -> "ROCm/TheRock"
  const std::string_view host = "github.com/";
  if (const auto at = value.find(host); at != std::string_view::npos) {
    const auto parts = util::split(value.substr(at + host.size()), '/');
    if (parts.size() >= 2 && !parts[0].empty() && !parts[1].empty()) {
      std::string name = parts[1];
      if (name.ends_with(".git")) {
        name.resize(name.size() - 4);
      }
      message += "; for that URL give " + parts[0] + "/" + name;
    }
  }
  return message;
}

bool same_repository(std::string_view a, std::string_view b) {
  return util::to_lower(a) == util::to_lower(b);
}

std::string canonical_repository(std::string_view repository) {
  for (const std::string_view known : k_known_repositories) {
    if (same_repository(known, repository)) {
      return std::string(known);
    }
  }
  return std::string(repository);
}

std::string external_repo_prefix(std::string_view repository) {
  const auto name = parse_repository(canonical_repository(repository));
  if (!name) {
    throw UsageError(invalid_repository_message(repository));
  }
  return name->owner + "-" + name->name + "/";
}

BucketDecision select_bucket(const BucketInputs& inputs) {
  BucketDecision decision;
  decision.reasons = inputs.provenance;
  if (inputs.bucket_override) {
    if (inputs.bucket_override->empty()) {
      throw UsageError("the bucket override is empty",
                       "pass a bucket name, e.g. --bucket "
                       "therock-ci-artifacts");
    }
    choose(decision,
           *inputs.bucket_override,
           "",
           false,
           "The bucket " + *inputs.bucket_override
               + " was given explicitly, so no selection rule applies and there is no prefix.");
    return decision;
  }
  if (!is_release_type(inputs.release_type)) {
    throw UsageError(invalid_release_type_message(inputs.release_type));
  }
  if (!parse_repository(inputs.repository)) {
    throw UsageError(invalid_repository_message(inputs.repository));
  }
  const auto updated = run_updated_at(inputs);
  decision.reasons.push_back("Repository " + inputs.repository + ", release type "
                             + inputs.release_type + ".");
  decision.fork = decide_fork(inputs, decision);
  if (const auto release = release_type_bucket(inputs.release_type)) {
    const std::string bucket(*release);
    choose(decision,
           bucket,
           "",
           false,
           "Release type " + inputs.release_type + " always uses " + bucket
               + " with no prefix, whatever the repository, fork status or date.");
    return decision;
  }
  choose_ci_bucket(inputs, updated, decision);
  return decision;
}

std::string summarize_decision(const BucketInputs& inputs, const BucketDecision& decision) {
  std::string line = "bucket " + decision.bucket;
  if (!decision.external_repo.empty()) {
    line += ", prefix " + decision.external_repo;
  }
  if (inputs.bucket_override) {
    return line + ": given explicitly";
  }
  line += ": " + (inputs.release_type == "ci" ? std::string("a CI") : "a " + inputs.release_type)
          + " run of " + inputs.repository + (decision.fork ? ", from a fork" : ", not a fork");
  if (decision.legacy) {
    line += ", from before the bucket cutover (legacy bucket)";
  }
  return line;
}

std::optional<BucketInfo> find_bucket_info(std::string_view bucket) {
  const std::string account(k_artifacts_account);
  const std::string region(k_artifacts_region);
  // Legacy buckets are read-only history: no upload role is recorded.
  const std::array<BucketInfo, 9> inventory = {{
      {"therock-ci-artifacts", account, region, "therock-ci", true, false},
      {"therock-ci-artifacts-external", account, region, "therock-ci-external", true, false},
      {"therock-dev-artifacts", account, region, "therock-dev", true, false},
      {"therock-nightly-artifacts", account, region, "therock-nightly", true, false},
      {"therock-prerelease-artifacts", account, region, "therock-prerelease", true, false},
      {"therock-release-artifacts", account, region, "", true, false},
      {"therock-artifacts", account, region, "", true, true},
      {"therock-artifacts-external", account, region, "", true, true},
      {"therock-artifacts-internal", account, region, "", false, true},
  }};
  for (const auto& info : inventory) {
    if (info.name == bucket) {
      return info;
    }
  }
  return std::nullopt;
}

std::string upload_role_arn(const BucketDecision& decision) {
  if (decision.fork) {
    return ""; // fork PRs have no OIDC trust; runner base credentials are used
  }
  const auto info = find_bucket_info(decision.bucket);
  if (!info || info->write_role.empty()) {
    return "";
  }
  return "arn:aws:iam::" + info->account + ":role/" + info->write_role;
}

} // namespace rockart::layout
