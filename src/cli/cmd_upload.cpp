// SPDX-License-Identifier: MIT
// `rockart upload build` (the post-build upload of single-stage CI) and
// `rockart upload stage-logs` (the post-stage log upload of multi-arch CI);
// the other `upload` subcommands live in cmd_upload_packages.cpp.
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/archive/log_archives.hpp>
#include <rockart/error.hpp>
#include <rockart/storage/ci_uploads.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

struct BuildOptions {
  UploadFlags flags;
  std::optional<std::string> group, build_dir, run_id, platform, job_status;
  std::optional<bool> upload;
};

void run_upload_build(BuildOptions& o) {
  const std::string group = flag_or_env(o.group, "ARTIFACT_GROUP", "--artifact-group");
  const fs::path build_dir = o.build_dir.value_or(process_env_or("BUILD_DIR", "build"));
  // As upstream: only --upload (default: $CI) uploads, to S3 or --output-dir;
  // otherwise the log archives are all. --dry-run previews the upload.
  const bool upload = o.upload.value_or(env_bool("CI")) || o.flags.dry_run;
  if (upload && !o.run_id) {
    throw UsageError("upload build needs --run-id when uploading");
  }
  if (!fs::is_directory(build_dir)) {
    throw LocalIoError("build directory " + build_dir.string()
                       + " does not exist; the job may have been cancelled before building");
  }
  if (!o.flags.dry_run) {
    archive::write_ninja_logs_archive(build_dir);
    archive::write_ccache_logs_archive(build_dir);
  }
  if (!upload) {
    util::log_info("upload disabled (--no-upload / CI not true); log archives only");
    return;
  }
  const auto root = upload_root(o.flags, *o.run_id, platform_or_host(o.platform));
  UploadTarget target(o.flags);
  const auto plan = storage::plan_build_upload(build_dir, root, group);
  util::log_info("uploading " + std::to_string(plan.items.size()) + " files to "
                 + target.store().describe(root.root()));
  storage::upload_files(target.store(), plan.items, o.flags.concurrency);
  if (!plan.has_manifest) {
    throw LocalIoError("manifest " + plan.manifest.string() + " does not exist; cannot upload "
                       + target.store().describe(root.group_manifest(group)));
  }
  append_ci_summary(
      storage::build_summary(root,
                             group,
                             fs::exists(build_dir / "logs" / "build_observability.html"),
                             o.job_status.value_or("")));
}

struct StageOptions {
  UploadFlags flags;
  std::optional<std::string> run_id, platform, build_dir;
  std::string stage, family;
};

void run_stage_logs(StageOptions& o) {
  const std::string run_id = flag_or_env(o.run_id, "GITHUB_RUN_ID", "--run-id");
  const fs::path build_dir = o.build_dir.value_or(process_env_or("BUILD_DIR", "build"));
  if (!fs::is_directory(build_dir)) {
    util::log_info("build directory " + build_dir.string() + " does not exist; nothing to upload");
    return;
  }
  if (!o.flags.dry_run) {
    archive::write_ninja_logs_archive(build_dir);
    archive::write_ccache_logs_archive(build_dir);
  }
  const auto root = upload_root(o.flags, run_id, platform_or_host(o.platform));
  UploadTarget target(o.flags);
  const auto items = storage::plan_stage_logs_upload(build_dir, root, o.stage, o.family);
  util::log_info("uploading " + std::to_string(items.size()) + " files to "
                 + target.store().describe(root.root()));
  storage::upload_files(target.store(), items, o.flags.concurrency);
}

void register_build(CLI::App& upload) {
  auto o = std::make_shared<BuildOptions>();
  CLI::App* cmd = upload.add_subcommand(
      "build",
      "Post-build upload of single-stage CI: log archives, logs, manifest and the job "
      "summary's links (archives go up with `rockart push`)");
  cmd->add_option("--artifact-group", o->group, "Artifact group (default $ARTIFACT_GROUP)");
  cmd->add_option("--build-dir", o->build_dir, "Build directory (default $BUILD_DIR or build)");
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id");
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  cmd->add_option(
      "--job-status", o->job_status, "success, failure, ... (Artifacts link if success)");
  cmd->add_flag("--upload,!--no-upload", o->upload, "Upload (default: boolean value of $CI)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o] { run_upload_build(*o); });
}

void register_stage_logs(CLI::App& upload) {
  auto o = std::make_shared<StageOptions>();
  CLI::App* cmd = upload.add_subcommand("stage-logs", "Post-stage log upload of multi-arch CI");
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id (default $GITHUB_RUN_ID)");
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  cmd->add_option("--stage", o->stage, "Build stage, e.g. math-libs")->required();
  cmd->add_option("--amdgpu-family", o->family, "Family of a per-arch stage (empty = generic)");
  cmd->add_option("--build-dir", o->build_dir, "Build directory (default $BUILD_DIR or build)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o] { run_stage_logs(*o); });
}

} // namespace

void register_upload(CLI::App& app, Context& context) {
  CLI::App* upload = app.add_subcommand("upload", "Upload CI outputs to S3 or a staging dir");
  upload->require_subcommand(1);
  register_build(*upload);
  register_stage_logs(*upload);
  register_upload_packages(*upload, context);
}

} // namespace rockart::cli
