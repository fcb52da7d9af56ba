// SPDX-License-Identifier: MIT
// `rockart bucket`: prints the bucket and external-repo prefix that a
// workflow run's outputs use, optionally with the reasons.
#include "bucket_flags.hpp"
#include "cli.hpp"
#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace rockart::cli {

namespace {

struct BucketOptions {
  BucketFlags bucket;
  bool json = false;
  bool explain = false;
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
  return doc.dump(2) + "\n";
}

void run_bucket(const BucketOptions& options) {
  const auto decision = resolve_bucket(bucket_overrides(options.bucket), /*log_diagnostics=*/false);
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
  add_bucket_flags(*cmd, options->bucket);
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
