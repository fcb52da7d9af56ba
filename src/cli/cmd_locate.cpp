// SPDX-License-Identifier: MIT
// `rockart locate`: prints where one output of a workflow run lives (relative
// path, s3:// URI, HTTPS URL, staging path), for every location kind of
// spec/layout.md §2. Bucket and external-repo prefix come from bucket
// selection (spec/buckets.md), fed by flags and, as defaults, the environment.
#include "cli.hpp"
#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/layout/location_kind.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/util/strings.hpp>

#include <nlohmann/json.hpp>

#include <sys/utsname.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rockart::cli {

namespace {

struct LocateOptions {
  std::optional<std::string> repo;
  std::optional<std::string> release_type;
  std::optional<std::string> bucket;
  std::optional<std::string> run_id;
  std::optional<std::string> platform;
  std::optional<std::string> staging_dir;
  std::string head_repo;
  std::string run_updated_at;
  CLI::Option* head_opt = nullptr;
  CLI::Option* updated_opt = nullptr;
  bool fork = false;
  bool no_fork = false;
  bool local = false;
  bool list = false;
  bool json = false;
  std::string kind;
  std::vector<std::string> args;
};

// Host system name, lower-cased (layout.md §1: local roots use it as platform).
std::string host_platform() {
  utsname info{};
  if (uname(&info) != 0) {
    return "unknown";
  }
  return util::to_lower(info.sysname);
}

// Bucket-selection inputs given on the command line (the environment fills the rest).
layout::BucketOverrides bucket_overrides(const LocateOptions& o) {
  layout::BucketOverrides overrides;
  overrides.repository = o.repo;
  overrides.release_type = o.release_type;
  overrides.bucket = o.bucket;
  if (o.fork || o.no_fork) {
    overrides.fork = o.fork;
  }
  // Same meaning as in `rockart bucket`: facts of a run in hand. Without
  // --head-repo the run is a same-repository run; an empty value is GitHub's
  // null head_repository (a deleted fork).
  const bool has_head = o.head_opt->count() > 0;
  if (has_head || o.updated_opt->count() > 0) {
    layout::WorkflowRunFacts run;
    if (has_head && !o.head_repo.empty()) {
      run.head_repository = o.head_repo;
    }
    if (o.updated_opt->count() > 0) {
      run.updated_at = o.run_updated_at;
    }
    overrides.run_head_is_base = !has_head;
    overrides.run = run;
  }
  return overrides;
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
  const layout::BucketDecision decision = resolve_bucket(bucket_overrides(o), log_diagnostics);
  return layout::WorkflowOutputRoot(
      decision.bucket, decision.external_repo, *o.run_id, o.platform.value_or("linux"));
}

void print_kinds(bool json) {
  if (json) {
    nlohmann::json kinds = nlohmann::json::array();
    for (const layout::LocationKind& kind : layout::location_kinds()) {
      nlohmann::json args = nlohmann::json::array();
      for (const layout::LocationKindArg& arg : kind.args) {
        args.push_back({{"name", arg.name}, {"optional", arg.optional}});
      }
      kinds.push_back({{"name", kind.name}, {"args", args}, {"description", kind.description}});
    }
    print_out(nlohmann::json{{"kinds", kinds}}.dump(2) + "\n");
    return;
  }
  std::size_t width = 0;
  for (const layout::LocationKind& kind : layout::location_kinds()) {
    width = std::max(width, (kind.name + " " + kind.synopsis()).size());
  }
  std::string text = "Location kinds (P = {external_repo}{run_id}-{platform}):\n";
  for (const layout::LocationKind& kind : layout::location_kinds()) {
    std::string head = kind.name;
    if (!kind.args.empty()) {
      head += " " + kind.synopsis();
    }
    text += "  " + head + std::string(width + 2 - head.size(), ' ') + kind.description + "\n";
  }
  print_out(text);
}

void print_location(const LocateOptions& o,
                    const layout::WorkflowOutputRoot& root,
                    const layout::StorageLocation& loc) {
  std::optional<std::string> staging;
  if (o.staging_dir) {
    staging = loc.staging_path(*o.staging_dir).string();
  }
  // The bucket of a local root is a placeholder: it has no S3 or HTTPS form.
  const bool remote = !o.local;
  if (o.json) {
    nlohmann::json doc = {{"kind", o.kind},
                          {"args", o.args},
                          {"bucket", loc.bucket()},
                          {"external_repo", root.external_repo()},
                          {"run_prefix", root.prefix()},
                          {"relative_path", loc.relative_path()}};
    if (remote) {
      doc["s3_uri"] = loc.s3_uri();
      doc["https_url"] = loc.https_url();
    }
    if (staging) {
      doc["staging_path"] = *staging;
    }
    print_out(doc.dump(2) + "\n");
    return;
  }
  std::string text = "relative_path=" + loc.relative_path() + "\n";
  if (remote) {
    text += "s3_uri=" + loc.s3_uri() + "\n" + "https_url=" + loc.https_url() + "\n";
  }
  if (staging) {
    text += "staging_path=" + *staging + "\n";
  }
  print_out(text);
}

void run_locate(const LocateOptions& o, bool log_diagnostics) {
  if (o.list || o.kind.empty()) {
    print_kinds(o.json);
    return;
  }
  // Check the kind and argument count before anything reads the environment.
  try {
    (void)layout::require_location_kind(o.kind, o.args.size());
  } catch (const UsageError& e) {
    throw UsageError(e.what(), "run `rockart locate --list` to see every kind and its arguments");
  }
  const layout::WorkflowOutputRoot root = make_root(o, log_diagnostics);
  print_location(o, root, layout::resolve_location(root, o.kind, o.args));
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
  cmd->add_option("--repo",
                  options->repo,
                  "Repository owner/repo the run belongs to (default: $GITHUB_REPOSITORY, "
                  "else ROCm/TheRock)");
  cmd->add_option("--run-id", options->run_id, "GitHub Actions run id (with --local: any token)");
  cmd->add_option("--platform",
                  options->platform,
                  "linux or windows (default: linux; with --local: the host system)");
  cmd->add_option("--release-type",
                  options->release_type,
                  "ci, dev, dev-bkc, nightly, nightly-bkc or prerelease (default: $RELEASE_TYPE, "
                  "else ci)");
  CLI::Option* bucket =
      cmd->add_option("--bucket",
                      options->bucket,
                      "Use this bucket (no external-repo prefix, environment not read)");
  options->head_opt = cmd->add_option(
      "--head-repo",
      options->head_repo,
      "The run's head_repository.full_name (default: the base repository; empty: a deleted fork)");
  options->updated_opt =
      cmd->add_option("--run-updated-at",
                      options->run_updated_at,
                      "The run's updated_at, e.g. 2025-11-11T16:18:48Z (decides legacy buckets)");
  CLI::Option* fork = cmd->add_flag(
      "--fork", options->fork, "The run is a pull request from a fork (no run facts given)");
  CLI::Option* no_fork = cmd->add_flag("--no-fork", options->no_fork, "The run is not a fork");
  fork->excludes(no_fork);
  for (CLI::Option* run_opt : {options->head_opt, options->updated_opt}) {
    run_opt->excludes(fork);
    run_opt->excludes(no_fork);
  }
  CLI::Option* local = cmd->add_flag(
      "--local",
      options->local,
      "Local root (bucket 'local', run id default 'local'), as the artifact manager's local "
      "staging backend uses");
  local->excludes(bucket);
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
