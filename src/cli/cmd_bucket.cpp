// SPDX-License-Identifier: MIT
// `rockart bucket`: prints the bucket and external-repo prefix that a
// workflow run's outputs use, optionally with the reasons.
#include "actions_output.hpp"
#include "bucket_flags.hpp"
#include "cli.hpp"
#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/s3/credentials.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace rockart::cli {

namespace {

struct BucketOptions {
  BucketFlags bucket;
  bool json = false;
  bool explain = false;
  bool github_output = false;
};

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
  return json_text(doc);
}

// The region of the bucket's inventory entry; a bucket outside the inventory
// (a --bucket override) is in the region the S3 commands would use.
std::string bucket_region(const layout::BucketDecision& decision) {
  if (const auto info = layout::find_bucket_info(decision.bucket)) {
    return info->region;
  }
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (auto value = process_env(name); value && !value->empty()) {
      return *value;
    }
  }
  return std::string(s3::k_default_region);
}

// What TheRock's bucket-info step (write_artifacts_bucket_info.py) writes for
// the credentials action: bucket, iam_role (the full ARN; empty for forks,
// which cannot assume a role, and buckets without one) and aws_region.
void report_bucket(ActionsReport& actions, const layout::BucketDecision& decision) {
  const std::string role = layout::upload_role_arn(decision);
  const std::string region = bucket_region(decision);
  actions.output("bucket", decision.bucket);
  actions.output("external_repo", decision.external_repo);
  actions.output("iam_role", role);
  actions.output("aws_region", region);
  actions.heading(decision.bucket);
  actions.row("Bucket", "`" + decision.bucket + "`");
  actions.row("External repo prefix",
              decision.external_repo.empty() ? "(none)" : "`" + decision.external_repo + "`");
  actions.row("IAM role", role.empty() ? "(none: runner credentials)" : "`" + role + "`");
  actions.row("Region", region);
  // The last reason is the rule that decided; --explain prints the whole chain.
  actions.row("Rule", decision.reasons.empty() ? std::string() : decision.reasons.back());
}

int run_bucket(const BucketOptions& options, ActionsReport& actions) {
  const auto decision = resolve_bucket(bucket_overrides(options.bucket), /*log_diagnostics=*/false);
  print_out(options.json ? render_json(decision) : render_text(decision, options.explain));
  report_bucket(actions, decision);
  return 0;
}

} // namespace

void register_bucket(CLI::App& app, Context& context) {
  auto options = std::make_shared<BucketOptions>();
  auto* cmd = app.add_subcommand(
      "bucket",
      "Print the S3 bucket and external-repo prefix a workflow run's outputs use. Flags win "
      "over GITHUB_REPOSITORY, RELEASE_TYPE, GITHUB_EVENT_NAME/GITHUB_EVENT_PATH and "
      "IS_PR_FROM_FORK.");
  add_bucket_flags(*cmd, options->bucket);
  cmd->add_flag("--json",
                options->json,
                "Print {bucket, external_repo, legacy, fork, reasons, "
                "warnings} as JSON");
  cmd->add_flag("--explain", options->explain, "Also print why this bucket was chosen");
  add_github_output_flag(*cmd,
                         options->github_output,
                         "bucket, external_repo, iam_role (the upload role's ARN, empty for "
                         "forks) and aws_region, as TheRock's bucket-info step does,");
  cmd->callback([options, &context] {
    context.json = options->json;
    ActionsReport actions("bucket", options->github_output);
    context.exit_code = actions.run([&] { return run_bucket(*options, actions); });
  });
}

} // namespace rockart::cli
