// SPDX-License-Identifier: MIT
// Several processes sharing one cache (issue 6 item 6): real fork()ed
// processes, since flock(2) locks belong to open files and SQLite's locking
// is per process. Children report through exit codes and an O_APPEND log;
// they never touch GoogleTest.
#include "support/support.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <map>
#include <sstream>

namespace rockart::cache {
namespace {

namespace fs = std::filesystem;

std::string blob_content(int index) {
  std::string content(256 * 1024, '\0');
  for (size_t i = 0; i < content.size(); ++i) {
    content[i] = static_cast<char>((i * 31 + static_cast<size_t>(index) * 7) & 0xff);
  }
  return content;
}

// Produces `content` into `writer` slowly, so producers overlap.
void produce_slowly(BlobWriter& writer, const std::string& content) {
  constexpr size_t k_chunk = 16 * 1024;
  for (size_t offset = 0; offset < content.size(); offset += k_chunk) {
    writer.write(content.data() + offset, std::min(k_chunk, content.size() - offset));
    ::usleep(1000);
  }
}

void append_line(const fs::path& log, const std::string& line) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  const std::string text = line + "\n";
  // One write(2) with O_APPEND: lines from several processes never interleave.
  [[maybe_unused]] const ssize_t n = ::write(fd, text.data(), text.size());
  ::close(fd);
}

// Child body: fetch every blob in `order` through the cache; exit code 0 when
// every served blob had the right content.
int worker(const fs::path& dir, const fs::path& log, const std::vector<int>& order, int start_fd) {
  char go = 0;
  [[maybe_unused]] const ssize_t n = ::read(start_fd, &go, 1); // returns at EOF: all start together
  util::set_log_sink([](util::LogLevel, std::string_view) {});
  Cache cache = Cache::open({dir, 1ULL << 30, system_now, std::chrono::hours(1)});
  for (int index : order) {
    const std::string content = blob_content(index);
    const std::string sha = util::sha256_hex(content);
    Acquisition got = cache.acquire_blob(sha);
    if (!got.present) {
      append_line(log, "produced " + sha);
      produce_slowly(*got.writer, content);
      cache.commit_blob(*got.writer);
    }
    const auto path = cache.blobs().find(sha);
    if (!path || util::sha256_file(*path) != sha) {
      return 1;
    }
  }
  return 0;
}

pid_t spawn(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    int code = 3;
    try {
      code = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "worker %d failed: %s\n", static_cast<int>(::getpid()), e.what());
      code = 4;
    }
    ::_exit(code);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::map<std::string, int> count_lines(const fs::path& log) {
  std::map<std::string, int> counts;
  std::istringstream lines(fs::exists(log) ? test::read_file(log) : "");
  for (std::string line; std::getline(lines, line);) {
    ++counts[line];
  }
  return counts;
}

TEST(CacheConcurrency, FourProcessesProduceEachBlobExactlyOnce) {
  test::TempDir dir;
  const fs::path cache_dir = dir.path() / "cache";
  const fs::path log = dir.path() / "producers.log";
  constexpr int k_blobs = 8;
  int start[2];
  ASSERT_EQ(::pipe(start), 0);
  std::vector<pid_t> children;
  for (int w = 0; w < 4; ++w) {
    // Overlapping sets in different orders: worker w wants blobs w..w+5 (mod 8).
    std::vector<int> order;
    for (int i = 0; i < 6; ++i) {
      order.push_back((w * 2 + i) % k_blobs);
    }
    children.push_back(spawn([&, order] {
      ::close(start[1]);
      return worker(cache_dir, log, order, start[0]);
    }));
  }
  ::close(start[0]);
  ::close(start[1]); // releases every child at once
  for (pid_t pid : children) {
    EXPECT_EQ(wait_exit(pid), 0) << "a worker was served a wrong blob or failed";
  }
  const auto produced = count_lines(log);
  EXPECT_EQ(produced.size(), static_cast<size_t>(k_blobs));
  for (const auto& [line, count] : produced) {
    EXPECT_EQ(count, 1) << line << " was produced more than once";
  }
  Cache cache = Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)});
  const auto counters = cache.index().counters();
  EXPECT_EQ(counters.at("misses"), k_blobs);
  EXPECT_EQ(counters.at("hits"), 4 * 6 - k_blobs);
  EXPECT_EQ(cache.index().counts().blobs, static_cast<std::uint64_t>(k_blobs));
  EXPECT_TRUE(cache.verify_all().corrupt.empty());
  EXPECT_TRUE(fs::is_empty(cache_dir / "tmp"));
}

