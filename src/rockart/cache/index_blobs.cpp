// SPDX-License-Identifier: MIT
// Index: blob rows, pins, counters and housekeeping.
#include "sqlite.hpp"

#include <rockart/cache/index.hpp>

namespace rockart::cache {

void Index::record_blob(std::string_view sha256, std::uint64_t size) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("INSERT INTO blobs (sha256, size, last_used) VALUES (?1, ?2, ?3) "
                "ON CONFLICT (sha256) DO UPDATE SET size = ?2, last_used = ?3")
      .bind(1, sha256)
      .bind(2, static_cast<std::int64_t>(size))
      .bind(3, m_clock().time_since_epoch().count())
      .run();
  transaction.commit();
}

bool Index::touch_blob(std::string_view sha256) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("UPDATE blobs SET last_used = ?2 WHERE sha256 = ?1")
      .bind(1, sha256)
      .bind(2, m_clock().time_since_epoch().count())
      .run();
  const int changed = sqlite3_changes(m_db->handle());
  transaction.commit();
  return changed > 0;
}

void Index::forget_blob(std::string_view sha256) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("DELETE FROM blobs WHERE sha256 = ?1").bind(1, sha256).run();
  transaction.commit();
}

namespace {

constexpr const char* k_blob_select =
    "SELECT b.sha256, b.size, b.last_used, "
    "(SELECT COUNT(*) FROM pins p WHERE p.sha256 = b.sha256) FROM blobs b ";

BlobRecord blob_row(sql::Statement& stmt) {
  return {stmt.text(0),
          static_cast<std::uint64_t>(stmt.integer(1)),
          TimePoint(std::chrono::milliseconds(stmt.integer(2))),
          static_cast<int>(stmt.integer(3))};
}

std::int64_t single_integer(sql::Db& db, const char* query) {
  auto stmt = db.prepare(query);
  stmt.step();
  return stmt.integer(0);
}

} // namespace

std::optional<BlobRecord> Index::get_blob(std::string_view sha256) {
  const auto lock = guard();
  auto stmt = m_db->prepare(std::string(k_blob_select) + "WHERE b.sha256 = ?1");
  stmt.bind(1, sha256);
  if (!stmt.step()) {
    return std::nullopt;
  }
  return blob_row(stmt);
}

std::vector<BlobRecord> Index::list_blobs() {
  const auto lock = guard();
  auto stmt = m_db->prepare(std::string(k_blob_select) + "ORDER BY b.last_used, b.sha256");
  std::vector<BlobRecord> blobs;
  while (stmt.step()) {
    blobs.push_back(blob_row(stmt));
  }
  return blobs;
}

void Index::pin(std::string_view sha256, std::string_view owner) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("INSERT OR IGNORE INTO pins (sha256, owner) VALUES (?1, ?2)")
      .bind(1, sha256)
      .bind(2, owner)
      .run();
  transaction.commit();
}

void Index::unpin(std::string_view sha256, std::string_view owner) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("DELETE FROM pins WHERE sha256 = ?1 AND owner = ?2")
      .bind(1, sha256)
      .bind(2, owner)
      .run();
  transaction.commit();
}

size_t Index::unpin_owner(std::string_view owner) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("DELETE FROM pins WHERE owner = ?1").bind(1, owner).run();
  const int changed = sqlite3_changes(m_db->handle());
  transaction.commit();
  return static_cast<size_t>(changed);
}

void Index::add_counter(std::string_view name, std::int64_t delta) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("INSERT INTO counters (name, value) VALUES (?1, ?2) "
                "ON CONFLICT (name) DO UPDATE SET value = value + ?2")
      .bind(1, name)
      .bind(2, delta)
      .run();
  transaction.commit();
}

std::map<std::string, std::int64_t> Index::counters() {
  const auto lock = guard();
  auto stmt = m_db->prepare("SELECT name, value FROM counters ORDER BY name");
  std::map<std::string, std::int64_t> result;
  while (stmt.step()) {
    result[stmt.text(0)] = stmt.integer(1);
  }
  return result;
}

IndexCounts Index::counts() {
  const auto lock = guard();
  IndexCounts counts;
  sql::Db& db = *m_db;
  counts.runs = static_cast<std::uint64_t>(single_integer(db, "SELECT COUNT(*) FROM runs"));
  counts.completed_runs = static_cast<std::uint64_t>(
      single_integer(db, "SELECT COUNT(*) FROM runs WHERE status = 'completed'"));
  counts.commit_answers = static_cast<std::uint64_t>(single_integer(
      db, "SELECT COUNT(*) FROM (SELECT DISTINCT repository, workflow, sha FROM commit_runs)"));
  counts.listings = static_cast<std::uint64_t>(single_integer(db, "SELECT COUNT(*) FROM listings"));
  counts.blobs = static_cast<std::uint64_t>(single_integer(db, "SELECT COUNT(*) FROM blobs"));
  counts.blob_bytes =
      static_cast<std::uint64_t>(single_integer(db, "SELECT COALESCE(SUM(size), 0) FROM blobs"));
  counts.pinned_blobs = static_cast<std::uint64_t>(
      single_integer(db, "SELECT COUNT(*) FROM blobs WHERE sha256 IN (SELECT sha256 FROM pins)"));
  return counts;
}

void Index::clear() {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->exec("DELETE FROM runs; DELETE FROM commit_runs; DELETE FROM listings; "
             "DELETE FROM listing_entries; DELETE FROM counters; "
             "DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM pins);");
  if (schema_version() >= 2) {
    m_db->exec("DELETE FROM object_blobs");
  }
  transaction.commit();
}

} // namespace rockart::cache
