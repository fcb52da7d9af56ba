// SPDX-License-Identifier: MIT
#include <rockart/http/curl_transport.hpp>
#include <rockart/s3/session.hpp>
#include <rockart/util/log.hpp>

namespace rockart::s3 {

Session::Session(const util::EnvLookup& env, const SessionFlags& flags, ClientOptions options) {
  ResolveOptions resolve = default_aws_paths(env);
  resolve.env = env;
  resolve.no_sign_request = flags.no_sign_request;
  resolve.profile = flags.profile;
  resolve.region = flags.region;
  resolve.endpoint_url = flags.endpoint_url;
  S3Config config = resolve_s3_config(resolve);
  util::log_debug("s3: credentials from " + config.credentials_source + " ("
                  + describe(config.credentials) + "), region " + config.region + " from "
                  + config.region_source + ", endpoint from " + config.endpoint.source);
  http::CurlOptions curl;
  if (flags.read_timeout) {
    curl.timeouts.stall_time = std::chrono::seconds(*flags.read_timeout);
    if (*flags.read_timeout == 0) {
      curl.timeouts.stall_bytes_per_second = 0; // libcurl: no low-speed check
    }
  }
  if (flags.connect_timeout) {
    curl.timeouts.connect = std::chrono::seconds(*flags.connect_timeout);
  }
  m_counting =
      std::make_unique<http::CountingTransport>(std::make_unique<http::CurlTransport>(curl));
  m_client =
      std::make_unique<Client>(std::move(config), *m_counting, m_sleeper, std::move(options));
}

Session::~Session() = default;

} // namespace rockart::s3
