// SPDX-License-Identifier: MIT
// The S3 options every S3-using command shares (--endpoint-url, --region,
// --no-sign-request) and the one function that turns them, plus the process
// environment and ~/.aws files, into a ready s3::Client.
#pragma once

#include <rockart/http/curl_transport.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/client.hpp>

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

namespace rockart::cli {

struct S3Options {
  std::optional<std::string> endpoint_url; // --endpoint-url
  std::optional<std::string> region;       // --region
  bool no_sign_request = false;            // --no-sign-request
};

// Adds --endpoint-url, --region and --no-sign-request to `command`.
void add_s3_options(CLI::App& command, S3Options& options);

// A transport, a sleeper and the client that uses them, kept together so
// their lifetimes match. `requests()` counts S3 requests sent (for --stats).
class S3Session {
public:
  S3Session(const S3Options& options, s3::ClientOptions client_options = {});
  ~S3Session(); // defined where CountingTransport is complete

  s3::Client& client() { return *m_client; }

  http::Transport& transport();

  std::uint64_t requests() const;

private:
  struct CountingTransport;
  std::unique_ptr<http::CurlTransport> m_curl;
  std::unique_ptr<CountingTransport> m_counting;
  http::RealSleeper m_sleeper;
  std::unique_ptr<s3::Client> m_client;
};

} // namespace rockart::cli
