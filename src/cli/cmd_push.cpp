// SPDX-License-Identifier: MIT
// `rockart push` (TheRock's artifact_manager.py push): the artifacts a stage
// produces, from `{build}/artifacts/` to the run root of the current run (the
// bucket from the environment, no GitHub call). The work is storage::push_artifacts.
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/push.hpp>
#include <rockart/util/log.hpp>

#include <thread>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

struct PushFlags {
  UploadFlags flags;
  std::string stage, build_dir, compression = "zstd";
  std::optional<std::string> run_id, platform, topology;
  int compression_level = -1; // zstd 3 / xz 6
  int compress_concurrency = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
};

int run_push(PushFlags& o) {
  const auto topology = storage::load_topology(o.topology);
  const auto produced = storage::produced_names(topology, o.stage);
  if (produced.empty()) {
    util::log_info("Stage '" + o.stage + "' produces no artifacts");
    return 0;
  }
  const fs::path build(o.build_dir);
  if (!fs::is_directory(build / "artifacts")) {
    throw NotFoundError("artifacts directory " + (build / "artifacts").string()
                        + " does not exist; nothing was built to push");
  }
  storage::PushOptions options;
  options.compression = storage::parse_compression(o.compression);
  options.compression_level = o.compression_level;
  options.compress_concurrency = o.compress_concurrency;
  options.upload_concurrency = o.flags.concurrency;
  options.dry_run = o.flags.dry_run;
  const auto root = upload_root(
      o.flags,
      current_run_id(o.run_id),
      o.platform.value_or(process_env_or("THEROCK_PLATFORM", platform_or_host(o.platform))));
  const storage::PushPlan plan = storage::plan_push(build / "artifacts", produced);
  if (plan.total() == 0) {
    util::log_info("No matching artifacts found to push");
    return 0;
  }
  util::log_info("Processing " + std::to_string(plan.total()) + " artifacts ("
                 + std::to_string(plan.directories.size()) + " to compress, "
                 + std::to_string(plan.archives.size()) + " pre-compressed)");
  const fs::path upload_cache = build / ".upload_cache";

  struct CacheCleanup {
    fs::path dir;

    ~CacheCleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{o.flags.dry_run ? fs::path() : upload_cache};

  UploadTarget target(o.flags);
  const auto result = storage::push_artifacts(target.store(), root, plan, upload_cache, options);
  print_out("Pushed " + std::to_string(result.pushed) + "/" + std::to_string(plan.total())
            + " artifacts\n");
  return result.failed_compressions == 0 ? 0 : 1;
}

} // namespace

void register_push(CLI::App& app, Context& context) {
  auto o = std::make_shared<PushFlags>();
  CLI::App* cmd = app.add_subcommand("push", "Push a stage's artifacts (artifact_manager.py push)");
  cmd->add_option("--stage", o->stage, "Stage whose produced artifacts to push, or 'all'")
      ->required();
  cmd->add_option("--build-dir", o->build_dir, "Build directory with artifacts/")->required();
  cmd->add_option("--topology", o->topology, "BUILD_TOPOLOGY.toml (default: found in . or up)");
  cmd->add_option("--run-id", o->run_id, "Run id (default $THEROCK_RUN_ID, $GITHUB_RUN_ID, local)");
  cmd->add_option("--platform", o->platform, "linux or windows (default $THEROCK_PLATFORM, host)");
  cmd->add_option("--compression-type", o->compression, "zstd (default) or xz")
      ->check(CLI::IsMember({"zstd", "xz"}));
  cmd->add_option("--compression-level", o->compression_level, "Level (default zstd 3, xz 6)");
  cmd->add_option("--compress-concurrency", o->compress_concurrency, "Parallel compressions")
      ->check(CLI::Range(1, 256));
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o, &context] { context.exit_code = run_push(*o); });
}

} // namespace rockart::cli
