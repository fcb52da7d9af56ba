// SPDX-License-Identifier: MIT
// `rockart push --stage` and `rockart copy --stage` against moto (behaviours.md
// §4, §5): stage selection from BUILD_TOPOLOGY.toml (found in the working
// directory), exploded artifact directories compressed and round-tripped
// through GNU tar, companions key by key, unknown stages, and the copy
// source's single GitHub lookup counted on tests/fakes/fake_github.py.
#include "support/topology_fixture.hpp"
#include "upload_fixture.hpp"

#include <rockart/util/hash.hpp>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

const std::string k_available = "available stages: compiler-runtime, wsl-rocdxg, runtime-tests, "
                                "math-libs, comm-libs, storage-libs, cv-libs, media-libs, "
                                "debug-tools, profiler-apps, dctools-core";

class PushStageTest : public UploadCommandTest {
protected:
  void SetUp() override {
    UploadCommandTest::SetUp();
    write_file(m_dir.path() / "BUILD_TOPOLOGY.toml", std::string(k_spec_topology_toml));
    const fs::path a = m_dir.path() / "build/artifacts";
    // comm-libs: one archive with companion, one without, one exploded directory.
    write_file(a / "rccl_lib_gfx942.tar.zst", test_bytes(200000, 1));
    write_file(a / "rccl_lib_gfx942.tar.zst.sha256sum",
               util::sha256_hex(test_bytes(200000, 1)) + "\n");
    write_file(a / "rccl_dev_generic.tar.xz", test_bytes(1000, 2));
    write_file(a / "rocshmem_lib_generic/artifact_manifest.txt", "comm-libs/rocshmem/stage\n");
    write_file(a / "rocshmem_lib_generic/comm-libs/rocshmem/stage/lib/librocshmem.so",
               test_bytes(300000, 3));
    fs::create_symlink("librocshmem.so",
                       a / "rocshmem_lib_generic/comm-libs/rocshmem/stage/lib/librocshmem.so.1");
    // Other stages and things that are no artifact at all.
    write_file(a / "blas_lib_gfx942.tar.zst", test_bytes(1000, 4));
    write_file(a / "base_lib_generic/artifact_manifest.txt", "base/stage\n");
    write_file(a / "base_lib_generic/base/stage/bin/rocm-core", "core");
    write_file(a / "nottopology_lib_generic.tar.zst", "x");
    write_file(a / "README.txt", "x");
  }

  std::vector<std::string> push(const std::string& stage) const {
    return {"push", "--stage", stage, "--build-dir", "build", "--run-id", m_run};
  }
};

TEST_F(PushStageTest, PushStageUploadsExactlyThatStagesArchivesAndCompanions) {
  expect_uploads(push("comm-libs"),
                 {"rccl_dev_generic.tar.xz",
                  "rccl_lib_gfx942.tar.zst",
                  "rccl_lib_gfx942.tar.zst.sha256sum",
                  "rocshmem_lib_generic.tar.zst",
                  "rocshmem_lib_generic.tar.zst.sha256sum"});
  EXPECT_EQ(content_type("rocshmem_lib_generic.tar.zst"), "application/zstd");
  EXPECT_EQ(content_type("rccl_dev_generic.tar.xz"), "application/x-xz");
  EXPECT_FALSE(fs::exists(m_dir.path() / "build/.upload_cache"));
}

TEST_F(PushStageTest, ACompressedDirectoryExtractsWithTarToTheSameTree) {
  rockart(push("comm-libs"));
  const fs::path back = m_dir.path() / "back.tar.zst";
  client().download(k_upload_bucket, m_run + "-linux/rocshmem_lib_generic.tar.zst", back);
  std::string companion;
  client().get(k_upload_bucket,
               m_run + "-linux/rocshmem_lib_generic.tar.zst.sha256sum",
               [&](std::string_view chunk) { companion += chunk; });
  EXPECT_EQ(companion, util::sha256_hex(read_file(back)) + "\n");
  fs::create_directories(m_dir.path() / "x");
  const auto tar = run_process({"tar", "-xf", back.string(), "-C", (m_dir.path() / "x").string()});
  ASSERT_EQ(tar.exit_code, 0) << tar.err;
  const fs::path src = m_dir.path() / "build/artifacts/rocshmem_lib_generic";
  const std::string lib = "comm-libs/rocshmem/stage/lib/librocshmem.so";
  EXPECT_EQ(read_file(m_dir.path() / "x" / lib), read_file(src / lib));
  EXPECT_EQ(read_file(m_dir.path() / "x/artifact_manifest.txt"), "comm-libs/rocshmem/stage\n");
  EXPECT_EQ(fs::read_symlink(m_dir.path() / "x" / (lib + ".1")), "librocshmem.so");
}

