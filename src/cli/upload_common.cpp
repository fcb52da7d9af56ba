// SPDX-License-Identifier: MIT
#include "upload_common.hpp"

#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/github/command.hpp>
#include <rockart/runs/session.hpp>
#include <rockart/storage/github_actions.hpp>

#include <charconv>

namespace rockart::cli {

namespace fs = std::filesystem;

void add_upload_flags(CLI::App& command, UploadFlags& flags) {
  command.add_option("--output-dir",
                     flags.output_dir,
                     "Write into this local staging directory (same tree as S3) instead of S3");
  command.add_flag("--dry-run", flags.dry_run, "Print each upload; write nothing");
  command.add_flag("--lookup-workflow-run",
                   flags.lookup_workflow_run,
                   "Query GitHub for the run when selecting the bucket (default: environment)");
  command.add_option("--run-github-repo,--repo",
                     flags.run_github_repo,
                     "Repository of the run (owner/repo; default $GITHUB_REPOSITORY)");
  command.add_option("--part-size", flags.part_size_mib, "Multipart part size in MiB (default 16)")
      ->check(CLI::Range(5, 5120));
  command
      .add_option("--parts-per-file",
                  flags.parts_per_file,
                  "Concurrent parts per multipart upload (default: from --upload-concurrency)")
      ->check(CLI::Range(1, 64));
  command.add_option("--upload-concurrency", flags.concurrency, "Parallel uploads (default 10)")
      ->check(CLI::Range(1, 256));
  add_s3_options(command, flags.s3);
}

UploadTarget::UploadTarget(const UploadFlags& flags)
    : storage::UploadTarget(
        process_env,
        {flags.output_dir ? std::optional<fs::path>(*flags.output_dir) : std::nullopt,
         flags.dry_run,
         flags.s3,
         flags.part_size_mib,
         flags.parts_per_file,
         flags.concurrency}) {}

layout::WorkflowOutputRoot upload_root(const UploadFlags& flags,
                                       const std::string& run_id,
                                       const std::string& platform,
                                       const layout::BucketOverrides& overrides) {
  layout::BucketOverrides resolved = overrides;
  if (!resolved.repository && flags.run_github_repo) {
    resolved.repository = flags.run_github_repo;
  }
  // A bucket override or a run in hand makes the lookup pointless.
  if (!flags.lookup_workflow_run || resolved.bucket || resolved.run) {
    const auto decision = resolve_bucket(resolved, resolved.run.has_value());
    return {decision.bucket, decision.external_repo, run_id, platform};
  }
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(run_id.data(), run_id.data() + run_id.size(), id);
  if (ec != std::errc() || end != run_id.data() + run_id.size() || id == 0) {
    throw UsageError("--lookup-workflow-run needs a numeric run id, not '" + run_id + "'");
  }
  const std::string repository =
      resolved.repository.value_or(process_env_or("GITHUB_REPOSITORY", "ROCm/TheRock"));
  if (!layout::parse_repository(repository)) {
    throw UsageError(layout::invalid_repository_message(repository));
  }
  resolved.repository = repository;
  runs::SessionOptions options;
  options.s3 = flags.s3;
  runs::Session session(process_env, github::run_process, options, nullptr); // uploads never cache
  const auto run = session.resolve({repository, platform, id, "", std::nullopt, {}, "", resolved});
  return {run.bucket, run.external_repo, run_id, platform};
}

std::string flag_or_env(const std::optional<std::string>& explicit_value,
                        const char* env_name,
                        const std::string& flag) {
  if (explicit_value && !explicit_value->empty()) {
    return *explicit_value;
  }
  if (auto value = process_env(env_name); value && !value->empty()) {
    return *value;
  }
  throw UsageError(flag + " is required (or set " + env_name + ")");
}

std::string process_env_or(const char* name, const std::string& fallback) {
  auto value = process_env(name);
  return value && !value->empty() ? *value : fallback;
}

bool env_bool(const char* name) {
  return storage::parse_env_bool(name, process_env(name));
}

void set_ci_output(const std::string& key, const std::string& value) {
  storage::write_github_output(process_env, key, value);
}

void append_ci_summary(const std::string& markdown) {
  storage::append_job_summary(process_env, markdown);
}

std::string current_run_id(const std::optional<std::string>& explicit_run_id) {
  if (explicit_run_id) {
    return *explicit_run_id;
  }
  std::string run_id = process_env_or("THEROCK_RUN_ID", "");
  return run_id.empty() ? process_env_or("GITHUB_RUN_ID", "local") : run_id;
}

} // namespace rockart::cli
