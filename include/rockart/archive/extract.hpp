// SPDX-License-Identifier: MIT
// Safe streaming extraction of TheRock artifact archives:
// modes extract, flatten and bootstrap, manifest-first, nothing written outside
// the output directory, no user/group lookups, no ownership restore.
#pragma once

#include <rockart/archive/byte_source.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace rockart::archive {

// extract: the whole archive into D/{directory_name}; flatten: members merged
// into D itself without their manifest path R; bootstrap: D/{R}/... plus an
// empty `{R}.prebuilt` marker telling the build R is pre-built. (no-extract
// never reaches this layer.)
// extract, flatten and bootstrap read artifact archives (artifact_manifest.txt
// first); tarball reads a plain tar of a tree (a release tarball, members
// "./bin/...") and writes it into D like flatten, with the same safety rules.
enum class ExtractMode { extract, flatten, bootstrap, tarball };

// The name every artifact archive's first member must have.
inline constexpr std::string_view k_manifest_name = "artifact_manifest.txt";

// Bootstrap's "first encounter" set shared by all archives of one fetch (and
// by parallel extraction workers): the first claim of a relpath cleans it.
class BootstrapRegistry {
public:
  // Runs `clean` for the first caller naming `relpath`, under a lock, so other
  // callers with the same relpath wait until it is done. Thread-safe.
  void first_encounter(const std::string& relpath, const std::function<void()>& clean);

private:
  std::mutex m_mutex;
  std::set<std::string> m_claimed;
};

struct ExtractOptions {
  ExtractMode mode = ExtractMode::extract;
  std::filesystem::path output_dir; // D; must exist
  // Extract mode: the artifact's directory name under D (the archive file
  // name without .tar.zst/.tar.xz). It must be a single path component.
  std::string directory_name;
  // For messages (e.g. "blas_lib_gfx94X-dcgpu.tar.zst"); a ".tar.gz" name also admits gzip.
  std::string archive_name;
  std::uint64_t max_entry_bytes = std::uint64_t{64} << 30; // refuse larger declared sizes
  size_t read_block_bytes = size_t{1} << 20;               // libarchive read block
  BootstrapRegistry* bootstrap = nullptr;                  // required in bootstrap mode
  // Flatten/bootstrap: output_dir is private to this call (e.g. a staging
  // directory nobody reads), so files are written in place instead of under a
  // temporary name renamed into place.
  bool private_output = false;
};

struct ExtractResult {
  std::filesystem::path destination; // extract: D/{directory_name}; otherwise D
  std::vector<std::string> relpaths; // manifest relpaths, in manifest order
  std::uint64_t files = 0;           // regular files (including the manifest in extract mode)
  std::uint64_t directories = 0;
  std::uint64_t symlinks = 0;
  std::uint64_t hardlinks = 0;
  std::uint64_t bytes = 0; // uncompressed regular-file bytes written
};

// Reads a .tar.zst or .tar.xz stream from `source` and writes it per `options`.
// Throws ArchiveError naming the archive and member for malformed or hostile
// input (nothing is then written outside D; extract mode keeps the previous
// directory), LocalIoError naming the path for filesystem failures, and lets the
// source's own errors propagate. Extract mode replaces D/{directory_name} atomically.
ExtractResult extract(ByteSource& source, const ExtractOptions& options);

// Puts the finished directory `temp` at `final` in one step: an existing
// directory there is exchanged (renameat2 RENAME_EXCHANGE) and ends up at
// `temp` for the caller to remove; a file there is replaced. Throws LocalIoError.
void replace_directory(const std::filesystem::path& temp, const std::filesystem::path& final);

// Parses manifest text: one relpath per line, `\n` or `\r\n`, empty lines
// ignored, repeated lines kept once. Throws ArchiveError for an absolute relpath
// or one with a `.`, `..` or empty segment.
std::vector<std::string> parse_manifest(std::string_view text);

} // namespace rockart::archive
