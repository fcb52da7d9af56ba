// SPDX-License-Identifier: MIT
#include "s3_options.hpp"

#include "environment.hpp"

#include <rockart/util/log.hpp>

#include <atomic>

namespace rockart::cli {

void add_s3_options(CLI::App& command, S3Options& options) {
  command.add_option("--endpoint-url",
                     options.endpoint_url,
                     "S3 endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)");
  command.add_option(
      "--region", options.region, "AWS region (default: AWS_REGION, profile, us-east-2)");
  command.add_flag("--no-sign-request",
                   options.no_sign_request,
                   "Send anonymous requests even when credentials are configured");
}

// Counts requests on their way to the real transport (for --stats).
struct S3Session::CountingTransport final : http::Transport {
  explicit CountingTransport(http::Transport& wrapped) : inner(wrapped) {}

  http::Response perform(const http::Request& request) override {
    ++count;
    return inner.perform(request);
  }

  http::Transport& inner;
  std::atomic<std::uint64_t> count{0};
};

S3Session::S3Session(const S3Options& options, s3::ClientOptions client_options) {
  s3::ResolveOptions resolve = s3::default_aws_paths(process_env);
  resolve.env = process_env;
  resolve.no_sign_request = options.no_sign_request;
  resolve.region = options.region;
  resolve.endpoint_url = options.endpoint_url;
  s3::S3Config config = s3::resolve_s3_config(resolve);
  util::log_debug("s3: credentials from " + config.credentials_source + " ("
                  + s3::describe(config.credentials) + "), region " + config.region + " from "
                  + config.region_source + ", endpoint from " + config.endpoint.source);
  m_curl = std::make_unique<http::CurlTransport>();
  m_counting = std::make_unique<CountingTransport>(*m_curl);
  m_client = std::make_unique<s3::Client>(
      std::move(config), *m_counting, m_sleeper, std::move(client_options));
}

http::Transport& S3Session::transport() {
  return *m_counting;
}

S3Session::~S3Session() = default;

std::uint64_t S3Session::requests() const {
  return m_counting->count.load();
}

} // namespace rockart::cli
