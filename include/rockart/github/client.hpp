// SPDX-License-Identifier: MIT
// GitHub REST client over http::Transport: headers, token, Link pagination,
// retries of idempotent GETs on 5xx/network errors, actionable errors and
// request counters.
#pragma once

#include <rockart/github/errors.hpp>
#include <rockart/github/run.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/http/transport.hpp>
#include <rockart/util/version.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::github {

// Default REST base URL (GITHUB_API_URL overrides it in the CLI).
inline constexpr std::string_view k_default_api_url = "https://api.github.com";

struct ClientOptions {
  std::string base_url{k_default_api_url}; // no trailing '/' needed
  std::string token;                       // empty = unauthenticated
  // Logged at warn before the first request when `token` is empty (so a
  // command that never asks GitHub does not warn about it).
  std::string unauthenticated_warning;
  std::string user_agent = util::user_agent();
  bool wait_on_rate_limit = false; // sleep until the reset instead of failing
  int max_rate_limit_waits = 3;    // per request, when waiting
  // GETs only (a retried dispatch could start two runs): 3 attempts with 1 s
  // and 2 s pauses, no jitter.
  http::RetryOptions retry{3,
                           std::chrono::milliseconds(1000),
                           std::chrono::milliseconds(2000),
                           0.0,
                           std::chrono::milliseconds(120'000)};
  std::chrono::seconds timeout{300};
  std::function<std::chrono::sys_seconds()> clock; // nullptr = system clock
};

// One successful GET: the parsed body and the URL of the next page, if any.
// (clang-tidy 14 sees a throw inside nlohmann::json's noexcept move constructor.)
struct JsonPage { // NOLINT(bugprone-exception-escape)
  nlohmann::json body;
  std::optional<std::string> next_url; // rel="next" of the Link header, verbatim
};

// The GitHub REST client. Not thread-safe except for the counters.
class Client {
public:
  // `transport` and `sleeper` must outlive the client.
  Client(http::Transport& transport, http::Sleeper& sleeper, ClientOptions options);

  // GET `path_or_url` ("/repos/..." below base_url, or an absolute URL used
  // verbatim). Retries 5xx/network failures, waits on rate limits if enabled,
  // throws the errors of errors.hpp, or RemoteError "Invalid JSON response from
  // {url}: ..." for a body that is not JSON.
  JsonPage get(std::string_view path_or_url, const RequestSubject& subject = {});

  // Every item of a paginated list: follows rel="next" verbatim, stops at a page
  // shorter than `per_page`, no next link, or `max_pages`. `items_key` names the
  // array member of an object body; "" means the body is the array.
  std::vector<nlohmann::json> get_all(std::string_view path,
                                      std::string_view items_key,
                                      int per_page,
                                      int max_pages,
                                      const RequestSubject& subject = {});

  // POST `path` (below base_url) with the JSON `body`; never retried (a POST
  // may have taken effect). Returns the parsed body ({} for an empty one, e.g.
  // 204) or throws the errors of errors.hpp like get().
  nlohmann::json
  post(std::string_view path, const nlohmann::json& body, const RequestSubject& subject = {});

  // GET /repos/{repo}/actions/runs/{id}.
  WorkflowRun get_run(std::string_view repo, std::uint64_t run_id);

  // Runs of `workflow` for the full `sha` (GitHub does not prefix-match head_sha), all
  // pages (≤ 10 of 100), newest first.
  std::vector<WorkflowRun>
  list_runs_for_commit(std::string_view repo, std::string_view workflow, std::string_view sha);

  // GET /repos/{repo}/commits/{ref} (ref fully percent-encoded).
  Commit get_commit(std::string_view repo, std::string_view ref);

  // The newest `max_count` commits of `branch_or_sha` (empty: the default
  // branch), newest first (pages of ≤ 100 until `max_count` or a short page);
  // with `until` (ISO 8601), only those committed at or before it.
  std::vector<Commit> list_commits(std::string_view repo,
                                   std::string_view branch_or_sha,
                                   int max_count,
                                   std::string_view until = {});

  // HTTP exchanges sent so far (retries and rate-limit waits included).
  std::uint64_t request_count() const { return m_requests.load(); }

  bool authenticated() const { return !m_options.token.empty(); }

  const ClientOptions& options() const { return m_options; }

private:
  std::string absolute_url(std::string_view path_or_url) const;
  http::Response
  send(const std::string& url, const std::string& method = "GET", const std::string& body = "");
  std::chrono::sys_seconds now() const;

  http::Transport& m_transport;
  http::Sleeper& m_sleeper;
  ClientOptions m_options;
  http::RetryPolicy m_policy;
  std::atomic<std::uint64_t> m_requests{0};
  std::once_flag m_warned;
};

// The URL of rel="next" in a Link header value, or nullopt.
std::optional<std::string> next_link(std::string_view link_header);

} // namespace rockart::github
