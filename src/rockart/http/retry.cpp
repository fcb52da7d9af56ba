// SPDX-License-Identifier: MIT
#include <rockart/http/retry.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

namespace rockart::http {

namespace {

using std::chrono::milliseconds;

// S3 error codes that say "try again later" even when the status alone would not
// (RequestTimeout arrives as HTTP 400). AWS documents these as retryable.
constexpr std::array<std::string_view, 7> k_retryable_codes = {"SlowDown",
                                                               "RequestTimeout",
                                                               "InternalError",
                                                               "ServiceUnavailable",
                                                               "Throttling",
                                                               "ThrottlingException",
                                                               "TooManyRequests"};

// Codes that will fail the same way on every attempt, whatever the status says.
constexpr std::array<std::string_view, 9> k_fatal_codes = {"SignatureDoesNotMatch",
                                                           "InvalidAccessKeyId",
                                                           "AccessDenied",
                                                           "AuthorizationHeaderMalformed",
                                                           "ExpiredToken",
                                                           "InvalidToken",
                                                           "RequestTimeTooSkewed",
                                                           "NoSuchKey",
                                                           "NoSuchBucket"};

bool contains(const auto& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

std::optional<int> to_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

std::optional<unsigned> month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> k_months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < k_months.size(); ++i) {
    if (k_months[i] == name) {
      return i + 1;
    }
  }
  return std::nullopt;
}

// Splits on spaces, commas and dashes: the three HTTP-date forms then share one shape.
std::vector<std::string_view> date_tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '-') {
      if (i > start) {
        tokens.push_back(text.substr(start, i - start));
      }
      start = i + 1;
    }
  }
  return tokens;
}

// An HTTP date in any of the three forms servers still send: IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 form ("Sunday,
// 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"); always GMT.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) {
  const auto tokens = date_tokens(text);
  std::string_view day, month, year, clock;
  if (tokens.size() == 6 && tokens[5] == "GMT") {
    day = tokens[1], month = tokens[2], year = tokens[3], clock = tokens[4];
  } else if (tokens.size() == 5) {
    month = tokens[1], day = tokens[2], clock = tokens[3], year = tokens[4];
  } else {
    return std::nullopt;
  }
  const auto d = to_int(day);
  const auto m = month_number(month);
  auto y = to_int(year);
  const auto hms = util::split(clock, ':');
  if (!d || !m || !y || hms.size() != 3) {
    return std::nullopt;
  }
  if (year.size() == 2) {
    *y += *y < 70 ? 2000 : 1900; // RFC 850 two-digit years
  }
  const auto h = to_int(hms[0]), mi = to_int(hms[1]), s = to_int(hms[2]);
  const std::chrono::year_month_day ymd{
      std::chrono::year(*y), std::chrono::month(*m), std::chrono::day(static_cast<unsigned>(*d))};
  if (!h || !mi || !s || !ymd.ok() || *h > 23 || *mi > 59 || *s > 60) {
    return std::nullopt;
  }
  return std::chrono::sys_days(ymd) + std::chrono::hours(*h) + std::chrono::minutes(*mi)
         + std::chrono::seconds(*s);
}

std::function<double()> default_random() {
  auto state = std::make_shared<std::pair<std::mutex, std::mt19937_64>>();
  state->second.seed(std::random_device{}());
  return [state] {
    const std::lock_guard lock(state->first);
    return std::uniform_real_distribution<double>(0.0, 1.0)(state->second);
  };
}

} // namespace

std::string Failure::describe() const {
  if (kind == Kind::network) {
    return "network error: " + message;
  }
  if (kind == Kind::integrity) {
    return message;
  }
  std::string text = "HTTP " + std::to_string(status);
  if (!code.empty()) {
    text += " " + code;
  }
  return text;
}

