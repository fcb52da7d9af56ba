// SPDX-License-Identifier: MIT
// Extracted archive trees, kept in the cache so that installing the same
// archive again (into the same or a fresh directory) places files instead of
// downloading and extracting them (the way uv and pnpm install packages):
//
//   <cache>/trees/<sha>/            the archive's flattened tree, files read-only
//   <cache>/trees/<sha>.json        its manifest: every entry with size and sha256;
//                                   written last, so a tree without one is not there
//   <cache>/trees/.rockart-staging-XXXXXX/  trees being extracted
//
// <sha> is the archive's sha256. Files are read-only because an install may
// hard-link them: writing through the installed path would change the store.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockart::cache {

struct TreeEntry {
  enum class Type { file, symlink, directory };
  std::string path; // relative to the tree root
  Type type = Type::file;
  std::uint64_t size = 0; // files
  std::string sha256;     // files
  unsigned mode = 0;      // permission bits as extracted (before the store drops write bits)
  std::string target;     // symlinks

  bool operator==(const TreeEntry&) const = default;
};

struct Tree {
  std::string sha256; // of the archive
  std::filesystem::path root;
  std::vector<TreeEntry> entries; // sorted by path
  std::uint64_t bytes = 0;        // file bytes

  // The files and symlinks, sorted (what an install records).
  std::vector<std::string> paths() const;
};

struct TreeInfo {
  std::string sha256;
  std::uint64_t bytes = 0;
  std::filesystem::file_time_type last_used;
};

// How placed files relate to the store's.
enum class LinkMode {
  auto_, // reflink where the file system can, else hard link, else copy
  reflink,
  hardlink,
  copy,
};

// "auto", "reflink", "hardlink", "copy"; parse_link_mode() throws UsageError otherwise.
std::string to_string(LinkMode mode);
LinkMode parse_link_mode(std::string_view text);

struct PlaceReport {
  std::uint64_t files = 0;
  std::uint64_t reflinked = 0;
  std::uint64_t hardlinked = 0;
  std::uint64_t copied = 0;
};

class TreeStore {
public:
  // The store under `cache_dir`/trees (created when missing).
  explicit TreeStore(std::filesystem::path cache_dir);

  const std::filesystem::path& root() const { return m_root; }

  // The complete tree of archive `sha256`, marked used; nullopt when absent
  // or its manifest is unreadable (it is then removed).
  std::optional<Tree> find(std::string_view sha256);

  // Thread-safe, as are publish() and remove().
  // A fresh directory to extract one archive into, on the store's file system.
  std::filesystem::path make_staging() const;

  // Publishes the extracted `staged` directory as the tree of `sha256`:
  // hashes every file, drops write bits, writes the manifest, renames it in.
  // When another process published it first, `staged` is discarded and theirs
  // returned. Throws LocalIoError; an entry that is not a file, directory or
  // symlink is an ArchiveError.
  Tree publish(const std::filesystem::path& staged, std::string_view sha256);

  // Every complete tree, least recently used first.
  std::vector<TreeInfo> list() const;

  // Removes the tree of `sha256` (its manifest first, so it is gone at once).
  bool remove(std::string_view sha256);

  // Rehashes every file of the tree against its manifest; false (after
  // removing it) when anything differs or is missing.
  bool verify(std::string_view sha256);

  // Removes staging directories older than `age` (a crashed extraction's).
  std::size_t clean_stale(std::chrono::seconds age);

private:
  std::filesystem::path tree_dir(std::string_view sha256) const;
  std::filesystem::path manifest_path(std::string_view sha256) const;

  std::filesystem::path m_root;

  // Trees read or published by this process (a fetch finds each twice:
  // planning the job and placing it), so the manifest is parsed once; each
  // with its manifest's size, which a rewrite or damage would change.
  struct Known {
    std::mutex mutex;
    std::map<std::string, std::pair<Tree, std::uintmax_t>, std::less<>> trees;
  };

  std::unique_ptr<Known> m_known = std::make_unique<Known>();
};

// Places `tree` into `dest`: directories created, symlinks recreated, files
// linked or copied per `mode` (copies get back the archive's permission bits),
// each file and symlink replacing what is at its path atomically. A directory
// where the tree has a file is an ArchiveError naming it. Throws LocalIoError.
PlaceReport place_tree(const Tree& tree, const std::filesystem::path& dest, LinkMode mode);

} // namespace rockart::cache
