// SPDX-License-Identifier: MIT
// `rockart locate`: prints where one output of a workflow run lives (relative
// path, s3:// URI, HTTPS URL, staging path), for every location kind of the
// layout's catalogue. Bucket and external-repo prefix come from bucket
// selection, fed by flags and, as defaults, the environment.
#include "bucket_flags.hpp"
#include "cli.hpp"
#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/layout/location_kind.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/util/strings.hpp>

#include <sys/utsname.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rockart::cli {

namespace {

struct LocateOptions {
  BucketFlags bucket;
  std::optional<std::string> run_id;
  std::optional<std::string> platform;
  std::optional<std::string> staging_dir;
  bool local = false;
  bool list = false;
  bool json = false;
  std::string kind;
  std::vector<std::string> args;
};

// Host system name, lower-cased: a local (non-CI) root uses it as its platform.
std::string host_platform() {
  utsname info{};
  if (uname(&info) != 0) {
    return "unknown";
  }
  return util::to_lower(info.sysname);
}

layout::WorkflowOutputRoot make_root(const LocateOptions& o, bool log_diagnostics) {
  if (o.local) {
    return layout::WorkflowOutputRoot::local(o.run_id.value_or("local"),
                                             o.platform.value_or(host_platform()));
  }
  if (!o.run_id) {
    throw UsageError("locate needs --run-id (the GitHub Actions run id, e.g. 20723767265)",
                     "pass --run-id ID, or --local for a local staging root");
  }
  const layout::BucketDecision decision =
      resolve_bucket(bucket_overrides(o.bucket), log_diagnostics);
  return layout::WorkflowOutputRoot(
      decision.bucket, decision.external_repo, *o.run_id, o.platform.value_or("linux"));
}

void run_locate(const LocateOptions& o, bool log_diagnostics) {
  if (o.list || o.kind.empty()) {
    print_out(o.json ? json_text(layout::location_kinds_json()) : layout::location_kinds_text());
    return;
  }
  // Check the kind and argument count before anything reads the environment.
  try {
    (void)layout::require_location_kind(o.kind, o.args.size());
  } catch (const UsageError& e) {
    throw UsageError(e.what(), "run `rockart locate --list` to see every kind and its arguments");
  }
  const layout::WorkflowOutputRoot root = make_root(o, log_diagnostics);
  const auto location = layout::resolve_location(root, o.kind, o.args);
  // The bucket of a local root is a placeholder: it has no S3 or HTTPS form.
  const layout::LocatedOutput output{o.kind, o.args, root, location, !o.local, o.staging_dir};
  print_out(o.json ? json_text(layout::located_json(output)) : layout::located_text(output));
}

} // namespace

void register_locate(CLI::App& app, Context& context) {
  auto options = std::make_shared<LocateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "locate",
      "Print where an output of a workflow run lives: relative path, s3:// URI, HTTPS URL and "
      "(with --staging-dir) the local staging path. Run `rockart locate --list` for the kinds.");
  cmd->add_option("kind", options->kind, "Location kind, e.g. log-dir (see --list)");
  cmd->add_option("args", options->args, "Arguments of the kind, e.g. an artifact group");
  cmd->add_option("--run-id", options->run_id, "GitHub Actions run id (with --local: any token)");
  cmd->add_option("--platform",
                  options->platform,
                  "linux or windows (default: linux; with --local: the host system)");
  add_bucket_flags(*cmd, options->bucket);
  CLI::Option* local = cmd->add_flag(
      "--local",
      options->local,
      "Local root (bucket 'local', run id default 'local'), as the artifact manager's local "
      "staging backend uses");
  local->excludes(options->bucket.bucket_opt);
  cmd->add_option("--staging-dir", options->staging_dir, "Also print the path below this dir");
  cmd->add_flag("--list", options->list, "List every location kind and its arguments");
  cmd->add_flag("--json", options->json, "Print one JSON object");
  cmd->callback([options, &context] {
    context.json = options->json;
    run_locate(*options, context.verbose > 0);
    context.exit_code = static_cast<int>(ExitCode::success);
  });
}

} // namespace rockart::cli
