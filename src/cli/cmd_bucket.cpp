// SPDX-License-Identifier: MIT
// `rockart bucket`: prints the bucket and external-repo prefix that a
// workflow run's outputs use (spec/buckets.md), optionally with the reasons.
#include "cli.hpp"
#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace rockart::cli {

namespace {

struct BucketOptions {
  std::string repo;
  std::string release_type;
  std::string head_repo;
  std::string run_updated_at;
  std::string bucket;
  bool fork = false;
  bool no_fork = false;
  bool json = false;
  bool explain = false;
  // Options whose count() tells whether the flag was given at all.
  CLI::Option* repo_opt = nullptr;
  CLI::Option* type_opt = nullptr;
  CLI::Option* head_opt = nullptr;
  CLI::Option* updated_opt = nullptr;
  CLI::Option* bucket_opt = nullptr;
};

// Flags become overrides; anything not given is left to the environment.
layout::BucketOverrides overrides_from(const BucketOptions& o) {
  layout::BucketOverrides overrides;
  if (o.repo_opt->count() > 0) {
    overrides.repository = o.repo;
  }
  if (o.type_opt->count() > 0) {
    overrides.release_type = o.release_type;
  }
  if (o.bucket_opt->count() > 0) {
    overrides.bucket = o.bucket;
  }
  if (o.fork || o.no_fork) {
    overrides.fork = o.fork;
  }
  const bool has_head = o.head_opt->count() > 0;
  const bool has_updated = o.updated_opt->count() > 0;
  if (has_head || has_updated) {
    layout::WorkflowRunFacts run;
    // Without --head-repo the run is a same-repository run; an empty value
    // models GitHub's null head_repository (a deleted fork).
    if (has_head && !o.head_repo.empty()) {
      run.head_repository = o.head_repo;
    }
    overrides.run_head_is_base = !has_head;
    if (has_updated) {
      run.updated_at = o.run_updated_at;
    }
    overrides.run = run;
  }
  return overrides;
}

std::string render_text(const layout::BucketDecision& d, bool explain) {
  std::string text = "bucket=" + d.bucket + "\nexternal_repo=" + d.external_repo + "\n";
  if (explain) {
    text += "why:\n";
    for (size_t i = 0; i < d.reasons.size(); ++i) {
      text += "  " + std::to_string(i + 1) + ". " + d.reasons[i] + "\n";
    }
  }
  return text;
}

std::string render_json(const layout::BucketDecision& d) {
  const nlohmann::json doc = {{"bucket", d.bucket},
                              {"external_repo", d.external_repo},
                              {"legacy", d.legacy},
                              {"fork", d.fork},
                              {"reasons", d.reasons},
                              {"warnings", d.warnings}};
  return doc.dump(2) + "\n";
}

void run_bucket(const BucketOptions& options) {
  const auto decision = resolve_bucket(overrides_from(options), /*log_diagnostics=*/false);
  print_out(options.json ? render_json(decision) : render_text(decision, options.explain));
}

} // namespace

void register_bucket(CLI::App& app, Context& context) {
  auto options = std::make_shared<BucketOptions>();
  auto* cmd = app.add_subcommand(
      "bucket",
      "Print the S3 bucket and external-repo prefix a workflow run's outputs use. Flags win "
      "over GITHUB_REPOSITORY, RELEASE_TYPE, GITHUB_EVENT_NAME/GITHUB_EVENT_PATH and "
      "IS_PR_FROM_FORK.");
  options->repo_opt =
      cmd->add_option("--repo",
                      options->repo,
                      "Base repository OWNER/REPO (default: $GITHUB_REPOSITORY, else "
                      "ROCm/TheRock)");
  options->type_opt = cmd->add_option(
      "--release-type",
      options->release_type,
      "ci, dev, dev-bkc, nightly, nightly-bkc or prerelease (default: $RELEASE_TYPE, else ci)");
  options->head_opt = cmd->add_option("--head-repo",
                                      options->head_repo,
                                      "A run is in hand: its head_repository.full_name "
                                      "(default: the base repository; empty: null, a deleted "
                                      "fork)");
  options->updated_opt = cmd->add_option("--run-updated-at",
                                         options->run_updated_at,
                                         "A run is in hand: its updated_at, e.g. "
                                         "2025-11-11T16:18:48Z (decides legacy buckets)");
  auto* fork = cmd->add_flag("--fork", options->fork, "Treat as a fork (no run in hand)");
  auto* no_fork = cmd->add_flag("--no-fork", options->no_fork, "Treat as not a fork");
  fork->excludes(no_fork);
  for (auto* run_opt : {options->head_opt, options->updated_opt}) {
    run_opt->excludes(fork);
    run_opt->excludes(no_fork);
  }
  options->bucket_opt = cmd->add_option(
      "--bucket", options->bucket, "Use this bucket; skips selection (external_repo is empty)");
  cmd->add_flag("--json",
                options->json,
                "Print {bucket, external_repo, legacy, fork, reasons, "
                "warnings} as JSON");
  cmd->add_flag("--explain", options->explain, "Also print why this bucket was chosen");
  cmd->callback([options, &context] {
    context.json = options->json;
    run_bucket(*options);
    context.exit_code = 0;
  });
}

} // namespace rockart::cli
