// SPDX-License-Identifier: MIT
#include "blob_cache.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

namespace rockart::fetch::detail {

cache::Acquisition SharedCache::acquire(std::string_view sha256) {
  for (;;) {
    {
      std::lock_guard lock(m_mutex);
      if (auto path = m_cache.find_blob(sha256)) {
        cache::Acquisition hit;
        hit.present = std::move(path);
        return hit;
      }
    }
    cache::Acquisition got = m_cache.blobs().acquire(sha256);
    if (!got.present) {
      std::lock_guard lock(m_mutex);
      m_cache.index().add_counter("misses", 1);
      return got;
    }
    // Another producer stored it while we waited: loop to check and count it.
  }
}

cache::BlobWriter SharedCache::writer(const std::string& sha256) {
  return m_cache.blobs().writer(sha256);
}

void SharedCache::commit(cache::BlobWriter& writer) {
  try {
    std::lock_guard lock(m_mutex);
    m_cache.commit_blob(writer);
  } catch (const Error& e) {
    util::log_warn(std::string("cache: could not store a downloaded archive: ") + e.what());
  }
}

void SharedCache::evict_corrupt(std::string_view sha256) {
  std::lock_guard lock(m_mutex);
  m_cache.evict_corrupt(sha256);
}

std::optional<std::string> SharedCache::companion_digest(std::string_view bucket,
                                                         std::string_view key,
                                                         std::string_view etag) {
  std::lock_guard lock(m_mutex);
  return m_cache.index().get_object_blob(bucket, key, etag);
}

void SharedCache::remember_companion(std::string_view bucket,
                                     std::string_view key,
                                     std::string_view etag,
                                     std::string_view sha256) {
  std::lock_guard lock(m_mutex);
  m_cache.index().put_object_blob(bucket, key, etag, sha256);
}

} // namespace rockart::fetch::detail
