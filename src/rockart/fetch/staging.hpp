// SPDX-License-Identifier: MIT
// Staging directories inside the output directory: an archive is extracted
// into one while it streams in, and only moved into place once verified.
#pragma once

#include <rockart/util/scratch.hpp>

#include <cstddef>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rockart::fetch::detail {

// The name prefix of staging directories; remove_orphaned_scratch() with it
// sweeps those a killed fetch left.
inline constexpr std::string_view k_staging_prefix = ".rockart-staging-";

// A fresh directory `{parent}/.rockart-staging-{pid}-XXXXXX`, removed with its
// content on destruction or on Ctrl-C (util::ScratchDir). Throws
// LocalIoError when it cannot be created.
class StagingDir : public util::ScratchDir {
public:
  explicit StagingDir(const std::filesystem::path& parent)
      : util::ScratchDir(parent, k_staging_prefix) {}
};

// Moves verified staging directories into D (flatten) as soon as each is
// ready, in any order, with the result of merging them in plan order: where
// two archives write the same path, the one later in the plan wins ("last
// writer wins", made deterministic). A directory
// absent from D is moved whole; an existing real directory is merged into; a
// symlink or file in the way of a directory is replaced. Never follows a
// symlink in D. Thread-safe; merges run one at a time.
class FlattenMerger {
public:
  explicit FlattenMerger(std::filesystem::path dest) : m_dest(std::move(dest)) {}

  // Merges `staged` (the archive at plan position `rank`) into D and returns
  // the path under D of every file and symlink the archive holds, sorted
  // (also those a later archive's copy shadows: they are the archive's
  // content, which an install records). Throws ArchiveError when a file would
  // replace a directory (naming `archive`), LocalIoError on I/O failure; what
  // was merged before the error stays.
  std::vector<std::string>
  merge(const std::filesystem::path& staged, std::size_t rank, const std::string& archive);

private:
  // The archive being merged: its plan rank and name (for messages).
  struct Source {
    std::size_t rank;
    const std::string& archive;
    std::vector<std::string>& paths; // what merge() returns
  };

  void merge_entry(const Source& source,
                   const std::filesystem::path& from,
                   bool from_is_dir,
                   const std::string& rel);
  void
  merge_directory(const Source& source, const std::filesystem::path& from, const std::string& rel);
  void claim_tree(const Source& source, const std::filesystem::path& from, const std::string& rel);
  bool later_owner(const Source& source, const std::string& rel) const;

  std::filesystem::path m_dest;
  std::mutex m_mutex;
  // Path under D of every file and symlink merged so far -> plan rank of its writer.
  std::unordered_map<std::string, std::size_t> m_owner;
};

} // namespace rockart::fetch::detail
