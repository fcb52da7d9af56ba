// SPDX-License-Identifier: MIT
#include "upload_common.hpp"

#include "environment.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <sys/utsname.h>

#include <fstream>
#include <set>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

void append_to(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::app | std::ios::binary);
  out << text;
  if (!out) {
    util::log_warn("cannot append to " + path + "; skipped");
  }
}

std::string file_sha256(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw LocalIoError("cannot read " + path.string() + " to compute its sha256");
  }
  util::Sha256 hash;
  std::string buffer(1 << 20, '\0');
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  return util::to_hex(hash.digest());
}

} // namespace

void add_upload_flags(CLI::App& command, UploadFlags& flags) {
  command.add_option("--output-dir",
                     flags.output_dir,
                     "Write into this local staging directory (same tree as S3) instead of S3");
  command.add_flag("--dry-run", flags.dry_run, "Print each upload; write nothing");
  command.add_flag("--lookup-workflow-run",
                   flags.lookup_workflow_run,
                   "Query GitHub for the run when selecting the bucket (default: environment)");
  command.add_option("--upload-concurrency", flags.concurrency, "Parallel uploads (default 10)")
      ->check(CLI::Range(1, 256));
  add_s3_options(command, flags.s3);
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
    m_session = std::make_unique<S3Session>(flags.s3);
    config.kind = storage::StoreKind::s3;
    config.client = &m_session->client();
  }
  m_store = storage::make_store(config);
}

layout::WorkflowOutputRoot upload_root(const UploadFlags& flags,
                                       const std::string& run_id,
                                       const std::string& platform,
                                       const layout::BucketOverrides& overrides) {
  if (flags.lookup_workflow_run) {
    throw UsageError("--lookup-workflow-run is not yet supported by the upload commands",
                     "drop it: uploaders select the bucket from the CI environment");
  }
  const layout::BucketDecision decision = resolve_bucket(overrides, false);
  return layout::WorkflowOutputRoot(decision.bucket, decision.external_repo, run_id, platform);
}

std::string platform_or_host(const std::optional<std::string>& explicit_platform) {
  if (explicit_platform) {
    return *explicit_platform;
  }
  utsname info{};
  if (uname(&info) == 0 && util::to_lower(info.sysname) == "linux") {
    return "linux";
  }
  throw UsageError("cannot default --platform on this host; pass --platform linux|windows");
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
  static const std::set<std::string> yes{
      "1", "true", "t", "yes", "y", "on", "enable", "enabled", "found"};
  static const std::set<std::string> no{"",
                                        "0",
                                        "false",
                                        "f",
                                        "no",
                                        "n",
                                        "off",
                                        "disable",
                                        "disabled",
                                        "notfound",
                                        "none",
                                        "null",
                                        "nil",
                                        "undefined",
                                        "n/a"};
  const std::string value = util::to_lower(util::trim(process_env(name).value_or("")));
  if (yes.count(value) != 0) {
    return true;
  }
  if (no.count(value) != 0) {
    return false;
  }
  throw ConfigError(std::string(name) + "='" + value + "' is not a boolean (use true or false)");
}

void set_ci_output(const std::string& key, const std::string& value) {
  const auto path = process_env("GITHUB_OUTPUT");
  if (!path || path->empty()) {
    util::log_warn("GITHUB_OUTPUT is not set; not writing output " + key);
    return;
  }
  if (value.find('\n') == std::string::npos) {
    append_to(*path, key + "=" + value + "\n");
  } else {
    append_to(*path, key + "<<EOF_mag1c\n" + value + "\nEOF_mag1c\n");
  }
}

void append_ci_summary(const std::string& markdown) {
  const auto summary = process_env("GITHUB_STEP_SUMMARY");
  if (summary && !summary->empty()) {
    append_to(*summary, markdown + "\n\n");
  } else {
    util::log_warn("GITHUB_STEP_SUMMARY is not set; not writing the job summary");
  }
  const auto temp = process_env("RUNNER_TEMP");
  if (temp && !temp->empty()) {
    append_to((fs::path(*temp) / "job_summary.md").string(), markdown + "\n\n");
  } else {
    util::log_warn("RUNNER_TEMP is not set; not mirroring the job summary");
  }
}

fs::path ensure_companion(const fs::path& archive, bool dry_run) {
  const fs::path companion =
      archive.parent_path() / layout::companion_name(archive.filename().string());
  if (fs::exists(companion)) {
    return companion;
  }
  if (dry_run) {
    util::log_info("[DRY RUN] would write " + companion.string());
    return companion;
  }
  archive::write_sha256_companion(archive, file_sha256(archive));
  util::log_info("wrote " + companion.string());
  return companion;
}

} // namespace rockart::cli
