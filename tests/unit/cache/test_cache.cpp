// SPDX-License-Identifier: MIT
// Cache facade (issue 6 items 2, 5, 7): hits and misses, LRU eviction under
// the cap with pins, and self-healing of corrupted blobs.
#include "support/support.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/error.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>

#include <fstream>

namespace rockart::cache {
namespace {

namespace fs = std::filesystem;

struct Fixture {
  test::TempDir dir;
  TimePoint now{std::chrono::milliseconds(1700000000000)};
  Cache cache = Cache::open({dir.path(), 100, [this] { return now; }, std::chrono::hours(1)});

  // Stores `content` as a blob produced through acquire/commit; returns its sha.
  std::string put(const std::string& content) {
    const std::string sha = util::sha256_hex(content);
    Acquisition got = cache.acquire_blob(sha);
    EXPECT_FALSE(got.present);
    got.writer->write(content);
    cache.commit_blob(*got.writer);
    now += std::chrono::seconds(1);
    return sha;
  }
};

void flip_byte(const fs::path& path, std::streamoff offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(offset);
  char c = 0;
  file.get(c);
  file.seekp(offset);
  file.put(static_cast<char>(c ^ 0x01));
}

TEST(Cache, SecondAcquireIsAHitWithoutWriter) {
  Fixture f;
  const std::string sha = f.put("archive");
  Acquisition again = f.cache.acquire_blob(sha);
  EXPECT_EQ(again.present, f.cache.blobs().blob_path(sha));
  EXPECT_FALSE(again.writer);
  const auto counters = f.cache.index().counters();
  EXPECT_EQ(counters.at("hits"), 1);
  EXPECT_EQ(counters.at("misses"), 1);
  EXPECT_EQ(counters.at("bytes_saved"), 7);
  EXPECT_EQ(counters.at("bytes_fetched"), 7);
  EXPECT_EQ(f.cache.index().get_blob(sha)->size, 7U);
}

TEST(Cache, FindBlobMissCountsAndReturnsNothing) {
  Fixture f;
  EXPECT_FALSE(f.cache.find_blob(util::sha256_hex("never stored")));
  EXPECT_EQ(f.cache.index().counters().at("misses"), 1);
}

TEST(Cache, CommitMismatchStoresNothingAndIndexesNothing) {
  Fixture f;
  const std::string sha = util::sha256_hex("good");
  Acquisition got = f.cache.acquire_blob(sha);
  got.writer->write("evil");
  EXPECT_THROW(f.cache.commit_blob(*got.writer), IntegrityError);
  EXPECT_FALSE(f.cache.blobs().find(sha));
  EXPECT_FALSE(f.cache.index().get_blob(sha));
  EXPECT_TRUE(fs::is_empty(f.dir.path() / "tmp"));
}

TEST(Cache, FlippedByteIsDetectedOnFullVerifyAndEvicted) {
  Fixture f;
  const std::string sha = f.put("0123456789");
  flip_byte(f.cache.blobs().blob_path(sha), 4);
  std::vector<std::string> warnings;
  util::set_log_sink([&](util::LogLevel, std::string_view line) { warnings.emplace_back(line); });
  Acquisition got = f.cache.acquire_blob(sha, Verify::full);
  util::set_log_sink(nullptr);
  EXPECT_FALSE(got.present);
  ASSERT_TRUE(got.writer); // the caller fetches it again
  EXPECT_FALSE(f.cache.blobs().find(sha));
  EXPECT_FALSE(f.cache.index().get_blob(sha));
  EXPECT_EQ(f.cache.index().counters().at("corrupt_evictions"), 1);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings[0].find("blob " + sha + " no longer matches its sha256; evicted"),
            std::string::npos);
  got.writer->write("0123456789");
  f.cache.commit_blob(*got.writer);
  EXPECT_EQ(f.cache.find_blob(sha, Verify::full), f.cache.blobs().blob_path(sha));
}

TEST(Cache, TruncatedBlobIsCaughtBySizeCheck) {
  Fixture f;
  const std::string sha = f.put("0123456789");
  fs::resize_file(f.cache.blobs().blob_path(sha), 3);
  EXPECT_FALSE(f.cache.find_blob(sha, Verify::size));
  EXPECT_FALSE(f.cache.blobs().find(sha));
}

TEST(Cache, VerifyAllReportsAndEvictsCorruptBlobs) {
  Fixture f;
  const std::string good = f.put("good blob");
  const std::string bad = f.put("bad blob!");
  flip_byte(f.cache.blobs().blob_path(bad), 0);
  util::set_log_sink([](util::LogLevel, std::string_view) {});
  const VerifyReport report = f.cache.verify_all();
  util::set_log_sink(nullptr);
  EXPECT_EQ(report.checked, 2U);
  EXPECT_EQ(report.corrupt, std::vector<std::string>{bad});
  EXPECT_TRUE(f.cache.blobs().find(good));
  EXPECT_FALSE(f.cache.blobs().find(bad));
}

TEST(Cache, GcEvictsLeastRecentlyUsedUntilUnderTheCap) {
  Fixture f; // cap 100 bytes
  const std::string a = f.put(std::string(40, 'a'));
  const std::string b = f.put(std::string(40, 'b'));
  const std::string c = f.put(std::string(40, 'c'));
  ASSERT_TRUE(f.cache.find_blob(a)); // a is now the most recently used
  f.now += std::chrono::seconds(1);
  const GcReport report = f.cache.gc();
  ASSERT_EQ(report.evicted.size(), 1U);
  EXPECT_EQ(report.evicted[0].sha256, b);
  EXPECT_EQ(report.bytes_freed, 40U);
  EXPECT_EQ(report.bytes_kept, 80U);
  EXPECT_TRUE(f.cache.blobs().find(a));
  EXPECT_FALSE(f.cache.blobs().find(b));
  EXPECT_TRUE(f.cache.blobs().find(c));
  // A smaller explicit cap keeps evicting in LRU order: c, then a.
  const GcReport smaller = f.cache.gc(40);
  ASSERT_EQ(smaller.evicted.size(), 1U);
  EXPECT_EQ(smaller.evicted[0].sha256, c);
  EXPECT_EQ(f.cache.gc(0).evicted.size(), 1U);
  EXPECT_EQ(f.cache.index().counters().at("evictions"), 3);
}

TEST(Cache, PinnedBlobsAreNeverEvicted) {
  Fixture f;
  const std::string oldest = f.put(std::string(60, 'o'));
  const std::string newer = f.put(std::string(60, 'n'));
  f.cache.index().pin(oldest, "bisect:session-1");
  std::vector<std::string> warnings;
  util::set_log_sink([&](util::LogLevel, std::string_view line) { warnings.emplace_back(line); });
  GcReport report = f.cache.gc(0);
  util::set_log_sink(nullptr);
  ASSERT_EQ(report.evicted.size(), 1U);
  EXPECT_EQ(report.evicted[0].sha256, newer);
  EXPECT_EQ(report.pinned_bytes, 60U);
  EXPECT_EQ(report.bytes_kept, 60U);
  EXPECT_TRUE(f.cache.blobs().find(oldest));
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings[0].find("stays above the 0 B cap because 60 B are pinned"), std::string::npos);
  // Once the session ends its blobs become evictable.
  EXPECT_EQ(f.cache.index().unpin_owner("bisect:session-1"), 1U);
  EXPECT_EQ(f.cache.gc(0).evicted.size(), 1U);
  EXPECT_FALSE(f.cache.blobs().find(oldest));
}

