// SPDX-License-Identifier: MIT
// `rockart push` (TheRock's artifact_manager.py push): every item directly in
// `{build}/artifacts/` whose artifact name the stage produces. Exploded
// artifact directories are compressed into an upload cache first; archives
// already there are taken as they are. Each goes up with its `.sha256sum`
// companion; a pre-compressed archive whose companion disagrees with its
// bytes is uploaded anyway with a warning, as TheRock does (the reader's
// verification refuses it later).
#pragma once

#include <rockart/archive/tar_writer.hpp>
#include <rockart/layout/topology.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/storage/store.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rockart::storage {

// The build topology at `path`, or when none is given the first
// BUILD_TOPOLOGY.toml in the current directory or a parent (the TheRock
// checkout CI runs in). Throws ConfigError when it cannot be found or read,
// or is invalid.
layout::Topology load_topology(const std::optional<std::filesystem::path>& path);

// The archives to upload and the directories to compress first.
struct PushPlan {
  std::vector<std::filesystem::path> archives;    // pre-compressed, sorted
  std::vector<std::filesystem::path> directories; // exploded artifacts, sorted

  std::size_t total() const { return archives.size() + directories.size(); }
};

// The artifact names `stage` produces (every stage's for "all"), logged at info.
// Throws NotFoundError listing the stages for an unknown stage.
std::set<std::string> produced_names(const layout::Topology& topology, const std::string& stage);

// The items directly in `artifacts_dir` whose parsed artifact name is in
// `produced`: archives and exploded directories (symlinks are never pushed).
PushPlan plan_push(const std::filesystem::path& artifacts_dir,
                   const std::set<std::string>& produced);

// "zstd" or "xz"; throws UsageError naming `type` otherwise.
archive::Compression parse_compression(const std::string& type);

struct PushOptions {
  archive::Compression compression = archive::Compression::zstd;
  int compression_level = -1; // TheRock's defaults: zstd 3, xz 6
  int compress_concurrency = 1;
  int upload_concurrency = 10;
  bool dry_run = false; // log what would be compressed; the store logs the uploads
};

struct PushResult {
  std::size_t pushed = 0;              // archives uploaded (each with its companion when any)
  std::size_t failed_compressions = 0; // directories that could not be compressed (logged)
};

// Compresses the plan's directories into `upload_cache` (in parallel, created
// when needed), then uploads every archive and companion to `root` through
// `store` while checking the pre-compressed archives against their
// companions. Throws like upload_files() when an upload fails.
PushResult push_artifacts(Store& store,
                          const layout::WorkflowOutputRoot& root,
                          const PushPlan& plan,
                          const std::filesystem::path& upload_cache,
                          const PushOptions& options);

} // namespace rockart::storage
