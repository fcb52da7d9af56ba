// SPDX-License-Identifier: MIT
// Extract, flatten and bootstrap modes (spec/artifacts.md §7.3–§7.5), checked
// file by file against what GNU tar extracts from the same archive.
#include "archive_test_util.hpp"
#include "support/support.hpp"

#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

namespace rockart::archive {
namespace {

namespace fs = std::filesystem;
using testing::describe;
using testing::k_blas;
using testing::k_core;
using testing::list_tree;
using testing::TreeListing;

ExtractResult extract_file(const fs::path& archive,
                           ExtractMode mode,
                           const fs::path& out,
                           BootstrapRegistry* registry = nullptr) {
  FileSource source(archive);
  ExtractOptions options;
  options.mode = mode;
  options.output_dir = out;
  options.directory_name = "blas_lib_gfx94X-dcgpu";
  options.archive_name = archive.filename().string();
  options.bootstrap = registry;
  return extract(source, options);
}

// What `tar -x` makes of `archive`, in a fresh directory.
fs::path tar_extract(const fs::path& archive, const fs::path& into) {
  fs::create_directories(into);
  const auto r = test::run_process({"tar", "-xf", archive.string(), "-C", into.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return into;
}

class ModesVsTar : public ::testing::TestWithParam<Compression> {
protected:
  fs::path sample() {
    const fs::path path = m_tmp.path() / ("sample" + std::string(archive_extension(GetParam())));
    testing::write_sample(path, GetParam());
    return path;
  }

  test::TempDir m_tmp;
};

TEST_P(ModesVsTar, ExtractModeMatchesTar) {
  const fs::path archive = sample();
  const fs::path out = m_tmp.path() / "out";
  fs::create_directories(out);
  const ExtractResult result = extract_file(archive, ExtractMode::extract, out);
  const TreeListing ours = list_tree(out / "blas_lib_gfx94X-dcgpu");
  const fs::path tar_root = tar_extract(archive, m_tmp.path() / "tar");
  const TreeListing tars = list_tree(tar_root);
  EXPECT_EQ(describe(ours), describe(tars));
  // The artifact's own directory too: 0777 under the umask, as tar's and
  // TheRock's (a private 0700 would lock other users and containers out).
  EXPECT_EQ(fs::status(out / "blas_lib_gfx94X-dcgpu").permissions(),
            fs::status(tar_root).permissions());
  EXPECT_EQ(ours.at(std::string(k_blas) + "/lib/librocblas.so"), "link:librocblas.so.4");
  EXPECT_EQ(ours.at(std::string(k_blas) + "/bin/rocblas-bench-copy").substr(0, 7), "file:73");
  EXPECT_NE(ours.at(std::string(k_blas) + "/bin/rocblas-bench-copy").find(" =math-libs"),
            std::string::npos);
  EXPECT_EQ(result.destination, out / "blas_lib_gfx94X-dcgpu");
  EXPECT_EQ(result.relpaths, (std::vector<std::string>{k_blas, k_core}));
  EXPECT_EQ(result.files, 8U); // 7 regular members + the manifest
  EXPECT_EQ(result.hardlinks, 2U);
  EXPECT_EQ(result.symlinks, 4U);
  EXPECT_EQ(result.directories, 6U);
  // Nothing but the artifact directory: the temp dir is gone.
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 1);
}

TEST_P(ModesVsTar, FlattenModeMatchesTarWithPrefixesStripped) {
  const fs::path archive = sample();
  const fs::path out = m_tmp.path() / "out";
  fs::create_directories(out);
  const ExtractResult result = extract_file(archive, ExtractMode::flatten, out);
  const fs::path tar_root = tar_extract(archive, m_tmp.path() / "tar");
  // §7.4: the content of every relpath merged into D, no manifest.
  TreeListing expected;
  for (const char* relpath : {k_blas, k_core}) {
    for (const auto& [rel, what] : list_tree(tar_root / relpath)) {
      expected[rel] = what;
    }
  }
  EXPECT_EQ(describe(list_tree(out)), describe(expected));
  EXPECT_FALSE(fs::exists(out / "artifact_manifest.txt"));
  EXPECT_EQ(result.destination, out);
  EXPECT_EQ(result.files, 7U);
}

INSTANTIATE_TEST_SUITE_P(Compressions,
                         ModesVsTar,
                         ::testing::Values(Compression::zstd, Compression::xz),
                         [](const auto& p) {
                           return p.param == Compression::zstd ? std::string("zstd")
                                                               : std::string("xz");
                         });

TEST(Extract, ReplacesExistingDirectory) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "a.tar.zst";
  testing::write_sample(archive, Compression::zstd);
  const fs::path dir = tmp.path() / "blas_lib_gfx94X-dcgpu";
  test::write_file(dir / "stale.txt", "old");
  extract_file(archive, ExtractMode::extract, tmp.path());
  EXPECT_FALSE(fs::exists(dir / "stale.txt"));
  EXPECT_TRUE(fs::exists(dir / "artifact_manifest.txt"));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 2);
}

TEST(Extract, FailureKeepsPreviousDirectoryAndLeavesNoTemp) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "a.tar.zst";
  {
    TarWriter w(archive, Compression::zstd);
    w.add_file("artifact_manifest.txt", "pkg/stage\n");
    w.add_file("pkg/stage/good.txt", "good");
    w.add_file("elsewhere/bad.txt", "bad");
    w.finish();
  }
  const fs::path dir = tmp.path() / "blas_lib_gfx94X-dcgpu";
  test::write_file(dir / "previous.txt", "kept");
  EXPECT_ERROR(extract_file(archive, ExtractMode::extract, tmp.path()),
               ArchiveError,
               "archive a.tar.zst: member 'elsewhere/bad.txt': file not in manifest");
  EXPECT_EQ(test::read_file(dir / "previous.txt"), "kept");
  EXPECT_FALSE(fs::exists(dir / "pkg"));
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()), 2);
}

