// SPDX-License-Identifier: MIT
// Whole-file writes that appear complete or not at all (AtomicFile and
// write_file_atomic), whole-file reads and the sha256 of a file.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/hash.hpp>

#include <unistd.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rockart::util {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// The names in `dir`, sorted.
std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    out.insert(entry.path().filename().string());
  }
  return out;
}

// A deterministic, non-repeating-looking byte pattern of `size` bytes.
std::string pattern_bytes(std::size_t size) {
  std::string out(size, '\0');
  std::uint32_t state = 12345;
  for (char& c : out) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 24);
  }
  return out;
}

// --- temp_path_for / is_temp_name ---

TEST(TempPathFor, IsAHiddenUniqueNameNextToTheDestination) {
  const fs::path dest = "/some/dir/blas_lib_gfx94X-dcgpu.tar.zst";
  const fs::path a = temp_path_for(dest);
  const fs::path b = temp_path_for(dest);
  EXPECT_EQ(a.parent_path(), dest.parent_path());
  const std::string expected_start =
      ".blas_lib_gfx94X-dcgpu.tar.zst.rockart-tmp-" + std::to_string(::getpid()) + "-";
  EXPECT_EQ(a.filename().string().rfind(expected_start, 0), 0u) << a;
  EXPECT_EQ(b.filename().string().rfind(expected_start, 0), 0u) << b;
  EXPECT_NE(a, b); // unique within the process
  EXPECT_TRUE(is_temp_name(a.filename().string()));
  EXPECT_TRUE(is_temp_name(b.filename().string()));
}

struct TempNameCase {
  std::string name;
  bool expected;
};

class IsTempName : public ::testing::TestWithParam<TempNameCase> {};

TEST_P(IsTempName, RecognisesOnlyTheNamesTempPathForMakes) {
  EXPECT_EQ(is_temp_name(GetParam().name), GetParam().expected) << "'" << GetParam().name << "'";
}

INSTANTIATE_TEST_SUITE_P(Table,
                         IsTempName,
                         ::testing::Values(
                             // Positives: what temp_path_for() produces.
                             TempNameCase{".x.rockart-tmp-1-0", true},
                             TempNameCase{".core_lib_generic.tar.zst.rockart-tmp-4242-17", true},
                             TempNameCase{".session.json.rockart-tmp-99999-123456", true},
                             // Negatives: ordinary and look-alike names.
                             TempNameCase{"", false},
                             TempNameCase{"x", false},
                             TempNameCase{".hidden", false},
                             TempNameCase{"x.rockart-tmp-1-0", false}, // not hidden
                             TempNameCase{"rockart-tmp-1-0", false},
                             TempNameCase{".x.rockart-tmp", false}, // marker incomplete
                             TempNameCase{".x.rockart_tmp-1-0", false},
                             TempNameCase{".rockart-staging-1", false},
                             TempNameCase{"core_lib_generic.tar.zst", false}));

// --- AtomicFile ---

TEST(AtomicFile, LeavesTheDestinationUntouchedUntilCommit) {
  TempDir dir;
  const fs::path dest = dir.path() / "out.txt";
  test::write_file(dest, "old content");
  {
    AtomicFile file(dest);
    EXPECT_EQ(file.destination(), dest);
    file.write("new ");
    file.write("content");
    EXPECT_EQ(file.size(), 11u);
    EXPECT_EQ(test::read_file(dest), "old content");
    EXPECT_EQ(test::read_file(file.temp_path()), "new content");
    file.commit();
    EXPECT_EQ(test::read_file(dest), "new content");
    EXPECT_FALSE(fs::exists(file.temp_path()));
  }
  // Destroying a committed file changes nothing.
  EXPECT_EQ(test::read_file(dest), "new content");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"out.txt"});
}

TEST(AtomicFile, WritesItsTempFileUnderTheTempPathForName) {
  TempDir dir;
  const fs::path dest = dir.path() / "data.bin";
  AtomicFile file(dest);
  EXPECT_EQ(file.temp_path().parent_path(), dir.path());
  const std::string name = file.temp_path().filename().string();
  EXPECT_EQ(name.rfind(".data.bin.rockart-tmp-" + std::to_string(::getpid()) + "-", 0), 0u) << name;
  EXPECT_TRUE(is_temp_name(name));
  // The temp file exists from construction on, and it is the only file there.
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{name});
  EXPECT_FALSE(fs::exists(dest));
}

