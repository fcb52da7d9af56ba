// SPDX-License-Identifier: MIT
// SQLite index (issue 6 item 3): round trips, the completed-run rule, pins,
// counters and schema migrations.
#include "support/support.hpp"

#include <rockart/cache/index.hpp>
#include <rockart/error.hpp>

#include <sqlite3.h>

namespace rockart::cache {
namespace {

struct FakeClock {
  TimePoint now{std::chrono::milliseconds(1700000000000)};

  Clock clock() {
    return [this] {
      return now;
    };
  }
};

RunRecord sample_run(std::string status, std::string conclusion) {
  RunRecord run;
  run.repository = "ROCm/TheRock";
  run.run_id = 20083647898;
  run.attempt = 2;
  run.head_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";
  run.workflow = "ci.yml";
  run.status = std::move(status);
  run.conclusion = std::move(conclusion);
  run.updated_at = "2025-12-10T12:00:00Z";
  run.bucket = "therock-ci-artifacts";
  run.prefix = "20083647898-linux/";
  return run;
}

TEST(CacheIndex, RunRoundTripStampsFetchedAt) {
  test::TempDir dir;
  FakeClock clock;
  Index index =
      Index::open(dir.path() / "index.sqlite", {clock.clock(), std::chrono::seconds(30), 0});
  EXPECT_FALSE(index.get_run("ROCm/TheRock", 20083647898));
  RunRecord run = sample_run("in_progress", "");
  index.put_run(run);
  run.fetched_at = clock.now;
  EXPECT_EQ(index.get_run("ROCm/TheRock", 20083647898), run);
  EXPECT_FALSE(index.get_run("ROCm/rocm-libraries", 20083647898));
  // A refresh replaces the record.
  clock.now += std::chrono::seconds(5);
  RunRecord done = sample_run("completed", "success");
  index.put_run(done);
  done.fetched_at = clock.now;
  EXPECT_EQ(index.get_run("ROCm/TheRock", 20083647898), done);
}

TEST(CacheIndex, OnlyCompletedRunsAreFinal) {
  EXPECT_TRUE(is_final(sample_run("completed", "success")));
  EXPECT_TRUE(is_final(sample_run("completed", "failure")));
  EXPECT_FALSE(is_final(sample_run("in_progress", "")));
  EXPECT_FALSE(is_final(sample_run("queued", "")));
  EXPECT_FALSE(is_final(CommitRuns{}));
  EXPECT_TRUE(is_final(CommitRuns{"r", "ci.yml", "s", {{1, true}, {2, true}}, {}}));
  EXPECT_FALSE(is_final(CommitRuns{"r", "ci.yml", "s", {{1, true}, {2, false}}, {}}));
}

TEST(CacheIndex, CommitRunsKeepOrderAndEmptyAnswersAreNotPersisted) {
  test::TempDir dir;
  Index index = Index::open(dir.path() / "index.sqlite");
  const CommitRuns answer{
      "ROCm/TheRock", "ci.yml", "abc", {{30, false}, {10, true}, {20, true}}, {}};
  index.put_commit_runs(answer);
  auto got = index.get_commit_runs("ROCm/TheRock", "ci.yml", "abc");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->runs, answer.runs);
  EXPECT_FALSE(index.get_commit_runs("ROCm/TheRock", "release.yml", "abc"));
  // Spec behaviours.md §8.2: a "no run" answer is never persisted.
  index.put_commit_runs({"ROCm/TheRock", "ci.yml", "abc", {}, {}});
  EXPECT_FALSE(index.get_commit_runs("ROCm/TheRock", "ci.yml", "abc"));
}

TEST(CacheIndex, ListingRoundTrip) {
  test::TempDir dir;
  Index index = Index::open(dir.path() / "index.sqlite");
  Listing listing{"therock-ci-artifacts", "123-linux/", {}, true, {}};
  listing.entries = {{"123-linux/b.tar.zst", 42, "\"e2\""}, {"123-linux/a.tar.zst", 7, "\"e1\""}};
  index.put_listing(listing);
  auto got = index.get_listing("therock-ci-artifacts", "123-linux/");
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->final);
  const std::vector<ListingEntry> sorted = {listing.entries[1], listing.entries[0]};
  EXPECT_EQ(got->entries, sorted);
  // Replacing drops entries that disappeared.
  listing.entries.pop_back();
  listing.final = false;
  index.put_listing(listing);
  got = index.get_listing("therock-ci-artifacts", "123-linux/");
  ASSERT_EQ(got->entries.size(), 1U);
  EXPECT_FALSE(got->final);
  // An empty listing is still an answer (the run uploaded nothing).
  index.put_listing({"b", "empty/", {}, true, {}});
  ASSERT_TRUE(index.get_listing("b", "empty/"));
  EXPECT_TRUE(index.get_listing("b", "empty/")->entries.empty());
  EXPECT_FALSE(index.get_listing("b", "other/"));
}