TEST(Extract, RejectsBadDirectoryName) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "a.tar.zst";
  testing::write_sample(archive, Compression::zstd);
  FileSource source(archive);
  ExtractOptions options;
  options.output_dir = tmp.path();
  options.directory_name = "../escape";
  EXPECT_ERROR(extract(source, options), UsageError, "invalid extraction directory name");
}

TEST(Flatten, LaterArchivesOverwriteAndReplaceSymlinks) {
  test::TempDir tmp;
  const fs::path first = tmp.path() / "first.tar.zst";
  const fs::path second = tmp.path() / "second.tar.xz";
  {
    TarWriter w(first, Compression::zstd);
    w.add_file("artifact_manifest.txt", "a/stage\n");
    w.add_file("a/stage/lib/libx.so.1", "one");
    w.add_symlink("a/stage/lib/libx.so", "libx.so.1");
    w.finish();
    TarWriter v(second, Compression::xz);
    v.add_file("artifact_manifest.txt", "b/stage\n");
    v.add_file("b/stage/lib/libx.so.1", "two", 0755);
    v.add_file("b/stage/lib/libx.so", "regular now");
    v.finish();
  }
  const fs::path out = tmp.path() / "out";
  fs::create_directories(out);
  extract_file(first, ExtractMode::flatten, out);
  EXPECT_TRUE(fs::is_symlink(out / "lib/libx.so"));
  const ExtractResult r = extract_file(second, ExtractMode::flatten, out);
  EXPECT_EQ(r.relpaths, std::vector<std::string>{"b/stage"});
  EXPECT_EQ(test::read_file(out / "lib/libx.so.1"), "two");
  EXPECT_FALSE(fs::is_symlink(out / "lib/libx.so"));
  EXPECT_EQ(test::read_file(out / "lib/libx.so"), "regular now");
  EXPECT_NE(fs::status(out / "lib/libx.so.1").permissions() & fs::perms::owner_exec,
            fs::perms::none);
}

TEST(Flatten, TruncatedArchiveLeavesNoPartialFile) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "t.tar.zst";
  {
    TarWriter w(archive, Compression::zstd);
    w.add_file("artifact_manifest.txt", "p/stage\n");
    w.add_file("p/stage/small.txt", "small");
    w.add_file("p/stage/big.bin", testing::pseudo_bytes(4 << 20, 9));
    w.finish();
  }
  fs::resize_file(archive, fs::file_size(archive) / 2);
  const fs::path out = tmp.path() / "out";
  fs::create_directories(out);
  EXPECT_ERROR(extract_file(archive, ExtractMode::flatten, out),
               ArchiveError,
               "archive t.tar.zst: truncated archive: the stream ends while reading member data");
  EXPECT_EQ(test::read_file(out / "small.txt"), "small");
  // Neither the failed file nor its temporary exists.
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 1);
}

TEST(Bootstrap, CleansEachRelpathOnceAndWritesMarker) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "a.tar.zst";
  testing::write_sample(archive, Compression::zstd);
  const fs::path out = tmp.path() / "out";
  test::write_file(out / k_blas / "stale.txt", "stale");
  BootstrapRegistry registry;
  const ExtractResult r = extract_file(archive, ExtractMode::bootstrap, out, &registry);
  EXPECT_EQ(r.relpaths.size(), 2U);
  EXPECT_FALSE(fs::exists(out / k_blas / "stale.txt"));
  EXPECT_TRUE(fs::is_regular_file(out / (std::string(k_blas) + ".prebuilt")));
  EXPECT_TRUE(fs::is_regular_file(out / (std::string(k_core) + ".prebuilt")));
  EXPECT_TRUE(fs::is_symlink(out / k_blas / "lib/librocblas.so"));
  // A second archive with the same relpath in the same fetch does not clean again.
  test::write_file(out / k_blas / "from-other-archive.txt", "x");
  extract_file(archive, ExtractMode::bootstrap, out, &registry);
  EXPECT_TRUE(fs::exists(out / k_blas / "from-other-archive.txt"));
}

