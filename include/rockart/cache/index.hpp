// SPDX-License-Identifier: MIT
// The cache's SQLite index: GitHub run facts, commit -> runs
// answers, S3 run listings, the blobs with their last use and pins, and the
// hit/miss counters behind `rockart cache info`. Safe to share between
// processes (WAL mode, busy timeout, IMMEDIATE write transactions) and between
// the threads of one process (each call holds the index's mutex).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::cache {

namespace sql {
class Db;
}

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// Current time; injected so tests control LRU order.
using Clock = std::function<TimePoint()>;

// The system clock at millisecond precision.
TimePoint system_now();

// One GitHub workflow run as last seen. Key: (repository, run_id).
struct RunRecord {
  std::string repository; // owner/repo
  std::uint64_t run_id = 0;
  int attempt = 1;
  std::string head_sha, workflow, status, conclusion;
  std::string updated_at; // as GitHub reported it (ISO 8601)
  std::string bucket, prefix;
  // The GitHub run object (JSON text, schema v3), opaque to the cache; "" when
  // unknown (recorded by an older rockart).
  std::string raw_json;
  TimePoint fetched_at{}; // set by put_run()
  bool operator==(const RunRecord&) const = default;
};

// True when the run's facts can no longer change (status "completed"), so the
// stored record may be served without asking GitHub; in-progress runs must be refreshed.
bool is_final(const RunRecord& run);

struct CommitRun {
  std::uint64_t run_id = 0;
  bool completed = false;
  bool operator==(const CommitRun&) const = default;
};

// The runs of `workflow` in `repository` for commit `sha`, newest first.
struct CommitRuns {
  std::string repository, workflow, sha;
  std::vector<CommitRun> runs;
  TimePoint fetched_at{};
};

// True when the answer is non-empty and every run in it is completed.
bool is_final(const CommitRuns& answer);

struct ListingEntry {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;
  bool operator==(const ListingEntry&) const = default;
};

// The objects under `prefix` in `bucket`. `final` is set by the caller when the
// listing was taken after its run completed (CI uploads progressively before).
struct Listing {
  std::string bucket, prefix;
  std::vector<ListingEntry> entries;
  bool final = false;
  TimePoint fetched_at{};
};

struct BlobRecord {
  std::string sha256;
  std::uint64_t size = 0;
  TimePoint last_used{};
  int pins = 0; // number of owners pinning it
};

// Row counts for `cache info`.
struct IndexCounts {
  std::uint64_t runs = 0, completed_runs = 0, commit_answers = 0, listings = 0;
  std::uint64_t blobs = 0, blob_bytes = 0, pinned_blobs = 0;
};

struct IndexOptions {
  Clock clock = system_now;
  std::chrono::milliseconds busy_timeout{30000};
  int target_version = 0; // migrate up to this schema version; 0 = latest (tests use 1)
};

// The schema version this build writes.
int latest_schema_version();

class Index {
public:
  // Opens or creates the database at `path` and applies pending migrations in
  // order. Throws ConfigError when the file was written by a newer rockart,
  // LocalIoError when it cannot be opened.
  static Index open(const std::filesystem::path& path, IndexOptions options = {});
  Index(Index&&) noexcept;
  Index& operator=(Index&&) noexcept;
  ~Index();

  int schema_version();

  // Inserts or updates the run keyed by (repository, run_id); stamps fetched_at.
  // An empty bucket keeps the stored bucket and prefix, an empty raw_json the
  // stored raw_json (find knows the run object, fetch the bucket it used).
  void put_run(const RunRecord& run);
  std::optional<RunRecord> get_run(std::string_view repository, std::uint64_t run_id);

  // Replaces the stored answer. An empty answer is not stored (a "no run" answer
  // is never persisted: CI may start a run later) and a stored one is dropped.
  void put_commit_runs(const CommitRuns& answer);
  std::optional<CommitRuns>
  get_commit_runs(std::string_view repository, std::string_view workflow, std::string_view sha);

  // Replaces the listing of (bucket, prefix); stamps fetched_at.
  void put_listing(const Listing& listing);
  std::optional<Listing> get_listing(std::string_view bucket, std::string_view prefix);

  // Remembers that object (bucket, key) with `etag` has content `sha256` (schema v2).
  void put_object_blob(std::string_view bucket,
                       std::string_view key,
                       std::string_view etag,
                       std::string_view sha256);
  // The sha256 of (bucket, key) when it was recorded with the same `etag`.
  std::optional<std::string>
  get_object_blob(std::string_view bucket, std::string_view key, std::string_view etag);

  // Records a stored blob of `size` bytes, used now.
  void record_blob(std::string_view sha256, std::uint64_t size);
  // Marks the blob used now; false when it is not recorded.
  bool touch_blob(std::string_view sha256);
  // Removes the blob's row (its pins stay: they describe intent, not content).
  void forget_blob(std::string_view sha256);
  std::optional<BlobRecord> get_blob(std::string_view sha256);
  // Every recorded blob, least recently used first.
  std::vector<BlobRecord> list_blobs();

  // Pins `sha256` for `owner` (e.g. "bisect:<session>"); pinned blobs are never
  // evicted. Idempotent. The blob need not be stored yet.
  void pin(std::string_view sha256, std::string_view owner);
  void unpin(std::string_view sha256, std::string_view owner);
  // Drops every pin of `owner`; returns how many were dropped.
  size_t unpin_owner(std::string_view owner);

  // Adds `delta` to counter `name` ("hits", "misses", "bytes_saved", ...).
  void add_counter(std::string_view name, std::int64_t delta);
  std::map<std::string, std::int64_t> counters();

  IndexCounts counts();

  // Deletes every run, answer, listing, object mapping, counter and blob row
  // except the rows of pinned blobs (pins are kept).
  void clear();

private:
  Index(std::unique_ptr<sql::Db> db, Clock clock);

  // One connection serves every thread: a call's statements (and its
  // transaction) must not interleave with another thread's.
  std::unique_lock<std::recursive_mutex> guard() { return std::unique_lock(*m_mutex); }

  std::unique_ptr<sql::Db> m_db;
  Clock m_clock;
  std::unique_ptr<std::recursive_mutex> m_mutex = std::make_unique<std::recursive_mutex>();
};

} // namespace rockart::cache
