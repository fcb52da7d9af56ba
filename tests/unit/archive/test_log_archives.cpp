// SPDX-License-Identifier: MIT
// The build-log archives written before a stage's logs are uploaded:
// {build}/logs/ninja_logs.tar.gz (every .ninja_log of the build) and
// {build}/logs/ccache_logs.tar.zst (the files of {build}/logs/ccache/), read
// back with GNU tar so the format is checked by an independent reader.
#include "support/log_capture.hpp"
#include "support/support.hpp"

#include <rockart/archive/log_archives.hpp>
#include <rockart/archive/tar_writer.hpp>
#include <rockart/util/log.hpp>

#include <string>
#include <vector>

namespace rockart::archive {
namespace {

namespace fs = std::filesystem;
using test::LogCapture;
using test::read_file;
using test::run_process;
using test::TempDir;
using test::write_file;

// `tar {args}`; fails the test when tar does.
std::string tar(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"tar"};
  argv.insert(argv.end(), args.begin(), args.end());
  const test::ProcessResult result = run_process(argv);
  EXPECT_EQ(result.exit_code, 0) << "tar failed: " << result.err;
  return result.out;
}

std::string first_bytes(const fs::path& path, std::size_t count) {
  return read_file(path).substr(0, count);
}

const std::string k_gzip_magic("\x1f\x8b", 2);
const std::string k_zstd_magic("\x28\xb5\x2f\xfd", 4);

TEST(ArchiveExtension, NamesEachCompression) {
  EXPECT_EQ(archive_extension(Compression::gzip), ".tar.gz");
  EXPECT_EQ(archive_extension(Compression::zstd), ".tar.zst");
  EXPECT_EQ(archive_extension(Compression::xz), ".tar.xz");
}

// --- ninja logs ---

TEST(NinjaLogsArchive, PacksEveryNestedNinjaLogRelativeToTheBuildDirInSortedOrder) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  // Created out of order, so the sorted member list is the archive's doing.
  write_file(build / "z-last/.ninja_log", "# ninja log v6\nz\n");
  write_file(build / "math-libs/BLAS/rocBLAS/build/.ninja_log", "# ninja log v6\nblas\n");
  write_file(build / ".ninja_log", "# ninja log v6\ntop\n");
  write_file(build / "base/rocm-core/build/.ninja_log", "# ninja log v6\ncore\n");
  // Not ninja logs: other names.
  write_file(build / "base/ninja_log", "no dot");
  write_file(build / "base/x.ninja_log", "suffix only");
  write_file(build / "base/.ninja_log.bak", "backup");
  write_file(build / "base/.ninja_deps", "deps");

  EXPECT_TRUE(write_ninja_logs_archive(build));

  const fs::path archive = build / "logs" / "ninja_logs.tar.gz";
  ASSERT_TRUE(fs::is_regular_file(archive));
  EXPECT_EQ(first_bytes(archive, 2), k_gzip_magic);
  EXPECT_EQ(tar({"-tzf", archive.string()}),
            ".ninja_log\n"
            "base/rocm-core/build/.ninja_log\n"
            "math-libs/BLAS/rocBLAS/build/.ninja_log\n"
            "z-last/.ninja_log\n");
  EXPECT_EQ(tar({"-xzOf", archive.string(), ".ninja_log"}), "# ninja log v6\ntop\n");
  EXPECT_EQ(tar({"-xzOf", archive.string(), "math-libs/BLAS/rocBLAS/build/.ninja_log"}),
            "# ninja log v6\nblas\n");
  EXPECT_EQ(tar({"-xzOf", archive.string(), "z-last/.ninja_log"}), "# ninja log v6\nz\n");
  // The whole stream in member order.
  EXPECT_EQ(tar({"-xzOf", archive.string()}),
            "# ninja log v6\ntop\n"
            "# ninja log v6\ncore\n"
            "# ninja log v6\nblas\n"
            "# ninja log v6\nz\n");
}

