// SPDX-License-Identifier: MIT
// What every upload command shares: --output-dir / --dry-run / S3 flags, the
// store they select (storage::make_store, never an environment switch), the
// run root from the CI environment without any GitHub call, the host platform
// and the GitHub Actions outputs/summary files.
#pragma once

#include "environment.hpp"
#include "s3_options.hpp"

#include <rockart/layout/bucket.hpp>
#include <rockart/layout/ci_environment.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/storage/store.hpp>
#include <rockart/storage/upload_target.hpp>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace rockart::cli {

struct UploadFlags {
  std::optional<std::string> output_dir;      // --output-dir: local staging tree instead of S3
  bool dry_run = false;                       // --dry-run
  bool lookup_workflow_run = false;           // --lookup-workflow-run: one GET run
  std::optional<std::string> run_github_repo; // --run-github-repo: repository of the run
  int concurrency = 10;                       // --upload-concurrency
  int part_size_mib = 16;                     // --part-size: multipart part size in MiB
  int parts_per_file = 0;                     // --parts-per-file: 0 = multipart_parallelism()
  S3Options s3;
};

// Adds --output-dir, --dry-run, --lookup-workflow-run, --run-github-repo,
// --upload-concurrency, --part-size, --parts-per-file and the S3 flags.
void add_upload_flags(CLI::App& command, UploadFlags& flags);

// The store chosen by `flags` (S3 from this process's environment, or the
// staging dir); dry-run lines go to stderr at info.
class UploadTarget : public storage::UploadTarget {
public:
  explicit UploadTarget(const UploadFlags& flags);
};

// The run root for `run_id`/`platform` with the bucket from `overrides` and
// the environment. Without --lookup-workflow-run (or with a bucket override or
// a run in hand) GitHub is never called; with it, exactly one
// `GET /repos/{R}/actions/runs/{run_id}` feeds bucket selection.
// Throws RemoteError naming the run, repository and web URL when that fails.
layout::WorkflowOutputRoot upload_root(const UploadFlags& flags,
                                       const std::string& run_id,
                                       const std::string& platform,
                                       const layout::BucketOverrides& overrides = {});

// `explicit_value`, else the environment variable `env_name`; throws UsageError
// naming `flag` when both are missing or empty.
std::string flag_or_env(const std::optional<std::string>& explicit_value,
                        const char* env_name,
                        const std::string& flag);

// The environment variable `name`, or `fallback` when unset or empty.
std::string process_env_or(const char* name, const std::string& fallback);

// Registers `upload python|pytorch-manifest|tarballs|test-report` below
// `upload` (cmd_upload_packages.cpp).
struct Context;
void register_upload_packages(CLI::App& upload, Context& context);

// Registers `upload tarballs` and `upload test-report` (cmd_upload_reports.cpp).
void register_upload_reports(CLI::App& upload);

// Parses a boolean environment value (the words of storage::parse_env_bool);
// unset/empty is
// false; throws ConfigError naming `name` for an unknown word.
bool env_bool(const char* name);

// Appends `key=value` (or the `key<<EOF_mag1c` form when multi-line) to
// $GITHUB_OUTPUT; warns and skips when the variable is unset.
void set_ci_output(const std::string& key, const std::string& value);

// Appends `markdown` and a blank line to $GITHUB_STEP_SUMMARY and mirrors it
// into $RUNNER_TEMP/job_summary.md; each missing variable warns and skips.
void append_ci_summary(const std::string& markdown);

// The run of this CI job: `explicit_run_id`, else $THEROCK_RUN_ID, else
// $GITHUB_RUN_ID, else "local".
std::string current_run_id(const std::optional<std::string>& explicit_run_id);

} // namespace rockart::cli
