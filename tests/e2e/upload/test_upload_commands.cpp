// SPDX-License-Identifier: MIT
// The upload commands end to end: `rockart` against moto, key by key against
// spec/layout.md, with --output-dir producing the very same tree locally,
// --dry-run writing nothing, the aws CLI reading objects back byte-identical,
// and `copy` between two runs (including a missing companion).
#include "upload_fixture.hpp"

#include <algorithm>
#include <set>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

const std::string& k_bucket = k_upload_bucket;

// A single-stage build tree (behaviours.md §6.2 inputs).
fs::path make_build_tree(const fs::path& dir) {
  const fs::path b = dir / "build";
  write_file(b / "artifacts/blas_lib_gfx94X-dcgpu.tar.zst", test_bytes(300000, 1));
  write_file(b / "artifacts/blas_lib_gfx94X-dcgpu.tar.xz", test_bytes(1000, 2));
  write_file(b / "artifacts/blas_lib_gfx94X-dcgpu.tar.xz.sha256sum", "0  x\n");
  write_file(b / "artifacts/README.txt", "not an archive");
  write_file(b / "logs/rocBLAS_build.log", "built");
  write_file(b / "logs/sub/deep.log", "deep");
  write_file(b / "logs/ccache/ccache.log", "ccache");
  write_file(b / "logs/therock-build-prof/comp-summary.html", "<p>");
  write_file(b / "logs/therock-build-prof/comp-summary.md", "# s");
  write_file(b / "base/aux-overlay/build/therock_manifest.json", "{}");
  write_file(b / "compiler/amd-llvm/build/.ninja_log", "# ninja log v5");
  write_file(dir / "secret.txt", "secret");
  fs::create_symlink(dir / "secret.txt", b / "logs/leak.log");
  return b;
}

// No archives: `push` uploads those.
const std::set<std::string> k_build_keys{
    "logs/gfx94X-dcgpu/ccache_logs.tar.zst",
    "logs/gfx94X-dcgpu/comp-summary.html",
    "logs/gfx94X-dcgpu/comp-summary.md",
    "logs/gfx94X-dcgpu/ninja_logs.tar.gz",
    "logs/gfx94X-dcgpu/rocBLAS_build.log",
    "logs/gfx94X-dcgpu/sub/deep.log",
    "logs/gfx94X-dcgpu/therock-build-prof/comp-summary.html",
    "logs/gfx94X-dcgpu/therock-build-prof/comp-summary.md",
    "manifests/gfx94X-dcgpu/therock_manifest.json",
};

TEST_F(UploadCommandTest, UploadBuildKeysMatchTheLayoutOnS3AndLocally) {
  make_build_tree(m_dir.path());
  const std::vector<std::string> args{"upload",
                                      "build",
                                      "--artifact-group",
                                      "gfx94X-dcgpu",
                                      "--build-dir",
                                      "build",
                                      "--run-id",
                                      m_run,
                                      "--upload"};
  const auto result = rockart(args);
  EXPECT_EQ(s3_keys(m_run), k_build_keys);
  EXPECT_NE(result.err.find("skipping symlink"), std::string::npos) << result.err;
  const std::string p = m_run + "-linux/";
  EXPECT_EQ(client().head(k_bucket, p + "logs/gfx94X-dcgpu/rocBLAS_build.log")->content_type,
            "text/plain");
  EXPECT_EQ(client().head(k_bucket, p + "logs/gfx94X-dcgpu/ninja_logs.tar.gz")->content_type,
            "application/gzip");
  EXPECT_EQ(
      client().head(k_bucket, p + "manifests/gfx94X-dcgpu/therock_manifest.json")->content_type,
      "application/json");
  auto local = args;
  local.insert(local.end(), {"--output-dir", "staging"});
  rockart(local);
  EXPECT_EQ(local_keys(m_dir.path() / "staging", m_run), k_build_keys);
}