TEST(NinjaLogsArchive, SkipsSymlinkedLogsAndSymlinkedDirectories) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  const fs::path outside = dir.path() / "outside";
  write_file(build / "real/.ninja_log", "real");
  write_file(outside / ".ninja_log", "outside the build");
  write_file(outside / "nested/.ninja_log", "outside, nested");
  fs::create_directories(build / "linked");
  // A symlink named .ninja_log to a regular file, inside and outside the tree.
  fs::create_symlink(outside / ".ninja_log", build / "linked/.ninja_log");
  fs::create_directories(build / "inner");
  fs::create_symlink("../real/.ninja_log", build / "inner/.ninja_log");
  // A symlinked directory holding logs is not descended into.
  fs::create_directory_symlink(outside, build / "dirlink");

  EXPECT_TRUE(write_ninja_logs_archive(build));

  const fs::path archive = build / "logs/ninja_logs.tar.gz";
  EXPECT_EQ(tar({"-tzf", archive.string()}), "real/.ninja_log\n");
  EXPECT_EQ(tar({"-xzOf", archive.string()}), "real");
}

TEST(NinjaLogsArchive, ReplacesAnExistingArchive) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  const fs::path archive = build / "logs/ninja_logs.tar.gz";
  write_file(build / "a/.ninja_log", "first");
  ASSERT_TRUE(write_ninja_logs_archive(build));
  EXPECT_EQ(tar({"-tzf", archive.string()}), "a/.ninja_log\n");

  write_file(build / "a/.ninja_log", "second");
  write_file(build / "b/.ninja_log", "new");
  LogCapture log;
  ASSERT_TRUE(write_ninja_logs_archive(build));
  EXPECT_EQ(tar({"-tzf", archive.string()}), "a/.ninja_log\nb/.ninja_log\n");
  EXPECT_EQ(tar({"-xzOf", archive.string(), "a/.ninja_log"}), "second");
  EXPECT_EQ(log.lines,
            (std::vector<std::string>{
                "rockart: info: replacing existing " + archive.string(),
                "rockart: info: wrote " + archive.string() + " (2 ninja logs)",
            }));
  // Nothing but the archive in the logs dir (no temp files left over).
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(build / "logs")) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"ninja_logs.tar.gz"});
}

TEST(NinjaLogsArchive, CreatesTheLogsDirectoryAndLogsTheCount) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  write_file(build / ".ninja_log", "only");
  ASSERT_FALSE(fs::exists(build / "logs"));
  LogCapture log;
  EXPECT_TRUE(write_ninja_logs_archive(build));
  EXPECT_TRUE(fs::is_directory(build / "logs"));
  EXPECT_EQ(log.lines,
            std::vector<std::string>{"rockart: info: wrote "
                                     + (build / "logs/ninja_logs.tar.gz").string()
                                     + " (1 ninja logs)"});
}

TEST(NinjaLogsArchive, ReturnsFalseAndWritesNothingWithoutAnyNinjaLog) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  write_file(build / "CMakeCache.txt", "x");
  write_file(build / "sub/build.ninja", "rule cc");
  write_file(build / "sub/ninja_log", "not the name");
  LogCapture log;
  EXPECT_FALSE(write_ninja_logs_archive(build));
  EXPECT_FALSE(fs::exists(build / "logs"));
  EXPECT_EQ(log.lines,
            std::vector<std::string>{"rockart: info: no .ninja_log files under " + build.string()
                                     + "; not creating ninja_logs.tar.gz"});
}

TEST(NinjaLogsArchive, ReturnsFalseWhenTheOnlyNinjaLogIsASymlink) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  write_file(dir.path() / "elsewhere/.ninja_log", "outside");
  fs::create_directories(build);
  fs::create_symlink(dir.path() / "elsewhere/.ninja_log", build / ".ninja_log");
  LogCapture log;
  EXPECT_FALSE(write_ninja_logs_archive(build));
  EXPECT_FALSE(fs::exists(build / "logs"));
}

// --- ccache logs ---

