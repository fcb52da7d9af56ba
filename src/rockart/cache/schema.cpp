// SPDX-License-Identifier: MIT
// Schema migrations of the cache index, applied in order on open. Each entry
// moves the database from version i to i+1 (PRAGMA user_version); never edit a
// released entry, append a new one.
#include "schema.hpp"

#include <rockart/cache/index.hpp>
#include <rockart/error.hpp>

#include <array>

namespace rockart::cache {
namespace {

constexpr std::array<const char*, 3> k_migrations{
    // v1: runs, commit -> runs answers, listings, blobs, pins, counters.
    R"sql(
CREATE TABLE runs (
  repository TEXT NOT NULL, run_id INTEGER NOT NULL, attempt INTEGER NOT NULL,
  head_sha TEXT NOT NULL, workflow TEXT NOT NULL, status TEXT NOT NULL,
  conclusion TEXT NOT NULL, updated_at TEXT NOT NULL, bucket TEXT NOT NULL,
  prefix TEXT NOT NULL, fetched_at INTEGER NOT NULL,
  PRIMARY KEY (repository, run_id));
CREATE TABLE commit_runs (
  repository TEXT NOT NULL, workflow TEXT NOT NULL, sha TEXT NOT NULL,
  position INTEGER NOT NULL, run_id INTEGER NOT NULL, completed INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (repository, workflow, sha, position));
CREATE TABLE listings (
  bucket TEXT NOT NULL, prefix TEXT NOT NULL, final INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL, PRIMARY KEY (bucket, prefix));
CREATE TABLE listing_entries (
  bucket TEXT NOT NULL, prefix TEXT NOT NULL, key TEXT NOT NULL,
  size INTEGER NOT NULL, etag TEXT NOT NULL, PRIMARY KEY (bucket, prefix, key));
CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, last_used INTEGER NOT NULL);
CREATE TABLE pins (
  sha256 TEXT NOT NULL, owner TEXT NOT NULL, PRIMARY KEY (sha256, owner));
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
)sql",
    // v2: object -> blob mapping (a fetch can find its archive without a
    // download) and an index for LRU scans.
    R"sql(
CREATE TABLE object_blobs (
  bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT NOT NULL, sha256 TEXT NOT NULL,
  PRIMARY KEY (bucket, key));
CREATE INDEX blobs_by_last_used ON blobs (last_used);
)sql",
    // v3: the run as GitHub described it (JSON object), so `find` can answer
    // from the index with the same output as from the API.
    R"sql(
ALTER TABLE runs ADD COLUMN raw_json TEXT NOT NULL DEFAULT '';
)sql",
};

} // namespace

int latest_schema_version() {
  return static_cast<int>(k_migrations.size());
}

void migrate(sql::Db& db, int target) {
  if (target <= 0 || target > latest_schema_version()) {
    target = latest_schema_version();
  }
  // Re-read the version inside the write transaction: two processes opening a
  // fresh cache at once must not both apply the same migration.
  sql::Transaction transaction(db);
  const int current = db.user_version();
  if (current > latest_schema_version()) {
    throw ConfigError("cache index " + db.path().string() + " has schema version "
                          + std::to_string(current) + " but this rockart supports up to "
                          + std::to_string(latest_schema_version()),
                      "upgrade rockart, or use another --cache-dir");
  }
  for (int version = current; version < target; ++version) {
    db.exec(k_migrations.at(static_cast<size_t>(version)));
  }
  if (current < target) {
    db.set_user_version(target);
  }
  transaction.commit();
}

} // namespace rockart::cache
