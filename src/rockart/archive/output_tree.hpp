// SPDX-License-Identifier: MIT
// Writes members below one root directory without ever leaving it: every parent
// component is checked to be a real directory (never a symlink), and in atomic
// mode each file appears under its final name only once complete (temp + rename).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_set>

namespace rockart::archive::detail {

class OutputTree;

// A regular file being written; removed (atomic mode) or left for the caller's
// cleanup unless commit() succeeds.
class PendingFile {
public:
  PendingFile(OutputTree& tree, std::string rel);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  // Writes `size` bytes at `offset`. Throws LocalIoError.
  void write_at(const void* data, size_t size, std::int64_t offset);

  // Sets the size (sparse tails), applies the mode derived from `stored_mode`
  // (see OutputTreeOptions), sets `mtime` when given, publishes the file.
  void commit(std::uint64_t size, mode_t stored_mode, const struct ::timespec* mtime);

private:
  OutputTree& m_tree;
  std::string m_rel;
  std::filesystem::path m_open_path; // temp name in atomic mode
  int m_fd = -1;
  bool m_committed = false;
  friend class OutputTree;
};

struct OutputTreeOptions {
  bool atomic_files = false; // flatten/bootstrap: temp + rename per file
  bool exact_modes = false;  // extract: file mode = stored mode & 0755 | 0600
  std::string archive_name;  // for messages
};

class OutputTree {
public:
  OutputTree(std::filesystem::path root, OutputTreeOptions options);

  // The member being written, named in error messages.
  void set_member(std::string member) { m_member = std::move(member); }

  const std::filesystem::path& root() const { return m_root; }

  // Creates missing parents of `rel` after checking existing ones are real
  // directories; throws ArchiveError for a symlink or non-directory on the way.
  void ensure_parents(const std::string& rel);
  // Creates directory `path`: nullopt when it did, else the lstat mode of what
  // already stands there. Throws LocalIoError for any other failure.
  std::optional<mode_t> make_dir(const std::filesystem::path& path) const;

  // Directory `rel` (a symlink or file in its place is removed first: later
  // archives overwrite earlier ones).
  void make_directory(const std::string& rel);

  void make_symlink(const std::string& rel, const std::string& target);

  // Hard link `rel` to the already written `existing_rel`.
  void make_hardlink(const std::string& rel, const std::string& existing_rel);

  [[noreturn]] void fail_io(const std::string& action, const std::filesystem::path& path) const;

  [[noreturn]] void fail_archive(const std::string& reason) const;

private:
  friend class PendingFile;
  std::filesystem::path temp_name(const std::string& rel);
  // Moves `temp` to `rel` (replacing a file or symlink, never a directory).
  void publish(const std::filesystem::path& temp, const std::string& rel);
  // Makes room for a non-directory at `rel` in direct mode.
  void clear_slot(const std::string& rel);

  std::filesystem::path m_root;
  OutputTreeOptions m_options;
  std::unordered_set<std::string> m_dirs; // rels known to be real directories
  std::string m_member;
  std::uint64_t m_temp_counter = 0;
};

} // namespace rockart::archive::detail
