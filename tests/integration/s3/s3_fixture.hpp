// SPDX-License-Identifier: MIT
// Shared by the S3 integration tests: one moto server and one fault proxy in
// front of it for the whole suite, a client factory and small helpers.
#pragma once

#include "support/moto_config.hpp"

#include <rockart/http/curl_transport.hpp>
#include <rockart/s3/client.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>

#include <support/support.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rockart::test {

// Records each requested delay but sleeps at most 5 ms, so Retry-After costs nothing.
class FastSleeper final : public http::Sleeper {
public:
  void sleep(std::chrono::milliseconds delay) override {
    {
      const std::lock_guard lock(m_mutex);
      m_delays.push_back(delay);
    }
    std::this_thread::sleep_for(std::min(delay, std::chrono::milliseconds(5)));
  }

  std::vector<std::chrono::milliseconds> delays() const {
    const std::lock_guard lock(m_mutex);
    return m_delays;
  }

private:
  mutable std::mutex m_mutex;
  std::vector<std::chrono::milliseconds> m_delays;
};

// Deterministic bytes: a cheap xorshift stream so corruption anywhere shows.
inline std::string test_bytes(std::size_t size, std::uint64_t seed) {
  std::string out(size, '\0');
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (std::size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x & 0xFF);
  }
  return out;
}

class S3Servers : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_moto = start_moto();
    if (s_moto->ok()) {
      s_proxy = start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
    }
  }

  static void TearDownTestSuite() {
    s_proxy.reset();
    s_moto.reset();
  }

  void SetUp() override {
    if (!s_moto->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start moto: " + s_moto->error());
    }
    if (!s_proxy || !s_proxy->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start fault_proxy.py: " + s_proxy->error());
    }
    ASSERT_EQ(control("/__reset", "").status, 200);
    m_bucket = "rockart-test-" + std::to_string(s_bucket_counter++);
    client().create_bucket(m_bucket);
  }

  void TearDown() override { util::set_log_sink(nullptr); }

  static s3::S3Config config_for(const std::string& url) { return moto_s3_config(url); }

  static s3::ClientOptions fast_options() {
    s3::ClientOptions options;
    options.retry.max_attempts = 4;
    options.retry.base_delay = std::chrono::milliseconds(1);
    options.retry.max_delay = std::chrono::milliseconds(10);
    return options;
  }

  // A client talking to moto directly.
  s3::Client& client() {
    if (!m_direct) {
      m_direct = std::make_unique<s3::Client>(
          config_for(s_moto->url()), m_transport, m_sleeper, fast_options());
    }
    return *m_direct;
  }

  // A client talking to moto through the fault proxy, with `options`.
  std::unique_ptr<s3::Client> proxied(const s3::ClientOptions& options = fast_options()) {
    return std::make_unique<s3::Client>(
        config_for(s_proxy->url()), m_transport, m_sleeper, options);
  }

  // POSTs `body` to a proxy control path such as /__faults.
  http::Response control(const std::string& path, std::string body) {
    http::Request request;
    request.method = path == "/__stats" ? "GET" : "POST";
    request.url = s_proxy->url() + path;
    if (request.method == "POST") {
      request.body = std::move(body);
    }
    return m_transport.perform(request);
  }

  void faults(const std::string& json) {
    const auto response = control("/__faults", json);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  // How many requests the proxy forwarded or faulted for `key` ("GET /b/k").
  long proxy_count(const std::string& key) {
    const std::string stats = control("/__stats", "").body;
    const auto at = stats.find("\"" + key + "\": ");
    return at == std::string::npos ? 0 : std::stol(stats.substr(at + key.size() + 4));
  }

  static std::string file_sha256(const std::filesystem::path& path) {
    return util::sha256_hex(read_file(path));
  }

  http::CurlTransport m_transport;
  FastSleeper m_sleeper;
  std::unique_ptr<s3::Client> m_direct;
  std::string m_bucket;
  TempDir m_dir;

  static inline std::unique_ptr<LocalServer> s_moto;
  static inline std::unique_ptr<LocalServer> s_proxy;
  static inline std::atomic<int> s_bucket_counter{0};
};

} // namespace rockart::test
