// SPDX-License-Identifier: MIT
#include <rockart/bisect/git_range.hpp>
#include <rockart/error.hpp>

#include <algorithm>

namespace rockart::bisect {

namespace {

bool is_full_sha(std::string_view text) {
  return text.size() == 40 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

github::CommandResult git(const std::filesystem::path& git_dir,
                          std::vector<std::string> args,
                          const github::CommandRunner& run) {
  args.insert(args.begin(), {"git", "-C", git_dir.string()});
  auto result = run(args);
  if (!result.started) {
    throw UsageError("cannot run git for --git-dir " + git_dir.string(),
                     "install git or start without --git-dir (the range then comes from "
                     "GitHub's compare API)");
  }
  return result;
}

} // namespace

std::vector<github::CompareCommit> parse_git_range(std::string_view output) {
  std::vector<github::CompareCommit> commits;
  std::size_t start = 0;
  while (start < output.size()) {
    const auto end = std::min(output.find('\n', start), output.size());
    const auto line = output.substr(start, end - start);
    start = end + 1;
    if (line.empty()) {
      continue;
    }
    const auto tab1 = line.find('\t');
    const auto tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos || !is_full_sha(line.substr(0, tab1))) {
      throw RemoteError(
          "unexpected git rev-list output line: '" + std::string(line) + "'", 0, "GitOutput");
    }
    commits.push_back({std::string(line.substr(0, tab1)),
                       std::string(line.substr(tab2 + 1)),
                       std::string(line.substr(tab1 + 1, tab2 - tab1 - 1))});
  }
  return commits;
}

std::string git_resolve(const std::filesystem::path& git_dir,
                        const std::string& rev,
                        const github::CommandRunner& run) {
  const auto r = git(git_dir, {"rev-parse", "--verify", "--quiet", rev + "^{commit}"}, run);
  std::string sha = first_line(r.out);
  if (r.exit_code != 0 || !is_full_sha(sha)) {
    throw UsageError("commit '" + rev + "' is not known to the clone in " + git_dir.string(),
                     "fetch it (git -C " + git_dir.string() + " fetch) or check the spelling");
  }
  return sha;
}

std::vector<github::CompareCommit> git_commit_range(const std::filesystem::path& git_dir,
                                                    const std::string& good,
                                                    const std::string& bad,
                                                    const github::CommandRunner& run) {
  const auto ancestor = git(git_dir, {"merge-base", "--is-ancestor", good, bad}, run);
  if (ancestor.exit_code != 0) {
    throw UsageError("the good commit " + good.substr(0, 12) + " is not an ancestor of the bad "
                         + "commit " + bad.substr(0, 12) + " in " + git_dir.string(),
                     "swap --good and --bad, or pick a good commit on the bad one's history");
  }
  const auto r = git(git_dir,
                     {"rev-list",
                      "--first-parent",
                      "--reverse",
                      "--no-commit-header",
                      "--format=%H%x09%an%x09%s",
                      good + ".." + bad},
                     run);
  if (r.exit_code != 0) {
    throw UsageError("git rev-list " + good.substr(0, 12) + ".." + bad.substr(0, 12) + " failed in "
                     + git_dir.string() + ": " + first_line(r.err));
  }
  auto commits = parse_git_range(r.out);
  if (commits.empty() || commits.back().sha != bad) {
    throw UsageError("the bad commit " + bad.substr(0, 12)
                     + " is not on the first-parent "
                       "history after "
                     + good.substr(0, 12) + " in " + git_dir.string());
  }
  return commits;
}

std::string git_commit_before(const std::filesystem::path& git_dir,
                              const std::string& branch,
                              const std::string& until,
                              const github::CommandRunner& run) {
  const std::string rev = branch.empty() ? "HEAD" : branch;
  const auto r = git(git_dir, {"rev-list", "--first-parent", "-1", "--before=" + until, rev}, run);
  const std::string sha = first_line(r.out);
  if (r.exit_code != 0 || !is_full_sha(sha)) {
    throw UsageError("no commit of " + rev + " in " + git_dir.string() + " is from " + until
                         + " or before",
                     "pick a later date, or fetch the branch's history (git fetch --unshallow)");
  }
  return sha;
}

std::vector<github::CompareCommit> git_lookback_window(const std::filesystem::path& git_dir,
                                                       const std::string& bad,
                                                       std::size_t count,
                                                       const github::CommandRunner& run) {
  const auto r = git(git_dir,
                     {"rev-list",
                      "--first-parent",
                      "--reverse",
                      "--max-count=" + std::to_string(count + 1),
                      "--no-commit-header",
                      "--format=%H%x09%an%x09%s",
                      bad},
                     run);
  if (r.exit_code != 0) {
    throw UsageError("git rev-list " + bad.substr(0, 12) + " failed in " + git_dir.string() + ": "
                     + first_line(r.err));
  }
  return parse_git_range(r.out);
}

std::string github_commit_before(github::Client& client,
                                 const std::string& repo,
                                 const std::string& branch,
                                 const std::string& until) {
  const auto commits = client.list_commits(repo, branch, 1, until);
  if (commits.empty()) {
    throw UsageError("no commit of " + (branch.empty() ? "the default branch" : branch) + " of "
                         + repo + " is from " + until + " or before",
                     "pick a later date or another --branch");
  }
  return commits.front().sha;
}

std::vector<github::CompareCommit> github_lookback_window(github::Client& client,
                                                          const std::string& repo,
                                                          const std::string& bad,
                                                          std::size_t count) {
  const auto listed = client.list_commits(repo, bad, static_cast<int>(count + 1));
  if (listed.empty()) {
    return {};
  }
  const auto& oldest = listed.back();
  if (oldest.parents.empty()) { // the root commit: compare from it, then put it first
    auto range = github::compare_commits(client, repo, oldest.sha, bad);
    range.insert(range.begin(), github::CompareCommit{oldest.sha, "", ""});
    return range;
  }
  return github::compare_commits(client, repo, oldest.parents.front(), bad);
}

std::vector<SessionCommit> session_commits(const std::vector<github::CompareCommit>& range) {
  std::vector<SessionCommit> commits;
  commits.reserve(range.size());
  for (const auto& c : range) {
    SessionCommit commit;
    commit.sha = c.sha;
    commit.subject = c.subject;
    commit.author = c.author;
    commits.push_back(std::move(commit));
  }
  return commits;
}

} // namespace rockart::bisect
