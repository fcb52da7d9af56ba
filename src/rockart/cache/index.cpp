// SPDX-License-Identifier: MIT
#include "schema.hpp"
#include "sqlite.hpp"

#include <rockart/cache/blob_store.hpp>
#include <rockart/cache/index.hpp>

namespace rockart::cache {
namespace {

std::int64_t millis(TimePoint time) {
  return time.time_since_epoch().count();
}

TimePoint from_millis(std::int64_t value) {
  return TimePoint(std::chrono::milliseconds(value));
}

std::int64_t as_int(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}

} // namespace

TimePoint system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

bool is_final(const RunRecord& run) {
  return run.status == "completed";
}

bool is_final(const CommitRuns& answer) {
  if (answer.runs.empty()) {
    return false;
  }
  for (const CommitRun& run : answer.runs) {
    if (!run.completed) {
      return false;
    }
  }
  return true;
}

Index::Index(std::unique_ptr<sql::Db> db, Clock clock)
    : m_db(std::move(db)), m_clock(std::move(clock)) {}

Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;
Index::~Index() = default;

Index Index::open(const std::filesystem::path& path, IndexOptions options) {
  // Switching a fresh database to WAL and migrating it are not covered by
  // SQLite's busy handler when several processes open it at once, so opening
  // is serialised by a lock file next to the database.
  FileLock opening = FileLock::acquire(path.string() + ".lock");
  auto db = std::make_unique<sql::Db>(path, options.busy_timeout);
  migrate(*db, options.target_version);
  return Index(std::move(db), std::move(options.clock));
}

int Index::schema_version() {
  const auto lock = guard();
  return m_db->user_version();
}

void Index::put_run(const RunRecord& run) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("INSERT INTO runs (repository, run_id, attempt, head_sha, workflow, status, "
                "conclusion, updated_at, bucket, prefix, fetched_at, raw_json) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
                "ON CONFLICT (repository, run_id) DO UPDATE SET attempt = excluded.attempt, "
                "head_sha = excluded.head_sha, workflow = excluded.workflow, "
                "status = excluded.status, conclusion = excluded.conclusion, "
                "updated_at = excluded.updated_at, fetched_at = excluded.fetched_at, "
                "bucket = CASE excluded.bucket WHEN '' THEN runs.bucket ELSE excluded.bucket END, "
                "prefix = CASE excluded.bucket WHEN '' THEN runs.prefix ELSE excluded.prefix END, "
                "raw_json = CASE excluded.raw_json WHEN '' THEN runs.raw_json "
                "ELSE excluded.raw_json END")
      .bind(1, run.repository)
      .bind(2, as_int(run.run_id))
      .bind(3, std::int64_t{run.attempt})
      .bind(4, run.head_sha)
      .bind(5, run.workflow)
      .bind(6, run.status)
      .bind(7, run.conclusion)
      .bind(8, run.updated_at)
      .bind(9, run.bucket)
      .bind(10, run.prefix)
      .bind(11, millis(m_clock()))
      .bind(12, run.raw_json)
      .run();
  transaction.commit();
}

std::optional<RunRecord> Index::get_run(std::string_view repository, std::uint64_t run_id) {
  const auto lock = guard();
  auto stmt = m_db->prepare("SELECT attempt, head_sha, workflow, status, conclusion, updated_at, "
                            "bucket, prefix, fetched_at, raw_json FROM runs "
                            "WHERE repository = ?1 AND run_id = ?2");
  stmt.bind(1, repository).bind(2, as_int(run_id));
  if (!stmt.step()) {
    return std::nullopt;
  }
  RunRecord run;
  run.repository = std::string(repository);
  run.run_id = run_id;
  run.attempt = static_cast<int>(stmt.integer(0));
  run.head_sha = stmt.text(1);
  run.workflow = stmt.text(2);
  run.status = stmt.text(3);
  run.conclusion = stmt.text(4);
  run.updated_at = stmt.text(5);
  run.bucket = stmt.text(6);
  run.prefix = stmt.text(7);
  run.fetched_at = from_millis(stmt.integer(8));
  run.raw_json = stmt.text(9);
  return run;
}

