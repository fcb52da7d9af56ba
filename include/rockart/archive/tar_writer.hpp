// SPDX-License-Identifier: MIT
// Streaming writer of TheRock-style .tar.zst / .tar.xz archives (and the
// .tar.gz of build logs): PAX tar, no user/group names, deterministic metadata.
// It writes any entry it is given, hostile or not: push and the log uploads
// give it checked trees, tests give it hostile ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace rockart::archive {

enum class Compression { zstd, xz, gzip };

// ".tar.zst", ".tar.xz" or ".tar.gz".
std::string_view archive_extension(Compression compression);

// Entry types that only hostile or foreign archives contain.
enum class SpecialKind { char_device, block_device, fifo, socket };

class TarWriter {
public:
  // Creates (replacing) `path`. `level` < 0 means TheRock's defaults (zstd 3,
  // xz 6; gzip 6, gzip's own).
  // Throws LocalIoError when the file cannot be created, ArchiveError when
  // libarchive lacks the filter.
  TarWriter(const std::filesystem::path& path, Compression compression, int level = -1);
  ~TarWriter(); // closes without finishing if finish() was not called
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;

  // Each add_* appends one member named `name` verbatim (no validation).
  // `mode` holds permission bits only. Throws ArchiveError on write failure.
  void add_directory(std::string_view name, unsigned mode = 0755);

  void add_file(std::string_view name, std::string_view data, unsigned mode = 0644);

  // A regular file of `size` bytes whose content `fill` produces in order, one
  // buffer at a time (the span to fill is at most 1 MiB), so any size streams.
  void add_file_streamed(std::string_view name,
                         std::uint64_t size,
                         unsigned mode,
                         const std::function<void(std::span<std::byte>)>& fill);

  void add_symlink(std::string_view name, std::string_view target);

  // A tar hard-link member pointing at an earlier member `target`.
  void add_hardlink(std::string_view name, std::string_view target);

  void add_special(std::string_view name, SpecialKind kind);

  // Flushes the compressor and closes the file. Returns the lower-case hex
  // SHA-256 of the bytes written (the .sha256sum companion's digest).
  std::string finish();

  // Compressed bytes written so far.
  std::uint64_t bytes_written() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Writes `bytes` (e.g. a hand-made tar stream) to `path`, compressed as a whole.
// For test corpora whose headers libarchive's tar writer would not produce.
void write_compressed_raw(const std::filesystem::path& path,
                          Compression compression,
                          std::string_view bytes);

// Writes `{archive}.sha256sum` next to `archive` with content "{hex}  {filename}\n".
void write_sha256_companion(const std::filesystem::path& archive, std::string_view hex);

} // namespace rockart::archive