TEST(CacheConcurrency, KilledProducerLeavesNoBlobAndAWaiterTakesOver) {
  test::TempDir dir;
  const fs::path cache_dir = dir.path() / "cache";
  const std::string content = blob_content(42);
  const std::string sha = util::sha256_hex(content);
  { Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)}); }
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t victim = spawn([&] {
    Cache cache = Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)});
    Acquisition got = cache.acquire_blob(sha);
    got.writer->write(content.data(), content.size() / 2);
    [[maybe_unused]] const ssize_t n = ::write(ready[1], "x", 1);
    ::pause(); // killed here, mid-download, holding the blob lock
    return 0;
  });
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  // The waiter blocks on the blob lock held by the victim; exit 5 = it produced the blob.
  const pid_t waiter = spawn([&] {
    Cache cache = Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)});
    Acquisition got = cache.acquire_blob(sha);
    if (got.present) {
      return 6;
    }
    got.writer->write(content);
    cache.commit_blob(*got.writer);
    return util::sha256_file(cache.blobs().blob_path(sha)) == sha ? 5 : 1;
  });
  ::usleep(200 * 1000);
  {
    // Nothing half-written is visible as a blob meanwhile.
    BlobStore store(cache_dir);
    EXPECT_FALSE(store.find(sha));
    EXPECT_EQ(std::distance(fs::directory_iterator(cache_dir / "tmp"), fs::directory_iterator()),
              1);
  }
  ::kill(victim, SIGKILL);
  EXPECT_EQ(wait_exit(victim), 128 + SIGKILL);
  EXPECT_EQ(wait_exit(waiter), 5);
  Cache cache = Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)});
  EXPECT_EQ(cache.find_blob(sha, Verify::full), cache.blobs().blob_path(sha));
  // The victim's partial temp file went when the cache was opened: its lock
  // is free, so its owner is gone.
  EXPECT_TRUE(fs::is_empty(cache_dir / "tmp"));
  EXPECT_EQ(cache.gc().temp_files_removed, 0U);
  ::close(ready[0]);
  ::close(ready[1]);
}

TEST(CacheConcurrency, KilledProducerThenALaterRunCompletes) {
  test::TempDir dir;
  const fs::path cache_dir = dir.path() / "cache";
  const std::string content = blob_content(7);
  const std::string sha = util::sha256_hex(content);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t victim = spawn([&] {
    Cache cache = Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)});
    Acquisition got = cache.acquire_blob(sha);
    got.writer->write(content.data(), 1000);
    [[maybe_unused]] const ssize_t n = ::write(ready[1], "x", 1);
    ::pause();
    return 0;
  });
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::kill(victim, SIGKILL);
  wait_exit(victim);
  Cache cache = Cache::open({cache_dir, 1ULL << 30, system_now, std::chrono::hours(1)});
  EXPECT_FALSE(cache.find_blob(sha, Verify::full));
  Acquisition got = cache.acquire_blob(sha);
  ASSERT_TRUE(got.writer) << "the dead producer's lock must be free";
  got.writer->write(content);
  cache.commit_blob(*got.writer);
  EXPECT_EQ(util::sha256_file(*cache.find_blob(sha, Verify::full)), sha);
  ::close(ready[0]);
  ::close(ready[1]);
}

} // namespace
} // namespace rockart::cache
