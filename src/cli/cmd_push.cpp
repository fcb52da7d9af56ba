// SPDX-License-Identifier: MIT
// `rockart push`: the artifact manager's push (behaviours.md §5). Every item
// directly in `{build}/artifacts/` whose artifact name the stage produces
// (BUILD_TOPOLOGY.toml; every stage for `all`; no GPU-family filtering):
// exploded directories are compressed (artifacts.md §7.1) into
// `{build}/.upload_cache/`, existing archives are taken as they are; each is
// uploaded with its .sha256sum companion to the run root of the current run
// (bucket from the environment, no GitHub call).
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/archive/artifact_archiver.hpp>
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

struct PushOptions {
  UploadFlags flags;
  std::string stage, build_dir, compression = "zstd";
  std::optional<std::string> run_id, platform, topology;
  int compression_level = -1; // -1: zstd 3 / xz 6 (artifacts.md §7.1)
  int compress_concurrency = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
};

// The archives to upload and the directories to compress first.
struct PushPlan {
  std::vector<fs::path> archives;
  std::vector<fs::path> directories;

  std::size_t total() const { return archives.size() + directories.size(); }
};

// Artifact names the stage produces, logged like upstream.
std::set<std::string> produced_names(const layout::Topology& topology, const std::string& stage) {
  const bool all = stage == "all";
  auto produced = all ? topology.all_produced_artifacts() : topology.produced_artifacts(stage);
  const std::vector<std::string> names(produced.begin(), produced.end());
  util::log_info((all ? std::string("All stages produce ") : "Stage '" + stage + "' produces ")
                 + std::to_string(names.size()) + " artifacts: " + util::join(names, ", "));
  return produced;
}

// Items directly in `dir` whose parsed artifact name is in `produced`.
PushPlan plan_push(const fs::path& dir, const std::set<std::string>& produced) {
  PushPlan plan;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_symlink()) {
      continue;
    }
    if (entry.is_directory()) {
      const auto parsed = layout::parse_artifact_dir_name(name);
      if (parsed && produced.contains(parsed->name)) {
        plan.directories.push_back(entry.path());
      }
    } else if (entry.is_regular_file()) {
      const auto parsed = layout::parse_artifact_file_name(name);
      if (parsed && produced.contains(parsed->artifact.name)) {
        plan.archives.push_back(entry.path());
      }
    }
  }
  std::sort(plan.archives.begin(), plan.archives.end());
  std::sort(plan.directories.begin(), plan.directories.end());
  return plan;
}

archive::Compression compression_of(const std::string& type) {
  if (type == "zstd") {
    return archive::Compression::zstd;
  }
  if (type == "xz") {
    return archive::Compression::xz;
  }
  throw UsageError("--compression-type must be zstd or xz, not '" + type + "'");
}

// Compresses one directory into `cache`; returns the archive, logging §7.1's line.
fs::path compress_one(const fs::path& dir, const fs::path& cache, const PushOptions& o) {
  const auto compression = compression_of(o.compression);
  fs::path archive =
      cache / (dir.filename().string() + std::string(archive::archive_extension(compression)));
  util::log_info("++ Compressing " + dir.filename().string());
  const auto s = archive::create_artifact_archive(dir, archive, compression, o.compression_level);
  util::log_info("++ Compressed " + dir.string() + " (files=" + std::to_string(s.files)
                 + ", uncompressed_size=" + util::format_bytes(s.uncompressed_bytes) + ") -> "
                 + archive.filename().string() + " (compressed_size="
                 + util::format_bytes(s.compressed_bytes) + ", sha256=" + s.sha256 + ")");
  return archive;
}

// The companion of a pre-compressed archive when it exists (artifacts.md §2:
// an archive without one is uploaded alone).
std::optional<fs::path> existing_companion(const fs::path& archive) {
  const fs::path companion = archive.string() + ".sha256sum";
  if (!fs::is_regular_file(companion)) {
    util::log_info("no companion " + companion.filename().string() + "; uploading "
                   + archive.filename().string() + " alone");
    return std::nullopt;
  }
  return companion;
}

// artifacts.md §2: recompute the digest of each pre-compressed archive and warn
// when its companion says otherwise; both files are uploaded either way, so
// this runs alongside the uploads instead of delaying them.
void warn_on_companion_mismatches(const std::vector<fs::path>& archives,
                                  const std::vector<std::optional<fs::path>>& companions,
                                  std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (!companions[i]) {
      continue;
    }
    try {
      std::ifstream in(*companions[i], std::ios::binary);
      std::ostringstream content;
      content << in.rdbuf();
      const std::string stated = layout::parse_sha256sum(content.str(), companions[i]->string());
      const std::string actual = util::sha256_file(archives[i]);
      if (stated != actual) {
        util::log_warn("sha256 mismatch for " + archives[i].filename().string() + ": computed "
                       + actual + ", " + companions[i]->filename().string() + " says " + stated);
      }
    } catch (const std::exception& e) {
      util::log_warn(e.what());
    }
  }
}