TEST(Cache, GcReconcilesIndexWithDisk) {
  Fixture f;
  const std::string kept = f.put("kept");
  const std::string vanished = f.put("vanished");
  fs::remove(f.cache.blobs().blob_path(vanished));
  // A blob renamed into place by a process that died before indexing it.
  const std::string orphan = util::sha256_hex("orphan");
  test::write_file(f.cache.blobs().blob_path(orphan), "orphan");
  f.cache.gc();
  EXPECT_TRUE(f.cache.index().get_blob(kept));
  EXPECT_FALSE(f.cache.index().get_blob(vanished));
  EXPECT_EQ(f.cache.index().get_blob(orphan)->size, 6U);
}

TEST(Cache, ClearKeepsPinnedBlobs) {
  Fixture f;
  const std::string pinned = f.put("pinned");
  const std::string loose = f.put("loose!!");
  f.cache.index().pin(pinned, "me");
  f.cache.index().put_run({"r", 1, 1, "s", "w", "completed", "success", "t", "b", "p", {}});
  EXPECT_EQ(f.cache.clear(), 7U);
  EXPECT_TRUE(f.cache.blobs().find(pinned));
  EXPECT_FALSE(f.cache.blobs().find(loose));
  EXPECT_FALSE(f.cache.index().get_run("r", 1));
}

TEST(Cache, OpenRemovesStaleTempFilesOfCrashedProducers) {
  test::TempDir dir;
  const std::string sha = util::sha256_hex("x");
  const fs::path stale = dir.path() / "tmp" / (sha + ".999.1.part");
  test::write_file(stale, "partial");
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
  Cache cache = Cache::open({dir.path(), 100, system_now, std::chrono::hours(1)});
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_FALSE(cache.blobs().find(sha));
}

} // namespace
} // namespace rockart::cache
