// SPDX-License-Identifier: MIT
#include <rockart/github/errors.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>

#include <nlohmann/json.hpp>

#include <charconv>

namespace rockart::github {

namespace {

constexpr std::string_view k_rate_limit_docs =
    "https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api";

std::optional<std::int64_t> header_int(const http::Response& response, std::string_view name) {
  const auto value = response.header(name);
  if (!value) {
    return std::nullopt;
  }
  const auto text = util::trim(*value);
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return number;
}

// GitHub's JSON `message`, or the first line of a non-JSON body.
std::string body_message(const std::string& body) {
  const auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_object()) {
    if (const auto it = doc.find("message"); it != doc.end() && it->is_string()) {
      return it->get<std::string>();
    }
  }
  if (doc.is_discarded()) {
    const auto line = util::trim(std::string_view(body).substr(0, body.find('\n')));
    return std::string(line.substr(0, 200));
  }
  return {};
}

std::string reason_phrase(int status) {
  switch (status) {
  case 400:
    return "Bad Request";
  case 409:
    return "Conflict";
  case 422:
    return "Unprocessable Entity";
  case 500:
    return "Internal Server Error";
  case 502:
    return "Bad Gateway";
  case 503:
    return "Service Unavailable";
  case 504:
    return "Gateway Timeout";
  default:
    return "error";
  }
}

std::string rate_limit_details(const RateLimitInfo& info, std::chrono::sys_seconds now) {
  std::string text;
  if (info.reset) {
    const auto minutes = std::max<std::int64_t>(
        0, (std::chrono::duration_cast<std::chrono::seconds>(*info.reset - now).count() + 59) / 60);
    text += " The " + info.resource.value_or("core") + " limit";
    if (info.used && info.limit) {
      text += " (" + std::to_string(*info.used) + " of " + std::to_string(*info.limit)
              + " requests used)";
    }
    text += " resets at " + util::format_iso8601(*info.reset) + " (in " + std::to_string(minutes)
            + (minutes == 1 ? " minute)." : " minutes).");
  }
  if (info.retry_after) {
    text += " GitHub asks to retry after " + std::to_string(info.retry_after->count()) + " s.";
  }
  return text;
}

std::string rate_limit_hint(bool authenticated) {
  if (authenticated) {
    return "the token's limit is used up: wait for the reset or pass --wait-on-rate-limit, or "
           "authenticate as another account with `gh auth login` or GITHUB_TOKEN; see "
           + std::string(k_rate_limit_docs);
  }
  return "authenticate with `gh auth login` or set GITHUB_TOKEN (unauthenticated requests are "
         "limited to 60 per hour), or pass --wait-on-rate-limit to wait for the reset; see "
         + std::string(k_rate_limit_docs);
}

} // namespace

RateLimitInfo rate_limit_info(const http::Response& response) {
  RateLimitInfo info;
  info.limit = header_int(response, "x-ratelimit-limit");
  info.remaining = header_int(response, "x-ratelimit-remaining");
  info.used = header_int(response, "x-ratelimit-used");
  if (const auto reset = header_int(response, "x-ratelimit-reset")) {
    info.reset = std::chrono::sys_seconds(std::chrono::seconds(*reset));
  }
  info.resource = response.header("x-ratelimit-resource");
  if (const auto after = header_int(response, "retry-after"); after && *after >= 0) {
    info.retry_after = std::chrono::seconds(*after);
  }
  return info;
}

bool is_rate_limited(const http::Response& response) {
  if (response.status == 429) {
    return true;
  }
  if (response.status != 403) {
    return false;
  }
  if (header_int(response, "x-ratelimit-remaining") == 0) {
    return true;
  }
  return util::to_lower(response.body).find("rate limit") != std::string::npos;
}

std::optional<std::chrono::seconds> rate_limit_wait(const RateLimitInfo& info,
                                                    std::chrono::sys_seconds now) {
  if (info.retry_after) {
    return std::max(*info.retry_after, std::chrono::seconds(1));
  }
  if (info.reset) {
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(*info.reset - now);
    return std::max(wait + std::chrono::seconds(1), std::chrono::seconds(1));
  }
  return std::nullopt;
}

http::StatusError error_for_response(const http::Response& response,
                                     std::string_view url,
                                     const RequestSubject& subject,
                                     bool authenticated,
                                     std::chrono::sys_seconds now) {
  const std::string where(url);
  const std::string message = body_message(response.body);
  const std::string github_says = message.empty() ? "" : " GitHub says: " + message;
  const auto request_id = response.header("x-github-request-id").value_or("");
  const int status = response.status;
  if (is_rate_limited(response)) {
    const auto info = rate_limit_info(response);
    std::optional<std::chrono::milliseconds> retry_after;
    if (info.retry_after) {
      retry_after = std::chrono::duration_cast<std::chrono::milliseconds>(*info.retry_after);
    }
    return {"GitHub API rate limit exceeded (HTTP " + std::to_string(status) + ") for " + where
                + "." + rate_limit_details(info, now) + github_says,
            status,
            "RateLimited",
            request_id,
            rate_limit_hint(authenticated),
            retry_after};
  }
  const std::string about = subject.description.empty() ? "" : " (" + subject.description + ")";
  switch (status) {
  case 401:
    return {
        "Authentication failed (401) for " + where + "." + github_says,
        status,
        "BadCredentials",
        request_id,
        "the token is invalid or expired: unset GITHUB_TOKEN/GH_TOKEN or re-run `gh auth login`"};
  case 403:
    return {"Access denied (403 Forbidden) for " + where + about + "." + github_says,
            status,
            "Forbidden",
            request_id,
            "check that the token has the needed permissions (e.g. `repo`, `workflow`)"};
  case 404:
    return {"Resource not found (404): " + where + about + ".",
            status,
            "NotFound",
            request_id,
            subject.description.empty()
                ? "verify the repository, workflow or run id"
                : "verify the " + subject.description
                      + " (private repositories also answer 404 without access)"};
  default:
    return {"HTTP " + std::to_string(status) + " error for " + where + ": " + reason_phrase(status)
                + (message.empty() ? "" : " (" + message + ")"),
            status,
            "",
            request_id};
  }
}

} // namespace rockart::github
