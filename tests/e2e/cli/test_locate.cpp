// SPDX-License-Identifier: MIT
// `rockart locate` end to end: the built binary in a controlled environment
// (run_rockart starts it without GITHUB_*/RELEASE_TYPE unless a test sets them).
#include "support/support.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rockart::test {
namespace {

const std::vector<std::string> k_systems_run = {
    "locate", "--repo", "ROCm/rocm-systems", "--run-id", "20723767265", "--platform", "linux"};

std::vector<std::string> with(std::vector<std::string> base, const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

RunOptions env(std::map<std::string, std::string> vars) {
  RunOptions options;
  options.env = std::move(vars);
  return options;
}

TEST(LocateCommand, PrintsAllFormsOfTheIssueExample) {
  const auto r = run_rockart(with(k_systems_run, {"log-dir", "gfx94X-dcgpu"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "relative_path=ROCm-rocm-systems/20723767265-linux/logs/gfx94X-dcgpu\n"
            "s3_uri=s3://therock-ci-artifacts-external/ROCm-rocm-systems/20723767265-linux/logs/"
            "gfx94X-dcgpu\n"
            "https_url=https://therock-ci-artifacts-external.s3.amazonaws.com/ROCm-rocm-systems/"
            "20723767265-linux/logs/gfx94X-dcgpu\n");
  EXPECT_EQ(r.err, "");
}

TEST(LocateCommand, JsonHasEveryKeyAndStagingPath) {
  const auto r = run_rockart(with(k_systems_run,
                                  {"--json",
                                   "--staging-dir",
                                   "/data/staging",
                                   "log-file",
                                   "gfx94X-dcgpu",
                                   "rocBLAS_build.log"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("kind"), "log-file");
  EXPECT_EQ(doc.at("args"), nlohmann::json({"gfx94X-dcgpu", "rocBLAS_build.log"}));
  EXPECT_EQ(doc.at("bucket"), "therock-ci-artifacts-external");
  EXPECT_EQ(doc.at("external_repo"), "ROCm-rocm-systems/");
  EXPECT_EQ(doc.at("run_prefix"), "ROCm-rocm-systems/20723767265-linux");
  const std::string rel = "ROCm-rocm-systems/20723767265-linux/logs/gfx94X-dcgpu/rocBLAS_build.log";
  EXPECT_EQ(doc.at("relative_path"), rel);
  EXPECT_EQ(doc.at("s3_uri"), "s3://therock-ci-artifacts-external/" + rel);
  EXPECT_EQ(doc.at("https_url"), "https://therock-ci-artifacts-external.s3.amazonaws.com/" + rel);
  EXPECT_EQ(doc.at("staging_path"), "/data/staging/" + rel);
}

TEST(LocateCommand, HttpsUrlPercentEncodesPlusButS3UriDoesNot) {
  const auto r = run_rockart(with(
      k_systems_run, {"--json", "tarball", "therock-dist-linux-gfx942-7.12.0.dev0+abc.tar.gz"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("s3_uri"),
            "s3://therock-ci-artifacts-external/ROCm-rocm-systems/20723767265-linux/tarballs/"
            "therock-dist-linux-gfx942-7.12.0.dev0+abc.tar.gz");
  EXPECT_EQ(doc.at("https_url"),
            "https://therock-ci-artifacts-external.s3.amazonaws.com/ROCm-rocm-systems/"
            "20723767265-linux/tarballs/therock-dist-linux-gfx942-7.12.0.dev0%2Babc.tar.gz");
}

TEST(LocateCommand, InvalidArgumentNamesTheInputAndExits2) {
  const auto r = run_rockart(with(k_systems_run, {"log-dir", "../x"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "rockart: error: invalid artifact group '../x': must be a single path segment (no "
            "'/')\n");
}

TEST(LocateCommand, InvalidArgumentAsJsonError) {
  const auto r = run_rockart(with(k_systems_run, {"--json", "test-report-dir", "a/../b"}));
  EXPECT_EQ(r.exit_code, 2);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc.at("status"), "error");
  EXPECT_EQ(doc.at("error").at("kind"), "usage");
  EXPECT_EQ(doc.at("error").at("message"),
            "invalid path segment '..' in 'a/../b': dot segments are not allowed");
}

TEST(LocateCommand, UnknownKindListsValidKinds) {
  const auto r = run_rockart(with(k_systems_run, {"logdir", "gfx94X-dcgpu"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("rockart: error: unknown location kind 'logdir'; valid kinds: run-root, "
                       "artifact, artifact-checksum, "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("log-dir, log-file, "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: run `rockart locate --list`"), std::string::npos) << r.err;
}

TEST(LocateCommand, WrongArgumentCountNamesTheArguments) {
  const auto r = run_rockart(with(k_systems_run, {"stage-log-dir"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("location kind 'stage-log-dir' takes 1 to 2 arguments (stage [family]), "
                       "got 0"),
            std::string::npos)
      << r.err;
}

TEST(LocateCommand, ListShowsEveryKindWithArguments) {
  const auto listed = run_rockart({"locate", "--list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto bare = run_rockart({"locate"});
  EXPECT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_EQ(bare.out, listed.out);

  const auto json = run_rockart({"locate", "--list", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto kinds = nlohmann::json::parse(json.out).at("kinds");
  EXPECT_GE(kinds.size(), 30U);
  for (const auto& kind : kinds) {
    std::string head = "\n  " + kind.at("name").get<std::string>();
    for (const auto& arg : kind.at("args")) {
      const std::string name = arg.at("name");
      head += arg.at("optional").get<bool>() ? " [" + name + "]" : " " + name;
    }
    EXPECT_NE(listed.out.find(head + " "), std::string::npos) << head;
  }
  EXPECT_NE(listed.out.find("\n  stage-log-dir stage [family] "), std::string::npos);
}

TEST(LocateCommand, EnvironmentGivesDefaultsAndFlagsWin) {
  const auto from_env = run_rockart({"locate", "--run-id", "7", "run-root"},
                                    env({{"GITHUB_REPOSITORY", "ROCm/rocm-libraries"}}));
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_NE(
      from_env.out.find("s3_uri=s3://therock-ci-artifacts-external/ROCm-rocm-libraries/7-linux\n"),
      std::string::npos)
      << from_env.out;

  const auto flag_wins =
      run_rockart({"locate", "--run-id", "7", "--release-type", "dev", "run-root"},
                  env({{"GITHUB_REPOSITORY", "ROCm/rocm-libraries"}, {"RELEASE_TYPE", "nightly"}}));
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.err;
  EXPECT_NE(flag_wins.out.find("s3_uri=s3://therock-dev-artifacts/7-linux\n"), std::string::npos)
      << flag_wins.out;

  const auto bad_env =
      run_rockart({"locate", "--run-id", "7", "run-root"}, env({{"RELEASE_TYPE", "bogus"}}));
  EXPECT_EQ(bad_env.exit_code, 2);
  EXPECT_NE(bad_env.err.find("'bogus'"), std::string::npos) << bad_env.err;
}

TEST(LocateCommand, BucketOverrideHasNoExternalRepoAndIgnoresEnvironment) {
  const auto r = run_rockart({"locate",
                              "--repo",
                              "ROCm/rocm-systems",
                              "--bucket",
                              "my-bucket",
                              "--run-id",
                              "9",
                              "--platform",
                              "windows",
                              "artifact",
                              "blas_lib_gfx1151.tar.zst"},
                             env({{"RELEASE_TYPE", "bogus"}}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "relative_path=9-windows/blas_lib_gfx1151.tar.zst\n"
            "s3_uri=s3://my-bucket/9-windows/blas_lib_gfx1151.tar.zst\n"
            "https_url=https://my-bucket.s3.amazonaws.com/9-windows/blas_lib_gfx1151.tar.zst\n");
}

TEST(LocateCommand, LegacyRunFactsSelectThePreCutoverBucket) {
  const auto r =
      run_rockart(with(k_systems_run, {"--run-updated-at", "2025-11-11T16:18:48Z", "run-index"}));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("s3_uri=s3://therock-artifacts-external/ROCm-rocm-systems/"
                       "20723767265-linux/index.html\n"),
            std::string::npos)
      << r.out;
}

TEST(LocateCommand, LocalRootPrintsRelativeAndStagingPathOnly) {
  const auto r = run_rockart({"locate",
                              "--local",
                              "--platform",
                              "linux",
                              "--staging-dir",
                              "/d",
                              "artifact",
                              "core-hip_lib_generic.tar.zst"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "relative_path=local-linux/core-hip_lib_generic.tar.zst\n"
            "staging_path=/d/local-linux/core-hip_lib_generic.tar.zst\n");
}

TEST(LocateCommand, MissingRunIdAndBadPlatformAreUsageErrors) {
  const auto no_id = run_rockart({"locate", "--repo", "ROCm/TheRock", "run-root"});
  EXPECT_EQ(no_id.exit_code, 2);
  EXPECT_NE(no_id.err.find("locate needs --run-id"), std::string::npos) << no_id.err;

  const auto bad_platform = run_rockart(
      {"locate", "--repo", "ROCm/TheRock", "--run-id", "1", "--platform", "Linux", "run-root"});
  EXPECT_EQ(bad_platform.exit_code, 2);
  EXPECT_NE(bad_platform.err.find("invalid platform 'Linux': must be 'linux' or 'windows'"),
            std::string::npos)
      << bad_platform.err;
}

} // namespace
} // namespace rockart::test
