// SPDX-License-Identifier: MIT
// The S3 configuration tests use against moto (or a fake in front of it):
// moto's dummy credentials, us-east-2, path-style addressing of `url`.
#pragma once

#include <rockart/s3/client.hpp>

#include <string>

namespace rockart::test {

inline s3::S3Config moto_s3_config(const std::string& url) {
  s3::S3Config config;
  config.credentials = {"testing", "testing", ""};
  config.credentials_source = "environment";
  config.region = "us-east-2";
  config.region_source = "AWS_REGION";
  config.endpoint = s3::parse_endpoint_url(url, "--endpoint-url");
  return config;
}

} // namespace rockart::test
