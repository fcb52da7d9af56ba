// SPDX-License-Identifier: MIT
// The retry policy is pure: fixed random values, recorded sleeps, captured log lines.
#include "support/log_capture.hpp"

#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/util/log.hpp>

#include <gtest/gtest.h>

#include <support/support.hpp>

#include <string>
#include <vector>

namespace {

using namespace rockart;
using rockart::test::LogCapture;
using namespace rockart::http;
using std::chrono::milliseconds;
using std::chrono::seconds;

Failure status(int code, std::string service_code = {}) {
  Failure f;
  f.kind = Failure::Kind::http_status;
  f.status = code;
  f.code = std::move(service_code);
  return f;
}

Failure network() {
  return Failure{Failure::Kind::network, 0, {}, "connection reset", {}};
}

Failure integrity() {
  return Failure{Failure::Kind::integrity, 0, {}, "sha256 mismatch for a.tar.zst", {}};
}

RetryOptions options(int attempts, int base_ms, int max_ms, double jitter) {
  RetryOptions o;
  o.max_attempts = attempts;
  o.base_delay = milliseconds(base_ms);
  o.max_delay = milliseconds(max_ms);
  o.jitter = jitter;
  return o;
}

// A fixed "random" value makes every delay exact.
RetryPolicy fixed(RetryOptions o, double value) {
  return RetryPolicy(o, [value] { return value; });
}

class RecordingSleeper final : public Sleeper {
public:
  void sleep(milliseconds delay) override { delays.push_back(delay); }

