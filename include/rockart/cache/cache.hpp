// SPDX-License-Identifier: MIT
// The persistent, shared, size-capped cache: a content-addressed
// blob store plus its SQLite index, with self-healing lookups, LRU eviction
// and hit/miss counters. No network code: fetch and find call it.
//
//   auto got = cache.acquire_blob(sha);          // blocks while another process produces it
//   if (!got.present) {                          // we hold the blob's lock: download it
//     s3.get(bucket, key, [&](auto bytes) { got.writer->write(bytes); });
//     cache.commit_blob(*got.writer);            // verified, renamed into place, indexed
//   }
//   use(cache.blobs().blob_path(sha));  cache.gc();  // after the fetch: enforce the cap
#pragma once

#include <rockart/cache/blob_store.hpp>
#include <rockart/cache/index.hpp>
#include <rockart/cache/location.hpp>
#include <rockart/cache/tree_store.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::cache {

struct CacheConfig {
  std::filesystem::path dir;
  std::uint64_t max_size = k_default_max_size;
  Clock clock = system_now;
  std::chrono::seconds stale_temp_age{std::chrono::hours(1)}; // crashed producers' leftovers
};

// How much a lookup checks before serving a stored blob.
enum class Verify {
  size, // size matches the index (cheap; catches truncation)
  full, // rehash the content (catches any corruption)
};

struct GcReport {
  std::vector<BlobRecord> evicted; // least recently used first
  std::uint64_t bytes_freed = 0;
  std::uint64_t bytes_kept = 0;           // total size of the blobs left
  std::uint64_t pinned_bytes = 0;         // part of bytes_kept that may not be evicted
  std::vector<std::string> evicted_trees; // extracted trees, least recently used first
  std::uint64_t tree_bytes_kept = 0;      // part of bytes_kept that is extracted trees
  size_t temp_files_removed = 0;
};

struct VerifyReport {
  size_t checked = 0;
  std::vector<std::string> corrupt; // sha256 of the blobs found corrupt and evicted
  size_t trees_checked = 0;
  std::vector<std::string> corrupt_trees; // archive sha256 of the extracted trees removed
};

class Cache {
public:
  // Opens (creating) the cache in `config.dir`: blobs/, tmp/, locks/ and
  // index.sqlite; removes stale temp files. Throws LocalIoError or ConfigError.
  static Cache open(CacheConfig config);

  const std::filesystem::path& dir() const { return m_config.dir; }

  std::uint64_t max_size() const { return m_config.max_size; }

  BlobStore& blobs() { return m_blobs; }

  TreeStore& trees() { return m_trees; }

  Index& index() { return m_index; }

  // The stored blob, checked per `verify`, marked used and counted as a hit;
  // nullopt (a miss) when absent. A blob failing the check is evicted with a
  // warning and reported absent, so the caller fetches it again.
  std::optional<std::filesystem::path> find_blob(std::string_view sha256,
                                                 Verify verify = Verify::size);

  // Like BlobStore::acquire() with find_blob()'s checks: either the valid
  // stored blob (a hit) or the exclusive right to produce it (a miss).
  Acquisition acquire_blob(std::string_view sha256, Verify verify = Verify::size);

  // Commits `writer` (see BlobWriter::commit; throws IntegrityError on a
  // mismatch), records the blob in the index and counts its bytes as fetched.
  std::filesystem::path commit_blob(BlobWriter& writer);

  // Removes a blob found corrupt by the caller (e.g. while extracting it).
  void evict_corrupt(std::string_view sha256);

  // Reconciles index and disk, removes stale temp files, then, until blobs and
  // extracted trees together are <= `max_size` (default: the configured cap),
  // evicts extracted trees (least recently used first: each is rebuilt from
  // its blob without a download), then unpinned blobs, least recently used
  // first. Pinned blobs stay even above the cap.
  GcReport gc(std::optional<std::uint64_t> max_size = std::nullopt);

  // Rehashes every stored blob and extracted tree and evicts the corrupt ones.
  VerifyReport verify_all();

  // Deletes every unpinned blob and all index facts and counters; returns the
  // bytes freed. Pinned blobs and their pins stay.
  std::uint64_t clear();

private:
  Cache(CacheConfig config, BlobStore blobs, Index index);
  std::optional<std::filesystem::path> checked(std::string_view sha256, Verify verify);
  void record_hit(std::string_view sha256);
  void reconcile();

  CacheConfig m_config;
  BlobStore m_blobs;
  Index m_index;
  TreeStore m_trees;
};

} // namespace rockart::cache