TEST(AtomicFile, DestroyingAnUncommittedFileRemovesTheTempAndKeepsTheDestination) {
  TempDir dir;
  const fs::path dest = dir.path() / "keep.txt";
  test::write_file(dest, "precious");
  fs::path temp;
  {
    AtomicFile file(dest);
    temp = file.temp_path();
    file.write("half-written");
    ASSERT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(test::read_file(dest), "precious");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"keep.txt"});
}

TEST(AtomicFile, DestroyingAnUncommittedFileWithoutDestinationLeavesNothing) {
  TempDir dir;
  {
    AtomicFile file(dir.path() / "never.txt");
    file.write("x");
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(AtomicFile, CommitReplacesASymlinkWithoutWritingThroughIt) {
  TempDir dir;
  const fs::path target = dir.path() / "elsewhere.txt";
  const fs::path dest = dir.path() / "link.txt";
  test::write_file(target, "target content");
  fs::create_symlink(target, dest);
  AtomicFile file(dest);
  file.write("replacement");
  file.commit();
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(dest)));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(dest)));
  EXPECT_EQ(test::read_file(dest), "replacement");
  EXPECT_EQ(test::read_file(target), "target content");
}

TEST(AtomicFile, CommitReplacesADanglingSymlink) {
  TempDir dir;
  const fs::path dest = dir.path() / "dangling";
  fs::create_symlink(dir.path() / "missing/target", dest);
  AtomicFile file(dest);
  file.write("real");
  file.commit();
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(dest)));
  EXPECT_EQ(test::read_file(dest), "real");
  EXPECT_FALSE(fs::exists(dir.path() / "missing"));
}

TEST(AtomicFile, FsyncDurabilityCommitsToo) {
  TempDir dir;
  const fs::path dest = dir.path() / "session.json";
  test::write_file(dest, "{}");
  AtomicFile file(dest);
  const std::string bytes = "{\"state\": 1}";
  file.write(bytes.data(), bytes.size()); // the (pointer, size) overload
  EXPECT_EQ(file.size(), bytes.size());
  file.commit(Durability::fsync);
  EXPECT_EQ(test::read_file(dest), bytes);
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"session.json"});
}

TEST(AtomicFile, EmptyCommitCreatesAnEmptyFile) {
  TempDir dir;
  const fs::path dest = dir.path() / "empty";
  AtomicFile file(dest);
  EXPECT_EQ(file.size(), 0u);
  file.commit();
  EXPECT_TRUE(fs::is_regular_file(dest));
  EXPECT_EQ(fs::file_size(dest), 0u);
}

TEST(AtomicFile, ThrowsLocalIoErrorNamingTheTempFileWhenTheDirectoryIsMissing) {
  TempDir dir;
  const fs::path dest = dir.path() / "no-such-dir" / "out.txt";
  EXPECT_ERROR(AtomicFile file(dest),
               LocalIoError,
               "cannot create " + dest.parent_path().string() + "/.out.txt.rockart-tmp-");
  EXPECT_ERROR(AtomicFile file(dest), LocalIoError, ": No such file or directory");
  EXPECT_FALSE(fs::exists(dest.parent_path()));
}

TEST(AtomicFile, FailedCommitThrowsNamingTheDestinationAndRemovesTheTemp) {
  TempDir dir;
  const fs::path dest = dir.path() / "occupied";
  test::write_file(dest / "child", "x"); // a non-empty directory cannot be renamed over
  fs::path temp;
  {
    AtomicFile file(dest);
    temp = file.temp_path();
    file.write("bytes");
    EXPECT_ERROR(file.commit(), LocalIoError, "cannot write " + dest.string() + ": ");
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(test::read_file(dest / "child"), "x");
}

// --- write_file_atomic ---

TEST(WriteFileAtomic, CreatesAndReplacesWithoutLeavingTempFiles) {
  TempDir dir;
  const fs::path dest = dir.path() / "state.json";
  write_file_atomic(dest, "first");
  EXPECT_EQ(test::read_file(dest), "first");
  write_file_atomic(dest, "second, longer content", Durability::fsync);
  EXPECT_EQ(test::read_file(dest), "second, longer content");
  write_file_atomic(dest, "");
  EXPECT_EQ(test::read_file(dest), "");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"state.json"});
}

TEST(WriteFileAtomic, ReplacesASymlinkAndKeepsItsTarget) {
  TempDir dir;
  const fs::path target = dir.path() / "target";
  test::write_file(target, "untouched");
  fs::create_symlink("target", dir.path() / "link");
  write_file_atomic(dir.path() / "link", "new");
  EXPECT_FALSE(fs::is_symlink(fs::symlink_status(dir.path() / "link")));
  EXPECT_EQ(test::read_file(dir.path() / "link"), "new");
  EXPECT_EQ(test::read_file(target), "untouched");
}

