// SPDX-License-Identifier: MIT
// Retry as a pure policy (which failures, how long to wait) plus a small loop that runs an
// operation, sleeps through an injected Sleeper and logs every retry at info.
#pragma once

#include <rockart/error.hpp>
#include <rockart/http/request.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace rockart::http {

// Why one attempt failed, reduced to what the retry decision needs.
struct Failure {
  // network: no response; http_status: the server answered with an error;
  // integrity: the bytes arrived but do not match their digest or length.
  enum class Kind { network, http_status, integrity };
  Kind kind = Kind::network;
  int status = 0;      // HTTP status when kind == http_status
  std::string code;    // service error code ("SlowDown", "AccessDenied"); may be empty
  std::string message; // the error text, for network and integrity failures
  std::optional<std::chrono::milliseconds> retry_after; // the server's Retry-After

  // Short reason for logs: "HTTP 503 SlowDown", "network error: <message>" or the
  // integrity message.
  std::string describe() const;
};

// The one answer to "is this failure transient?": true for network failures,
// integrity failures (damaged bytes in transit), 5xx (not 501/505), 408, 429
// and the codes SlowDown, RequestTimeout, InternalError, ServiceUnavailable,
// Throttling. Signature/credential codes and NoSuchKey/NoSuchBucket never are.
bool is_retryable(const Failure& failure);

// Parses a Retry-After value: delay-seconds ("120") or an HTTP-date (IMF-fixdate, RFC 850 or
// asctime), the latter relative to `now` (a date in the past gives 0). Nullopt if malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value,
                                                           std::chrono::sys_seconds now);

// The Failure for a non-success `response`: its status, `code` and Retry-After (vs `now`).
Failure failure_from_response(const Response& response,
                              std::chrono::sys_seconds now,
                              std::string code = {});

// A RemoteError that remembers the server's Retry-After so the retry loop can honour it.
// The S3 and GitHub clients throw this after decoding an error response.
class StatusError : public RemoteError {
public:
  StatusError(const std::string& message,
              int status,
              std::string code = {},
              std::string request_id = {},
              std::string hint = {},
              std::optional<std::chrono::milliseconds> retry_after = std::nullopt)
      : RemoteError(message, status, std::move(code), std::move(request_id), std::move(hint)),
        m_retry_after(retry_after) {}

  const std::optional<std::chrono::milliseconds>& retry_after() const noexcept {
    return m_retry_after;
  }

private:
  std::optional<std::chrono::milliseconds> m_retry_after;
};

// Classifies an exception: NetworkError -> network, RemoteError/StatusError -> http_status,
// IntegrityError -> integrity. Any other exception (usage, not found, local I/O, a bug)
// gives nullopt: it is never retried.
std::optional<Failure> failure_from_exception(const std::exception_ptr& error);

// Knobs of RetryPolicy. Defaults: 3 attempts, 1 s then 2 s (before jitter), as upstream's
// S3 uploads.
struct RetryOptions {
  int max_attempts = 3;                        // attempts in total, first one included
  std::chrono::milliseconds base_delay{1000};  // backoff ceiling before the 2nd attempt
  std::chrono::milliseconds max_delay{20'000}; // cap of the exponential ceiling
  double jitter = 1.0; // share of the ceiling that is random: 1 = full jitter, 0 = none
  std::chrono::milliseconds max_retry_after{120'000}; // give up if the server asks longer
  // Integrity failures are retried only where a new attempt fetches every byte
  // again (a whole archive); a single request's resume would keep the bad ones.
  bool retry_integrity = false;
  // Only integrity failures: for a loop around operations whose requests
  // are already retried one by one (a whole archive, a whole small object),
  // where retrying network and server failures again would nest the loops.
  bool integrity_only = false;
};

// Pure retry decision. Deterministic given the injected random source.
class RetryPolicy {
public:
  // `random01` returns uniform values in [0, 1) and must be thread-safe if the policy is
  // shared; nullptr selects a locked, randomly seeded generator.
  explicit RetryPolicy(RetryOptions options = {}, std::function<double()> random01 = nullptr);

  // Delay before the attempt after `attempt` (1-based) failed with `failure`, or nullopt to
  // stop: not retryable, an integrity failure without `retry_integrity`, attempts used up,
  // or Retry-After beyond max_retry_after. A valid
  // Retry-After is used as-is; otherwise ceiling = min(max_delay, base_delay * 2^(attempt-1))
  // and the delay is ceiling * (1 - jitter * random01()).
  std::optional<std::chrono::milliseconds> next_delay(int attempt, const Failure& failure) const;

  // The options this policy was built with (the loop logs max_attempts).
  const RetryOptions& options() const noexcept { return m_options; }

private:
  RetryOptions m_options;
  std::function<double()> m_random01;
};

// Waits between attempts. Tests inject one that only records the delays.
class Sleeper {
public:
  virtual ~Sleeper() = default;

  // Blocks the calling thread for about `delay`.
  virtual void sleep(std::chrono::milliseconds delay) = 0;
};

// Sleeps the calling thread for real.
class RealSleeper final : public Sleeper {
public:
  void sleep(std::chrono::milliseconds delay) override;
};

// Formats a delay for logs: "250 ms" below a second, else "2.0 s".
std::string format_delay(std::chrono::milliseconds delay);

namespace detail {
// Decides about the exception `error` of attempt `attempt`: returns the delay after logging
// `retrying <operation> in 2.0 s (attempt 2/5): HTTP 503 SlowDown`, or nullopt to rethrow.
std::optional<std::chrono::milliseconds> decide_retry(const RetryPolicy& policy,
                                                      std::string_view operation,
                                                      int attempt,
                                                      const std::exception_ptr& error);
} // namespace detail

// Runs `fn` (called as fn() or fn(attempt), attempt 1-based) until it returns, retrying the
// failures `policy` allows after sleeping through `sleeper`. Rethrows the last exception
// unchanged, and any non-retryable exception at once. `operation` names it in the log line.
template <typename Fn>
auto with_retries(const RetryPolicy& policy,
                  Sleeper& sleeper,
                  std::string_view operation,
                  Fn&& fn) {
  for (int attempt = 1;; ++attempt) {
    try {
      if constexpr (std::is_invocable_v<Fn&, int>) {
        return fn(attempt);
      } else {
        return fn();
      }
    } catch (...) {
      const auto delay = detail::decide_retry(policy, operation, attempt, std::current_exception());
      if (!delay) {
        throw;
      }
      sleeper.sleep(*delay);
    }
  }
}

} // namespace rockart::http
