// SPDX-License-Identifier: MIT
// The S3 client of one command, set up the way the AWS CLI does: credentials,
// region and endpoint from flags, the AWS_* environment and ~/.aws files; one
// shared libcurl transport; requests counted for --stats.
#pragma once

#include <rockart/http/counting_transport.hpp>
#include <rockart/http/curl_transport.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/client.hpp>
#include <rockart/util/env.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace rockart::s3 {

// The S3 flags every S3-using command shares.
struct SessionFlags {
  std::optional<std::string> endpoint_url; // --endpoint-url
  std::optional<std::string> region;       // --region
  bool no_sign_request = false;            // --no-sign-request
  std::optional<std::string> profile;      // --profile
  // aws cli's names and meaning, in seconds; 0 = no limit. A read timeout
  // abandons a transfer that delivered less than 1 KiB/s for that long (a
  // GET then resumes on a new connection from the last byte received).
  std::optional<int> read_timeout;    // --cli-read-timeout (default 60)
  std::optional<int> connect_timeout; // --cli-connect-timeout (default 30)
};

class Session {
public:
  // Resolves the configuration (throws ConfigError like resolve_s3_config())
  // and logs where each part came from at debug.
  Session(const util::EnvLookup& env, const SessionFlags& flags, ClientOptions options = {});
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Client& client() { return *m_client; }

  // S3 requests sent so far.
  std::uint64_t requests() const { return m_counting->count(); }

private:
  std::unique_ptr<http::CountingTransport> m_counting; // over a CurlTransport of its own
  http::RealSleeper m_sleeper;
  std::unique_ptr<Client> m_client;
};

} // namespace rockart::s3
