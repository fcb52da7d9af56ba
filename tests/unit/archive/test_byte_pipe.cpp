// SPDX-License-Identifier: MIT
// BytePipe: bounded memory, ordering, end/failure propagation, and extraction
// fed from a producer thread giving the same tree as reading the file.
#include "archive_test_util.hpp"
#include "support/support.hpp"

#include <rockart/archive/byte_source.hpp>
#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <random>
#include <thread>

namespace rockart::archive {
namespace {

namespace fs = std::filesystem;

// Feeds `data` into `pipe` in random-sized writes of 1..max_chunk bytes.
void produce(BytePipe& pipe, std::string_view data, size_t max_chunk, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<size_t> size(1, max_chunk);
  while (!data.empty()) {
    const size_t n = std::min(size(rng), data.size());
    if (!pipe.write(std::as_bytes(std::span(data.data(), n)))) {
      return;
    }
    data.remove_prefix(n);
  }
  pipe.close();
}

std::string drain(ByteSource& source, size_t block) {
  std::string out;
  std::string buf(block, '\0');
  while (const size_t n = source.read(buf.data(), buf.size())) {
    out.append(buf, 0, n);
  }
  return out;
}

TEST(BytePipe, DeliversBytesInOrderWithinItsCapacity) {
  const std::string data = testing::pseudo_bytes(5 << 20, 4);
  BytePipe pipe(64 * 1024);
  std::thread producer([&] { produce(pipe, data, 100000, 1); });
  PipeSource source(pipe);
  const std::string got = drain(source, 48 * 1024);
  producer.join();
  EXPECT_EQ(got, data);
  EXPECT_EQ(pipe.capacity(), 64U * 1024);
  EXPECT_LE(pipe.peak_buffered(), pipe.capacity());
  EXPECT_GT(pipe.peak_buffered(), 0U);
  EXPECT_EQ(pipe.bytes_read(), data.size());
}

TEST(BytePipe, ProducerFailureReachesTheReaderAfterBufferedBytes) {
  BytePipe pipe(16);
  const std::string head = "0123456789";
  ASSERT_TRUE(pipe.write(std::as_bytes(std::span(head.data(), head.size()))));
  pipe.fail(std::make_exception_ptr(NetworkError("connection reset at byte 10")));
  char buf[32];
  EXPECT_EQ(pipe.read(buf, sizeof buf), 10U);
  EXPECT_ERROR(pipe.read(buf, sizeof buf), NetworkError, "connection reset at byte 10");
}

TEST(BytePipe, AbandonReleasesABlockedWriter) {
  BytePipe pipe(8);
  const std::string data(100, 'x');
  bool accepted = true;
  std::thread producer([&] { accepted = pipe.write(std::as_bytes(std::span(data))); });
  char buf[4];
  EXPECT_EQ(pipe.read(buf, sizeof buf), 4U);
  {
    PipeSource source(pipe); // destroyed before the end: abandons the pipe
  }
  producer.join();
  EXPECT_FALSE(accepted);
}

TEST(BytePipe, StreamedExtractionEqualsFileExtraction) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "a.tar.zst";
  testing::write_sample(archive, Compression::zstd);
  const std::string bytes = test::read_file(archive);

  ExtractOptions options;
  options.mode = ExtractMode::extract;
  options.directory_name = "streamed";
  options.archive_name = "a.tar.zst";
  options.output_dir = tmp.path();
  BytePipe pipe(256 * 1024);
  std::thread producer([&] { produce(pipe, bytes, 7000, 2); });
  {
    PipeSource source(pipe);
    const ExtractResult result = extract(source, options);
    EXPECT_EQ(result.files, 8U);
  }
  producer.join();
  EXPECT_LE(pipe.peak_buffered(), 256U * 1024);

  FileSource file(archive);
  options.directory_name = "from-file";
  extract(file, options);
  EXPECT_EQ(testing::describe(testing::list_tree(tmp.path() / "streamed")),
            testing::describe(testing::list_tree(tmp.path() / "from-file")));
}

TEST(BytePipe, NetworkFailureMidArchiveFailsExtractionAndKeepsNothing) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "a.tar.zst";
  testing::write_sample(archive, Compression::zstd);
  const std::string bytes = test::read_file(archive);
  const fs::path out = tmp.path() / "out";
  fs::create_directories(out);

  BytePipe pipe(64 * 1024);
  std::thread producer([&] {
    if (pipe.write(std::as_bytes(std::span(bytes.data(), bytes.size() / 2)))) {
      pipe.fail(std::make_exception_ptr(NetworkError("stalled for 30 s")));
    }
  });
  ExtractOptions options;
  options.output_dir = out;
  options.directory_name = "a";
  options.archive_name = "a.tar.zst";
  {
    PipeSource source(pipe);
    EXPECT_ERROR(extract(source, options), NetworkError, "stalled for 30 s");
  }
  producer.join();
  EXPECT_TRUE(fs::is_empty(out));
}

TEST(BytePipe, ExtractionFailureStopsTheProducer) {
  test::TempDir tmp;
  const std::string garbage = testing::pseudo_bytes(4 << 20, 5);
  BytePipe pipe(64 * 1024);
  bool accepted = true;
  std::thread producer([&] { accepted = pipe.write(std::as_bytes(std::span(garbage))); });
  ExtractOptions options;
  options.output_dir = tmp.path();
  options.directory_name = "g";
  options.archive_name = "g.tar.zst";
  {
    PipeSource source(pipe);
    EXPECT_ERROR(
        extract(source, options), ArchiveError, "archive g.tar.zst: unknown archive format");
  }
  producer.join(); // would hang if the writer were not released
  EXPECT_FALSE(accepted);
}

TEST(FileSource, MissingFileNamesThePath) {
  EXPECT_ERROR(FileSource("/nonexistent/x.tar.zst"),
               LocalIoError,
               "cannot open archive /nonexistent/x.tar.zst: No such file or directory");
}

} // namespace
} // namespace rockart::archive
