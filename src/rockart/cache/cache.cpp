// SPDX-License-Identifier: MIT
#include <rockart/cache/cache.hpp>
#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>

#include <set>

namespace rockart::cache {
namespace fs = std::filesystem;

Cache::Cache(CacheConfig config, BlobStore blobs, Index index)
    : m_config(std::move(config)), m_blobs(std::move(blobs)), m_index(std::move(index)),
      m_trees(m_config.dir) {}

Cache Cache::open(CacheConfig config) {
  BlobStore blobs(config.dir);
  IndexOptions options; // default busy timeout: processes wait for each other
  options.clock = config.clock;
  Index index = Index::open(config.dir / "index.sqlite", std::move(options));
  blobs.clean_stale_temp(config.stale_temp_age);
  return Cache(std::move(config), std::move(blobs), std::move(index));
}

std::optional<fs::path> Cache::checked(std::string_view sha256, Verify verify) {
  auto path = m_blobs.find(sha256);
  if (!path) {
    return std::nullopt;
  }
  std::error_code ec;
  const std::uint64_t size = fs::file_size(*path, ec);
  if (ec) {
    return std::nullopt; // evicted by another process a moment ago
  }
  const auto record = m_index.get_blob(path->filename().string());
  bool ok = true;
  if (verify == Verify::full) {
    ok = util::sha256_file(*path) == path->filename().string();
  } else if (record) {
    ok = record->size == size;
  }
  if (!ok) {
    evict_corrupt(sha256);
    return std::nullopt;
  }
  if (!record) {
    // Renamed into place by a process that died before indexing it: the
    // rename happens only after verification, so the content is trusted.
    m_index.record_blob(path->filename().string(), size);
  }
  return path;
}

void Cache::record_hit(std::string_view sha256) {
  const std::string sha = m_blobs.blob_path(sha256).filename().string();
  m_index.touch_blob(sha);
  m_index.add_counter("hits", 1);
  if (auto record = m_index.get_blob(sha)) {
    m_index.add_counter("bytes_saved", static_cast<std::int64_t>(record->size));
  }
}

std::optional<fs::path> Cache::find_blob(std::string_view sha256, Verify verify) {
  auto path = checked(sha256, verify);
  if (path) {
    record_hit(sha256);
  } else {
    m_index.add_counter("misses", 1);
  }
  return path;
}

Acquisition Cache::acquire_blob(std::string_view sha256, Verify verify) {
  for (;;) {
    if (auto path = checked(sha256, verify)) {
      record_hit(sha256);
      Acquisition hit;
      hit.present = std::move(path);
      return hit;
    }
    Acquisition got = m_blobs.acquire(sha256);
    if (!got.present) {
      m_index.add_counter("misses", 1);
      return got;
    }
    // Another process produced it while we waited; loop to check and count it.
  }
}

fs::path Cache::commit_blob(BlobWriter& writer) {
  fs::path path = writer.commit();
  const std::uint64_t size = fs::file_size(path);
  m_index.record_blob(writer.sha256(), size);
  m_index.add_counter("bytes_fetched", static_cast<std::int64_t>(size));
  return path;
}

void Cache::evict_corrupt(std::string_view sha256) {
  util::log_warn("cache: blob " + std::string(sha256)
                 + " no longer matches its sha256; evicted, it will be fetched again");
  m_blobs.remove(sha256);
  m_index.forget_blob(m_blobs.blob_path(sha256).filename().string());
  m_index.add_counter("corrupt_evictions", 1);
}

void Cache::reconcile() {
  std::set<std::string> on_disk;
  for (const BlobFile& file : m_blobs.list()) {
    on_disk.insert(file.sha256);
    if (!m_index.get_blob(file.sha256)) {
      m_index.record_blob(file.sha256, file.size);
    }
  }
  for (const BlobRecord& record : m_index.list_blobs()) {
    if (on_disk.count(record.sha256) == 0) {
      m_index.forget_blob(record.sha256);
    }
  }
}

GcReport Cache::gc(std::optional<std::uint64_t> max_size) {
  const std::uint64_t cap = max_size.value_or(m_config.max_size);
  GcReport report;
  reconcile();
  report.temp_files_removed = m_blobs.clean_stale_temp(m_config.stale_temp_age);
  report.temp_files_removed += m_trees.clean_stale(m_config.stale_temp_age);
  const std::vector<BlobRecord> blobs = m_index.list_blobs(); // least recently used first
  std::uint64_t total = 0;
  for (const BlobRecord& blob : blobs) {
    total += blob.size;
    report.pinned_bytes += blob.pins > 0 ? blob.size : 0;
  }
  const std::vector<TreeInfo> trees = m_trees.list(); // least recently used first
  for (const TreeInfo& tree : trees) {
    total += tree.bytes;
    report.tree_bytes_kept += tree.bytes;
  }
  for (const TreeInfo& tree : trees) {
    if (total <= cap) {
      break;
    }
    m_trees.remove(tree.sha256);
    total -= tree.bytes;
    report.tree_bytes_kept -= tree.bytes;
    report.bytes_freed += tree.bytes;
    report.evicted_trees.push_back(tree.sha256);
  }
  for (const BlobRecord& blob : blobs) {
    if (total <= cap) {
      break;
    }
    if (blob.pins > 0) {
      continue;
    }
    m_blobs.remove(blob.sha256);
    m_index.forget_blob(blob.sha256);
    total -= blob.size;
    report.bytes_freed += blob.size;
    report.evicted.push_back(blob);
  }
  if (!report.evicted.empty()) {
    m_index.add_counter("evictions", static_cast<std::int64_t>(report.evicted.size()));
    util::log_debug("cache: evicted " + std::to_string(report.evicted.size()) + " blobs ("
                    + util::format_bytes(report.bytes_freed) + ") to stay under "
                    + util::format_bytes(cap));
  }
  if (total > cap) {
    util::log_warn("cache: " + util::format_bytes(total) + " stays above the "
                   + util::format_bytes(cap) + " cap because "
                   + util::format_bytes(report.pinned_bytes) + " are pinned");
  }
  report.bytes_kept = total;
  return report;
}

VerifyReport Cache::verify_all() {
  reconcile();
  VerifyReport report;
  for (const BlobFile& file : m_blobs.list()) {
    ++report.checked;
    if (m_blobs.verify(file.sha256) == false) {
      evict_corrupt(file.sha256);
      report.corrupt.push_back(file.sha256);
    }
  }
  for (const TreeInfo& tree : m_trees.list()) {
    ++report.trees_checked;
    if (!m_trees.verify(tree.sha256)) {
      util::log_warn("cache: the extracted tree of " + tree.sha256
                     + " differs from its manifest; removed (rebuilt on next use)");
      report.corrupt_trees.push_back(tree.sha256);
    }
  }
  return report;
}

std::uint64_t Cache::clear() {
  reconcile();
  std::uint64_t freed = 0;
  for (const BlobRecord& blob : m_index.list_blobs()) {
    if (blob.pins == 0 && m_blobs.remove(blob.sha256)) {
      freed += blob.size;
    }
  }
  for (const TreeInfo& tree : m_trees.list()) {
    if (m_trees.remove(tree.sha256)) {
      freed += tree.bytes;
    }
  }
  m_trees.clean_stale(std::chrono::seconds(0));
  m_index.clear();
  m_blobs.clean_stale_temp(std::chrono::seconds(0));
  return freed;
}

} // namespace rockart::cache
