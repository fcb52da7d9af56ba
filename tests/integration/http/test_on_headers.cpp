// SPDX-License-Identifier: MIT
// Request::on_headers against a real server: the final status and headers arrive once,
// before the first body byte, and throwing from the callback aborts the exchange cleanly.
#include "http_fixture.hpp"

#include <rockart/error.hpp>

namespace rockart::test {
namespace {

using http::Headers;
using http::Request;
using http::Response;

// What the callback saw, and how far the body had got when it ran.
struct HeadersSeen {
  int calls = 0;
  int status = 0;
  Headers headers;
  std::uint64_t body_bytes_before = 0;
};

class OnHeadersTest : public HttpServers {
protected:
  // A GET of `url` whose sink counts bytes and whose callback records into `seen`.
  Request recording_get(const std::string& url, HeadersSeen& seen, std::uint64_t& body_bytes) {
    Request request;
    request.url = url;
    request.sink = [&](std::string_view chunk) {
      EXPECT_EQ(seen.calls, 1) << "a body byte reached the sink before on_headers";
      body_bytes += chunk.size();
    };
    request.on_headers = [&](int status, const Headers& headers) {
      ++seen.calls;
      seen.status = status;
      seen.headers = headers;
      seen.body_bytes_before = body_bytes;
    };
    return request;
  }
};

TEST_F(OnHeadersTest, FiresOnceBeforeTheFirstChunkWithTheFinalHeaders) {
  HeadersSeen seen;
  std::uint64_t body_bytes = 0;
  const Response response =
      m_transport.perform(recording_get(origin("/bytes/3000000"), seen, body_bytes));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(body_bytes, 3'000'000u);
  EXPECT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.status, 200);
  EXPECT_EQ(seen.body_bytes_before, 0u);
  EXPECT_EQ(http::find_header(seen.headers, "content-length"), "3000000");
  EXPECT_EQ(http::find_header(seen.headers, "Accept-Ranges"), "bytes");
  EXPECT_EQ(seen.headers, response.headers); // the same list perform() returns
}

TEST_F(OnHeadersTest, RangedResponseCarriesContentRangeUpFront) {
  HeadersSeen seen;
  std::uint64_t body_bytes = 0;
  Request request = recording_get(proxy("/bytes/100000"), seen, body_bytes);
  request.headers = {{"Range", "bytes=99000-"}};
  m_transport.perform(request);
  ASSERT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.status, 206);
  EXPECT_EQ(http::find_header(seen.headers, "Content-Length"), "1000");
  const auto range = http::parse_content_range(
      http::find_header(seen.headers, "Content-Range").value_or("missing"));
  EXPECT_EQ(range, (http::ContentRange{99'000, 99'999, 100'000}));
  EXPECT_EQ(body_bytes, 1000u);
}

TEST_F(OnHeadersTest, InterimResponsesAreNotReported) {
  HeadersSeen seen;
  std::uint64_t body_bytes = 0;
  const Response response =
      m_transport.perform(recording_get(origin("/early-hints/5000"), seen, body_bytes));
  EXPECT_EQ(response.status, 200);
  ASSERT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.status, 200);
  EXPECT_EQ(http::find_header(seen.headers, "X-Final"), "yes");
  EXPECT_FALSE(http::find_header(seen.headers, "X-Interim").has_value());
  EXPECT_FALSE(http::find_header(seen.headers, "Link").has_value());
  EXPECT_EQ(body_bytes, 5000u);
}

TEST_F(OnHeadersTest, FiresOnCompletionWhenThereIsNoBody) {
  for (const auto& [method, path, length] :
       {std::tuple{"HEAD", "/bytes/5000", "5000"}, std::tuple{"GET", "/bytes/0", "0"}}) {
    HeadersSeen seen;
    std::uint64_t body_bytes = 0;
    Request request = recording_get(origin(path), seen, body_bytes);
    request.method = method;
    m_transport.perform(request);
    EXPECT_EQ(seen.calls, 1) << method << " " << path;
    EXPECT_EQ(seen.status, 200);
    EXPECT_EQ(http::find_header(seen.headers, "Content-Length"), length) << method << " " << path;
    EXPECT_EQ(body_bytes, 0u);
  }
}

TEST_F(OnHeadersTest, ReportsErrorStatusesTooWhileTheBodyIsKept) {
  HeadersSeen seen;
  std::uint64_t body_bytes = 0;
  const Response response = m_transport.perform(
      recording_get(origin("/status/503?code=SlowDown&retry_after=7"), seen, body_bytes));
  EXPECT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.status, 503);
  EXPECT_EQ(http::find_header(seen.headers, "Retry-After"), "7");
  EXPECT_EQ(body_bytes, 0u); // error bodies never reach the sink
  EXPECT_NE(response.body.find("<Code>SlowDown</Code>"), std::string::npos);
}

TEST_F(OnHeadersTest, FiresWhenTheBodyFailsBeforeItsFirstByte) {
  faults(R"({"GET /bytes/50000": ["truncate@0"]})");
  HeadersSeen seen;
  std::uint64_t body_bytes = 0;
  EXPECT_ERROR(m_transport.perform(recording_get(proxy("/bytes/50000"), seen, body_bytes)),
               NetworkError,
               "connection closed after 0 of 50000 bytes");
  EXPECT_EQ(seen.calls, 1);
  EXPECT_EQ(seen.status, 200);
  EXPECT_EQ(http::find_header(seen.headers, "Content-Length"), "50000");
}

TEST_F(OnHeadersTest, NotCalledWithoutAResponse) {
  faults(R"({"GET /bytes/50000": ["drop", "drop"]})"); // libcurl may resend once by itself
  HeadersSeen seen;
  std::uint64_t body_bytes = 0;
  EXPECT_THROW(m_transport.perform(recording_get(proxy("/bytes/50000"), seen, body_bytes)),
               NetworkError);
  EXPECT_EQ(seen.calls, 0);
}

TEST_F(OnHeadersTest, ThrowingAbortsBeforeAnyBodyByteAndReachesTheCaller) {
  std::uint64_t body_bytes = 0;
  Request request;
  request.url = proxy("/bytes/" + std::to_string(16 << 20));
  request.sink = [&](std::string_view chunk) {
    body_bytes += chunk.size();
  };
  request.on_headers = [](int status, const Headers& headers) {
    throw IntegrityError("refusing status " + std::to_string(status) + " of "
                         + http::find_header(headers, "Content-Length").value_or("?") + " bytes");
  };
  EXPECT_ERROR(
      m_transport.perform(request), IntegrityError, "refusing status 200 of 16777216 bytes");
  EXPECT_EQ(body_bytes, 0u);
  // One request, not retried or resent, and the transport keeps working afterwards.
  EXPECT_EQ(json_number(get(proxy("/__stats")).body, "total"), 1);
  EXPECT_EQ(get(proxy("/bytes/10")).body, pattern(0, 10));
}

TEST_F(OnHeadersTest, ThrowingOnABodilessResponseReachesTheCaller) {
  Request request;
  request.method = "HEAD";
  request.url = origin("/bytes/10");
  request.on_headers = [](int, const Headers&) {
    throw LocalIoError("no thanks");
  };
  EXPECT_ERROR(m_transport.perform(request), LocalIoError, "no thanks");
  EXPECT_EQ(get(origin("/bytes/10")).body, pattern(0, 10));
}

} // namespace
} // namespace rockart::test
