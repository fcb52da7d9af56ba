// SPDX-License-Identifier: MIT
// `rockart find` / `latest` through the run store in the persistent cache
// (issue 6): a completed run's commit is answered with zero GitHub and zero
// S3 requests and the same JSON, an in-progress run is refreshed, --offline
// repeats the online answer and names what is missing on an empty cache.
#include "find_world.hpp"

namespace rockart::test {
namespace {

using FindCache = FindWorld;

const std::string k_completed = "903ee444eb935adf456bf5df724e1b6f5c2ce962";   // run 25267756727
const std::string k_in_progress = "b2153d4a32b0a87f51c3f8bed247d156d63d40a7"; // run 31021500007
const std::string k_ci_yml_only = "77f0cb2112d1d0aaae0de6088a6e4337f2488233"; // run 20083647898

// The S3 request count of a --stats line ("... s3 requests: N").
long s3_requests(const ProcessResult& r) {
  const std::string marker = "s3 requests: ";
  const auto at = r.err.find(marker);
  return at == std::string::npos ? -1 : std::stol(r.err.substr(at + marker.size()));
}

std::vector<std::string> find_args(const std::string& sha, const std::string& group) {
  return {"find", "--commit", sha, "--artifact-group", group, "--json", "--stats"};
}

TEST_F(FindCache, SecondFindOfACompletedRunMakesNoRequestsAndPrintsTheSameJson) {
  const auto first = rockart(find_args(k_completed, "gfx110X-all"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(github_stats()["total"], 1);
  EXPECT_EQ(s3_requests(first), 1);
  const auto second = rockart(find_args(k_completed, "gfx110X-all"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(github_stats()["total"], 1) << "served from the run store";
  EXPECT_EQ(s3_requests(second), 0) << "the completed run's listing is cached";
  EXPECT_EQ(second.out, first.out);
}

TEST_F(FindCache, InProgressRunIsRefreshed) {
  const auto first = rockart(find_args(k_in_progress, "generic"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const long after_first = github_stats()["total"].get<long>();
  const auto second = rockart(find_args(k_in_progress, "generic"));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(github_stats()["total"].get<long>(), after_first + 1) << "runs asked again";
  EXPECT_EQ(s3_requests(second), 1) << "an in-progress run's listing may grow";
  EXPECT_EQ(second.out, first.out);
}

TEST_F(FindCache, OfflineRepeatsTheOnlineAnswer) {
  // Default workflow of ROCm/TheRock: multi_arch_ci.yml has no runs, ci.yml has one.
  const auto online = rockart(find_args(k_ci_yml_only, "gfx110X-all"));
  ASSERT_EQ(online.exit_code, 0) << online.err;
  const long requests = github_stats()["total"].get<long>();
  auto args = find_args(k_ci_yml_only, "gfx110X-all");
  args.push_back("--offline");
  const auto offline = rockart(args);
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_EQ(offline.out, online.out);
  EXPECT_EQ(github_stats()["total"].get<long>(), requests);
  EXPECT_NE(offline.err.find("github requests: 0, s3 requests: 0"), std::string::npos)
      << offline.err;
  // An in-progress run is served offline too, with a warning that it may be stale.
  ASSERT_EQ(rockart(find_args(k_in_progress, "generic")).exit_code, 0);
  args = find_args(k_in_progress, "generic");
  args.push_back("--offline");
  const auto stale = rockart(args);
  ASSERT_EQ(stale.exit_code, 0) << stale.err;
  EXPECT_NE(stale.err.find("were in progress when cached; the answer may be stale"),
            std::string::npos)
      << stale.err;
}

TEST_F(FindCache, OfflineRunIdModeAfterAnOnlineOne) {
  const std::vector<std::string> args = {"find",
                                         "--run-id",
                                         "20083647898",
                                         "--workflow",
                                         "ci.yml",
                                         "--artifact-group",
                                         "gfx110X-all",
                                         "--json"};
  const auto online = rockart(args);
  ASSERT_EQ(online.exit_code, 0) << online.err;
  auto offline_args = args;
  offline_args.push_back("--offline");
  const auto offline = rockart(offline_args);
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_EQ(offline.out, online.out);
  // latest --run-id shares the store.
  const auto latest = rockart({"latest",
                               "--run-id",
                               "20083647898",
                               "--workflow",
                               "ci.yml",
                               "--artifact-group",
                               "gfx110X-all",
                               "--json",
                               "--offline"});
  ASSERT_EQ(latest.exit_code, 0) << latest.err;
  EXPECT_EQ(latest.out, online.out);
  EXPECT_EQ(github_stats()["total"], 1);
}

TEST_F(FindCache, OfflineWithAnEmptyCacheNamesTheMissingCommit) {
  auto args = find_args(k_ci_yml_only, "gfx110X-all");
  args.push_back("--offline");
  const auto r = rockart(args);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("offline: no cached runs of multi_arch_ci.yml, ci.yml for commit "
                       + k_ci_yml_only + " of ROCm/TheRock"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("run the same command once without --offline"), std::string::npos) << r.err;
  const auto run =
      rockart({"find", "--run-id", "20083647898", "--artifact-group", "gfx110X-all", "--offline"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.err.find("offline: no cached run 20083647898 of ROCm/TheRock"), std::string::npos)
      << run.err;
  EXPECT_EQ(github_stats()["total"], 0);
}

TEST_F(FindCache, OfflineQuestionsOnlyGitHubCanAnswerAreUsageErrors) {
  const auto abbreviated =
      rockart({"find", "--commit", "77f0cb21", "--artifact-group", "gfx110X-all", "--offline"});
  EXPECT_EQ(abbreviated.exit_code, 2) << abbreviated.err;
  EXPECT_NE(abbreviated.err.find("offline: this needs GitHub (GET "), std::string::npos)
      << abbreviated.err;
  const auto branch = rockart({"latest", "--artifact-group", "gfx110X-all", "--offline"});
  EXPECT_EQ(branch.exit_code, 2) << branch.err;
  EXPECT_NE(branch.err.find("which --offline forbids"), std::string::npos) << branch.err;
  EXPECT_EQ(github_stats()["total"], 0);
  const auto no_cache = rockart({"find",
                                 "--commit",
                                 k_ci_yml_only,
                                 "--artifact-group",
                                 "gfx110X-all",
                                 "--offline",
                                 "--no-cache"});
  EXPECT_EQ(no_cache.exit_code, 2);
  EXPECT_NE(no_cache.err.find("--offline needs the cache; drop --no-cache"), std::string::npos)
      << no_cache.err;
}

TEST_F(FindCache, NoCacheAlwaysAsksGitHub) {
  auto args = find_args(k_completed, "gfx110X-all");
  args.push_back("--no-cache");
  ASSERT_EQ(rockart(args).exit_code, 0);
  ASSERT_EQ(rockart(args).exit_code, 0);
  EXPECT_EQ(github_stats()["total"], 2);
}

} // namespace
} // namespace rockart::test
