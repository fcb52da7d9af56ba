// SPDX-License-Identifier: MIT
// The commit range of `bisect start`: with `--git-dir DIR` the first-parent
// commits of a local clone in (good, bad], oldest first, read with git (no
// shell) instead of the GitHub compare API; and the bounds given as a date
// or as a look-back window, from either source.
#pragma once

#include <rockart/bisect/session.hpp>
#include <rockart/github/client.hpp>
#include <rockart/github/command.hpp>
#include <rockart/github/compare.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::bisect {

// Parses `git rev-list --no-commit-header --format=%H%x09%an%x09%s` output
// (one "SHA<TAB>author<TAB>subject" line per commit). Throws RemoteError on a
// line that does not start with a 40-hex SHA.
std::vector<github::CompareCommit> parse_git_range(std::string_view output);

// The full SHA of `rev` in the clone at `git_dir` (`git rev-parse --verify`).
// Throws UsageError naming the clone when git fails or `rev` is unknown.
std::string git_resolve(const std::filesystem::path& git_dir,
                        const std::string& rev,
                        const github::CommandRunner& run);

// `git rev-list --first-parent --reverse good..bad` in `git_dir`: the good
// commit excluded, the bad one last. Throws UsageError when `good` is not an
// ancestor of `bad` or git fails. `good`/`bad` are full SHAs.
std::vector<github::CompareCommit> git_commit_range(const std::filesystem::path& git_dir,
                                                    const std::string& good,
                                                    const std::string& bad,
                                                    const github::CommandRunner& run);

// The newest first-parent commit of `branch` (empty: HEAD) in `git_dir`
// committed at or before `until` (ISO 8601). Throws UsageError when there is none.
std::string git_commit_before(const std::filesystem::path& git_dir,
                              const std::string& branch,
                              const std::string& until,
                              const github::CommandRunner& run);

// The `count` first-parent commits before `bad` and `bad` itself, oldest
// first (fewer at the root of the history).
std::vector<github::CompareCommit> git_lookback_window(const std::filesystem::path& git_dir,
                                                       const std::string& bad,
                                                       std::size_t count,
                                                       const github::CommandRunner& run);

// The same two from GitHub: the newest commit of `branch` (empty: the
// default branch) committed at or before `until` (the commits API's
// `until`), and the `count` commits before `bad` on its history and `bad`,
// oldest first, with subjects (listed, then compared from the oldest's
// parent). Throws UsageError when no commit is that old.
std::string github_commit_before(github::Client& client,
                                 const std::string& repo,
                                 const std::string& branch,
                                 const std::string& until);
std::vector<github::CompareCommit> github_lookback_window(github::Client& client,
                                                          const std::string& repo,
                                                          const std::string& bad,
                                                          std::size_t count);

// `range` as the session's commits (oldest first), availability unknown.
std::vector<SessionCommit> session_commits(const std::vector<github::CompareCommit>& range);

} // namespace rockart::bisect
