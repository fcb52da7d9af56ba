// SPDX-License-Identifier: MIT
// The commits between two commits (GET /repos/{o}/{r}/compare/{base}...{head},
// all pages), oldest first: the range a bisect session walks.
#pragma once

#include <rockart/github/client.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace rockart::github {

// One commit of a comparison.
struct CompareCommit {
  std::string sha;
  std::string subject; // first line of the message
  std::string author;  // commit author name ("" when absent)
};

// The commits reachable from `head` but not from `base`, oldest first (base
// excluded, head last), following pages of 100 (at most `max_pages`). Throws
// UsageError when `head` is not ahead of `base` (status behind/identical/diverged),
// RemoteError for malformed data, and the client's errors otherwise.
std::vector<CompareCommit> compare_commits(Client& client,
                                           std::string_view repo,
                                           std::string_view base,
                                           std::string_view head,
                                           int max_pages = 30);

} // namespace rockart::github
