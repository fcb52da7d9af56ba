// SPDX-License-Identifier: MIT
// Token resolution order with an injected environment and command runner.
#include "support/support.hpp"

#include <rockart/github/auth.hpp>

#include <gtest/gtest.h>

#include <map>

namespace rockart::github {
namespace {

struct World {
  std::map<std::string, std::string> env;
  std::vector<std::vector<std::string>> commands;
  CommandResult gh_answer{true, 0, "gho_fromgh\n", ""};

  util::EnvLookup lookup() {
    return [this](std::string_view name) -> std::optional<std::string> {
      const auto it = env.find(std::string(name));
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  CommandRunner runner() {
    return [this](const std::vector<std::string>& argv) {
      commands.push_back(argv);
      return gh_answer;
    };
  }
};

// A directory holding an executable `gh` so find_executable() finds it.
struct GhOnPath {
  rockart::test::TempDir dir;
  std::string gh = (dir.path() / "gh").string();

  GhOnPath() {
    rockart::test::write_file(gh, "#!/bin/sh\n");
    std::filesystem::permissions(gh, std::filesystem::perms::owner_all);
  }
};

TEST(Auth, GithubTokenWinsOverEverything) {
  GhOnPath path;
  World w;
  w.env = {{"GITHUB_TOKEN", "ghs_ci"}, {"GH_TOKEN", "gho_user"}, {"PATH", path.dir.path()}};
  const auto auth = resolve_auth(w.lookup(), w.runner());
  EXPECT_EQ(auth.token, "ghs_ci");
  EXPECT_EQ(auth.source, "GITHUB_TOKEN");
  EXPECT_TRUE(w.commands.empty());
}

TEST(Auth, GhTokenIsSecondAndEmptyGithubTokenIsIgnored) {
  World w;
  w.env = {{"GITHUB_TOKEN", ""}, {"GH_TOKEN", "gho_user"}};
  const auto auth = resolve_auth(w.lookup(), w.runner());
  EXPECT_EQ(auth.token, "gho_user");
  EXPECT_EQ(auth.source, "GH_TOKEN");
}

TEST(Auth, GhCliTokenWhenGhIsOnPath) {
  GhOnPath path;
  World w;
  w.env = {{"PATH", "/nonexistent:" + path.dir.path().string()}};
  const auto auth = resolve_auth(w.lookup(), w.runner());
  EXPECT_EQ(auth.token, "gho_fromgh");
  EXPECT_EQ(auth.source, "gh auth token");
  ASSERT_EQ(w.commands.size(), 1u);
  EXPECT_EQ(w.commands[0], (std::vector<std::string>{path.gh, "auth", "token"}));
}

TEST(Auth, GhNotLoggedInFallsThroughToUnauthenticated) {
  GhOnPath path;
  World w;
  w.env = {{"PATH", path.dir.path().string()}};
  w.gh_answer = {true, 1, "", "You are not logged into any GitHub hosts."};
  const auto auth = resolve_auth(w.lookup(), w.runner());
  EXPECT_FALSE(auth.authenticated());
  EXPECT_EQ(auth.source, "none");
}

TEST(Auth, WithoutGhOnPathNothingIsRun) {
  World w;
  w.env = {{"PATH", "/nonexistent"}};
  EXPECT_FALSE(resolve_auth(w.lookup(), w.runner()).authenticated());
  EXPECT_TRUE(w.commands.empty());
}

TEST(Auth, RealCommandRunnerCapturesOutputWithoutAShell) {
  const auto result = run_command({"printf", "%s|", "a b", "$HOME"});
  EXPECT_TRUE(result.started);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "a b|$HOME|"); // no shell expansion
  EXPECT_FALSE(run_command({"/nonexistent/program"}).exit_code == 0);
}

} // namespace
} // namespace rockart::github