TEST(CcacheLogsArchive, PacksTheRegularFilesDirectlyInTheCcacheDirSortedByName) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  const fs::path ccache = build / "logs/ccache";
  write_file(ccache / "stats.txt", "cache hit (direct) 10\n");
  write_file(ccache / "ccache.log", "[2026-03-27] Result: cache miss\n");
  write_file(ccache / "ccache_config.txt", "max_size = 5.0G\n");
  write_file(ccache / "nested/deeper.log", "not directly in the dir");
  write_file(dir.path() / "outside.log", "outside");
  fs::create_symlink(dir.path() / "outside.log", ccache / "link.log");

  EXPECT_TRUE(write_ccache_logs_archive(build));

  const fs::path archive = build / "logs/ccache_logs.tar.zst";
  ASSERT_TRUE(fs::is_regular_file(archive));
  EXPECT_EQ(first_bytes(archive, 4), k_zstd_magic);
  EXPECT_EQ(tar({"--zstd", "-tf", archive.string()}), "ccache.log\nccache_config.txt\nstats.txt\n");
  EXPECT_EQ(tar({"--zstd", "-xOf", archive.string(), "ccache.log"}),
            "[2026-03-27] Result: cache miss\n");
  EXPECT_EQ(tar({"--zstd", "-xOf", archive.string(), "stats.txt"}), "cache hit (direct) 10\n");
  EXPECT_EQ(tar({"--zstd", "-xOf", archive.string()}),
            "[2026-03-27] Result: cache miss\n"
            "max_size = 5.0G\n"
            "cache hit (direct) 10\n");
  // The source files stay where they are.
  EXPECT_EQ(read_file(ccache / "ccache.log"), "[2026-03-27] Result: cache miss\n");
}

TEST(CcacheLogsArchive, ReplacesAnExistingArchive) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  const fs::path archive = build / "logs/ccache_logs.tar.zst";
  write_file(build / "logs/ccache/a.log", "1");
  ASSERT_TRUE(write_ccache_logs_archive(build));
  write_file(build / "logs/ccache/b.log", "2");
  ASSERT_TRUE(write_ccache_logs_archive(build));
  EXPECT_EQ(tar({"--zstd", "-tf", archive.string()}), "a.log\nb.log\n");
}

TEST(CcacheLogsArchive, ReturnsFalseWhenTheDirectoryIsMissing) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  write_file(build / "logs/other.log", "x");
  EXPECT_FALSE(write_ccache_logs_archive(build));
  EXPECT_FALSE(fs::exists(build / "logs/ccache_logs.tar.zst"));
  // Not even a build dir at all.
  EXPECT_FALSE(write_ccache_logs_archive(dir.path() / "no-build"));
  EXPECT_FALSE(fs::exists(dir.path() / "no-build"));
}

TEST(CcacheLogsArchive, ReturnsFalseWhenTheDirectoryIsEmpty) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  fs::create_directories(build / "logs/ccache");
  EXPECT_FALSE(write_ccache_logs_archive(build));
  EXPECT_FALSE(fs::exists(build / "logs/ccache_logs.tar.zst"));
}

TEST(CcacheLogsArchive, ReturnsFalseWhenTheDirectoryHoldsOnlySubdirectoriesAndSymlinks) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  write_file(build / "logs/ccache/sub/file.log", "nested");
  write_file(dir.path() / "outside.log", "outside");
  fs::create_symlink(dir.path() / "outside.log", build / "logs/ccache/link.log");
  EXPECT_FALSE(write_ccache_logs_archive(build));
  EXPECT_FALSE(fs::exists(build / "logs/ccache_logs.tar.zst"));
}

TEST(CcacheLogsArchive, ReturnsFalseWhenCcacheIsAFile) {
  TempDir dir;
  const fs::path build = dir.path() / "build";
  write_file(build / "logs/ccache", "a file, not a directory");
  EXPECT_FALSE(write_ccache_logs_archive(build));
  EXPECT_FALSE(fs::exists(build / "logs/ccache_logs.tar.zst"));
}

} // namespace
} // namespace rockart::archive
