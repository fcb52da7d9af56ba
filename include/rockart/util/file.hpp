// SPDX-License-Identifier: MIT
// Files written whole or not at all, and reading or hashing a whole file.
//
//   util::AtomicFile out(dest);          // writes ".{name}.rockart-tmp-{pid}-{n}" next to dest
//   out.write(bytes);                    // as often as needed
//   out.commit(util::Durability::fsync); // renames over dest; until then dest is untouched
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::util {

// Whether a committed file must survive a power loss. State that a later run
// trusts without checking (a bisect session) is fsynced; files that are
// verified again on use (downloads, cache blobs) skip the cost.
enum class Durability { none, fsync };

// The temporary name next to `dest` that AtomicFile writes first: hidden, unique
// in this process and across processes ("{dir}/.{name}.rockart-tmp-{pid}-{n}").
std::filesystem::path temp_path_for(const std::filesystem::path& dest);

// True when `name` is a file name that temp_path_for() makes (a leftover of a
// killed process, safe to delete once nobody writes it).
bool is_temp_name(std::string_view name);

// A file that appears at its destination complete or not at all: bytes go to
// temp_path_for(dest); commit() renames the temp file over `dest` (replacing
// a file or symlink there, never writing through it); destroying an
// uncommitted AtomicFile removes the temp file.
class AtomicFile {
public:
  // Creates the temp file (the directory of `dest` must exist). Throws LocalIoError.
  explicit AtomicFile(std::filesystem::path dest);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends `bytes`. Throws LocalIoError naming the file (e.g. a full disk).
  void write(std::string_view bytes);

  void write(const void* data, std::size_t size) {
    write(std::string_view(static_cast<const char*>(data), size));
  }

  // Bytes written so far.
  std::uint64_t size() const { return m_size; }

  const std::filesystem::path& temp_path() const { return m_temp; }

  const std::filesystem::path& destination() const { return m_dest; }

  // Closes the file (fsyncing it and, after the rename, its directory when
  // `durability` says so) and renames it over the destination. Throws LocalIoError.
  void commit(Durability durability = Durability::none);

private:
  std::filesystem::path m_dest;
  std::filesystem::path m_temp;
  int m_fd = -1;
  std::uint64_t m_size = 0;
  bool m_committed = false;
};

// Replaces `dest` with `content` through an AtomicFile. Throws LocalIoError.
void write_file_atomic(const std::filesystem::path& dest,
                       std::string_view content,
                       Durability durability = Durability::none);

// The whole content of `path`; nullopt when it does not exist or cannot be read.
std::optional<std::string> read_file(const std::filesystem::path& path);

// The whole content of `path`. Throws LocalIoError naming the file.
std::string read_file_or_throw(const std::filesystem::path& path);

// Lower-case hex SHA-256 of the file at `path`. Throws LocalIoError.
std::string sha256_file(const std::filesystem::path& path);

} // namespace rockart::util