  std::vector<milliseconds> delays;
};

struct ClassificationCase {
  const char* name;
  Failure failure;
  bool retryable;
};

TEST(RetryClassification, MatchesTable) {
  const std::vector<ClassificationCase> cases = {
      {"network", network(), true},
      {"integrity", integrity(), true},
      {"500", status(500), true},
      {"502", status(502), true},
      {"503", status(503), true},
      {"504", status(504), true},
      {"503 SlowDown", status(503, "SlowDown"), true},
      {"500 InternalError", status(500, "InternalError"), true},
      {"400 RequestTimeout", status(400, "RequestTimeout"), true},
      {"429", status(429), true},
      {"408", status(408), true},
      {"501", status(501), false},
      {"505", status(505), false},
      {"400", status(400), false},
      {"401", status(401), false},
      {"403", status(403), false},
      {"404", status(404), false},
      {"403 AccessDenied", status(403, "AccessDenied"), false},
      {"403 SignatureDoesNotMatch", status(403, "SignatureDoesNotMatch"), false},
      {"403 InvalidAccessKeyId", status(403, "InvalidAccessKeyId"), false},
      {"400 ExpiredToken", status(400, "ExpiredToken"), false},
      {"403 RequestTimeTooSkewed", status(403, "RequestTimeTooSkewed"), false},
      {"404 NoSuchKey", status(404, "NoSuchKey"), false},
      {"404 NoSuchBucket", status(404, "NoSuchBucket"), false},
      {"507", status(507), true},
      {"503 ServiceUnavailable", status(503, "ServiceUnavailable"), true},
      {"400 Throttling", status(400, "Throttling"), true},
      {"400 ThrottlingException", status(400, "ThrottlingException"), true},
      {"429 TooManyRequests", status(429, "TooManyRequests"), true},
      {"400 AuthorizationHeaderMalformed", status(400, "AuthorizationHeaderMalformed"), false},
      {"400 InvalidToken", status(400, "InvalidToken"), false},
      // A signature error is final even if a proxy dressed it up as a 5xx.
      {"500 SignatureDoesNotMatch", status(500, "SignatureDoesNotMatch"), false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(is_retryable(c.failure), c.retryable) << c.name;
  }
}

TEST(RetryPolicy, BackoffDoublesWithoutJitter) {
  const auto policy = fixed(options(6, 100, 100'000, 0.0), 0.7);
  EXPECT_EQ(policy.next_delay(1, status(503)), milliseconds(100));
  EXPECT_EQ(policy.next_delay(2, status(503)), milliseconds(200));
  EXPECT_EQ(policy.next_delay(3, status(503)), milliseconds(400));
  EXPECT_EQ(policy.next_delay(4, network()), milliseconds(800));
  EXPECT_EQ(policy.next_delay(5, network()), milliseconds(1600));
}

TEST(RetryPolicy, BackoffIsCappedAtMaxDelay) {
  const auto policy = fixed(options(100, 1000, 5000, 0.0), 0.0);
  EXPECT_EQ(policy.next_delay(3, status(500)), milliseconds(4000));
  EXPECT_EQ(policy.next_delay(4, status(500)), milliseconds(5000));
  EXPECT_EQ(policy.next_delay(60, status(500)), milliseconds(5000)); // no overflow
}

TEST(RetryPolicy, FullJitterSpansZeroToCeiling) {
  const auto o = options(5, 1000, 20'000, 1.0);
  EXPECT_EQ(fixed(o, 0.0).next_delay(3, status(503)), milliseconds(4000));
  EXPECT_EQ(fixed(o, 0.25).next_delay(3, status(503)), milliseconds(3000));
  EXPECT_EQ(fixed(o, 0.999).next_delay(3, status(503)), milliseconds(4));
}

TEST(RetryPolicy, PartialJitterKeepsAFloor) {
  const auto o = options(5, 1000, 20'000, 0.5);
  EXPECT_EQ(fixed(o, 0.0).next_delay(2, network()), milliseconds(2000));
  EXPECT_EQ(fixed(o, 0.5).next_delay(2, network()), milliseconds(1500));
}

TEST(RetryPolicy, DefaultRandomStaysWithinBounds) {
  const RetryPolicy policy(options(5, 1000, 20'000, 1.0));
  for (int i = 0; i < 200; ++i) {
    const auto delay = policy.next_delay(2, status(503));
    ASSERT_TRUE(delay.has_value());
    EXPECT_GE(*delay, milliseconds(0));
    EXPECT_LE(*delay, milliseconds(2000));
  }
}

TEST(RetryPolicy, StopsAtMaxAttemptsAndOnFatalFailures) {
  const auto policy = fixed(options(3, 10, 1000, 0.0), 0.0);
  EXPECT_TRUE(policy.next_delay(2, status(503)).has_value());
  EXPECT_FALSE(policy.next_delay(3, status(503)).has_value());
  EXPECT_FALSE(policy.next_delay(1, status(403)).has_value());
  EXPECT_FALSE(policy.next_delay(1, status(404, "NoSuchKey")).has_value());
}

TEST(RetryPolicy, HonoursRetryAfterUnlessTooLong) {
  auto o = options(5, 10, 1000, 1.0);
  o.max_retry_after = seconds(60);
  const auto policy = fixed(o, 0.5);
  Failure f = status(503, "SlowDown");
  f.retry_after = seconds(3); // longer than max_delay: the server knows best
  EXPECT_EQ(policy.next_delay(1, f), milliseconds(3000));
  f.retry_after = seconds(61);
  EXPECT_FALSE(policy.next_delay(1, f).has_value());
  f = status(403);
  f.retry_after = seconds(1); // never makes a fatal failure retryable
  EXPECT_FALSE(policy.next_delay(1, f).has_value());
}

TEST(RetryAfter, ParsesSecondsAndHttpDates) {
  using namespace std::chrono;
  const sys_seconds now = sys_days(year(1994) / November / 6) + hours(8) + minutes(49) + seconds(7);
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120'000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(30'000));
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), milliseconds(30'000));
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), milliseconds(30'000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), milliseconds(0)); // past
  for (const char* bad : {"",
                          "-5",
                          "1.5",
                          "soon",
                          "Sun, 32 Nov 1994 08:49:37 GMT",
                          "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 25:00:00 GMT",
                          "99999999999999"}) {
    EXPECT_FALSE(parse_retry_after(bad, now).has_value()) << bad;
  }
}

TEST(RetryAfter, FailureFromResponseReadsHeader) {
  Response response;
  response.status = 503;
  response.headers = {{"x-amz-request-id", "R1"}, {"retry-after", "2"}};
  const Failure f = failure_from_response(response, std::chrono::sys_seconds{}, "SlowDown");
  EXPECT_EQ(f.kind, Failure::Kind::http_status);
  EXPECT_EQ(f.status, 503);
  EXPECT_EQ(f.code, "SlowDown");
  EXPECT_EQ(f.retry_after, milliseconds(2000));
  EXPECT_EQ(f.describe(), "HTTP 503 SlowDown");
}

TEST(RetryFailure, ClassifiesExceptions) {
  const auto net = failure_from_exception(std::make_exception_ptr(NetworkError("reset")));
  ASSERT_TRUE(net.has_value());
  EXPECT_EQ(net->describe(), "network error: reset");
  const auto remote = failure_from_exception(
      std::make_exception_ptr(StatusError("slow", 503, "SlowDown", "id", "", seconds(1))));
  ASSERT_TRUE(remote.has_value());
  EXPECT_EQ(remote->status, 503);
  EXPECT_EQ(remote->retry_after, milliseconds(1000));
  const auto damaged = failure_from_exception(std::make_exception_ptr(IntegrityError("bad sha")));
  ASSERT_TRUE(damaged.has_value());
  EXPECT_EQ(damaged->kind, Failure::Kind::integrity);
  EXPECT_EQ(damaged->describe(), "bad sha");
  EXPECT_FALSE(failure_from_exception(std::make_exception_ptr(LocalIoError("disk"))));
  EXPECT_FALSE(failure_from_exception(std::make_exception_ptr(NotFoundError("no key"))));
  EXPECT_FALSE(failure_from_exception(std::make_exception_ptr(UsageError("bad flag"))));
  EXPECT_FALSE(failure_from_exception(std::make_exception_ptr(std::logic_error("bug"))));
}

// A single request's resume keeps the bytes it has, so only a whole-archive
// attempt (retry_integrity) may retry damaged bytes.
TEST(RetryPolicy, RetriesIntegrityFailuresOnlyWhenAsked) {
  auto o = options(3, 100, 1000, 0.0);
  EXPECT_EQ(fixed(o, 0.0).next_delay(1, integrity()), std::nullopt);
  o.retry_integrity = true;
  EXPECT_EQ(fixed(o, 0.0).next_delay(1, integrity()), milliseconds(100));
  EXPECT_EQ(fixed(o, 0.0).next_delay(3, integrity()), std::nullopt); // attempts used up
}

// A loop around requests that are retried one by one retries only damaged
// bytes: network and server failures have used their attempts below it.
TEST(RetryPolicy, IntegrityOnlyLeavesNetworkAndServerFailuresToTheLoopBelow) {
  auto o = options(3, 100, 1000, 0.0);
  o.retry_integrity = true;
  o.integrity_only = true;
  EXPECT_EQ(fixed(o, 0.0).next_delay(1, integrity()), milliseconds(100));
  EXPECT_EQ(fixed(o, 0.0).next_delay(1, network()), std::nullopt);
  EXPECT_EQ(fixed(o, 0.0).next_delay(1, status(503, "SlowDown")), std::nullopt);
  o.integrity_only = false;
  EXPECT_EQ(fixed(o, 0.0).next_delay(1, status(503, "SlowDown")), milliseconds(100));
}

TEST(WithRetries, RetriesUntilSuccessAndLogsEachRetry) {
  const LogCapture log;
  RecordingSleeper sleeper;
  const auto policy = fixed(options(5, 2000, 20'000, 0.0), 0.0);
  int calls = 0;
  const int result = with_retries(policy, sleeper, "upload of x.tar.zst", [&](int attempt) {
    EXPECT_EQ(attempt, ++calls);
    if (calls == 1) {
      throw StatusError("slow down", 503, "SlowDown");
    }
    if (calls == 2) {
      throw NetworkError("GET http://h/k: connection lost");
    }
    return 42;
  });
  EXPECT_EQ(result, 42);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sleeper.delays, (std::vector<milliseconds>{milliseconds(2000), milliseconds(4000)}));
  ASSERT_EQ(log.lines.size(), 2u);
  EXPECT_EQ(
      log.lines[0],
      "rockart: info: retrying upload of x.tar.zst in 2.0 s (attempt 2/5): HTTP 503 SlowDown");
  EXPECT_EQ(log.lines[1],
            "rockart: info: retrying upload of x.tar.zst in 4.0 s (attempt 3/5): "
            "network error: GET http://h/k: connection lost");
}

TEST(WithRetries, StopsAtMaxAttemptsAndRethrowsLastError) {
  const LogCapture log;
  RecordingSleeper sleeper;
  const auto policy = fixed(options(3, 5, 100, 0.0), 0.0);
  int calls = 0;
  EXPECT_ERROR(with_retries(policy,
                            sleeper,
                            "download of k",
                            [&] {
                              ++calls;
                              throw StatusError("attempt " + std::to_string(calls), 503);
                            }),
               StatusError,
               "attempt 3");
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(sleeper.delays, (std::vector<milliseconds>{milliseconds(5), milliseconds(10)}));
  ASSERT_EQ(log.lines.size(), 3u);
  EXPECT_EQ(log.lines[1], "rockart: info: retrying download of k in 10 ms (attempt 3/3): HTTP 503");
  EXPECT_EQ(log.lines[2], "rockart: info: giving up on download of k after 3 attempts: HTTP 503");
}

TEST(WithRetries, NeverRetriesFatalOrNonRemoteErrors) {
  const LogCapture log;
  RecordingSleeper sleeper;
  const auto policy = fixed(options(5, 5, 100, 0.0), 0.0);
  int calls = 0;
  EXPECT_ERROR(with_retries(policy,
                            sleeper,
                            "op",
                            [&] {
                              ++calls;
                              throw StatusError("denied", 403, "AccessDenied");
                            }),
               StatusError,
               "denied");
  EXPECT_ERROR(with_retries(policy,
                            sleeper,
                            "op",
                            [&] {
                              ++calls;
                              throw LocalIoError("no such file: a.tar");
                            }),
               LocalIoError,
               "no such file");
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(sleeper.delays.empty());
  EXPECT_TRUE(log.lines.empty());
}

TEST(FormatDelay, SwitchesUnitsAtOneSecond) {
  EXPECT_EQ(format_delay(milliseconds(0)), "0 ms");
  EXPECT_EQ(format_delay(milliseconds(999)), "999 ms");
  EXPECT_EQ(format_delay(milliseconds(1000)), "1.0 s");
  EXPECT_EQ(format_delay(milliseconds(2460)), "2.5 s");
}

} // namespace