// Compresses the plan's directories (in parallel) and collects every upload.
// Returns how many failed (logged, left out of `archives`).
std::size_t prepare_uploads(const PushPlan& plan,
                            const fs::path& cache,
                            const PushOptions& o,
                            std::vector<fs::path>& archives,
                            std::vector<std::optional<fs::path>>& companions) {
  const std::size_t direct = plan.archives.size();
  archives = plan.archives;
  archives.resize(plan.total());
  companions.resize(plan.total());
  const auto compression = compression_of(o.compression);
  for (std::size_t i = 0; i < plan.directories.size(); ++i) {
    archives[direct + i] = cache
                           / (plan.directories[i].filename().string()
                              + std::string(archive::archive_extension(compression)));
  }
  for (std::size_t i = 0; i < direct; ++i) {
    companions[i] = existing_companion(archives[i]);
  }
  for (std::size_t i = direct; i < plan.total(); ++i) {
    companions[i] = archives[i].string() + ".sha256sum";
  }
  if (o.flags.dry_run) {
    for (std::size_t i = 0; i < plan.directories.size(); ++i) {
      util::log_info("[DRY RUN] would compress " + plan.directories[i].string() + " -> "
                     + archives[direct + i].string());
    }
    return 0;
  }
  fs::create_directories(cache);
  const auto failures =
      util::run_parallel(plan.directories.size(), o.compress_concurrency, [&](std::size_t i) {
        compress_one(plan.directories[i], cache, o);
      });
  std::vector<std::size_t> failed;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (failures[i]) {
      util::log_error(util::message_of(failures[i]));
      failed.push_back(i);
    }
  }
  for (auto it = failed.rbegin(); it != failed.rend(); ++it) {
    archives.erase(archives.begin() + static_cast<std::ptrdiff_t>(direct + *it));
    companions.erase(companions.begin() + static_cast<std::ptrdiff_t>(direct + *it));
  }
  return failed.size();
}

int run_push(PushOptions& o) {
  const auto topology = load_topology_option(o.topology);
  const auto produced = produced_names(topology, o.stage);
  if (produced.empty()) {
    util::log_info("Stage '" + o.stage + "' produces no artifacts");
    return 0;
  }
  const fs::path build(o.build_dir);
  if (!fs::is_directory(build / "artifacts")) {
    throw NotFoundError("artifacts directory " + (build / "artifacts").string()
                        + " does not exist; nothing was built to push");
  }
  (void)compression_of(o.compression);
  const auto root = upload_root(
      o.flags,
      current_run_id(o.run_id),
      o.platform.value_or(process_env_or("THEROCK_PLATFORM", platform_or_host(o.platform))));
  const PushPlan plan = plan_push(build / "artifacts", produced);
  if (plan.total() == 0) {
    util::log_info("No matching artifacts found to push");
    return 0;
  }
  util::log_info("Processing " + std::to_string(plan.total()) + " artifacts ("
                 + std::to_string(plan.directories.size()) + " to compress, "
                 + std::to_string(plan.archives.size()) + " pre-compressed)");
  const fs::path cache = build / ".upload_cache";

  struct CacheCleanup {
    fs::path dir;

    ~CacheCleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{o.flags.dry_run ? fs::path() : cache};

  std::vector<fs::path> archives;
  std::vector<std::optional<fs::path>> companions;
  const std::size_t failed = prepare_uploads(plan, cache, o, archives, companions);
  std::vector<storage::UploadItem> items;
  for (std::size_t i = 0; i < archives.size(); ++i) {
    const std::string name = archives[i].filename().string();
    items.push_back({archives[i], root.artifact(name)});
    if (companions[i]) {
      items.push_back({*companions[i], root.artifact_checksum(name)});
    }
  }
  UploadTarget target(o.flags);
  util::log_info("pushing " + std::to_string(archives.size()) + " artifacts to "
                 + target.store().describe(root.root()));
  {
    const std::jthread verifier([&] {
      if (!o.flags.dry_run) {
        warn_on_companion_mismatches(archives, companions, plan.archives.size());
      }
    });
    storage::upload_files(target.store(), items, o.flags.concurrency);
  }
  print_out("Pushed " + std::to_string(archives.size()) + "/" + std::to_string(plan.total())
            + " artifacts\n");
  return failed == 0 ? 0 : 1;
}

} // namespace

void register_push(CLI::App& app, Context& context) {
  auto o = std::make_shared<PushOptions>();
  CLI::App* cmd = app.add_subcommand("push", "Push a stage's artifacts (§5)");
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
