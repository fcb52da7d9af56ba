// SPDX-License-Identifier: MIT
// Blob store (issue 6 items 2 and 6): verified ingest, atomic placement,
// dedupe, per-blob locks and crash leftovers.
#include "support/support.hpp"

#include <rockart/cache/blob_store.hpp>
#include <rockart/error.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/strings.hpp>

#include <unistd.h>

#include <cctype>
#include <filesystem>

namespace rockart::cache {
namespace {

namespace fs = std::filesystem;

size_t count_files(const fs::path& dir) {
  size_t n = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    n += entry.is_regular_file() ? 1 : 0;
  }
  return n;
}

TEST(BlobStore, StreamedIngestVerifiesAndPlacesBySha) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string sha = util::sha256_hex("hello world");
  EXPECT_FALSE(store.find(sha));
  BlobWriter writer = store.writer(sha);
  writer.write("hello ");
  writer.write("world");
  EXPECT_EQ(writer.size(), 11U);
  const fs::path path = writer.commit();
  EXPECT_EQ(path, dir.path() / "blobs" / sha.substr(0, 2) / sha);
  EXPECT_EQ(test::read_file(path), "hello world");
  EXPECT_EQ(store.find(sha), path);
  EXPECT_EQ(count_files(dir.path() / "tmp"), 0U);
}

TEST(BlobStore, UpperCaseShaIsFolded) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string sha = util::sha256_hex("x");
  BlobWriter writer = store.writer(util::to_lower(sha));
  writer.write("x");
  writer.commit();
  std::string upper = sha;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(store.find(upper));
}

TEST(BlobStore, MismatchThrowsAndLeavesNothing) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string expected = util::sha256_hex("expected");
  BlobWriter writer = store.writer(expected);
  writer.write("tampered");
  EXPECT_ERROR(writer.commit(),
               IntegrityError,
               "sha256 mismatch for blob " + expected + ": the 8 bytes received hash to "
                   + util::sha256_hex("tampered"));
  EXPECT_FALSE(store.find(expected));
  EXPECT_FALSE(store.find(util::sha256_hex("tampered")));
  EXPECT_EQ(count_files(dir.path()), 0U);
}

TEST(BlobStore, ExternallyWrittenTempFileIsHashedOnCommit) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string sha = util::sha256_hex("downloaded by curl");
  BlobWriter writer = store.writer(sha);
  test::write_file(writer.temp_path(), "downloaded by curl");
  EXPECT_EQ(writer.commit(), store.blob_path(sha));
  EXPECT_EQ(writer.sha256(), sha);
}

TEST(BlobStore, IdenticalContentIsStoredOnce) {
  test::TempDir dir;
  BlobStore store(dir.path());
  for (int i = 0; i < 3; ++i) {
    BlobWriter writer = store.writer(std::nullopt); // digest not known in advance
    writer.write("same archive bytes");
    writer.commit();
  }
  ASSERT_EQ(store.list().size(), 1U);
  EXPECT_EQ(store.list()[0].sha256, util::sha256_hex("same archive bytes"));
  EXPECT_EQ(store.list()[0].size, 18U);
  EXPECT_EQ(count_files(dir.path() / "tmp"), 0U);
}

TEST(BlobStore, AbandonedWriterRemovesItsTempFile) {
  test::TempDir dir;
  BlobStore store(dir.path());
  {
    BlobWriter writer = store.writer(util::sha256_hex("never finished"));
    writer.write("never");
    EXPECT_TRUE(fs::exists(writer.temp_path()));
  }
  EXPECT_EQ(count_files(dir.path()), 0U);
}

TEST(BlobStore, InvalidShaIsAUsageError) {
  test::TempDir dir;
  BlobStore store(dir.path());
  EXPECT_ERROR(store.find("abc"), UsageError, "invalid sha256 'abc': expected 64 hex digits");
  EXPECT_ERROR(store.find("../../../../etc/passwd"), UsageError, "invalid sha256");
}

TEST(BlobStore, AcquireGivesAWriterThenThePresentBlob) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string sha = util::sha256_hex("payload");
  {
    Acquisition first = store.acquire(sha);
    ASSERT_FALSE(first.present);
    ASSERT_TRUE(first.writer);
    // While the producer holds the lock nobody else may take it.
    EXPECT_FALSE(FileLock::try_acquire(store.lock_path(sha)));
    first.writer->write("payload");
    first.writer->commit();
  }
  EXPECT_TRUE(FileLock::try_acquire(store.lock_path(sha)));
  Acquisition second = store.acquire(sha);
  EXPECT_EQ(second.present, store.blob_path(sha));
  EXPECT_FALSE(second.writer);
}

TEST(BlobStore, VerifyAndRemove) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string sha = util::sha256_hex("content");
  EXPECT_EQ(store.verify(sha), std::nullopt);
  BlobWriter writer = store.writer(sha);
  writer.write("content");
  const fs::path path = writer.commit();
  EXPECT_EQ(store.verify(sha), true);
  test::write_file(path, "contenT");
  EXPECT_EQ(store.verify(sha), false);
  EXPECT_TRUE(store.remove(sha));
  EXPECT_FALSE(store.remove(sha));
  EXPECT_FALSE(store.find(sha));
}

TEST(BlobStore, ListSkipsForeignFiles) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string sha = util::sha256_hex("a");
  BlobWriter writer = store.writer(sha);
  writer.write("a");
  writer.commit();
  test::write_file(dir.path() / "blobs" / "zz" / "notes.txt", "x");
  test::write_file(dir.path() / "blobs" / "00" / sha, "misplaced"); // wrong fan-out folder
  ASSERT_EQ(store.list().size(), 1U);
  EXPECT_EQ(store.list()[0].sha256, sha);
}

TEST(BlobStore, TempFilesOfAGoneOwnerGoAtOnceOthersWhenStale) {
  test::TempDir dir;
  BlobStore store(dir.path());
  const std::string crashed = util::sha256_hex("crashed");
  const std::string alive = util::sha256_hex("alive");
  const std::string gone = std::to_string(test::dead_pid());
  const std::string mine = std::to_string(::getpid());
  test::write_file(store.temp_dir() / (crashed + "." + mine + ".4.part"), "half"); // lock free
  test::write_file(store.temp_dir() / ("any." + gone + ".5.part"), "half");        // owner dead
  test::write_file(store.temp_dir() / ("any." + mine + ".6.part"), "half");        // owner alive
  Acquisition producing = store.acquire(alive);
  producing.writer->write("ali");
  // Leftovers whose owner is gone do not wait an hour.
  EXPECT_EQ(store.clean_stale_temp(std::chrono::hours(1)), 2U);
  EXPECT_EQ(count_files(store.temp_dir()), 2U);
  // A file of a live owner goes only once stale; a held lock keeps its file.
  EXPECT_EQ(store.clean_stale_temp(std::chrono::seconds(0)), 1U);
  EXPECT_TRUE(fs::exists(producing.writer->temp_path()));
  EXPECT_EQ(count_files(store.temp_dir()), 1U);
}

} // namespace
} // namespace rockart::cache
