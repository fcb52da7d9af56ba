// SPDX-License-Identifier: MIT
#include "s3_options.hpp"

#include "environment.hpp"

namespace rockart::cli {

void add_s3_options(CLI::App& command, S3Options& options) {
  command.add_option("--endpoint-url",
                     options.endpoint_url,
                     "S3 endpoint (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS)");
  command.add_option(
      "--region", options.region, "AWS region (default: AWS_REGION, profile, us-east-2)");
  command.add_option("--profile",
                     options.profile,
                     "Profile of ~/.aws/credentials and ~/.aws/config to use (default: "
                     "AWS_PROFILE, else default); wins over credentials in the environment");
  command.add_flag("--no-sign-request",
                   options.no_sign_request,
                   "Send anonymous requests even when credentials are configured");
  command
      .add_option("--cli-read-timeout",
                  options.read_timeout,
                  "Seconds a transfer may stay under 1 KiB/s before it is abandoned and resumed "
                  "on a new connection (default 60; 0 = never)")
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--cli-connect-timeout",
                  options.connect_timeout,
                  "Seconds to wait for a connection (default 30)")
      ->check(CLI::PositiveNumber);
}

S3Session::S3Session(const S3Options& options, s3::ClientOptions client_options)
    : s3::Session(process_env, options, std::move(client_options)) {}

} // namespace rockart::cli
