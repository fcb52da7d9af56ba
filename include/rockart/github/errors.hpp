// SPDX-License-Identifier: MIT
// Turning a failed GitHub response into an actionable error.
#pragma once

#include <rockart/http/request.hpp>
#include <rockart/http/retry.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::github {

// What a request was about, for 404 messages: e.g. "workflow 'ci.yml' of
// repository ROCm/TheRock" or "run 123 of repository ROCm/TheRock".
struct RequestSubject {
  std::string description; // "" when nothing more specific is known
};

// Rate-limit facts from a response's x-ratelimit-* and retry-after headers.
struct RateLimitInfo {
  std::optional<std::int64_t> limit, remaining, used;
  std::optional<std::chrono::sys_seconds> reset;
  std::optional<std::string> resource;
  std::optional<std::chrono::seconds> retry_after;
};

// Reads the rate-limit headers of `response` (malformed values are ignored).
RateLimitInfo rate_limit_info(const http::Response& response);

// True for GitHub's rate-limit answers: 429; 403 with x-ratelimit-remaining 0;
// 403 whose body mentions "rate limit" (case-insensitive).
bool is_rate_limited(const http::Response& response);

// How long to wait before the limit of `info` lifts (retry-after, else the reset
// time + 1 s, at least 1 s); nullopt when the response says neither.
std::optional<std::chrono::seconds> rate_limit_wait(const RateLimitInfo& info,
                                                    std::chrono::sys_seconds now);

// The error for a non-2xx `response` to GET `url` (the body's `message` decoded):
// rate limit (with reset time, resource, used/limit, retry-after and how to
// authenticate), 401, 403, 404 (naming `subject`) or "HTTP {code} error".
// `authenticated` tailors the rate-limit hint. Never contains a token.
http::StatusError error_for_response(const http::Response& response,
                                     std::string_view url,
                                     const RequestSubject& subject,
                                     bool authenticated,
                                     std::chrono::sys_seconds now);

} // namespace rockart::github