TEST_F(UploadCommandTest, WithoutUploadOnlyTheLogArchivesAreMade) {
  make_build_tree(m_dir.path());
  const auto result = rockart({"upload",
                               "build",
                               "--artifact-group",
                               "gfx94X-dcgpu",
                               "--build-dir",
                               "build",
                               "--run-id",
                               m_run,
                               "--output-dir",
                               "staging"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(m_dir.path() / "build/logs/ninja_logs.tar.gz"));
  EXPECT_TRUE(fs::exists(m_dir.path() / "build/logs/ccache_logs.tar.zst"));
  EXPECT_FALSE(fs::exists(m_dir.path() / "staging"));
  EXPECT_EQ(s3_keys(m_run), std::set<std::string>{});
  EXPECT_NE(result.err.find("log archives only"), std::string::npos) << result.err;
}

TEST_F(UploadCommandTest, DryRunWritesNothing) {
  make_build_tree(m_dir.path());
  const auto before = client().list(k_bucket, "").size();
  const auto result = rockart({"upload",
                               "build",
                               "--artifact-group",
                               "g",
                               "--build-dir",
                               "build",
                               "--run-id",
                               m_run,
                               "--dry-run"});
  EXPECT_EQ(client().list(k_bucket, "").size(), before);
  EXPECT_NE(result.err.find("[DRY RUN] build/logs/rocBLAS_build.log -> s3://" + k_bucket + "/"
                            + m_run + "-linux/logs/g/rocBLAS_build.log (text/plain)"),
            std::string::npos)
      << result.err;
  rockart({"upload",
           "build",
           "--artifact-group",
           "g",
           "--build-dir",
           "build",
           "--run-id",
           m_run,
           "--dry-run",
           "--output-dir",
           "staging"});
  EXPECT_FALSE(fs::exists(m_dir.path() / "staging"));
  EXPECT_FALSE(fs::exists(m_dir.path() / "build/logs/ninja_logs.tar.gz"));
}

TEST_F(UploadCommandTest, PushedArchivesReadBackByteIdenticalWithTheAwsCli) {
  const fs::path b = m_dir.path() / "build";
  const std::string data = test_bytes(9 << 20, 7);
  write_file(b / "artifacts/base_lib_generic.tar.zst", data);
  write_file(m_dir.path() / "BUILD_TOPOLOGY.toml",
             "[build_stages.s]\nartifact_groups = [\"g\"]\n[artifact_groups.g]\n"
             "[artifacts.base]\nartifact_group = \"g\"\n");
  rockart({"push", "--stage", "all", "--build-dir", "build", "--run-id", m_run});
  // artifacts.md §2: a pre-compressed archive without companion goes up alone.
  EXPECT_EQ(s3_keys(m_run), (std::set<std::string>{"base_lib_generic.tar.zst"}));
  auto options = env();
  options.inherit_env = false;
  const auto aws =
      run_process({"aws",
                   "--endpoint-url",
                   s_moto->url(),
                   "s3",
                   "cp",
                   "s3://" + k_bucket + "/" + m_run + "-linux/base_lib_generic.tar.zst",
                   (m_dir.path() / "back.tar.zst").string()},
                  options);
  if (aws.exit_code == 127) {
    GTEST_SKIP() << "aws CLI not installed";
  }
  ASSERT_EQ(aws.exit_code, 0) << aws.err;
  EXPECT_EQ(read_file(m_dir.path() / "back.tar.zst"), data);
}

TEST_F(UploadCommandTest, CopyBetweenRunsNotesAMissingCompanion) {
  const std::string src = m_run + "-linux/";
  client().put(k_bucket, src + "blas_lib_generic.tar.zst", "a");
  client().put(k_bucket, src + "blas_lib_generic.tar.zst.sha256sum", "sum");
  client().put(k_bucket, src + "blas_dev_gfx94X-dcgpu.tar.zst", "b");
  client().put(k_bucket, src + "fft_lib_generic.tar.zst", "not selected");
  const std::string dest_run = m_run + "0";
  const auto result = rockart({"copy",
                               "--source-run-id",
                               m_run,
                               "--source-bucket", // no GitHub lookup (test_push_stage.cpp)
                               k_bucket,
                               "--run-id",
                               dest_run,
                               "--platform",
                               "linux",
                               "--artifacts",
                               "blas",
                               "--amdgpu-families",
                               "gfx94X-dcgpu"});
  EXPECT_EQ(s3_keys(dest_run),
            (std::set<std::string>{"blas_dev_gfx94X-dcgpu.tar.zst",
                                   "blas_lib_generic.tar.zst",
                                   "blas_lib_generic.tar.zst.sha256sum"}));
  EXPECT_EQ(result.out, "Copied 2/2 artifacts\n");
  EXPECT_NE(result.err.find("warn: no companion blas_dev_gfx94X-dcgpu.tar.zst.sha256sum in the "
                            "source; copied blas_dev_gfx94X-dcgpu.tar.zst alone"),
            std::string::npos)
      << result.err;
}

TEST_F(UploadCommandTest, IndexWritesPagesForDirectoriesWithFiles) {
  const std::string p = m_run + "-linux/";
  client().put(k_bucket, p + "a.tar.zst", "a");
  client().put(k_bucket, p + "logs/g/build.log", "b");
  rockart({"index", "--run-id", m_run, "--platform", "linux"});
  EXPECT_EQ(
      s3_keys(m_run),
      (std::set<std::string>{"a.tar.zst", "index.html", "logs/g/build.log", "logs/g/index.html"}));
  EXPECT_EQ(client().head(k_bucket, p + "index.html")->content_type, "text/html");
}

} // namespace
} // namespace rockart::test
