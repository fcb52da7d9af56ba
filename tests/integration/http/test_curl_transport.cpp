// SPDX-License-Identifier: MIT
// CurlTransport against a real local HTTP/1.1 server (tests/fakes/http_origin.py).
#include "http_fixture.hpp"

#include <rockart/error.hpp>
#include <rockart/util/hash.hpp>

#include <algorithm>
#include <atomic>
#include <regex>
#include <thread>

namespace rockart::test {
namespace {

using http::Request;
using http::Response;

class CurlTransportTest : public HttpServers {};

TEST_F(CurlTransportTest, GetReturnsBodyAndCaseInsensitiveHeaders) {
  const Response response = get(origin("/bytes/1000"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, pattern(0, 1000));
  EXPECT_EQ(response.header("content-LENGTH"), "1000");
  EXPECT_EQ(response.header("Accept-Ranges"), "bytes");
  EXPECT_FALSE(response.header("X-Missing").has_value());
  EXPECT_EQ(response.bytes_received, 1000u);
}

TEST_F(CurlTransportTest, PutSendsBodyAndHeadersInOrder) {
  Request request;
  request.method = "PUT";
  request.url = origin("/echo?x=1");
  request.headers = {{"X-First", "a"}, {"Content-Type", "text/plain"}, {"X-Empty", ""}};
  request.body = std::string("hello, world");
  const Response response = m_transport.perform(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.body.find(R"("method": "PUT")"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find(R"("query": "x=1")"), std::string::npos);
  EXPECT_NE(response.body.find(R"(["X-First", "a"], ["Content-Type", "text/plain"])"),
            std::string::npos);
  EXPECT_NE(response.body.find(R"(["X-Empty", ""])"), std::string::npos);
  EXPECT_NE(response.body.find(R"("body": "hello, world")"), std::string::npos);
  EXPECT_EQ(response.body.find("Expect"), std::string::npos); // no 100-continue round trip
  EXPECT_EQ(response.bytes_sent, 12u);
}

TEST_F(CurlTransportTest, HeadHasHeadersButNoBody) {
  Request request;
  request.method = "HEAD";
  request.url = origin("/bytes/5000");
  const Response response = m_transport.perform(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("Content-Length"), "5000");
  EXPECT_TRUE(response.body.empty());
}

TEST_F(CurlTransportTest, OtherMethodsAndEmptyBodies) {
  for (const std::string method : {"DELETE", "POST", "PUT"}) {
    Request request;
    request.method = method;
    request.url = origin("/echo");
    const Response response = m_transport.perform(request);
    ASSERT_EQ(response.status, 200) << method;
    EXPECT_NE(response.body.find("\"method\": \"" + method + "\""), std::string::npos);
    EXPECT_NE(response.body.find(R"("body_length": 0)"), std::string::npos);
  }
}

TEST_F(CurlTransportTest, RangeRequestReturnsPartialContent) {
  Request request;
  request.url = origin("/bytes/100000");
  request.headers = {{"Range", "bytes=1000-1999"}};
  const Response response = m_transport.perform(request);
  EXPECT_EQ(response.status, 206);
  EXPECT_EQ(response.header("Content-Range"), "bytes 1000-1999/100000");
  EXPECT_EQ(response.body, pattern(1000, 1000));
}

TEST_F(CurlTransportTest, ErrorStatusIsReturnedNotThrown) {
  const Response response = get(origin("/status/404?code=NoSuchKey"));
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body.find("<Code>NoSuchKey</Code>"), std::string::npos);
  EXPECT_EQ(response.header("x-amz-request-id"), "ORIGIN0001");
}

TEST_F(CurlTransportTest, StreamsLargeDownloadToSinkWithoutBuffering) {
  constexpr std::uint64_t k_size = 32 << 20;
  std::uint64_t seen = 0;
  std::size_t largest_chunk = 0;
  bool pattern_ok = true;
  Request request;
  request.url = origin("/bytes/" + std::to_string(k_size));
  request.sink = [&](std::string_view chunk) {
    for (std::size_t i = 0; i < chunk.size() && pattern_ok; i += 4093) {
      pattern_ok = chunk[i] == pattern_byte(seen + i);
    }
    pattern_ok =
        pattern_ok && (chunk.empty() || chunk.back() == pattern_byte(seen + chunk.size() - 1));
    seen += chunk.size();
    largest_chunk = std::max(largest_chunk, chunk.size());
  };
  const Response response = m_transport.perform(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(seen, k_size);
  EXPECT_EQ(response.bytes_received, k_size);
  EXPECT_TRUE(pattern_ok);
  EXPECT_TRUE(response.body.empty());
  EXPECT_LE(largest_chunk, 1u << 20) << "the body was buffered before reaching the sink";
}

TEST_F(CurlTransportTest, ErrorBodyBypassesSink) {
  bool sink_called = false;
  Request request;
  request.url = origin("/status/403?code=AccessDenied");
  request.sink = [&](std::string_view) {
    sink_called = true;
  };
  const Response response = m_transport.perform(request);
  EXPECT_EQ(response.status, 403);
  EXPECT_FALSE(sink_called);
  EXPECT_NE(response.body.find("<Code>AccessDenied</Code>"), std::string::npos);
}

TEST_F(CurlTransportTest, SinkExceptionAbortsTransferAndReachesCaller) {
  std::uint64_t seen = 0;
  Request request;
  request.url = origin("/bytes/" + std::to_string(8 << 20));
  request.sink = [&](std::string_view chunk) {
    seen += chunk.size();
    if (seen > (1 << 20)) {
      throw LocalIoError("disk full while writing out.bin");
    }
  };
  EXPECT_ERROR(m_transport.perform(request), LocalIoError, "disk full while writing out.bin");
  EXPECT_LT(seen, 2u << 20);
  EXPECT_EQ(get(origin("/bytes/10")).body, pattern(0, 10)); // the transport still works
}

TEST_F(CurlTransportTest, StreamsUploadFromSource) {
  constexpr std::uint64_t k_size = 16 << 20;
  std::uint64_t produced = 0;
  util::Sha256 expected;
  Request request;
  request.method = "PUT";
  request.url = origin("/echo");
  request.body = http::BodySource{k_size,
                                  [&](char* buffer, std::size_t size) {
                                    const auto n = std::min<std::uint64_t>(size, k_size - produced);
                                    const std::string data = pattern(produced, n);
                                    std::copy(data.begin(), data.end(), buffer);
                                    expected.update(data);
                                    produced += n;
                                    return static_cast<std::size_t>(n);
                                  },
                                  nullptr};
  const Response response = m_transport.perform(request);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(response.bytes_sent, k_size);
  EXPECT_NE(response.body.find(R"("body_length": 16777216)"), std::string::npos);
  EXPECT_NE(response.body.find("\"body_sha256\": \"" + util::to_hex(expected.digest()) + "\""),
            std::string::npos);
}

TEST_F(CurlTransportTest, UploadsFileRange) {
  const TempDir dir;
  const std::string content = pattern(0, 3'000'000);
  write_file(dir.path() / "part.bin", content);
  Request request;
  request.method = "PUT";
  request.url = origin("/echo");
  request.body = http::FileRange{dir.path() / "part.bin", 1'000'000, 1'500'000};
  const Response response = m_transport.perform(request);
  ASSERT_EQ(response.status, 200);
  const std::string slice = content.substr(1'000'000, 1'500'000);
  EXPECT_NE(response.body.find("\"body_sha256\": \"" + util::sha256_hex(slice) + "\""),
            std::string::npos);
}

TEST_F(CurlTransportTest, ShortSourceOrMissingFileIsALocalError) {
  Request request;
  request.method = "PUT";
  request.url = origin("/echo");
  request.body =
      http::BodySource{100, [](char*, std::size_t) -> std::size_t { return 0; }, nullptr};
  EXPECT_ERROR(
      m_transport.perform(request), LocalIoError, "upload body ended after 0 of 100 bytes");
  request.body = http::FileRange{"/nonexistent/part.bin", 0, 10};
  EXPECT_ERROR(m_transport.perform(request),
               LocalIoError,
               "cannot open '/nonexistent/part.bin' (bytes 0+10) for upload");
}

TEST_F(CurlTransportTest, ReusesConnectionsAcrossRequests) {
  const long before = json_number(get(origin("/__stats")).body, "connections");
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(get(origin("/bytes/100")).status, 200);
  }
  const long after = json_number(get(origin("/__stats")).body, "connections");
  EXPECT_LE(after - before, 1) << "20 requests opened " << (after - before) << " connections";
}

TEST_F(CurlTransportTest, SharedByManyThreadsWithConnectionReuse) {
  constexpr int k_threads = 8;
  constexpr int k_requests = 25;
  const long before = json_number(get(origin("/__stats")).body, "connections");
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < k_requests; ++i) {
        const std::uint64_t size = 1000 + static_cast<std::uint64_t>(t * 100 + i);
        Request request;
        request.url = origin("/bytes/" + std::to_string(size));
        const Response response = m_transport.perform(request);
        good += response.status == 200 && response.body == pattern(0, size) ? 1 : 0;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(good.load(), k_threads * k_requests);
  const long opened = json_number(get(origin("/__stats")).body, "connections") - before;
  EXPECT_LE(opened, 2 * k_threads) << "connections were not reused across requests";
}

TEST_F(CurlTransportTest, ConnectFailureIsANetworkError) {
  // Port 1 is privileged and never listened on here, so the connect is refused at once.
  EXPECT_ERROR(get("http://127.0.0.1:1/x"), NetworkError, "GET http://127.0.0.1:1/x: ");
}

TEST_F(CurlTransportTest, TlsHandshakeFailureIsANetworkError) {
  // The origin speaks plain HTTP, so a TLS client hello cannot succeed.
  const std::string url = "https://127.0.0.1:" + std::to_string(s_origin->port()) + "/bytes/10";
  EXPECT_ERROR(get(url), NetworkError, "GET " + url + ": TLS failure: ");
}

TEST_F(CurlTransportTest, LogsOneRedactedDebugLinePerExchange) {
  std::vector<std::string> lines;
  util::set_log_sink([&](util::LogLevel, std::string_view line) { lines.emplace_back(line); });
  const auto saved = util::log_level();
  util::set_log_level(util::LogLevel::debug);
  get(origin("/bytes/1536?X-Amz-Signature=topsecret"));
  util::set_log_level(saved);
  ASSERT_EQ(lines.size(), 1u);
  const std::regex expected("rockart: debug: http: GET http://127\\.0\\.0\\.1:[0-9]+/bytes/1536"
                            "\\?X-Amz-Signature=\\*\\*\\*\\* -> 200 in [0-9]+ ms \\(1\\.5 KiB\\)");
  EXPECT_TRUE(std::regex_match(lines[0], expected)) << lines[0];
  EXPECT_EQ(lines[0].find("topsecret"), std::string::npos);
}

} // namespace
} // namespace rockart::test
