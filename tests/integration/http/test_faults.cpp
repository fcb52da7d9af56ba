// SPDX-License-Identifier: MIT
// CurlTransport and with_retries through tests/fakes/fault_proxy.py: every injected fault
// ends in a correct result after retries or in a clear error, never in a short body.
#include "http_fixture.hpp"

#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>

#include <thread>

namespace rockart::test {
namespace {

using http::Request;
using http::Response;
using std::chrono::milliseconds;

class FaultTest : public HttpServers {
protected:
  // Requests `path` through the proxy, streaming into `received` when `use_sink`.
  Response fetch(const std::string& path, std::string* received = nullptr) {
    Request request;
    request.url = proxy(path);
    if (received != nullptr) {
      request.sink = [received](std::string_view chunk) {
        received->append(chunk);
      };
    }
    return m_transport.perform(request);
  }

  long proxy_count(const std::string& key) {
    const std::string stats = get(proxy("/__stats")).body;
    const auto at = stats.find("\"" + key + "\": ");
    return at == std::string::npos ? 0 : std::stol(stats.substr(at + key.size() + 4));
  }
};

// Records the requested delays but sleeps at most 10 ms, so Retry-After: 1 costs nothing.
class FastSleeper final : public http::Sleeper {
public:
  void sleep(milliseconds delay) override {
    delays.push_back(delay);
    std::this_thread::sleep_for(std::min(delay, milliseconds(10)));
  }

  std::vector<milliseconds> delays;
};

TEST_F(FaultTest, PassesThroughAndCountsRequests) {
  faults(R"({"GET /bytes/4000": ["pass", 200]})");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(fetch("/bytes/4000").body, pattern(0, 4000));
  }
  EXPECT_EQ(proxy_count("GET /bytes/4000"), 3);
  EXPECT_EQ(proxy_count("GET /bytes/9"), 0);
}

TEST_F(FaultTest, ForwardsRangeHeaders) {
  Request request;
  request.url = proxy("/bytes/100000");
  request.headers = {{"Range", "bytes=99990-"}};
  const Response response = m_transport.perform(request);
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(response.body, pattern(99990, 10));
}

TEST_F(FaultTest, ResetMidBodyIsANetworkError) {
  faults(R"({"GET /bytes/4000000": ["reset@1048576"]})");
  std::string received;
  EXPECT_ERROR(fetch("/bytes/4000000", &received),
               NetworkError,
               "GET " + proxy("/bytes/4000000") + ": connection ");
  EXPECT_LE(received.size(), 1048576u);
}

TEST_F(FaultTest, TruncatedBodyIsNeverASilentShortResult) {
  faults(R"({"GET /bytes/5000": ["truncate@1000", "truncate@1000"]})");
  EXPECT_ERROR(fetch("/bytes/5000"), NetworkError, "connection closed after 1000 of 5000 bytes");
  std::string received;
  EXPECT_ERROR(
      fetch("/bytes/5000", &received), NetworkError, "connection closed after 1000 of 5000 bytes");
  EXPECT_EQ(received, pattern(0, 1000));
  EXPECT_EQ(fetch("/bytes/5000").body, pattern(0, 5000)); // queue used up: passes again
}

TEST_F(FaultTest, ContentLengthLongerThanBodyIsANetworkError) {
  faults(R"({"GET /bytes/5000": ["wrong-length"]})");
  EXPECT_ERROR(fetch("/bytes/5000"), NetworkError, "connection closed after 5000 of 5001 bytes");
}

TEST_F(FaultTest, DroppedConnectionIsANetworkError) {
  // Two drops: libcurl rightly resends once when a reused keep-alive connection closes
  // without a response (it may have been idle-closed), so the resend must fail as well.
  faults(R"({"*": ["drop", "drop"]})");
  EXPECT_ERROR(fetch("/bytes/10"), NetworkError, "server closed the connection without a response");
  EXPECT_EQ(proxy_count("GET /bytes/10"), 2);
}

TEST_F(FaultTest, StalledBodyIsAbortedByTheStallTimeout) {
  faults(R"({"GET /bytes/100000": ["slow@200"]})");
  Request request;
  request.url = proxy("/bytes/100000");
  request.timeouts = http::Timeouts{milliseconds(5000), 1024, std::chrono::seconds(1)};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_ERROR(m_transport.perform(request), NetworkError, ": transfer stalled after ");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(FaultTest, SlowButSteadyBodyCompletes) {
  faults(R"({"GET /bytes/60000": ["slow@100000"]})");
  Request request;
  request.url = proxy("/bytes/60000");
  request.timeouts = http::Timeouts{milliseconds(5000), 1024, std::chrono::seconds(1)};
  EXPECT_EQ(m_transport.perform(request).body, pattern(0, 60000));
}

TEST_F(FaultTest, RejectsUnknownFaultActions) {
  const Response response = post(proxy("/__faults"), R"({"GET /x": ["explode"]})");
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("unknown fault action"), std::string::npos);
}

// The operation an S3-style client runs inside with_retries: one attempt, and any error
// status becomes a StatusError carrying the service code and Retry-After.
std::string fetch_or_throw(http::Transport& transport, const std::string& url) {
  Request request;
  request.url = url;
  const Response response = transport.perform(request);
  if (response.status >= 300) {
    const auto open = response.body.find("<Code>");
    const auto close = response.body.find("</Code>");
    const std::string code =
        open == std::string::npos ? "" : response.body.substr(open + 6, close - open - 6);
    const auto failure = http::failure_from_response(
        response, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()), code);
    throw http::StatusError("HTTP " + std::to_string(response.status) + " " + code,
                            response.status,
                            code,
                            "",
                            "",
                            failure.retry_after);
  }
  return response.body;
}

