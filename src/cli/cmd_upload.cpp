// SPDX-License-Identifier: MIT
// `rockart upload build` (single-stage post-build upload, behaviours.md §6.2)
// and `rockart upload stage-logs` (multi-arch post-stage upload, §6.3); the
// other `upload` subcommands live in cmd_upload_packages.cpp.
#include "cli.hpp"
#include "log_archives.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

struct BuildOptions {
  UploadFlags flags;
  std::optional<std::string> group, build_dir, run_id, platform, job_status;
  std::optional<bool> upload;
};

// Archives directly in `{build}/artifacts/` and their companions.
std::vector<storage::UploadItem>
artifact_items(const fs::path& build_dir, const layout::WorkflowOutputRoot& root, bool dry_run) {
  std::vector<storage::UploadItem> items;
  const fs::path dir = build_dir / "artifacts";
  if (!fs::is_directory(dir)) {
    util::log_info("no " + dir.string() + " directory; no artifacts to upload");
    return items;
  }
  std::vector<fs::path> archives;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && !entry.is_symlink() && layout::is_archive_candidate(name)) {
      archives.push_back(entry.path());
    }
  }
  std::sort(archives.begin(), archives.end());
  for (const auto& archive : archives) {
    const std::string name = archive.filename().string();
    items.push_back({archive, root.artifact(name)});
    items.push_back({ensure_companion(archive, dry_run), root.artifact_checksum(name)});
  }
  return items;
}

void write_build_summary(const BuildOptions& o,
                         const layout::WorkflowOutputRoot& root,
                         const fs::path& build_dir,
                         const std::string& group) {
  std::string summary = "[Build Logs](" + root.group_log_index(group).https_url() + ")";
  if (fs::exists(build_dir / "logs" / "build_observability.html")) {
    summary +=
        "\n[Build Observability](" + root.build_observability_report(group).https_url() + ")";
  }
  const std::string status = o.job_status.value_or("");
  if (status.empty() || status == "success") {
    summary += "\n[Artifacts](" + root.run_index().https_url() + ")";
  }
  summary += "\n[TheRock Manifest](" + root.group_manifest(group).https_url() + ")";
  append_ci_summary(summary);
}

void run_upload_build(BuildOptions& o) {
  const std::string group = flag_or_env(o.group, "ARTIFACT_GROUP", "--artifact-group");
  const fs::path build_dir = o.build_dir.value_or(process_env_or("BUILD_DIR", "build"));
  const bool upload = o.upload.value_or(env_bool("CI")) || o.flags.output_dir || o.flags.dry_run;
  if (upload && !o.run_id) {
    throw UsageError("upload build needs --run-id when uploading");
  }
  if (!fs::is_directory(build_dir)) {
    throw LocalIoError("build directory " + build_dir.string()
                       + " does not exist; the job may have been cancelled before building");
  }
  if (!o.flags.dry_run) {
    write_ninja_logs_archive(build_dir);
    write_ccache_logs_archive(build_dir);
  }
  if (!upload) {
    util::log_info("upload disabled (--no-upload / CI not true); log archives only");
    return;
  }
  const auto root = upload_root(o.flags, *o.run_id, platform_or_host(o.platform));
  UploadTarget target(o.flags);
  auto items = artifact_items(build_dir, root, o.flags.dry_run);
  const fs::path logs = build_dir / "logs";
  if (fs::is_directory(logs)) {
    const auto planned =
        storage::plan_directory_upload(logs, root.log_dir(group), {{"*"}, {"ccache/**/*"}});
    items.insert(items.end(), planned.begin(), planned.end());
    const fs::path prof = logs / "therock-build-prof";
    if (fs::is_regular_file(prof / "comp-summary.html")) {
      items.push_back({prof / "comp-summary.html", root.comp_summary_html(group)});
    }
    if (fs::is_regular_file(prof / "comp-summary.md")) {
      items.push_back({prof / "comp-summary.md", root.comp_summary_md(group)});
    }
  } else {
    util::log_info("no " + logs.string() + " directory; no logs to upload");
  }
  const fs::path manifest = build_dir / "base/aux-overlay/build/therock_manifest.json";
  const bool has_manifest = fs::is_regular_file(manifest);
  if (has_manifest) {
    items.push_back({manifest, root.group_manifest(group)});
  }
  util::log_info("uploading " + std::to_string(items.size()) + " files to "
                 + target.store().describe(root.root()));
  storage::upload_files(target.store(), items, o.flags.concurrency);
  if (!has_manifest) {
    throw LocalIoError("manifest " + manifest.string() + " does not exist; cannot upload "
                       + target.store().describe(root.group_manifest(group)));
  }
  write_build_summary(o, root, build_dir, group);
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
    write_ninja_logs_archive(build_dir);
    write_ccache_logs_archive(build_dir);
  }
  const auto root = upload_root(o.flags, run_id, platform_or_host(o.platform));
  UploadTarget target(o.flags);
  std::vector<storage::UploadItem> items;
  if (fs::is_directory(build_dir / "logs")) {
    items = storage::plan_directory_upload(
        build_dir / "logs", root.stage_log_dir(o.stage, o.family), {{"*"}, {"ccache/**/*"}});
  }
  const fs::path manifest = build_dir / "base/aux-overlay/build/therock_manifest.json";
  if (o.stage == "compiler-runtime") {
    if (fs::is_regular_file(manifest)) {
      items.push_back({manifest, root.workflow_manifest()});
    } else {
      util::log_info("no " + manifest.string() + "; not uploading the workflow manifest");
    }
  }
  util::log_info("uploading " + std::to_string(items.size()) + " files to "
                 + target.store().describe(root.root()));
  storage::upload_files(target.store(), items, o.flags.concurrency);
}

void register_build(CLI::App& upload) {
  auto o = std::make_shared<BuildOptions>();
  CLI::App* cmd = upload.add_subcommand(
      "build", "Post-build upload of single-stage CI: artifacts, logs, manifest (§6.2)");
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
  CLI::App* cmd =
      upload.add_subcommand("stage-logs", "Post-stage log upload of multi-arch CI (§6.3)");
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