TEST(CacheIndex, ObjectBlobMatchesOnlyTheSameEtag) {
  test::TempDir dir;
  Index index = Index::open(dir.path() / "index.sqlite");
  index.put_object_blob("bucket", "k.tar.zst", "\"etag1\"", "aa");
  EXPECT_EQ(index.get_object_blob("bucket", "k.tar.zst", "\"etag1\""), "aa");
  EXPECT_FALSE(index.get_object_blob("bucket", "k.tar.zst", "\"etag2\""));
  EXPECT_FALSE(index.get_object_blob("other", "k.tar.zst", "\"etag1\""));
}

TEST(CacheIndex, BlobsPinsAndLru) {
  test::TempDir dir;
  FakeClock clock;
  Index index =
      Index::open(dir.path() / "index.sqlite", {clock.clock(), std::chrono::seconds(30), 0});
  index.record_blob("a", 10);
  clock.now += std::chrono::seconds(1);
  index.record_blob("b", 20);
  clock.now += std::chrono::seconds(1);
  EXPECT_TRUE(index.touch_blob("a"));
  EXPECT_FALSE(index.touch_blob("missing"));
  std::vector<std::string> order;
  for (const auto& blob : index.list_blobs()) {
    order.push_back(blob.sha256);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(index.get_blob("a")->last_used, clock.now);

  index.pin("a", "bisect:1");
  index.pin("a", "bisect:1"); // idempotent
  index.pin("a", "bisect:2");
  index.pin("b", "bisect:1");
  EXPECT_EQ(index.get_blob("a")->pins, 2);
  EXPECT_EQ(index.unpin_owner("bisect:1"), 2U);
  EXPECT_EQ(index.get_blob("a")->pins, 1);
  EXPECT_EQ(index.get_blob("b")->pins, 0);
  index.unpin("a", "bisect:2");
  EXPECT_EQ(index.get_blob("a")->pins, 0);
  index.forget_blob("a");
  EXPECT_FALSE(index.get_blob("a"));
}

TEST(CacheIndex, CountersCountsAndClearKeepPinned) {
  test::TempDir dir;
  Index index = Index::open(dir.path() / "index.sqlite");
  index.add_counter("hits", 2);
  index.add_counter("hits", 3);
  index.add_counter("misses", 1);
  EXPECT_EQ(index.counters(), (std::map<std::string, std::int64_t>{{"hits", 5}, {"misses", 1}}));
  index.put_run(sample_run("completed", "success"));
  RunRecord other = sample_run("in_progress", "");
  other.run_id = 1;
  index.put_run(other);
  index.put_commit_runs({"r", "w", "s", {{1, false}}, {}});
  index.put_listing({"b", "p/", {}, false, {}});
  index.record_blob("kept", 100);
  index.record_blob("gone", 50);
  index.pin("kept", "me");
  const IndexCounts counts = index.counts();
  EXPECT_EQ(counts.runs, 2U);
  EXPECT_EQ(counts.completed_runs, 1U);
  EXPECT_EQ(counts.commit_answers, 1U);
  EXPECT_EQ(counts.listings, 1U);
  EXPECT_EQ(counts.blobs, 2U);
  EXPECT_EQ(counts.blob_bytes, 150U);
  EXPECT_EQ(counts.pinned_blobs, 1U);
  index.clear();
  const IndexCounts after = index.counts();
  EXPECT_EQ(after.runs + after.commit_answers + after.listings, 0U);
  EXPECT_EQ(after.blobs, 1U);
  EXPECT_TRUE(index.get_blob("kept"));
  EXPECT_TRUE(index.counters().empty());
}

TEST(CacheIndex, UsesWalMode) {
  test::TempDir dir;
  Index index = Index::open(dir.path() / "index.sqlite");
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "index.sqlite").c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST(CacheIndex, MigratesFromVersionOneKeepingData) {
  test::TempDir dir;
  const auto path = dir.path() / "index.sqlite";
  ASSERT_EQ(latest_schema_version(), 3);
  {
    Index v1 = Index::open(path, {system_now, std::chrono::seconds(30), 1});
    EXPECT_EQ(v1.schema_version(), 1);
    // This build writes runs with the v3 column; a v1 row is written by hand.
    EXPECT_THROW(v1.put_run(sample_run("completed", "success")), LocalIoError);
    v1.record_blob("a", 10);
    // object_blobs arrives in v2.
    EXPECT_THROW(v1.put_object_blob("b", "k", "e", "a"), LocalIoError);
  }
  Index latest = Index::open(path);
  EXPECT_EQ(latest.schema_version(), 3);
  EXPECT_EQ(latest.get_blob("a")->size, 10U);
  latest.put_object_blob("b", "k", "e", "a");
  EXPECT_EQ(latest.get_object_blob("b", "k", "e"), "a");
  // Reopening applies nothing twice.
  EXPECT_EQ(Index::open(path).schema_version(), 3);
}

TEST(CacheIndex, MigratesFromVersionTwoAddingTheRunObject) {
  test::TempDir dir;
  const auto path = dir.path() / "index.sqlite";
  {
    Index v2 = Index::open(path, {system_now, std::chrono::seconds(30), 2});
    EXPECT_EQ(v2.schema_version(), 2);
    v2.put_object_blob("b", "k", "e", "a");
    // raw_json arrives in v3: the v2 table has no such column.
    EXPECT_THROW(v2.put_run(sample_run("completed", "success")), LocalIoError);
  }
  {
    // A v2 row written by an older rockart (no raw_json column yet).
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO runs VALUES ('ROCm/TheRock', 7, 1, 'sha', 'ci.yml', "
                           "'completed', 'success', 'u', 'bkt', '', 5)",
                           nullptr,
                           nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  Index v3 = Index::open(path);
  EXPECT_EQ(v3.schema_version(), 3);
  const auto old = v3.get_run("ROCm/TheRock", 7);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->bucket, "bkt");
  EXPECT_EQ(old->raw_json, "") << "unknown for rows of older versions";
  EXPECT_EQ(v3.get_object_blob("b", "k", "e"), "a");
  RunRecord run = sample_run("completed", "success");
  run.raw_json = R"({"id":20083647898})";
  v3.put_run(run);
  EXPECT_EQ(v3.get_run("ROCm/TheRock", 20083647898)->raw_json, run.raw_json);
}

TEST(CacheIndex, EmptyBucketOrRunObjectKeepsWhatWasStored) {
  test::TempDir dir;
  Index index = Index::open(dir.path() / "index.sqlite");
  // fetch records the bucket it used but (older fetch) no run object.
  RunRecord from_fetch = sample_run("in_progress", "");
  index.put_run(from_fetch);
  // find records the run object but no bucket.
  RunRecord from_find = sample_run("completed", "success");
  from_find.bucket.clear();
  from_find.prefix.clear();
  from_find.raw_json = R"({"id":20083647898,"status":"completed"})";
  index.put_run(from_find);
  auto got = index.get_run("ROCm/TheRock", 20083647898);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, "completed");
  EXPECT_EQ(got->bucket, "therock-ci-artifacts");
  EXPECT_EQ(got->prefix, "20083647898-linux/");
  EXPECT_EQ(got->raw_json, from_find.raw_json);
  // A later record without a run object keeps it; a new bucket replaces both.
  RunRecord moved = sample_run("completed", "success");
  moved.bucket = "therock-ci-artifacts-external";
  moved.prefix = "ROCm-TheRock/";
  index.put_run(moved);
  got = index.get_run("ROCm/TheRock", 20083647898);
  EXPECT_EQ(got->raw_json, from_find.raw_json);
  EXPECT_EQ(got->bucket, "therock-ci-artifacts-external");
  EXPECT_EQ(got->prefix, "ROCm-TheRock/");
}

TEST(CacheIndex, NewerSchemaIsRefused) {
  test::TempDir dir;
  const auto path = dir.path() / "index.sqlite";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  EXPECT_ERROR(
      Index::open(path), ConfigError, "has schema version 99 but this rockart supports up to 3");
}

TEST(CacheIndex, UnopenableFileIsALocalIoError) {
  test::TempDir dir;
  EXPECT_ERROR(Index::open(dir.path() / "missing-dir" / "index.sqlite"),
               LocalIoError,
               "cannot open cache lock "
                   + (dir.path() / "missing-dir" / "index.sqlite.lock").string());
}

} // namespace
} // namespace rockart::cache
