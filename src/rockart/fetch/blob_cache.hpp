// SPDX-License-Identifier: MIT
// The fetch pipeline's view of the persistent cache (issue 6 item 2): one
// cache::Cache shared by the worker threads. The SQLite handle is not
// thread-safe, so index work is serialised here; waiting for another
// producer's blob lock happens outside the mutex (no deadlock when two
// archives of one plan have identical content).
#pragma once

#include <rockart/cache/cache.hpp>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::fetch::detail {

class SharedCache {
public:
  explicit SharedCache(cache::Cache& cache) : m_cache(cache) {}

  // The stored blob (size-checked, counted as a hit), or the exclusive right
  // to produce it (counted as a miss). Blocks while another process produces it.
  cache::Acquisition acquire(std::string_view sha256);

  // A fresh writer for one download attempt (requires the blob's lock held).
  cache::BlobWriter writer(const std::string& sha256);

  // Verifies, stores and indexes the blob; a failure is only a warning (the
  // archive itself was already verified and published).
  void commit(cache::BlobWriter& writer);

  // Drops a blob whose content no longer matches its name.
  void evict_corrupt(std::string_view sha256);

  // The archive digest recorded for companion (bucket, key, etag), if any.
  std::optional<std::string>
  companion_digest(std::string_view bucket, std::string_view key, std::string_view etag);

  // Records the digest read from companion (bucket, key, etag).
  void remember_companion(std::string_view bucket,
                          std::string_view key,
                          std::string_view etag,
                          std::string_view sha256);

private:
  cache::Cache& m_cache;
  std::mutex m_mutex;
};

} // namespace rockart::fetch::detail
