// SPDX-License-Identifier: MIT
// `--lookup-workflow-run` on the upload commands (buckets.md §5, REQ-01):
// without it no GitHub request at all; with it exactly one GET run whose
// fork flag and updated_at select the bucket; a failed lookup names the run,
// the repository, the run's web URL and the underlying error, and hints
// --run-github-repo. GitHub is tests/fakes/fake_github.py (scenario find).
#include "upload_fixture.hpp"

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

const std::string k_manifest = "therock-manifest_torch_py3.11_release-2.7.json";

class UploadLookupTest : public GithubUploadTest {
protected:
  void SetUp() override {
    GithubUploadTest::SetUp();
    write_file(m_dir.path() / "dist/manifests" / k_manifest, "{}");
  }

  // `upload pytorch-manifest --dry-run` of run `run_id` plus `extra` flags.
  ProcessResult manifest_dry_run(const std::string& run_id,
                                 const std::vector<std::string>& extra,
                                 int expected = 0) {
    std::vector<std::string> args{"upload",
                                  "pytorch-manifest",
                                  "--dist-dir",
                                  "dist",
                                  "--run-id",
                                  run_id,
                                  "--platform",
                                  "linux",
                                  "--amdgpu-family",
                                  "gfx94X-dcgpu",
                                  "--python-version",
                                  "3.11",
                                  "--pytorch-git-ref",
                                  "release/2.7",
                                  "--dry-run"};
    args.insert(args.end(), extra.begin(), extra.end());
    return rockart(args, expected);
  }

  // The dry-run line for the manifest uploaded below `s3://{bucket_and_prefix}`.
  static std::string dry_run_line(const std::string& bucket_and_prefix) {
    return "[DRY RUN] dist/manifests/" + k_manifest + " -> s3://" + bucket_and_prefix
           + "/manifests/gfx94X-dcgpu/" + k_manifest;
  }
};

TEST_F(UploadLookupTest, WithoutTheFlagGithubIsNeverCalled) {
  // 18740768335 is a pre-cutover run: only a lookup could pick the legacy bucket.
  const auto result = manifest_dry_run("18740768335", {});
  EXPECT_NE(result.err.find(dry_run_line("therock-ci-artifacts/18740768335-linux")),
            std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 0) << github_stats();
}

TEST_F(UploadLookupTest, LookupOfAPreCutoverRunSelectsTheLegacyBucketWithOneRequest) {
  const auto result = manifest_dry_run("18740768335", {"--lookup-workflow-run"});
  EXPECT_NE(result.err.find(dry_run_line("therock-artifacts/18740768335-linux")), std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 1) << github_stats();
  EXPECT_NE(github_stats().find("\"GET /repos/ROCm/TheRock/actions/runs/18740768335\": 1"),
            std::string::npos)
      << github_stats();
}

TEST_F(UploadLookupTest, LookupOfAForkRunSelectsTheExternalBucket) {
  // 20384488184: pull request from ScottTodd/TheRock (github-api.md §8.2).
  const auto result = manifest_dry_run("20384488184", {"--lookup-workflow-run"});
  EXPECT_NE(
      result.err.find(dry_run_line("therock-ci-artifacts-external/ROCm-TheRock/20384488184-linux")),
      std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 1) << github_stats();
}

TEST_F(UploadLookupTest, RunGithubRepoSelectsTheRepositoryOfTheRun) {
  // 18020401326: ROCm/rocm-libraries, before the cutover.
  const auto result = manifest_dry_run(
      "18020401326", {"--lookup-workflow-run", "--run-github-repo", "ROCm/rocm-libraries"});
  EXPECT_NE(result.err.find(
                dry_run_line("therock-artifacts-external/ROCm-rocm-libraries/18020401326-linux")),
            std::string::npos)
      << result.err;
  EXPECT_NE(github_stats().find("\"GET /repos/ROCm/rocm-libraries/actions/runs/18020401326\": 1"),
            std::string::npos)
      << github_stats();
}

TEST_F(UploadLookupTest, ABucketOverrideSuppressesTheLookup) {
  const auto result =
      manifest_dry_run("18740768335", {"--lookup-workflow-run", "--bucket", "my-bucket"});
  EXPECT_NE(result.err.find(dry_run_line("my-bucket/18740768335-linux")), std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 0) << github_stats();
}

TEST_F(UploadLookupTest, AFailedLookupNamesRunRepositoryUrlAndHintsRunGithubRepo) {
  const auto result = manifest_dry_run("424242", {"--lookup-workflow-run"}, 2);
  EXPECT_NE(result.err.find("cannot look up workflow run 424242 of ROCm/TheRock "
                            "(https://github.com/ROCm/TheRock/actions/runs/424242): "),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("404"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("hint: if the run belongs to another repository, select it with "
                            "--run-github-repo owner/repo"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 1) << github_stats();
  EXPECT_EQ(object_count(), 0U);
}

TEST_F(UploadLookupTest, ANonNumericRunIdIsAUsageErrorBeforeAnyRequest) {
  const auto result = manifest_dry_run("local", {"--lookup-workflow-run"}, 2);
  EXPECT_NE(result.err.find("--lookup-workflow-run needs a numeric run id, not 'local'"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(github_requests(), 0) << github_stats();
}

} // namespace
} // namespace rockart::test
