// SPDX-License-Identifier: MIT
// `rockart push`: the artifact manager's push (behaviours.md §5): the archives
// directly in `{build}/artifacts/` with their .sha256sum companions to the run
// root of the current run (bucket from the environment, no GitHub call).
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

struct PushOptions {
  UploadFlags flags;
  std::string stage, build_dir;
  std::optional<std::string> run_id, platform;
};

void run_push(PushOptions& o) {
  if (o.stage != "all") {
    // TODO(#7): stage selection needs the BUILD_TOPOLOGY.toml reader.
    throw UsageError("push --stage " + o.stage + " is not yet supported (no topology reader)",
                     "use --stage all to push every archive in the artifacts directory");
  }
  const fs::path dir = fs::path(o.build_dir) / "artifacts";
  if (!fs::is_directory(dir)) {
    throw NotFoundError("artifacts directory " + dir.string() + " does not exist");
  }
  std::string run_id = o.run_id.value_or(process_env_or("THEROCK_RUN_ID", ""));
  if (run_id.empty()) {
    run_id = process_env_or("GITHUB_RUN_ID", "local");
  }
  const std::string platform =
      o.platform ? *o.platform : process_env_or("THEROCK_PLATFORM", platform_or_host(o.platform));
  const auto root = upload_root(o.flags, run_id, platform);
  std::vector<fs::path> archives;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory()) {
      util::log_warn("skipping directory " + entry.path().string()
                     + ": compressing artifact directories is not yet supported");
    } else if (entry.is_regular_file() && !entry.is_symlink()
               && layout::parse_artifact_file_name(name)) {
      archives.push_back(entry.path());
    }
  }
  std::sort(archives.begin(), archives.end());
  std::vector<storage::UploadItem> items;
  for (const auto& archive : archives) {
    const std::string name = archive.filename().string();
    items.push_back({archive, root.artifact(name)});
    items.push_back({ensure_companion(archive, o.flags.dry_run), root.artifact_checksum(name)});
  }
  UploadTarget target(o.flags);
  util::log_info("pushing " + std::to_string(archives.size()) + " artifacts to "
                 + target.store().describe(root.root()));
  storage::upload_files(target.store(), items, o.flags.concurrency);
  util::log_info("uploaded " + std::to_string(archives.size()) + "/"
                 + std::to_string(archives.size()) + " artifacts");
}

} // namespace

void register_push(CLI::App& app, Context& /*context*/) {
  auto o = std::make_shared<PushOptions>();
  CLI::App* cmd = app.add_subcommand("push", "Push a build's artifact archives (§5)");
  cmd->add_option("--stage", o->stage, "Stage whose artifacts to push ('all')")->required();
  cmd->add_option("--build-dir", o->build_dir, "Build directory with artifacts/")->required();
  cmd->add_option("--run-id", o->run_id, "Run id (default $THEROCK_RUN_ID, $GITHUB_RUN_ID, local)");
  cmd->add_option("--platform", o->platform, "linux or windows (default $THEROCK_PLATFORM, host)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o] { run_push(*o); });
}

} // namespace rockart::cli
