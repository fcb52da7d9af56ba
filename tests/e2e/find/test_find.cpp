// SPDX-License-Identifier: MIT
// `rockart find` commit and run-id modes end to end (behaviours.md §1):
// fake_github.py + moto seeded with artifact names (find_world.hpp).
#include "find_world.hpp"

namespace rockart::test {
namespace {

using Find = FindWorld;

const std::string k_retriggered = "ae313d3d12fdfa54ec34760c06767ed1fd49202e";

nlohmann::json parse_json(const ProcessResult& r) {
  return nlohmann::json::parse(r.out);
}

std::vector<std::string> run_ids(const nlohmann::json& doc) {
  std::vector<std::string> ids;
  for (const auto& result : doc["results"]) {
    ids.push_back(result["artifact_group"].get<std::string>() + "@"
                  + result["workflow_run_id"].get<std::string>());
  }
  return ids;
}

TEST_F(Find, DefaultWorkflowFallsBackToCiYmlForOldTheRockCommits) {
  const auto r = rockart({"find",
                          "--commit",
                          "77f0cb2112d1d0aaae0de6088a6e4337f2488233",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = parse_json(r);
  ASSERT_EQ(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["workflow_run_id"], "20083647898");
  EXPECT_EQ(doc["results"][0]["workflow_file_name"], "ci.yml");
  EXPECT_EQ(doc["results"][0]["s3_path"], "20083647898-linux/");
  const auto stats = github_stats();
  EXPECT_EQ(stats["by_path"].size(), 2u) << stats.dump();
}

TEST_F(Find, WindowsPlatformSelectsTheWindowsPrefix) {
  const auto r = rockart({"find",
                          "--commit",
                          "77f0cb2112d1d0aaae0de6088a6e4337f2488233",
                          "--workflow",
                          "ci.yml",
                          "--artifact-group",
                          "gfx110X-all",
                          "--platform",
                          "windows",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_json(r)["results"][0]["s3_path"], "20083647898-windows/");
}

TEST_F(Find, MultiArchDefaultWorkflow) {
  const auto r = rockart({"find",
                          "--commit",
                          "903ee444eb935adf456bf5df724e1b6f5c2ce962",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = parse_json(r)["results"][0];
  EXPECT_EQ(result["workflow_run_id"], "25267756727");
  EXPECT_EQ(result["workflow_file_name"], "multi_arch_ci.yml");
  EXPECT_EQ(result["s3_bucket"], "therock-ci-artifacts");
}

TEST_F(Find, GroupsAccumulateAcrossRetriggeredRunsNewestWins) {
  // gfx120X-all is in the newest run and the oldest; the newest must win.
  const auto r = rockart({"find",
                          "--commit",
                          k_retriggered,
                          "--artifact-group",
                          "gfx110X-all",
                          "gfx120X-all",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(run_ids(parse_json(r)),
            (std::vector<std::string>{"gfx110X-all@28500000301", "gfx120X-all@28508900123"}));
  EXPECT_EQ(parse_json(r)["results"][0]["workflow_run_attempt"], 3);
}

TEST_F(Find, SingleRunTakesTheOneRunHoldingEveryGroup) {
  const auto r = rockart({"find",
                          "--commit",
                          k_retriggered,
                          "--artifact-group",
                          "gfx120X-all",
                          "gfx110X-all",
                          "--require-single-run",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(run_ids(parse_json(r)),
            (std::vector<std::string>{"gfx120X-all@28500000301", "gfx110X-all@28500000301"}));
  EXPECT_EQ(parse_json(r)["results"][0]["artifact_filenames"],
            nlohmann::json({"miopen_lib_gfx120X-all.tar.zst"}));
}

TEST_F(Find, SuccessfulRunModeIgnoresFailedRuns) {
  const auto r = rockart({"find",
                          "--commit",
                          k_retriggered,
                          "--artifact-group",
                          "gfx110X-all",
                          "--require-successful-run"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no matching artifacts found for commit " + k_retriggered
                       + " (platform linux, artifact groups gfx110X-all)"),
            std::string::npos)
      << r.err;
  const auto ok = rockart({"find",
                           "--commit",
                           k_retriggered,
                           "--artifact-group",
                           "gfx120X-all",
                           "--require-successful-run",
                           "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(run_ids(parse_json(ok)), std::vector<std::string>{"gfx120X-all@28508900123"});
}

TEST_F(Find, GenericOnlyPrefixDoesNotCountAsAFamily) {
  const auto r = rockart({"find",
                          "--commit",
                          "b2153d4a32b0a87f51c3f8bed247d156d63d40a7",
                          "--artifact-group",
                          "gfx94X-dcgpu"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  const auto generic = rockart({"find",
                                "--commit",
                                "b2153d4a32b0a87f51c3f8bed247d156d63d40a7",
                                "--artifact-group",
                                "generic",
                                "--json"});
  ASSERT_EQ(generic.exit_code, 0) << generic.err;
  EXPECT_EQ(parse_json(generic)["results"][0]["workflow_run_status"], "in_progress");
  EXPECT_EQ(parse_json(generic)["results"][0]["workflow_run_conclusion"], nullptr);
}

TEST_F(Find, FamilyExpansionAndExplicitTargets) {
  const std::string sha = "b21aac868f2550b5cbe93af7c62795737301fa6d";
  const auto family =
      rockart({"find", "--commit", sha, "--artifact-group", "gfx94X-dcgpu", "--json"});
  ASSERT_EQ(family.exit_code, 0) << family.err;
  EXPECT_EQ(parse_json(family)["results"][0]["artifact_filenames"],
            nlohmann::json({"amd-llvm_lib_generic.tar.zst", "rccl_lib_gfx942.tar.zst"}));
  const auto custom = rockart({"find", "--commit", sha, "--artifact-group", "my-group"});
  EXPECT_EQ(custom.exit_code, 1);
  const auto target = rockart({"find",
                               "--commit",
                               sha,
                               "--artifact-group",
                               "my-group",
                               "--amdgpu-target",
                               "GFX950",
                               "--json"});
  ASSERT_EQ(target.exit_code, 0) << target.err;
  EXPECT_EQ(parse_json(target)["results"][0]["amdgpu_targets"], nlohmann::json({"GFX950"}));
  EXPECT_EQ(parse_json(target)["results"][0]["artifact_filenames"],
            nlohmann::json({"amd-llvm_lib_generic.tar.zst", "hipblaslt_lib_gfx950.tar.zst"}));
  const auto two =
      rockart({"find", "--commit", sha, "--artifact-group", "a", "b", "--amdgpu-target", "gfx950"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_EQ(two.out, "");
  EXPECT_NE(two.err.find("explicit targets only with one artifact group"), std::string::npos)
      << two.err;
}

TEST_F(Find, RequiredPatterns) {
  const std::string sha = "b21aac868f2550b5cbe93af7c62795737301fa6d";
  const auto ok = rockart({"find",
                           "--commit",
                           sha,
                           "--artifact-group",
                           "gfx94X-dcgpu",
                           "--require-artifact",
                           R"(^rccl_lib_gfx942\.tar\.zst$)",
                           "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(parse_json(ok)["results"][0]["required_artifact_patterns"],
            nlohmann::json({R"(^rccl_lib_gfx942\.tar\.zst$)"}));
  const auto missing = rockart({"find",
                                "--commit",
                                sha,
                                "--artifact-group",
                                "gfx94X-dcgpu",
                                "--require-artifact",
                                "^miopen_"});
  EXPECT_EQ(missing.exit_code, 1);
  const auto bad = rockart({"find",
                            "--commit",
                            sha,
                            "--artifact-group",
                            "gfx94X-dcgpu",
                            "--require-artifact",
                            "(unclosed"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
}

TEST_F(Find, LegacyBucketForAnOldRun) {
  const auto r = rockart({"find",
                          "--commit",
                          "273c1e7a4ec53ea702564d5707b586393e9c8ad1",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = parse_json(r)["results"][0];
  EXPECT_EQ(result["s3_bucket"], "therock-artifacts");
  EXPECT_EQ(result["artifact_filenames"], nlohmann::json({"rocblas_lib_gfx110X-all.tar.xz"}));
}

TEST_F(Find, DeletedLegacyBucketIsAWarningAndNotFound) {
  const auto r = rockart({"find",
                          "--commit",
                          "529d6857bcbc1bcdb0bb3c2b6ea48589a65ebd85",
                          "--workflow",
                          "ci.yml",
                          "--artifact-group",
                          "gfx110X-all"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("legacy bucket therock-artifacts-external of run 18023442478 does not "
                       "exist (legacy buckets may have been deleted by retention)"),
            std::string::npos)
      << r.err;
}

TEST_F(Find, ForkRunUsesTheExternalBucketWithPrefix) {
  const auto r = rockart({"find",
                          "--commit",
                          "62bc1eaa02e6ad1b49a718eed111cf4c9f03593a",
                          "--workflow",
                          "ci.yml",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = parse_json(r)["results"][0];
  EXPECT_EQ(result["workflow_run_id"], "20384488184");
  EXPECT_EQ(result["s3_bucket"], "therock-ci-artifacts-external");
  EXPECT_EQ(result["external_repo"], "ROCm-TheRock/");
  EXPECT_EQ(result["s3_path"], "ROCm-TheRock/20384488184-linux/");
}

TEST_F(Find, RocmSystemsUsesItsDefaultWorkflowAndExternalPrefix) {
  const auto r = rockart({"find",
                          "--commit",
                          "3568e0df02c7f8d203de29b9e175ac87f7da337f",
                          "--repo",
                          "ROCm/rocm-systems",
                          "--artifact-group",
                          "gfx94X-dcgpu",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = parse_json(r)["results"][0];
  EXPECT_EQ(result["workflow_run_id"], "20723767265");
  EXPECT_EQ(result["workflow_file_name"], "therock-ci.yml");
  EXPECT_EQ(result["s3_uri"],
            "s3://therock-ci-artifacts-external/ROCm-rocm-systems/20723767265-linux/");
}

TEST_F(Find, PaginatesOverMoreThanOneHundredRuns) {
  const auto r = rockart({"find",
                          "--commit",
                          "724d39cc8e0923384c9fe7022f60ceeb754ca429",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json",
                          "--stats"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_json(r)["results"][0]["workflow_run_id"], "27600000000");
  // One runs query per page (2 pages), one listing per inspected run (137).
  EXPECT_EQ(github_stats()["total"], 2);
  EXPECT_NE(r.err.find("rockart: stats: github requests: 2, s3 requests: 137"), std::string::npos)
      << r.err;
}

TEST_F(Find, RequestEconomyForACompletedCommit) {
  const auto r = rockart({"find",
                          "--commit",
                          "903ee444eb935adf456bf5df724e1b6f5c2ce962",
                          "--artifact-group",
                          "gfx110X-all",
                          "--stats"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_stats()["total"], 1);
  EXPECT_NE(r.err.find("rockart: stats: github requests: 1, s3 requests: 1"), std::string::npos)
      << r.err;
}

TEST_F(Find, AbbreviatedShaIsResolvedThroughTheApi) {
  const auto r =
      rockart({"find", "--commit", "77f0cb21", "--artifact-group", "gfx110X-all", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(parse_json(r)["results"][0]["git_commit_sha"],
            "77f0cb2112d1d0aaae0de6088a6e4337f2488233");
}

TEST_F(Find, AmbiguousAbbreviationIsAnError) {
  const auto r = rockart({"find", "--commit", "77f0cb2", "--artifact-group", "gfx110X-all"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("commit abbreviation '77f0cb2' is ambiguous in ROCm/TheRock"),
            std::string::npos)
      << r.err;
}

TEST_F(Find, CommitWithoutRunsIsNotFound) {
  const auto r = rockart({"find",
                          "--commit",
                          "9403ff12112673f118de545f218de5c72d3f3942",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
}

TEST_F(Find, RunIdModeWithSuccessfulRunAndPattern) {
  const auto r = rockart({"find",
                          "--run-id",
                          "30964030362",
                          "--artifact-group",
                          "gfx94X-dcgpu",
                          "--require-successful-run",
                          "--require-artifact",
                          R"(^rccl_lib_gfx942\.tar\.zst$)",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = parse_json(r);
  ASSERT_EQ(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["git_commit_sha"], "b21aac868f2550b5cbe93af7c62795737301fa6d");
  EXPECT_EQ(doc["results"][0]["workflow_run_attempt"], 2);
  EXPECT_EQ(github_stats()["total"], 1);
  const auto failed = rockart({"find",
                               "--run-id",
                               "28500000301",
                               "--artifact-group",
                               "gfx110X-all",
                               "--require-successful-run"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("no matching artifacts found for run 28500000301"), std::string::npos)
      << failed.err;
}

TEST_F(Find, CommitAndRunIdAreExclusiveAndOneIsRequired) {
  EXPECT_EQ(rockart({"find", "--artifact-group", "gfx110X-all"}).exit_code, 2);
  EXPECT_EQ(
      rockart({"find", "--commit", "abc", "--run-id", "1", "--artifact-group", "x"}).exit_code, 2);
  EXPECT_EQ(
      rockart({"find", "--commit", "abc", "--repo", "TheRock", "--artifact-group", "x"}).exit_code,
      2);
}

} // namespace
} // namespace rockart::test
