// SPDX-License-Identifier: MIT
// `bisect start --git-dir`: the (good, bad] range of a real temporary git
// repository with a merge (first-parent order), plus the pure output parser.
#include "support/support.hpp"

#include <rockart/bisect/git_range.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

namespace rockart::bisect {
namespace {

namespace fs = std::filesystem;
using rockart::test::run_process;
using rockart::test::TempDir;

const github::CommandRunner k_git = [](const std::vector<std::string>& argv) {
  return github::run_command(argv);
};

class GitRange : public ::testing::Test {
protected:
  void SetUp() override {
    git({"init", "-q", "-b", "main"});
    for (int i = 0; i < 4; ++i) {
      commit("c" + std::to_string(i));
    }
    // A side branch merged into main: its commit is not first-parent.
    git({"checkout", "-q", "-b", "side", "HEAD~1"});
    commit("side work");
    git({"checkout", "-q", "main"});
    git({"merge", "-q", "--no-ff", "-m", "merge side", "side"});
    commit("c4");
  }

  std::string git(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git", "-C", m_dir.path().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    rockart::test::RunOptions options;
    options.env = {{"GIT_AUTHOR_NAME", "Ada Author"},
                   {"GIT_AUTHOR_EMAIL", "ada@example.com"},
                   {"GIT_COMMITTER_NAME", "Ada Author"},
                   {"GIT_COMMITTER_EMAIL", "ada@example.com"}};
    const auto r = run_process(argv, options);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out.substr(0, r.out.find('\n'));
  }

  void commit(const std::string& subject) { git({"commit", "-q", "--allow-empty", "-m", subject}); }

  TempDir m_dir;
};

TEST_F(GitRange, FirstParentOldestFirstGoodExcludedBadIncluded) {
  const auto good = git_resolve(m_dir.path(), "HEAD~4", k_git); // c1
  const auto bad = git_resolve(m_dir.path(), "main", k_git);
  const auto range = git_commit_range(m_dir.path(), good, bad, k_git);
  std::vector<std::string> subjects;
  for (const auto& c : range) {
    subjects.push_back(c.subject);
    EXPECT_EQ(c.author, "Ada Author");
  }
  EXPECT_EQ(subjects, (std::vector<std::string>{"c2", "c3", "merge side", "c4"}));
  EXPECT_EQ(range.back().sha, bad);
  EXPECT_EQ(range.front().sha, git({"rev-parse", "HEAD~3"}));
}

TEST_F(GitRange, ReversedRangeAndUnknownCommitsAreUsageErrors) {
  const auto old = git_resolve(m_dir.path(), "HEAD~4", k_git);
  const auto head = git_resolve(m_dir.path(), "HEAD", k_git);
  EXPECT_ERROR(git_commit_range(m_dir.path(), head, old, k_git),
               UsageError,
               "the good commit " + head.substr(0, 12) + " is not an ancestor of the bad commit "
                   + old.substr(0, 12) + " in " + m_dir.path().string());
  EXPECT_ERROR(git_resolve(m_dir.path(), "no-such-branch", k_git),
               UsageError,
               "commit 'no-such-branch' is not known to the clone in " + m_dir.path().string());
}

TEST(GitRangeParse, LinesAndMalformedOutput) {
  const std::string a(40, 'a');
  const std::string b(40, 'b');
  const auto commits = parse_git_range(a + "\tAda\tfix: x\ty\n" + b + "\tBo\t\n");
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0].sha, a);
  EXPECT_EQ(commits[0].author, "Ada");
  EXPECT_EQ(commits[0].subject, "fix: x\ty");
  EXPECT_EQ(commits[1].subject, "");
  EXPECT_TRUE(parse_git_range("").empty());
  EXPECT_ERROR(parse_git_range("commit " + a + "\n"),
               RemoteError,
               "unexpected git rev-list output line: 'commit " + a + "'");
}

} // namespace
} // namespace rockart::bisect
