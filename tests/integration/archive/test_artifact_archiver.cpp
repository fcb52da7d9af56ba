// SPDX-License-Identifier: MIT
// create_artifact_archive() (spec/artifacts.md §7.1) checked against GNU tar:
// the archive extracts with `tar -x` to the same tree as the artifact
// directory (manifest paths only), the manifest is the first member, links
// and modes survive, and the companion holds the archive's digest.
#include "support/support.hpp"

#include <rockart/archive/artifact_archiver.hpp>
#include <rockart/error.hpp>
#include <rockart/util/hash.hpp>

#include <sys/stat.h>

#include <map>

namespace rockart::archive {
namespace {

namespace fs = std::filesystem;

// `size` bytes that zstd cannot squeeze to nothing (a 64-bit LCG).
std::string varied_bytes(std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t state = 42;
  for (auto& c : out) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    c = static_cast<char>(state >> 56);
  }
  return out;
}

// One tree entry as `tar -x` reproduces it: type, permission bits, content or
// link target.
std::map<std::string, std::string> describe_tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    struct stat info {};

    ::lstat(e.path().c_str(), &info);
    const std::string rel = e.path().lexically_relative(root).generic_string();
    const std::string mode = std::to_string(info.st_mode & 07777);
    if (S_ISLNK(info.st_mode)) {
      out[rel] = "link " + fs::read_symlink(e.path()).string();
    } else if (S_ISDIR(info.st_mode)) {
      out[rel] = "dir";
    } else {
      out[rel] = "file " + mode + " " + test::read_file(e.path());
    }
  }
  return out;
}

class ArtifactArchiverTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_src = m_dir.path() / "blas_lib_gfx942";
    test::write_file(m_src / "artifact_manifest.txt",
                     "math-libs/BLAS/stage\n\nbase/stage\r\nmissing/stage\n");
    test::write_file(m_src / "math-libs/BLAS/stage/lib/librocblas.so.4", varied_bytes(3 << 20));
    fs::permissions(m_src / "math-libs/BLAS/stage/lib/librocblas.so.4", fs::perms(0755));
    fs::create_symlink("librocblas.so.4", m_src / "math-libs/BLAS/stage/lib/librocblas.so");
    fs::create_hard_link(m_src / "math-libs/BLAS/stage/lib/librocblas.so.4",
                         m_src / "math-libs/BLAS/stage/lib/hard.so");
    fs::create_directories(m_src / "math-libs/BLAS/stage/include/empty");
    test::write_file(m_src / "base/stage/share/doc.txt", "doc\n");
    fs::permissions(m_src / "base/stage/share/doc.txt", fs::perms(0600));
    test::write_file(m_src / "math-libs/BLAS/build/not-in-manifest.o", "x");
  }

  // Extracts `archive` with GNU tar into a fresh directory and returns it.
  fs::path tar_extract(const fs::path& archive) {
    const fs::path out = m_dir.path() / ("x-" + archive.filename().string());
    fs::create_directories(out);
    const auto r = test::run_process({"tar", "-xf", archive.string(), "-C", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return out;
  }

  test::TempDir m_dir;
  fs::path m_src;
};

TEST_F(ArtifactArchiverTest, TarExtractsTheSameTreeAndTheCompanionHoldsTheDigest) {
  for (const auto compression : {Compression::zstd, Compression::xz}) {
    const fs::path archive =
        m_dir.path() / ("blas_lib_gfx942" + std::string(archive_extension(compression)));
    const auto summary = create_artifact_archive(m_src, archive, compression);
    const std::string bytes = test::read_file(archive);
    EXPECT_EQ(summary.sha256, util::sha256_hex(bytes));
    EXPECT_EQ(summary.compressed_bytes, bytes.size());
    EXPECT_EQ(summary.files, 3U); // manifest, librocblas.so.4, doc.txt (hard.so is a link)
    EXPECT_EQ(test::read_file(archive.string() + ".sha256sum"), summary.sha256 + "\n");
    const fs::path out = tar_extract(archive);
    auto expected = describe_tree(m_src);
    expected.erase("math-libs/BLAS/build");
    expected.erase("math-libs/BLAS/build/not-in-manifest.o");
    EXPECT_EQ(describe_tree(out), expected);
    EXPECT_TRUE(fs::equivalent(out / "math-libs/BLAS/stage/lib/hard.so",
                               out / "math-libs/BLAS/stage/lib/librocblas.so.4"));
    const auto list = test::run_process({"tar", "-tvf", archive.string()});
    EXPECT_EQ(list.out.substr(0, list.out.find('\n')).substr(list.out.find("artifact_manifest")),
              "artifact_manifest.txt");
    EXPECT_NE(
        list.out.find(
            "math-libs/BLAS/stage/lib/librocblas.so.4 link to math-libs/BLAS/stage/lib/hard.so"),
        std::string::npos)
        << list.out;
  }
}

TEST_F(ArtifactArchiverTest, AnExistingArchiveIsReplaced) {
  const fs::path archive = m_dir.path() / "a.tar.zst";
  test::write_file(archive, std::string(10 << 20, 'x'));
  const auto summary = create_artifact_archive(m_src, archive, Compression::zstd);
  EXPECT_LT(summary.compressed_bytes, std::uint64_t{10} << 20);
  EXPECT_EQ(fs::file_size(archive), summary.compressed_bytes);
}

TEST_F(ArtifactArchiverTest, ADirectoryWithoutManifestIsRefused) {
  fs::remove(m_src / "artifact_manifest.txt");
  EXPECT_ERROR(create_artifact_archive(m_src, m_dir.path() / "a.tar.zst", Compression::zstd),
               ArchiveError,
               "artifact directory " + m_src.string()
                   + " has no artifact_manifest.txt; it is not an exploded artifact");
}

TEST_F(ArtifactArchiverTest, ManifestPathsLeavingTheDirectoryAreRefused) {
  for (const std::string line : {"../outside", "/etc", "a/../../b"}) {
    test::write_file(m_src / "artifact_manifest.txt", line + "\n");
    EXPECT_ERROR(create_artifact_archive(m_src, m_dir.path() / "a.tar.zst", Compression::zstd),
                 ArchiveError,
                 "manifest path '" + line + "' must be relative and without '..'");
  }
}

} // namespace
} // namespace rockart::archive