http::RetryPolicy tiny_policy(int attempts) {
  http::RetryOptions options;
  options.max_attempts = attempts;
  options.base_delay = milliseconds(2);
  options.max_delay = milliseconds(10);
  options.jitter = 0;
  return http::RetryPolicy(options, [] { return 0.0; });
}

TEST_F(FaultTest, SlowDownWithRetryAfterIsRetriedToSuccess) {
  faults(R"({"GET /bytes/3000": [{"status": 503, "code": "SlowDown", "retry_after": 1},
                                 "reset@100", 500, 200]})");
  std::vector<std::string> lines;
  util::set_log_sink([&](util::LogLevel, std::string_view line) { lines.emplace_back(line); });
  FastSleeper sleeper;
  const std::string body = http::with_retries(tiny_policy(5), sleeper, "download of k", [&] {
    return fetch_or_throw(m_transport, proxy("/bytes/3000"));
  });
  EXPECT_EQ(body, pattern(0, 3000));
  EXPECT_EQ(proxy_count("GET /bytes/3000"), 4);
  EXPECT_EQ(sleeper.delays,
            (std::vector<milliseconds>{milliseconds(1000), milliseconds(4), milliseconds(8)}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0],
            "rockart: info: retrying download of k in 1.0 s (attempt 2/5): HTTP 503 SlowDown");
  EXPECT_NE(lines[1].find("retrying download of k in 4 ms (attempt 3/5): network error: GET "),
            std::string::npos)
      << lines[1];
  EXPECT_EQ(lines[2],
            "rockart: info: retrying download of k in 8 ms (attempt 4/5): HTTP 500 InternalError");
}

TEST_F(FaultTest, ForbiddenIsNotRetried) {
  faults(R"({"GET /bytes/3000": [403, 200]})");
  FastSleeper sleeper;
  EXPECT_ERROR(
      http::with_retries(tiny_policy(5),
                         sleeper,
                         "download of k",
                         [&] { return fetch_or_throw(m_transport, proxy("/bytes/3000")); }),
      RemoteError,
      "HTTP 403 AccessDenied");
  EXPECT_EQ(proxy_count("GET /bytes/3000"), 1);
  EXPECT_TRUE(sleeper.delays.empty());
}

TEST_F(FaultTest, GivesUpAfterMaxAttempts) {
  faults(R"({"GET /bytes/3000": [503, 503, 503, 200]})");
  FastSleeper sleeper;
  EXPECT_ERROR(
      http::with_retries(tiny_policy(3),
                         sleeper,
                         "download of k",
                         [&] { return fetch_or_throw(m_transport, proxy("/bytes/3000")); }),
      RemoteError,
      "HTTP 503 SlowDown");
  EXPECT_EQ(proxy_count("GET /bytes/3000"), 3);
}

} // namespace
} // namespace rockart::test
