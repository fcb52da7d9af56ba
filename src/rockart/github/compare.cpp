// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/compare.hpp>

#include <nlohmann/json.hpp>

namespace rockart::github {

namespace {

CompareCommit parse_compare_commit(const nlohmann::json& item, const std::string& source) {
  if (!item.is_object() || !item.contains("sha") || !item["sha"].is_string()) {
    throw RemoteError("malformed commit in " + source + ": missing sha", 200, "MalformedData");
  }
  CompareCommit commit;
  commit.sha = item["sha"].get<std::string>();
  const auto& inner = item.value("commit", nlohmann::json::object());
  const std::string message = inner.value("message", "");
  commit.subject = message.substr(0, message.find('\n'));
  const auto& author = inner.value("author", nlohmann::json::object());
  if (author.is_object()) {
    commit.author = author.value("name", "");
  }
  return commit;
}

} // namespace

std::vector<CompareCommit> compare_commits(Client& client,
                                           std::string_view repo,
                                           std::string_view base,
                                           std::string_view head,
                                           int max_pages) {
  const std::string path =
      "/repos/" + std::string(repo) + "/compare/" + std::string(base) + "..." + std::string(head);
  constexpr int k_per_page = 100;
  std::vector<CompareCommit> commits;
  std::string url = path + "?per_page=" + std::to_string(k_per_page) + "&page=1";
  for (int page = 1; page <= max_pages; ++page) {
    const auto result = client.get(url);
    const auto& body = result.body;
    const std::string status = body.is_object() ? body.value("status", "") : "";
    if (page == 1 && status != "ahead") {
      throw UsageError("the bad commit " + std::string(head)
                           + " is not a descendant of the good "
                             "commit "
                           + std::string(base) + " in " + std::string(repo)
                           + " (compare "
                             "status: "
                           + (status.empty() ? "unknown" : status) + ")",
                       "swap --good and --bad, or pick commits on one line of history");
    }
    if (!body.contains("commits") || !body["commits"].is_array()) {
      throw RemoteError(
          "malformed compare response from " + path + ": no commits array", 200, "MalformedData");
    }
    for (const auto& item : body["commits"]) {
      commits.push_back(parse_compare_commit(item, path));
    }
    if (body["commits"].size() < static_cast<std::size_t>(k_per_page) || !result.next_url) {
      break;
    }
    url = *result.next_url;
  }
  return commits;
}

} // namespace rockart::github
