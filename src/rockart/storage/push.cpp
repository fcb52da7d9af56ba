// SPDX-License-Identifier: MIT
#include <rockart/archive/artifact_archiver.hpp>
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/storage/push.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <optional>
#include <thread>

namespace rockart::storage {

namespace fs = std::filesystem;

namespace {

fs::path archive_path(const fs::path& dir, const fs::path& upload_cache, const PushOptions& o) {
  return upload_cache
         / (dir.filename().string() + std::string(archive::archive_extension(o.compression)));
}

// Compresses one directory, logging TheRock's "++ Compressed" line.
void compress_one(const fs::path& dir, const fs::path& archive, const PushOptions& o) {
  util::log_info("++ Compressing " + dir.filename().string());
  const auto s = archive::create_artifact_archive(dir, archive, o.compression, o.compression_level);
  util::log_info("++ Compressed " + dir.string() + " (files=" + std::to_string(s.files)
                 + ", uncompressed_size=" + util::format_bytes(s.uncompressed_bytes) + ") -> "
                 + archive.filename().string() + " (compressed_size="
                 + util::format_bytes(s.compressed_bytes) + ", sha256=" + s.sha256 + ")");
}

// The companion of a pre-compressed archive when it exists (an archive
// without one is uploaded alone).
std::optional<fs::path> existing_companion(const fs::path& archive) {
  const fs::path companion = archive.string() + ".sha256sum";
  if (!fs::is_regular_file(companion)) {
    util::log_info("no companion " + companion.filename().string() + "; uploading "
                   + archive.filename().string() + " alone");
    return std::nullopt;
  }
  return companion;
}

// Warns when a pre-compressed archive's companion says another digest than
// its bytes have; both files are uploaded either way.
void warn_on_companion_mismatches(const std::vector<fs::path>& archives,
                                  const std::vector<std::optional<fs::path>>& companions,
                                  std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    if (!companions[i]) {
      continue;
    }
    try {
      const std::string stated = layout::parse_sha256sum(util::read_file_or_throw(*companions[i]),
                                                         companions[i]->string());
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

} // namespace

layout::Topology load_topology(const std::optional<fs::path>& path) {
  const fs::path file =
      path ? *path : layout::find_topology_file(fs::current_path(), [](const fs::path& p) {
        return fs::is_regular_file(p);
      });
  util::log_debug("topology: " + file.string());
  const auto text = util::read_file(file);
  if (!text) {
    throw ConfigError("cannot read topology file " + file.string(),
                      "pass the TheRock BUILD_TOPOLOGY.toml with --topology PATH");
  }
  return layout::Topology::parse(*text, file.string());
}

std::set<std::string> produced_names(const layout::Topology& topology, const std::string& stage) {
  const bool all = stage == "all";
  auto produced = all ? topology.all_produced_artifacts() : topology.produced_artifacts(stage);
  const std::vector<std::string> names(produced.begin(), produced.end());
  util::log_info((all ? std::string("All stages produce ") : "Stage '" + stage + "' produces ")
                 + std::to_string(names.size()) + " artifacts: " + util::join(names, ", "));
  return produced;
}

PushPlan plan_push(const fs::path& artifacts_dir, const std::set<std::string>& produced) {
  PushPlan plan;
  for (const auto& entry : fs::directory_iterator(artifacts_dir)) {
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

archive::Compression parse_compression(const std::string& type) {
  if (type == "zstd") {
    return archive::Compression::zstd;
  }
  if (type == "xz") {
    return archive::Compression::xz;
  }
  throw UsageError("--compression-type must be zstd or xz, not '" + type + "'");
}

PushResult push_artifacts(Store& store,
                          const layout::WorkflowOutputRoot& root,
                          const PushPlan& plan,
                          const fs::path& upload_cache,
                          const PushOptions& options) {
  PushResult result;
  if (options.dry_run) {
    for (const auto& dir : plan.directories) {
      util::log_info("[DRY RUN] would compress " + dir.string() + " -> "
                     + archive_path(dir, upload_cache, options).string());
    }
  } else if (!plan.directories.empty()) {
    fs::create_directories(upload_cache);
  }
  const auto failures = util::run_parallel(
      options.dry_run ? 0 : plan.directories.size(), options.compress_concurrency, [&](auto i) {
        compress_one(
            plan.directories[i], archive_path(plan.directories[i], upload_cache, options), options);
      });
  std::vector<fs::path> compressed;
  std::set<fs::path> compressed_names;
  for (std::size_t i = 0; i < plan.directories.size(); ++i) {
    if (i < failures.size() && failures[i]) { // none ran in a dry run
      util::log_error(util::message_of(failures[i]));
      ++result.failed_compressions;
      continue;
    }
    compressed.push_back(archive_path(plan.directories[i], upload_cache, options));
    compressed_names.insert(compressed.back().filename());
  }
  // Pre-compressed archives first, then the ones just compressed. A directory
  // and a pre-compressed archive of the same artifact would be two uploads
  // racing to one key: the one compressed from the directory (the build's
  // latest output) wins, and the stale one is left out with a warning.
  std::vector<fs::path> archives;
  std::vector<std::optional<fs::path>> companions;
  for (const auto& archive : plan.archives) {
    if (compressed_names.contains(archive.filename())) {
      util::log_warn("both " + archive.string() + " and its directory exist; uploading "
                     + archive.filename().string() + " compressed from the directory");
      continue;
    }
    archives.push_back(archive);
    companions.push_back(existing_companion(archive));
  }
  const std::size_t precompressed = archives.size();
  for (const auto& archive : compressed) {
    archives.push_back(archive);
    companions.push_back(archive.string() + ".sha256sum");
  }
  std::vector<UploadItem> items;
  for (std::size_t i = 0; i < archives.size(); ++i) {
    const std::string name = archives[i].filename().string();
    items.push_back({archives[i], root.artifact(name)});
    if (companions[i]) {
      items.push_back({*companions[i], root.artifact_checksum(name)});
    }
  }
  util::log_info("pushing " + std::to_string(archives.size()) + " artifacts to "
                 + store.describe(root.root()));
  {
    // Checking the pre-compressed archives needs a full read of each: do it
    // while the uploads run instead of before them.
    const std::jthread verifier([&] {
      if (!options.dry_run) {
        warn_on_companion_mismatches(archives, companions, precompressed);
      }
    });
    upload_files(store, items, options.upload_concurrency);
  }
  result.pushed = archives.size();
  return result;
}

} // namespace rockart::storage
