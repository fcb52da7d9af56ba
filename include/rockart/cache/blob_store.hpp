// SPDX-License-Identifier: MIT
// Content-addressed blob store on the local file system.
//
//   <root>/blobs/ab/abcdef...   complete blobs, named by their sha256
//   <root>/tmp/                 partial writes; never read as blobs
//   <root>/locks/<sha>.lock     flock(2) per blob: one producer at a time
//
// A blob appears under blobs/ only by rename(2) after its sha256 was verified,
// so a reader sees either nothing or the whole, correct file.
#pragma once

#include <rockart/util/hash.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::cache {

// An exclusive flock(2) on a lock file; released (and the fd closed) on destruction.
class FileLock {
public:
  FileLock() = default;
  ~FileLock();
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

  // Blocks until the lock on `path` (created if needed) is held. Throws LocalIoError.
  static FileLock acquire(const std::filesystem::path& path);
  // Like acquire() but returns nullopt at once when another process holds it.
  static std::optional<FileLock> try_acquire(const std::filesystem::path& path);

  // Removes the lock file while still holding the lock (waiters then retry on a fresh file).
  void remove_file();

private:
  int m_fd = -1;
  std::filesystem::path m_path;
};

class BlobStore;

// Streams one blob into a temp file under tmp/, hashing as it goes. commit()
// verifies the digest and renames the file into blobs/. Destroying an
// uncommitted writer deletes its temp file.
class BlobWriter {
public:
  BlobWriter(BlobWriter&&) noexcept;
  BlobWriter& operator=(BlobWriter&&) = delete;
  BlobWriter(const BlobWriter&) = delete;
  ~BlobWriter();

  // Appends `size` bytes. Throws LocalIoError when the disk write fails.
  void write(const void* data, size_t size);

  void write(std::string_view data) { write(data.data(), data.size()); }

  // The temp file, for producers that write it themselves (e.g. a resumable
  // download) instead of calling write(); commit() then hashes the file.
  const std::filesystem::path& temp_path() const { return m_temp; }

  // Bytes passed to write() so far.
  std::uint64_t size() const { return m_size; }

  // Verifies the sha256 against the expected one (if any), moves the file into
  // blobs/ and returns its final path. On mismatch throws IntegrityError naming
  // both digests and removes the temp file. Identical content is stored once.
  std::filesystem::path commit();

  // The digest computed by commit() (empty before).
  const std::string& sha256() const { return m_sha; }

private:
  friend class BlobStore;
  BlobWriter(const BlobStore& store, std::optional<std::string> expected);
  void discard() noexcept;

  const BlobStore* m_store;
  std::optional<std::string> m_expected;
  std::filesystem::path m_temp;
  int m_fd = -1;
  util::Sha256 m_hash;
  std::uint64_t m_size = 0;
  bool m_streamed = false;
  std::string m_sha;
};

// Outcome of BlobStore::acquire(): the blob already exists (`present`), or the
// caller holds the blob's lock and must produce it through `writer`.
struct Acquisition {
  std::optional<std::filesystem::path> present;
  std::optional<BlobWriter> writer; // set when `present` is not
  FileLock lock;                    // held while producing; release by destroying
};

// One stored blob as found on disk.
struct BlobFile {
  std::string sha256;
  std::uint64_t size = 0;
  std::filesystem::file_time_type modified;
};

class BlobStore {
public:
  // Uses (and creates) blobs/, tmp/ and locks/ under `root`. Throws LocalIoError.
  explicit BlobStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return m_root; }

  // Where blob `sha256` lives (whether or not it exists). Throws UsageError
  // unless `sha256` is 64 hex digits; upper case is folded to lower case.
  std::filesystem::path blob_path(std::string_view sha256) const;

  // The blob's path when it is stored, else nullopt. Does not read the content.
  std::optional<std::filesystem::path> find(std::string_view sha256) const;

  // A writer whose commit() requires the content to hash to `expected_sha256`
  // (nullopt: accept any content and store it under its own digest).
  BlobWriter writer(std::optional<std::string> expected_sha256) const;

  // Blocks until no other process produces `sha256`, then returns either the
  // stored blob or the exclusive right to produce it (see Acquisition).
  Acquisition acquire(std::string_view sha256) const;

  // Rehashes the stored blob; true when it matches its name. nullopt when absent.
  std::optional<bool> verify(std::string_view sha256) const;

  // Deletes the stored blob (under its lock). Returns false when it was absent.
  bool remove(std::string_view sha256) const;

  // Every complete blob under blobs/ (temp files and foreign files are skipped).
  std::vector<BlobFile> list() const;

  // Deletes temp files older than `max_age` whose producer no longer holds the
  // blob lock (it crashed). Returns how many were removed.
  size_t clean_stale_temp(std::chrono::seconds max_age) const;

  std::filesystem::path lock_path(std::string_view sha256) const;

  std::filesystem::path temp_dir() const { return m_root / "tmp"; }

private:
  std::filesystem::path m_root;
};

} // namespace rockart::cache
