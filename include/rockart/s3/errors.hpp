// SPDX-License-Identifier: MIT
// Turns a failed S3 response into the right rockart error with an actionable
// message. Pure: everything it needs is in ErrorContext.
#pragma once

#include <rockart/s3/xml.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <string>

namespace rockart::s3 {

// What went wrong and where, for one failed S3 request.
struct ErrorContext {
  std::string operation;          // verb for the message: "download", "list", "head", "upload", ...
  std::string uri;                // "s3://bucket/key" (never percent-encoded)
  int status = 0;                 // HTTP status; 200 for an <Error> body inside a 200 answer
  ErrorBody body;                 // decoded <Error>; empty for HEAD (no body) or non-XML bodies
  std::string request_id_header;  // x-amz-request-id, used when the body has none
  std::string bucket_region;      // x-amz-bucket-region header, if any
  bool head_request = false;      // a HEAD: S3 sends no error body, only the status
  bool anonymous = false;         // the request was sent unsigned
  std::string credentials_source; // S3Config::credentials_source
  std::string credentials;        // describe(credentials): never the secret
  std::string region;             // region the request was signed for
  std::string region_source;      // S3Config::region_source
  std::optional<std::chrono::milliseconds> retry_after;
};

// The error to throw for `context`:
//  - NoSuchBucketError for NoSuchBucket, NotFoundError for NoSuchKey / a bare 404;
//  - StatusError (a RemoteError) naming the right region for a wrong-region
//    answer (301 PermanentRedirect, AuthorizationHeaderMalformed, ...);
//  - AuthError for 401/403 and credential codes (AccessDenied,
//    InvalidAccessKeyId, SignatureDoesNotMatch, ExpiredToken, ...), with a hint
//    saying whether credentials were found and where from, and the region;
//  - StatusError otherwise, carrying Retry-After so retries honour it.
// Messages read "cannot <operation> <uri>: HTTP <status> <code>: <message>
// (request id <id>)".
std::exception_ptr make_s3_error(const ErrorContext& context);

} // namespace rockart::s3