TEST(WriteFileAtomic, ThrowsLocalIoErrorWhenTheDirectoryIsMissing) {
  TempDir dir;
  EXPECT_ERROR(write_file_atomic(dir.path() / "missing/x", "data"), LocalIoError, "cannot create ");
}

// --- read_file / read_file_or_throw ---

TEST(ReadFile, ReturnsTheWholeContentBinarySafe) {
  TempDir dir;
  const std::string small = std::string("a\0b\r\n\xff", 6);
  test::write_file(dir.path() / "small", small);
  EXPECT_EQ(read_file(dir.path() / "small"), std::optional<std::string>(small));
  // Larger than the 64 KiB read buffer, and not a multiple of it.
  const std::string large = pattern_bytes((std::size_t{3} << 16) + 17);
  test::write_file(dir.path() / "large", large);
  const auto got = read_file(dir.path() / "large");
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), large.size());
  EXPECT_TRUE(*got == large);
  test::write_file(dir.path() / "empty", "");
  EXPECT_EQ(read_file(dir.path() / "empty"), std::optional<std::string>(""));
}

TEST(ReadFile, IsNulloptForAMissingFile) {
  TempDir dir;
  EXPECT_EQ(read_file(dir.path() / "missing"), std::nullopt);
  EXPECT_EQ(read_file(dir.path() / "missing/deeper"), std::nullopt);
}

TEST(ReadFile, IsNulloptForADirectory) {
  TempDir dir;
  EXPECT_EQ(read_file(dir.path()), std::nullopt);
  EXPECT_ERROR((void)read_file_or_throw(dir.path()),
               LocalIoError,
               "cannot read " + dir.path().string() + ": Is a directory");
}

TEST(ReadFileOrThrow, ReturnsTheContent) {
  TempDir dir;
  test::write_file(dir.path() / "f", "hello\n");
  EXPECT_EQ(read_file_or_throw(dir.path() / "f"), "hello\n");
}

TEST(ReadFileOrThrow, ThrowsLocalIoErrorNamingThePath) {
  TempDir dir;
  const fs::path missing = dir.path() / "missing.txt";
  EXPECT_ERROR((void)read_file_or_throw(missing), LocalIoError, "cannot read " + missing.string());
  try {
    (void)read_file_or_throw(missing);
    ADD_FAILURE() << "no exception";
  } catch (const LocalIoError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot read " + missing.string() + ": No such file or directory");
    EXPECT_STREQ(e.kind(), "local-io");
  }
}

// --- sha256_file ---

struct Sha256Case {
  std::string content;
  std::string hex;
};

class Sha256File : public ::testing::TestWithParam<Sha256Case> {};

TEST_P(Sha256File, MatchesTheKnownVector) {
  TempDir dir;
  test::write_file(dir.path() / "f", GetParam().content);
  EXPECT_EQ(sha256_file(dir.path() / "f"), GetParam().hex);
}

INSTANTIATE_TEST_SUITE_P(
    KnownVectors,
    Sha256File,
    ::testing::Values(
        Sha256Case{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        Sha256Case{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        Sha256Case{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"}));

TEST(Sha256FileLarge, AFileLargerThanOneMiBHashesLikeItsContent) {
  TempDir dir;
  // More than the 1 MiB read buffer, ending mid-buffer.
  const std::string content = pattern_bytes((std::size_t{5} << 19) + 333);
  test::write_file(dir.path() / "big", content);
  EXPECT_EQ(sha256_file(dir.path() / "big"), sha256_hex(content));
  // Exactly one buffer: the last read returns 0 bytes at a boundary.
  const std::string exact = pattern_bytes(std::size_t{1} << 20);
  test::write_file(dir.path() / "exact", exact);
  EXPECT_EQ(sha256_file(dir.path() / "exact"), sha256_hex(exact));
}

TEST(Sha256FileErrors, ThrowsLocalIoErrorNamingAMissingFile) {
  TempDir dir;
  const fs::path missing = dir.path() / "gone.tar.zst";
  EXPECT_ERROR((void)sha256_file(missing),
               LocalIoError,
               "cannot read " + missing.string()
                   + " to compute its sha256: No such file or directory");
}

TEST(Sha256FileErrors, ThrowsLocalIoErrorForADirectory) {
  TempDir dir;
  EXPECT_ERROR((void)sha256_file(dir.path()),
               LocalIoError,
               "cannot read " + dir.path().string() + ": Is a directory");
}

} // namespace
} // namespace rockart::util
