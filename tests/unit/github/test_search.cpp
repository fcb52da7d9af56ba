// SPDX-License-Identifier: MIT
// Commit resolution (github-api.md §6) with an injected git runner and a
// scripted GitHub transport, and the remote-URL check of the local clone.
#include "github_test_util.hpp"
#include "support/support.hpp"

#include <rockart/github/search.hpp>

#include <gtest/gtest.h>

namespace rockart::github {
namespace {

const std::string k_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";

struct Git {
  std::string remotes = "remote.origin.url https://github.com/ROCm/TheRock.git\n";
  CommandResult rev_parse{true, 0, k_sha + "\n", ""};
  std::vector<std::vector<std::string>> calls;

  CommandRunner runner() {
    return [this](const std::vector<std::string>& argv) {
      calls.push_back(argv);
      if (argv[1] == "config") {
        return CommandResult{true, remotes.empty() ? 1 : 0, remotes, ""};
      }
      return rev_parse;
    };
  }
};

struct Api {
  test::ScriptedTransport transport;
  test::RecordingSleeper sleeper;
  Client client{transport, sleeper, ClientOptions{}};
};

TEST(RemoteUrl, MatchesHttpsSshAndScpForms) {
  EXPECT_TRUE(remote_url_matches("https://github.com/ROCm/TheRock.git", "ROCm/TheRock"));
  EXPECT_TRUE(remote_url_matches("git@github.com:ROCm/TheRock.git", "ROCm/TheRock"));
  EXPECT_TRUE(remote_url_matches("ssh://git@github.com/rocm/therock/", "ROCm/TheRock"));
  EXPECT_FALSE(remote_url_matches("https://github.com/ROCm/TheRock-fork.git", "ROCm/TheRock"));
  EXPECT_FALSE(remote_url_matches("https://github.com/NotROCm/TheRock", "ROCm/TheRock"));
  EXPECT_FALSE(remote_url_matches("ROCm/TheRock", "ROCm/TheRock"));
}

TEST(ResolveCommit, FullShaIsUsedAsIsWithoutAnyCall) {
  Git git;
  Api api;
  EXPECT_EQ(
      resolve_commit(
          " 77F0CB2112D1D0AAAE0DE6088A6E4337F2488233 ", "ROCm/TheRock", api.client, git.runner()),
      k_sha);
  EXPECT_TRUE(git.calls.empty());
  EXPECT_EQ(api.client.request_count(), 0u);
}

TEST(ResolveCommit, AbbreviationResolvedByTheLocalCloneOfTheSameRepository) {
  Git git;
  Api api;
  EXPECT_EQ(resolve_commit("77f0cb21", "ROCm/TheRock", api.client, git.runner()), k_sha);
  ASSERT_EQ(git.calls.size(), 2u);
  EXPECT_EQ(git.calls[1],
            (std::vector<std::string>{"git", "rev-parse", "--verify", "77f0cb21^{commit}"}));
  EXPECT_EQ(api.client.request_count(), 0u);
}

TEST(ResolveCommit, AmbiguousLocalAbbreviationListsGitsCandidates) {
  Git git;
  git.rev_parse = {true,
                   128,
                   "",
                   "error: short object ID 77f0cb2 is ambiguous\n"
                   "hint: The candidates are:\n"
                   "hint:   77f0cb2112 commit 2025-12-10 - Bump rocm-systems\n"
                   "hint:   77f0cb2f7a commit 2025-12-11 - Experiment: shorter CI timeouts\n"
                   "fatal: Needed a single revision\n"};
  Api api;
  EXPECT_ERROR(resolve_commit("77f0cb2", "ROCm/TheRock", api.client, git.runner()),
               UsageError,
               "commit abbreviation '77f0cb2' is ambiguous in the local clone of ROCm/TheRock; "
               "candidates:\n  77f0cb2112 commit 2025-12-10 - Bump rocm-systems\n  77f0cb2f7a "
               "commit 2025-12-11 - Experiment: shorter CI timeouts");
}

TEST(ResolveCommit, CloneOfAnotherRepositoryFallsBackToTheApi) {
  Git git;
  git.remotes = "remote.origin.url git@github.com:ROCm/rocm-systems.git\n";
  Api api;
  api.transport.responses.push_back(test::json_response(200, R"({"sha":")" + k_sha + "\"}"));
  EXPECT_EQ(resolve_commit("77f0cb21", "ROCm/TheRock", api.client, git.runner()), k_sha);
  EXPECT_EQ(git.calls.size(), 1u); // no rev-parse in a foreign clone
  EXPECT_EQ(api.transport.requests[0].url,
            "https://api.github.com/repos/ROCm/TheRock/commits/77f0cb21");
}

TEST(ResolveCommit, RefNamesGoToTheApiAndUnknownRefsAreUsageErrors) {
  Git git;
  Api api;
  api.transport.responses.push_back(
      test::json_response(422, R"({"message":"No commit found for SHA: nope"})"));
  EXPECT_ERROR(resolve_commit("nope", "ROCm/TheRock", api.client, git.runner()),
               UsageError,
               "unknown commit or ref 'nope' in ROCm/TheRock");
  EXPECT_TRUE(git.calls.empty());
}

TEST(ResolveCommit, AmbiguityReportedByTheApi) {
  Git git;
  git.remotes.clear();
  Api api;
  api.transport.responses.push_back(test::json_response(
      422, R"({"message":"The commit SHA '77f0cb2' is ambiguous: it matches 2 commits."})"));
  EXPECT_ERROR(resolve_commit("77f0cb2", "ROCm/TheRock", api.client, git.runner()),
               UsageError,
               "commit abbreviation '77f0cb2' is ambiguous in ROCm/TheRock");
}

} // namespace
} // namespace rockart::github