TEST_F(PushStageTest, StageAllPushesEveryStagesArtifactsButNoUnknownNames) {
  rockart(push("all"));
  EXPECT_EQ(s3_keys(m_run),
            (std::set<std::string>{"base_lib_generic.tar.zst",
                                   "base_lib_generic.tar.zst.sha256sum",
                                   "blas_lib_gfx942.tar.zst",
                                   "rccl_dev_generic.tar.xz",
                                   "rccl_lib_gfx942.tar.zst",
                                   "rccl_lib_gfx942.tar.zst.sha256sum",
                                   "rocshmem_lib_generic.tar.zst",
                                   "rocshmem_lib_generic.tar.zst.sha256sum"}));
}

TEST_F(PushStageTest, XzCompressionNamesTheArchiveTarXz) {
  auto args = push("compiler-runtime");
  args.insert(args.end(), {"--compression-type", "xz"});
  rockart(args);
  EXPECT_EQ(
      s3_keys(m_run),
      (std::set<std::string>{"base_lib_generic.tar.xz", "base_lib_generic.tar.xz.sha256sum"}));
}

TEST_F(PushStageTest, AMismatchingCompanionIsWarnedAboutAndBothFilesGoUp) {
  const std::string wrong(64, 'a');
  write_file(m_dir.path() / "build/artifacts/rccl_lib_gfx942.tar.zst.sha256sum", wrong + "\n");
  const auto result = rockart(push("comm-libs"));
  EXPECT_NE(result.err.find("warn: sha256 mismatch for rccl_lib_gfx942.tar.zst: computed "
                            + util::sha256_hex(test_bytes(200000, 1))
                            + ", rccl_lib_gfx942.tar.zst.sha256sum says " + wrong),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(s3_keys(m_run).contains("rccl_lib_gfx942.tar.zst.sha256sum"));
  EXPECT_EQ(result.out, "Pushed 3/3 artifacts\n");
}

TEST_F(PushStageTest, AnUnknownStageFailsNamingTheKnownStages) {
  const auto result = rockart(push("mathlibs"), 1);
  EXPECT_NE(result.err.find("Stage 'mathlibs' not found; " + k_available), std::string::npos)
      << result.err;
  EXPECT_EQ(s3_keys(m_run).size(), 0U);
}

TEST_F(PushStageTest, AMissingTopologyNamesTheDirectoryAndHintsTopology) {
  fs::remove(m_dir.path() / "BUILD_TOPOLOGY.toml");
  auto args = push("comm-libs");
  args.insert(args.end(), {"--topology", "nope.toml"});
  const auto result = rockart(args, 2);
  EXPECT_NE(result.err.find("cannot read topology file nope.toml"), std::string::npos)
      << result.err;
}

TEST_F(PushStageTest, ADamagedArtifactDirectoryFailsThePushButTheRestGoesUp) {
  fs::remove(m_dir.path() / "build/artifacts/rocshmem_lib_generic/artifact_manifest.txt");
  const auto result = rockart(push("comm-libs"), 1);
  EXPECT_NE(result.err.find("has no artifact_manifest.txt; it is not an exploded artifact"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "Pushed 2/3 artifacts\n");
  EXPECT_EQ(s3_keys(m_run),
            (std::set<std::string>{"rccl_dev_generic.tar.xz",
                                   "rccl_lib_gfx942.tar.zst",
                                   "rccl_lib_gfx942.tar.zst.sha256sum"}));
}

// `copy` with fake GitHub: the source run is looked up once, always.
class CopyStageTest : public GithubUploadTest {
protected:
  void SetUp() override {
    GithubUploadTest::SetUp();
    write_file(m_dir.path() / "BUILD_TOPOLOGY.toml", std::string(k_spec_topology_toml));
  }
};

TEST_F(CopyStageTest, TheSourceRunIsLookedUpOnceAndTheStagesArtifactsAreCopied) {
  // 30964030362: a ROCm/TheRock push run after the cutover (therock-ci-artifacts).
  const std::string src = "30964030362-linux/";
  client().put(k_upload_bucket, src + "rccl_lib_gfx942.tar.zst", "a");
  client().put(k_upload_bucket, src + "rccl_lib_gfx942.tar.zst.sha256sum", "s");
  client().put(k_upload_bucket, src + "rocshmem_lib_generic.tar.zst", "b");
  client().put(k_upload_bucket, src + "blas_lib_generic.tar.zst", "math-libs: not copied");
  const auto result = rockart({"copy",
                               "--source-run-id",
                               "30964030362",
                               "--run-id",
                               m_run,
                               "--platform",
                               "linux",
                               "--stage",
                               "comm-libs",
                               "--amdgpu-targets",
                               "gfx942"});
  EXPECT_EQ(result.out, "Copied 2/2 artifacts\n");
  EXPECT_EQ(s3_keys(m_run),
            (std::set<std::string>{"rccl_lib_gfx942.tar.zst",
                                   "rccl_lib_gfx942.tar.zst.sha256sum",
                                   "rocshmem_lib_generic.tar.zst"}));
  EXPECT_EQ(github_requests(), 1) << github_stats();
  EXPECT_NE(github_stats().find("\"GET /repos/ROCm/TheRock/actions/runs/30964030362\": 1"),
            std::string::npos)
      << github_stats();
}

TEST_F(CopyStageTest, AFamilyCopiesItsTargetsArchivesUnlessTheLiteralSetIsAsked) {
  const std::string src = "30964030362-linux/";
  client().put(k_upload_bucket, src + "rccl_lib_gfx942.tar.zst", "a");
  client().put(k_upload_bucket, src + "rccl_lib_gfx1100.tar.zst", "other family");
  client().put(k_upload_bucket, src + "rocshmem_lib_generic.tar.zst", "b");
  const std::vector<std::string> args = {"copy",
                                         "--source-run-id",
                                         "30964030362",
                                         "--run-id",
                                         m_run,
                                         "--platform",
                                         "linux",
                                         "--stage",
                                         "comm-libs",
                                         "--amdgpu-families",
                                         "gfx94x-dcgpu",
                                         "--dry-run"};
  auto result = rockart(args);
  EXPECT_EQ(result.out,
            "would copy 2 artifacts\n  rccl_lib_gfx942.tar.zst\n  rocshmem_lib_generic.tar.zst\n");
  auto literal = args;
  literal.push_back("--no-expand-family");
  result = rockart(literal);
  EXPECT_EQ(result.out, "would copy 1 artifacts\n  rocshmem_lib_generic.tar.zst\n");
}

TEST_F(CopyStageTest, APreCutoverSourceIsReadFromTheLegacyBucketFoundByTheLookup) {
  // 18740768335 (2025-10) predates the cutover: only the lookup can tell.
  client().create_bucket("therock-artifacts");
  client().put("therock-artifacts", "18740768335-linux/rccl_lib_generic.tar.zst", "old");
  const auto result = rockart({"copy",
                               "--source-run-id",
                               "18740768335",
                               "--run-id",
                               m_run,
                               "--platform",
                               "linux",
                               "--stage",
                               "comm-libs",
                               "--dry-run"});
  EXPECT_NE(result.err.find("Source: s3://therock-artifacts/18740768335-linux"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.out, "would copy 1 artifacts\n  rccl_lib_generic.tar.zst\n");
  EXPECT_EQ(github_requests(), 1) << github_stats();
}

TEST_F(CopyStageTest, ASourceBucketOverrideSkipsTheLookup) {
  client().put(k_upload_bucket, "25267756727-linux/rpp_lib_generic.tar.zst", "r");
  const auto result = rockart({"copy",
                               "--source-run-id",
                               "25267756727",
                               "--source-bucket",
                               k_upload_bucket,
                               "--run-id",
                               m_run,
                               "--platform",
                               "linux",
                               "--stage",
                               "cv-libs"});
  EXPECT_EQ(result.out, "Copied 1/1 artifacts\n");
  EXPECT_EQ(github_requests(), 0) << github_stats();
}

TEST_F(CopyStageTest, ALocalStagingTreeCopiesBetweenItsRunsWithoutGitHubOrS3) {
  const fs::path src = m_dir.path() / "staging/30964030362-linux";
  write_file(src / "rccl_lib_gfx942.tar.zst", "a");
  write_file(src / "rccl_lib_gfx942.tar.zst.sha256sum", "s");
  write_file(src / "rocshmem_lib_generic.tar.zst", "b");
  write_file(src / "blas_lib_generic.tar.zst", "math-libs: not copied");
  const auto before = client().list(k_upload_bucket, "").size();
  const auto result = rockart({"copy",
                               "--source-run-id",
                               "30964030362",
                               "--run-id",
                               m_run,
                               "--platform",
                               "linux",
                               "--stage",
                               "comm-libs",
                               "--amdgpu-targets",
                               "gfx942",
                               "--local-staging-dir",
                               "staging"});
  EXPECT_EQ(result.out, "Copied 2/2 artifacts\n");
  EXPECT_EQ(local_keys(m_dir.path() / "staging", m_run),
            (std::set<std::string>{"rccl_lib_gfx942.tar.zst",
                                   "rccl_lib_gfx942.tar.zst.sha256sum",
                                   "rocshmem_lib_generic.tar.zst"}));
  EXPECT_EQ(read_file(m_dir.path() / "staging" / (m_run + "-linux/rocshmem_lib_generic.tar.zst")),
            "b");
  EXPECT_EQ(github_requests(), 0) << github_stats();
  EXPECT_EQ(client().list(k_upload_bucket, "").size(), before);
}

TEST_F(CopyStageTest, AnUnknownStageFailsBeforeAnyRequest) {
  const auto result = rockart(
      {"copy", "--source-run-id", "30964030362", "--run-id", m_run, "--stage", "cv-libs,nope"}, 1);
  EXPECT_NE(result.err.find("Stage 'nope' not found; " + k_available), std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 0) << github_stats();
}

} // namespace
} // namespace rockart::test
