// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/client.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/redact.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>
#include <rockart/util/uri.hpp>

namespace rockart::github {

namespace {

// Server errors are retried as the shared classifier says; GitHub's retryable
// 4xx answers (403/429 rate limits) are left to the rate-limit handling below.
bool is_retryable_status(const http::Response& response, std::chrono::sys_seconds now) {
  return response.status >= 500 && http::is_retryable(http::failure_from_response(response, now));
}

// Validated `/repos/{owner}/{repo}` path prefix.
std::string repo_path(std::string_view repo) {
  if (!layout::parse_repository(repo)) {
    throw UsageError(layout::invalid_repository_message(repo));
  }
  return "/repos/" + std::string(repo);
}

} // namespace

std::optional<std::string> next_link(std::string_view header) {
  // Link: <url>; rel="next", <url>; rel="last"  (RFC 8288; GitHub's form)
  size_t pos = 0;
  while ((pos = header.find('<', pos)) != std::string_view::npos) {
    const size_t close = header.find('>', pos);
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    const auto url = header.substr(pos + 1, close - pos - 1);
    const size_t end = std::min(header.find('<', close), header.size());
    const auto params = header.substr(close + 1, end - close - 1);
    if (params.find("rel=\"next\"") != std::string_view::npos
        || params.find("rel=next") != std::string_view::npos) {
      return std::string(url);
    }
    pos = close;
  }
  return std::nullopt;
}

Client::Client(http::Transport& transport, http::Sleeper& sleeper, ClientOptions options)
    : m_transport(transport), m_sleeper(sleeper), m_options(std::move(options)),
      m_policy(m_options.retry, [] { return 0.0; }) {
  while (!m_options.base_url.empty() && m_options.base_url.back() == '/') {
    m_options.base_url.pop_back();
  }
}

std::chrono::sys_seconds Client::now() const {
  if (m_options.clock) {
    return m_options.clock();
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string Client::absolute_url(std::string_view path_or_url) const {
  if (path_or_url.starts_with("http://") || path_or_url.starts_with("https://")) {
    return std::string(path_or_url);
  }
  return m_options.base_url + std::string(path_or_url);
}

http::Response
Client::send(const std::string& url, const std::string& method, const std::string& body) {
  http::Request request;
  request.method = method;
  request.url = url;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"},
                     {"User-Agent", m_options.user_agent}};
  if (method != "GET") {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  if (!m_options.token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + m_options.token);
  } else if (!m_options.unauthenticated_warning.empty()) {
    std::call_once(m_warned, [this] { util::log_warn(m_options.unauthenticated_warning); });
  }
  http::Timeouts timeouts;
  timeouts.total = std::chrono::duration_cast<std::chrono::milliseconds>(m_options.timeout);
  request.timeouts = timeouts;
  ++m_requests;
  try {
    return m_transport.perform(request);
  } catch (const NetworkError& e) {
    throw NetworkError("Network error for " + util::redact_url(url) + ": "
                       + util::redact_secret(e.what(), m_options.token));
  }
}

JsonPage Client::get(std::string_view path_or_url, const RequestSubject& subject) {
  const std::string url = absolute_url(path_or_url);
  const std::string shown = util::redact_url(url);
  for (int waits = 0;; ++waits) {
    const http::Response response =
        http::with_retries(m_policy, m_sleeper, "GET " + shown, [&]() -> http::Response {
          auto r = send(url);
          if (is_retryable_status(r, now())) {
            throw error_for_response(r, shown, subject, authenticated(), now());
          }
          return r;
        });
    if (response.status >= 200 && response.status < 300) {
      JsonPage page;
      try {
        page.body = nlohmann::json::parse(response.body);
      } catch (const nlohmann::json::exception& e) {
        throw RemoteError("Invalid JSON response from " + shown + ": " + e.what(),
                          response.status,
                          "InvalidJSON");
      }
      if (const auto link = response.header("Link")) {
        page.next_url = next_link(*link);
      }
      return page;
    }
    if (m_options.wait_on_rate_limit && waits < m_options.max_rate_limit_waits
        && is_rate_limited(response)) {
      if (const auto wait = rate_limit_wait(rate_limit_info(response), now())) {
        util::log_warn("GitHub API rate limit exceeded for " + shown + "; waiting "
                       + std::to_string(wait->count()) + " s for the reset");
        m_sleeper.sleep(std::chrono::duration_cast<std::chrono::milliseconds>(*wait));
        continue;
      }
    }
    throw error_for_response(response, shown, subject, authenticated(), now());
  }
}

nlohmann::json
Client::post(std::string_view path, const nlohmann::json& body, const RequestSubject& subject) {
  const std::string url = absolute_url(path);
  const std::string shown = util::redact_url(url);
  const http::Response response = send(url, "POST", body.dump());
  if (response.status < 200 || response.status >= 300) {
    throw error_for_response(response, shown, subject, authenticated(), now());
  }
  if (response.body.empty()) {
    return nlohmann::json::object();
  }
  try {
    return nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::exception& e) {
    throw RemoteError(
        "Invalid JSON response from " + shown + ": " + e.what(), response.status, "InvalidJSON");
  }
}

std::vector<nlohmann::json> Client::get_all(std::string_view path,
                                            std::string_view items_key,
                                            int per_page,
                                            int max_pages,
                                            const RequestSubject& subject) {
  std::vector<nlohmann::json> items;
  std::string url(path);
  for (int page = 1; page <= max_pages; ++page) {
    auto result = get(url, subject);
    nlohmann::json* list = &result.body;
    if (!items_key.empty()) {
      const auto it = result.body.is_object() ? result.body.find(items_key) : result.body.end();
      list = result.body.is_object() && it != result.body.end() ? &*it : nullptr;
    }
    if (list == nullptr || !list->is_array()) {
      throw RemoteError("malformed GitHub API data from " + util::redact_url(absolute_url(url))
                            + ": expected a JSON array"
                            + (items_key.empty() ? "" : " in `" + std::string(items_key) + "`"),
                        200,
                        "MalformedData");
    }
    const auto count = list->size();
    for (auto& item : *list) {
      items.push_back(std::move(item));
    }
    // Stop on a short page (works without Link headers too) or when GitHub
    // says there is no next page.
    if (count < static_cast<size_t>(per_page) || !result.next_url) {
      break;
    }
    url = *result.next_url;
  }
  return items;
}

WorkflowRun Client::get_run(std::string_view repo, std::uint64_t run_id) {
  const std::string path = repo_path(repo) + "/actions/runs/" + std::to_string(run_id);
  const auto page = get(path,
                        {"run " + std::to_string(run_id) + " of repository " + std::string(repo)
                         + " (https://github.com/" + std::string(repo) + "/actions/runs/"
                         + std::to_string(run_id) + ")"});
  return parse_workflow_run(page.body, util::redact_url(absolute_url(path)));
}

std::vector<WorkflowRun> Client::list_runs_for_commit(std::string_view repo,
                                                      std::string_view workflow,
                                                      std::string_view sha) {
  const std::string path = repo_path(repo) + "/actions/workflows/" + util::percent_encode(workflow)
                           + "/runs?head_sha=" + util::percent_encode(sha) + "&per_page=100";
  const RequestSubject subject{"workflow '" + std::string(workflow) + "' of repository "
                               + std::string(repo)};
  const auto items = get_all(path, "workflow_runs", 100, 10, subject);
  std::vector<WorkflowRun> runs;
  runs.reserve(items.size());
  const std::string source = util::redact_url(absolute_url(path));
  for (const auto& item : items) {
    runs.push_back(parse_workflow_run(item, source));
  }
  sort_newest_first(runs);
  return runs;
}

Commit Client::get_commit(std::string_view repo, std::string_view ref) {
  const std::string path = repo_path(repo) + "/commits/" + util::percent_encode(ref);
  const auto page =
      get(path, {"commit or ref '" + std::string(ref) + "' of repository " + std::string(repo)});
  return parse_commit(page.body, util::redact_url(absolute_url(path)));
}

std::vector<Commit> Client::list_commits(std::string_view repo,
                                         std::string_view branch_or_sha,
                                         int max_count,
                                         std::string_view until) {
  if (max_count < 1) {
    throw UsageError("the number of commits to list must be at least 1, got "
                     + std::to_string(max_count));
  }
  const int per_page = std::min(max_count, 100);
  const int pages = (max_count + per_page - 1) / per_page;
  std::string path = repo_path(repo) + "/commits?";
  if (!branch_or_sha.empty()) {
    path += "sha=" + util::percent_encode(branch_or_sha) + "&";
  }
  path += "per_page=" + std::to_string(per_page);
  if (!until.empty()) {
    path += "&until=" + util::percent_encode(until);
  }
  const auto items =
      get_all(path,
              "",
              per_page,
              pages,
              {branch_or_sha.empty() ? "the default branch of repository " + std::string(repo)
                                     : "branch or ref '" + std::string(branch_or_sha)
                                           + "' of repository " + std::string(repo)});
  std::vector<Commit> commits;
  const std::string source = util::redact_url(absolute_url(path));
  for (const auto& item : items) {
    if (commits.size() == static_cast<size_t>(max_count)) {
      break;
    }
    commits.push_back(parse_commit(item, source));
  }
  return commits;
}

} // namespace rockart::github