void Index::put_commit_runs(const CommitRuns& answer) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("DELETE FROM commit_runs WHERE repository = ?1 AND workflow = ?2 AND sha = ?3")
      .bind(1, answer.repository)
      .bind(2, answer.workflow)
      .bind(3, answer.sha)
      .run();
  const std::int64_t now = millis(m_clock());
  std::int64_t position = 0;
  for (const CommitRun& run : answer.runs) {
    m_db->prepare("INSERT INTO commit_runs (repository, workflow, sha, position, run_id, "
                  "completed, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, answer.repository)
        .bind(2, answer.workflow)
        .bind(3, answer.sha)
        .bind(4, position++)
        .bind(5, as_int(run.run_id))
        .bind(6, std::int64_t{run.completed ? 1 : 0})
        .bind(7, now)
        .run();
  }
  transaction.commit();
}

std::optional<CommitRuns> Index::get_commit_runs(std::string_view repository,
                                                 std::string_view workflow,
                                                 std::string_view sha) {
  const auto lock = guard();
  auto stmt = m_db->prepare("SELECT run_id, completed, fetched_at FROM commit_runs "
                            "WHERE repository = ?1 AND workflow = ?2 AND sha = ?3 "
                            "ORDER BY position");
  stmt.bind(1, repository).bind(2, workflow).bind(3, sha);
  CommitRuns answer{std::string(repository), std::string(workflow), std::string(sha), {}, {}};
  while (stmt.step()) {
    answer.runs.push_back({static_cast<std::uint64_t>(stmt.integer(0)), stmt.integer(1) != 0});
    answer.fetched_at = from_millis(stmt.integer(2));
  }
  if (answer.runs.empty()) {
    return std::nullopt;
  }
  return answer;
}

void Index::put_listing(const Listing& listing) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("DELETE FROM listing_entries WHERE bucket = ?1 AND prefix = ?2")
      .bind(1, listing.bucket)
      .bind(2, listing.prefix)
      .run();
  m_db->prepare("INSERT OR REPLACE INTO listings (bucket, prefix, final, fetched_at) "
                "VALUES (?1, ?2, ?3, ?4)")
      .bind(1, listing.bucket)
      .bind(2, listing.prefix)
      .bind(3, std::int64_t{listing.final ? 1 : 0})
      .bind(4, millis(m_clock()))
      .run();
  for (const ListingEntry& entry : listing.entries) {
    m_db->prepare("INSERT OR REPLACE INTO listing_entries (bucket, prefix, key, size, etag) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, listing.bucket)
        .bind(2, listing.prefix)
        .bind(3, entry.key)
        .bind(4, as_int(entry.size))
        .bind(5, entry.etag)
        .run();
  }
  transaction.commit();
}

std::optional<Listing> Index::get_listing(std::string_view bucket, std::string_view prefix) {
  const auto lock = guard();
  auto head = m_db->prepare("SELECT final, fetched_at FROM listings "
                            "WHERE bucket = ?1 AND prefix = ?2");
  head.bind(1, bucket).bind(2, prefix);
  if (!head.step()) {
    return std::nullopt;
  }
  Listing listing{std::string(bucket), std::string(prefix), {}, head.integer(0) != 0, {}};
  listing.fetched_at = from_millis(head.integer(1));
  auto rows = m_db->prepare("SELECT key, size, etag FROM listing_entries "
                            "WHERE bucket = ?1 AND prefix = ?2 ORDER BY key");
  rows.bind(1, bucket).bind(2, prefix);
  while (rows.step()) {
    listing.entries.push_back(
        {rows.text(0), static_cast<std::uint64_t>(rows.integer(1)), rows.text(2)});
  }
  return listing;
}

void Index::put_object_blob(std::string_view bucket,
                            std::string_view key,
                            std::string_view etag,
                            std::string_view sha256) {
  const auto lock = guard();
  sql::Transaction transaction(*m_db);
  m_db->prepare("INSERT OR REPLACE INTO object_blobs (bucket, key, etag, sha256) "
                "VALUES (?1, ?2, ?3, ?4)")
      .bind(1, bucket)
      .bind(2, key)
      .bind(3, etag)
      .bind(4, sha256)
      .run();
  transaction.commit();
}

std::optional<std::string>
Index::get_object_blob(std::string_view bucket, std::string_view key, std::string_view etag) {
  const auto lock = guard();
  auto stmt =
      m_db->prepare("SELECT sha256 FROM object_blobs WHERE bucket = ?1 AND key = ?2 AND etag = ?3");
  stmt.bind(1, bucket).bind(2, key).bind(3, etag);
  if (!stmt.step()) {
    return std::nullopt;
  }
  return stmt.text(0);
}

} // namespace rockart::cache
