// SPDX-License-Identifier: MIT
// AWS Signature Version 4 for S3, as a pure function: the time, the payload
// hash and the credentials are inputs, every intermediate string is an output.
// Reference: AWS S3 API "Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk".
#pragma once

#include <rockart/s3/credentials.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockart::s3 {

using HeaderList = std::vector<std::pair<std::string, std::string>>;
using QueryList = std::vector<std::pair<std::string, std::string>>;

// `x-amz-content-sha256` value for a body whose hash is not signed.
inline constexpr std::string_view k_unsigned_payload = "UNSIGNED-PAYLOAD";

// SHA-256 of the empty string: the payload hash of a request without a body.
inline constexpr std::string_view k_empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Everything that determines a signature. `canonical_uri` is the path exactly
// as sent, already encoded (see encode_s3_path); `query` holds decoded keys and
// values; `headers` are extra headers to sign and send (names any case).
struct SigningInput {
  std::string method;
  std::string host; // Host header value: lower-case host, ":port" only if not default
  std::string canonical_uri = "/";
  QueryList query;
  HeaderList headers;
  std::string payload_sha256 = std::string(k_empty_payload_sha256); // or UNSIGNED-PAYLOAD
  std::string region;
  std::string service = "s3";
  std::chrono::sys_seconds time{};
  Credentials credentials; // empty access key => anonymous, nothing is signed
};

// The result of sign_v4. For anonymous input the four strings are empty and
// `headers` holds only `host` and the caller's headers.
struct SignedRequest {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;      // lower-case hex
  std::string authorization;  // full Authorization header value
  std::string signed_headers; // e.g. "host;x-amz-content-sha256;x-amz-date"
  // Every header to send, in this order: `host`, the caller's headers as given,
  // `x-amz-content-sha256`, `x-amz-date`, `x-amz-security-token` (session
  // credentials only), `authorization`. Log them only through util::redact_header.
  HeaderList headers;
};

// Signs `input`. Throws UsageError when a caller header collides with one the
// signer owns (host, x-amz-date, x-amz-content-sha256, x-amz-security-token,
// authorization), when the payload hash is neither 64 hex digits nor
// UNSIGNED-PAYLOAD, or when the credentials have an access key but no secret.
SignedRequest sign_v4(const SigningInput& input);

// S3 path encoding: every byte outside RFC 3986's unreserved set is
// percent-encoded once (upper-case hex), '/' is kept. "a b/c+d" -> "a%20b/c%2Bd".
std::string encode_s3_path(std::string_view raw_path);

// Canonical query string: keys and values percent-encoded (nothing kept, not
// even '/'), sorted by encoded key then encoded value, joined as k=v&k2=; a key
// with an empty value still gets '='. Also the query string to put on the URL.
std::string canonical_query_string(const QueryList& query);

// Canonical header value: ASCII whitespace trimmed from both ends and every
// inner run of whitespace collapsed to one space.
std::string canonical_header_value(std::string_view value);

} // namespace rockart::s3
