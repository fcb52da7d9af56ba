// SPDX-License-Identifier: MIT
#include "upload_common.hpp"

#include "environment.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>
#include <rockart/github/command.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/runs/session.hpp>
#include <rockart/storage/github_actions.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
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
  command.add_option("--run-github-repo",
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

int multipart_parallelism(int concurrency) {
  // bench/upload_bench.sh on moto (10 files at once, 2 loaded cores): 1 part per
  // file left the largest file serial at the end (52 MiB/s); 2, 3 and 8 were
  // within the run-to-run noise (67-92 MiB/s). So take the fewest streams that
  // keep a lone large file parallel: ~32 in all, 2..8 per file.
  return std::clamp(32 / std::max(concurrency, 1), 2, 8);
}

UploadTarget::UploadTarget(const UploadFlags& flags) {
  storage::StoreConfig config;
  config.dry_run = flags.dry_run;
  if (flags.output_dir) {
    m_local = true;
    config.kind = storage::StoreKind::local_dir;
    config.staging_dir = *flags.output_dir;
  } else {
    // Uploads never fall back to unsigned requests (behaviours.md §6.1).
    if (flags.s3.no_sign_request && !flags.dry_run) {
      throw UsageError("uploads must be signed; --no-sign-request is only for reading");
    }
    s3::ClientOptions options;
    options.part_size = static_cast<std::uint64_t>(flags.part_size_mib) << 20;
    options.parallel_parts =
        flags.parts_per_file > 0 ? flags.parts_per_file : multipart_parallelism(flags.concurrency);
    m_session = std::make_unique<S3Session>(flags.s3, options);
    config.kind = storage::StoreKind::s3;
    config.client = &m_session->client();
  }
  m_store = storage::make_store(config);
}

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
  resolved.run = layout::WorkflowRunFacts{}; // the run's own facts replace this
  runs::SessionOptions options;
  options.s3 = flags.s3;
  const auto run_command = [](const std::vector<std::string>& argv) {
    return github::run_command(argv);
  };
  runs::Session session(process_env, run_command, options, nullptr); // uploads never cache
  const auto run = session.catalog().by_id(
      {repository,
       id,
       platform,
       layout::bucket_inputs_from_environment(resolved, process_env, read_file)});
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

fs::path ensure_companion(const fs::path& archive, bool dry_run) {
  fs::path companion = archive.parent_path() / layout::companion_name(archive.filename().string());
  if (fs::exists(companion)) {
    return companion;
  }
  if (dry_run) {
    util::log_info("[DRY RUN] would write " + companion.string());
    return companion;
  }
  archive::write_sha256_companion(archive, util::sha256_file(archive));
  util::log_info("wrote " + companion.string());
  return companion;
}

layout::Topology load_topology_option(const std::optional<std::string>& path) {
  const fs::path file =
      path ? fs::path(*path)
           : layout::find_topology_file(fs::current_path(),
                                        [](const fs::path& p) { return fs::is_regular_file(p); });
  util::log_debug("topology: " + file.string());
  const auto text = util::read_file(file);
  if (!text) {
    throw ConfigError("cannot read topology file " + file.string(),
                      "pass the TheRock BUILD_TOPOLOGY.toml with --topology PATH");
  }
  return layout::Topology::parse(*text, file.string());
}

std::string current_run_id(const std::optional<std::string>& explicit_run_id) {
  if (explicit_run_id) {
    return *explicit_run_id;
  }
  std::string run_id = process_env_or("THEROCK_RUN_ID", "");
  return run_id.empty() ? process_env_or("GITHUB_RUN_ID", "local") : run_id;
}

} // namespace rockart::cli
