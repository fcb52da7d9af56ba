// SPDX-License-Identifier: MIT
// `rockart latest` (behaviours.md §2) and the baseline fallback of
// `rockart find --fallback-ancestors` (§7, issue 4 item 5) end to end.
#include "find_world.hpp"

namespace rockart::test {
namespace {

using Latest = FindWorld;

TEST_F(Latest, NewestCommitOfTheBranchWithEveryGroup) {
  // main: b2153d4a (in progress, generic only), 9403ff12 (no runs), b21aac86 (gfx94X).
  const auto r = rockart({"latest", "--artifact-group", "gfx94X-dcgpu", "--json", "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["results"][0]["git_commit_sha"], "b21aac868f2550b5cbe93af7c62795737301fa6d");
  EXPECT_EQ(doc["results"][0]["workflow_run_id"], "30964030362");
  EXPECT_NE(r.err.find("[1/12] Checking b2153d4a..."), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("[3/12] Checking b21aac86..."), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  Found all 1 group(s): run(s) 30964030362"), std::string::npos) << r.err;
}

TEST_F(Latest, PartialCoverageDoesNotCount) {
  // b21aac86 has gfx94X-dcgpu but not gfx110X-all; 903ee444 has only gfx110X-all;
  // the retriggered commit between them has gfx110X-all + gfx120X-all only.
  const auto r =
      rockart({"latest", "--artifact-group", "gfx94X-dcgpu", "gfx110X-all", "--max-commits", "12"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("no matching artifacts found for last 12 commits on ROCm/TheRock/main"),
            std::string::npos)
      << r.err;
}

TEST_F(Latest, MaxCommitsLimitsTheSearch) {
  const auto r = rockart({"latest", "--artifact-group", "gfx94X-dcgpu", "--max-commits", "2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("last 2 commits on ROCm/TheRock/main"), std::string::npos) << r.err;
}

TEST_F(Latest, RefIsResolvedAndInspectedAlone) {
  const auto r = rockart(
      {"latest", "--ref", "release/therock-7.10", "--artifact-group", "gfx110X-all", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["results"][0]["git_commit_sha"],
            "903ee444eb935adf456bf5df724e1b6f5c2ce962");
  const auto missing =
      rockart({"latest", "--ref", "therock-7.10.0", "--artifact-group", "gfx94X-dcgpu"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("ref therock-7.10.0"), std::string::npos) << missing.err;
}

TEST_F(Latest, RunIdModeAndSelectorsAreExclusive) {
  const auto r = rockart({"latest",
                          "--run-id",
                          "20083647898",
                          "--workflow",
                          "ci.yml",
                          "--artifact-group",
                          "gfx110X-all",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto none =
      rockart({"latest", "--run-id", "20083647898", "--artifact-group", "gfx94X-dcgpu"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("workflow run 20083647898"), std::string::npos) << none.err;
  EXPECT_EQ(
      rockart({"latest", "--ref", "main", "--run-id", "1", "--artifact-group", "x"}).exit_code, 2);
}

TEST_F(Latest, RocmSystemsBranchSearch) {
  const auto r = rockart({"latest",
                          "--repo",
                          "ROCm/rocm-systems",
                          "--branch",
                          "develop",
                          "--artifact-group",
                          "gfx94X-dcgpu",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["results"][0]["git_commit_sha"],
            "3568e0df02c7f8d203de29b9e175ac87f7da337f");
}

// rocm-systems develop, newest first: ..., 88f4bb19, 0f0504d7, 3568e0df, 2789ea42.
// Only 3568e0df's run has gfx94X-dcgpu artifacts.
TEST_F(Latest, BaselineFallsBackToTheNearestAncestorWithArtifacts) {
  const auto r = rockart({"find",
                          "--repo",
                          "ROCm/rocm-systems",
                          "--commit",
                          "88f4bb19883f04524c32564792bb411a7050b440",
                          "--artifact-group",
                          "gfx94X-dcgpu",
                          "--fallback-ancestors",
                          "3",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["results"][0]["git_commit_sha"],
            "3568e0df02c7f8d203de29b9e175ac87f7da337f");
  EXPECT_NE(r.err.find("fell back from commit 88f4bb19883f04524c32564792bb411a7050b440 to its "
                       "first-parent ancestor 3568e0df02c7f8d203de29b9e175ac87f7da337f (2 "
                       "commit(s) back)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("  0f0504d79dae96269631a21af3636bfe00044894: missing gfx94X-dcgpu (run "
                       "20727117306 (completed/success) at "
                       "s3://therock-ci-artifacts-external/ROCm-rocm-systems/20727117306-linux/: "
                       "gfx94X-dcgpu absent)"),
            std::string::npos)
      << r.err;
}

TEST_F(Latest, BaselineGivesUpAfterNAncestors) {
  const auto r = rockart({"find",
                          "--repo",
                          "ROCm/rocm-systems",
                          "--commit",
                          "88f4bb19883f04524c32564792bb411a7050b440",
                          "--artifact-group",
                          "gfx94X-dcgpu",
                          "--fallback-ancestors",
                          "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("and its 1 first-parent ancestor(s) has artifacts"), std::string::npos)
      << r.err;
}

TEST_F(Latest, BaselineWithoutFallbackNeededCostsOneListing) {
  const auto r = rockart({"find",
                          "--repo",
                          "ROCm/rocm-systems",
                          "--commit",
                          "3568e0df02c7f8d203de29b9e175ac87f7da337f",
                          "--artifact-group",
                          "gfx94X-dcgpu",
                          "--fallback-ancestors",
                          "5",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("fell back"), std::string::npos) << r.err;
}

} // namespace
} // namespace rockart::test
