// SPDX-License-Identifier: MIT
// Shared by the http integration tests: one origin server and one fault proxy in front of
// it for the whole suite, plus small helpers to talk to them.
#pragma once

#include <rockart/http/curl_transport.hpp>
#include <rockart/util/log.hpp>

#include <support/support.hpp>

#include <memory>
#include <string>
#include <vector>

namespace rockart::test {

// byte(i) == i % 251: the pattern http_origin.py serves from /bytes/<n>.
inline char pattern_byte(std::uint64_t index) {
  return static_cast<char>(index % 251);
}

inline std::string pattern(std::uint64_t start, std::uint64_t count) {
  std::string out(count, '\0');
  for (std::uint64_t i = 0; i < count; ++i) {
    out[i] = pattern_byte(start + i);
  }
  return out;
}

class HttpServers : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_origin = start_fake("http_origin.py");
    if (s_origin->ok()) {
      s_proxy = start_fake("fault_proxy.py", {"--upstream", s_origin->url()});
    }
  }

  static void TearDownTestSuite() {
    s_proxy.reset();
    s_origin.reset();
  }

  void SetUp() override {
    if (!s_origin->ok() || !s_proxy || !s_proxy->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start http_origin.py / fault_proxy.py: "
                           + (s_proxy ? s_proxy->error() : s_origin->error()));
    }
    ASSERT_EQ(post(proxy("/__reset"), "").status, 200);
  }

  void TearDown() override { util::set_log_sink(nullptr); }

  static std::string origin(const std::string& path) { return s_origin->url() + path; }

  static std::string proxy(const std::string& path) { return s_proxy->url() + path; }

  http::Response get(const std::string& url) {
    http::Request request;
    request.url = url;
    return m_transport.perform(request);
  }

  http::Response post(const std::string& url, std::string body) {
    http::Request request;
    request.method = "POST";
    request.url = url;
    request.body = std::move(body);
    return m_transport.perform(request);
  }

  // Scripts the proxy; `json` is the POST /__faults body.
  void faults(const std::string& json) {
    const auto response = post(proxy("/__faults"), json);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  // Reads an integer field such as "connections" from a JSON /__stats reply.
  static long json_number(const std::string& json, const std::string& field) {
    const auto at = json.find("\"" + field + "\": ");
    EXPECT_NE(at, std::string::npos) << field << " not in " << json;
    return at == std::string::npos ? -1 : std::stol(json.substr(at + field.size() + 4));
  }

  http::CurlTransport m_transport;

  static inline std::unique_ptr<LocalServer> s_origin;
  static inline std::unique_ptr<LocalServer> s_proxy;
};

} // namespace rockart::test
