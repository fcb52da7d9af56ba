// SPDX-License-Identifier: MIT
// The S3 flags every S3-using command shares (--endpoint-url, --region,
// --no-sign-request) and the session they open over the process environment.
#pragma once

#include <rockart/s3/session.hpp>

#include <CLI/CLI.hpp>

namespace rockart::cli {

using S3Options = s3::SessionFlags;

// Adds --endpoint-url, --region and --no-sign-request to `command`.
void add_s3_options(CLI::App& command, S3Options& options);

// The S3 session of `options` over this process's environment and ~/.aws.
class S3Session : public s3::Session {
public:
  explicit S3Session(const S3Options& options, s3::ClientOptions client_options = {});
};

} // namespace rockart::cli