bool is_retryable(const Failure& failure) {
  if (failure.kind != Failure::Kind::http_status) {
    return true;
  }
  if (contains(k_fatal_codes, failure.code)) {
    return false;
  }
  if (contains(k_retryable_codes, failure.code)) {
    return true;
  }
  const int s = failure.status;
  return s == 408 || s == 429 || (s >= 500 && s != 501 && s != 505);
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::sys_seconds now) {
  value = util::trim(value);
  if (util::is_decimal(value)) {
    if (value.size() > 9) {
      return std::nullopt; // more than 30 years: not a real request
    }
    return std::chrono::seconds(*to_int(value));
  }
  const auto date = parse_http_date(value);
  if (!date) {
    return std::nullopt;
  }
  return *date > now ? milliseconds(*date - now) : milliseconds(0);
}

Failure
failure_from_response(const Response& response, std::chrono::sys_seconds now, std::string code) {
  Failure failure;
  failure.kind = Failure::Kind::http_status;
  failure.status = response.status;
  failure.code = std::move(code);
  if (const auto value = response.header("Retry-After")) {
    failure.retry_after = parse_retry_after(*value, now);
  }
  return failure;
}

std::optional<Failure> failure_from_exception(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const NetworkError& e) {
    return Failure{Failure::Kind::network, 0, {}, e.what(), std::nullopt};
  } catch (const IntegrityError& e) {
    return Failure{Failure::Kind::integrity, 0, {}, e.what(), std::nullopt};
  } catch (const StatusError& e) {
    return Failure{Failure::Kind::http_status, e.status(), e.code(), e.what(), e.retry_after()};
  } catch (const RemoteError& e) {
    return Failure{Failure::Kind::http_status, e.status(), e.code(), e.what(), std::nullopt};
  } catch (...) {
    return std::nullopt;
  }
}

RetryPolicy::RetryPolicy(RetryOptions options, std::function<double()> random01)
    : m_options(options), m_random01(random01 ? std::move(random01) : default_random()) {}

std::optional<milliseconds> RetryPolicy::next_delay(int attempt, const Failure& failure) const {
  const bool integrity = failure.kind == Failure::Kind::integrity;
  if (attempt >= m_options.max_attempts || !is_retryable(failure)
      || (integrity && !m_options.retry_integrity) || (!integrity && m_options.integrity_only)) {
    return std::nullopt;
  }
  if (failure.retry_after) {
    if (*failure.retry_after > m_options.max_retry_after) {
      return std::nullopt;
    }
    return *failure.retry_after;
  }
  // Doubling stops once past the cap, so large attempt numbers cannot overflow.
  auto ceiling = static_cast<double>(m_options.base_delay.count());
  const auto cap = static_cast<double>(m_options.max_delay.count());
  for (int i = 1; i < attempt && ceiling < cap; ++i) {
    ceiling *= 2;
  }
  ceiling = std::min(ceiling, cap);
  const double jitter = std::clamp(m_options.jitter, 0.0, 1.0);
  const double random = std::clamp(m_random01(), 0.0, 1.0);
  return milliseconds(std::llround(ceiling * (1.0 - jitter * random)));
}

void RealSleeper::sleep(milliseconds delay) {
  std::this_thread::sleep_for(delay);
}

std::string format_delay(milliseconds delay) {
  if (delay < std::chrono::seconds(1)) {
    return std::to_string(delay.count()) + " ms";
  }
  return util::format_fixed1(static_cast<double>(delay.count()) / 1000) + " s";
}

namespace detail {

std::optional<milliseconds> decide_retry(const RetryPolicy& policy,
                                         std::string_view operation,
                                         int attempt,
                                         const std::exception_ptr& error) {
  const auto failure = failure_from_exception(error);
  if (!failure) {
    return std::nullopt;
  }
  const auto delay = policy.next_delay(attempt, *failure);
  if (!delay) {
    if (attempt > 1) {
      util::log_info("giving up on " + std::string(operation) + " after " + std::to_string(attempt)
                     + " attempts: " + failure->describe());
    }
    return std::nullopt;
  }
  util::log_info("retrying " + std::string(operation) + " in " + format_delay(*delay) + " (attempt "
                 + std::to_string(attempt + 1) + "/" + std::to_string(policy.options().max_attempts)
                 + "): " + failure->describe());
  return delay;
}

} // namespace detail

} // namespace rockart::http