TEST(Extract, RefusesUncompressedAndForeignCompression) {
  test::TempDir tmp;
  const fs::path dir = tmp.path() / "src";
  test::write_file(dir / "artifact_manifest.txt", "x\n");
  for (const char* flag : {"-cf", "-czf"}) {
    const fs::path archive = tmp.path() / "plain.tar";
    const auto r = test::run_process(
        {"tar", flag, archive.string(), "-C", dir.string(), "artifact_manifest.txt"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_ERROR(extract_file(archive, ExtractMode::flatten, tmp.path()),
                 ArchiveError,
                 "archive plain.tar: unknown archive format: expected a zstd or xz compressed");
  }
}

TEST(Extract, AReleaseTarballIsAPlainGzipTarOfTheTree) {
  test::TempDir tmp;
  const fs::path dir = tmp.path() / "src";
  test::write_file(dir / "bin/rocminfo", "x\n");
  test::write_file(dir / "lib/libamdhip64.so.7", "so");
  fs::create_symlink("libamdhip64.so.7", dir / "lib/libamdhip64.so");
  const fs::path archive = tmp.path() / "therock-dist-linux-gfx94X-dcgpu-7.15.0a20260722.tar.gz";
  const auto r = test::run_process({"tar", "-czf", archive.string(), "-C", dir.string(), "."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::create_directories(tmp.path() / "out");
  const auto result = extract_file(archive, ExtractMode::tarball, tmp.path() / "out");
  EXPECT_EQ(result.files, 2u);
  EXPECT_EQ(test::read_file(tmp.path() / "out/bin/rocminfo"), "x\n");
  EXPECT_EQ(fs::read_symlink(tmp.path() / "out/lib/libamdhip64.so"), "libamdhip64.so.7");
  // The same bytes under an artifact name are refused: gzip is for release tarballs only.
  fs::copy_file(archive, tmp.path() / "x_lib_generic.tar.zst");
  EXPECT_ERROR(extract_file(tmp.path() / "x_lib_generic.tar.zst", ExtractMode::flatten, tmp.path()),
               ArchiveError,
               "unknown archive format: expected a zstd or xz compressed");
}

TEST(Extract, AReleaseTarballKeepsTheSafetyRules) {
  test::TempDir tmp;
  const fs::path dir = tmp.path() / "src";
  fs::create_directories(dir / "bin");
  fs::create_symlink("../../etc/passwd", dir / "bin/escape");
  const fs::path archive = tmp.path() / "therock-dist-linux-gfx90a-7.15.0.tar.gz";
  const auto r = test::run_process({"tar", "-czf", archive.string(), "-C", dir.string(), "."});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::create_directories(tmp.path() / "out");
  EXPECT_ERROR(
      extract_file(archive, ExtractMode::tarball, tmp.path() / "out"), ArchiveError, "symlink");
}

TEST(Extract, EmptyArchiveHasNoManifest) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "empty.tar.zst";
  TarWriter(archive, Compression::zstd).finish();
  EXPECT_ERROR(extract_file(archive, ExtractMode::flatten, tmp.path()),
               ArchiveError,
               "archive empty.tar.zst: archive must have artifact_manifest.txt as its first "
               "member (archive is empty)");
}

TEST(Extract, EntryLargerThanLimitIsRefused) {
  test::TempDir tmp;
  const fs::path archive = tmp.path() / "big.tar.zst";
  {
    TarWriter w(archive, Compression::zstd);
    w.add_file("artifact_manifest.txt", "s\n");
    w.add_file("s/big", std::string(2048, 'x'));
    w.finish();
  }
  FileSource source(archive);
  ExtractOptions options;
  options.mode = ExtractMode::flatten;
  options.output_dir = tmp.path();
  options.archive_name = "big.tar.zst";
  options.max_entry_bytes = 1024;
  EXPECT_ERROR(extract(source, options),
               ArchiveError,
               "member 's/big': declared size 2048 exceeds the limit of 1024 bytes per member");
}

struct ManifestCase {
  std::string text;
  std::vector<std::string> relpaths;
};

TEST(ParseManifest, SpecLineRules) {
  const std::vector<ManifestCase> cases = {
      {"math-libs/BLAS/rocBLAS/stage\n", {"math-libs/BLAS/rocBLAS/stage"}},
      {"a/stage\r\nb/stage\r\n", {"a/stage", "b/stage"}}, // written on Windows
      {"\n\na/stage\n\n", {"a/stage"}},                   // empty lines ignored
      {"a/stage\nb\na/stage\n", {"a/stage", "b"}},        // repeats kept once, first wins
      {"a/stage/\n", {"a/stage"}},                        // trailing slash
      {"no-newline", {"no-newline"}},
      {"", {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_manifest(c.text), c.relpaths) << c.text;
  }
  EXPECT_ERROR(parse_manifest("a\n/abs\n"), ArchiveError, "relpath is an absolute path: '/abs'");
  EXPECT_ERROR(parse_manifest("a/../b\n"), ArchiveError, "relpath has a '..' path segment");
  EXPECT_ERROR(parse_manifest("./a\n"), ArchiveError, "relpath has a '.' path segment");
  EXPECT_ERROR(parse_manifest("a//b\n"), ArchiveError, "relpath has an empty path segment");
}

} // namespace
} // namespace rockart::archive
