// SPDX-License-Identifier: MIT
// Private core of s3::Client, shared by client.cpp (simple operations),
// fetch.cpp (GET with resume, download) and multipart.cpp (multipart upload/copy).
#pragma once

#include <rockart/s3/client.hpp>
#include <rockart/s3/errors.hpp>
#include <rockart/s3/sigv4.hpp>

#include <atomic>
#include <string>

namespace rockart::s3 {

namespace detail {

// One S3 request before signing.
struct Call {
  std::string operation; // verb for messages and retry logs: "list", "download", ...
  std::string method = "GET";
  std::string bucket;
  std::string key; // empty for bucket-level requests
  QueryList query;
  HeaderList headers;
  http::Body body;
  std::string payload_sha256 = std::string(k_empty_payload_sha256);
  http::BodySink sink;
  // Sees the final status and headers before the body streams (http::HeadersFn).
  http::HeadersFn on_headers;
  // CompleteMultipartUpload, CopyObject and UploadPartCopy can answer 200 with
  // an <Error> body; when set, such a body is decoded and thrown.
  bool error_in_200 = false;
  // Names the request in messages when `key` does not (a listing's prefix).
  std::string display_key;

  // "s3://bucket/key" (or display_key) for messages.
  std::string uri() const;
};

// "s3://bucket/key", as users write it (never percent-encoded).
std::string s3_uri(std::string_view bucket, std::string_view key);

// A decimal header value such as Content-Length, or nullopt when absent or malformed.
std::optional<std::uint64_t> header_u64(const http::Headers& headers, std::string_view name);

// ObjectInfo of `key` from HEAD or GET response headers: ETag, Last-Modified (as ISO 8601)
// and Content-Type. `size` is left 0: its source depends on the response.
ObjectInfo info_from_headers(std::string_view key, const http::Headers& headers);

// One finished part of a multipart upload, as CompleteMultipartUpload lists it.
struct UploadedPart {
  std::string etag;           // without quotes
  std::string checksum_crc32; // base64 x-amz-checksum-crc32 sent with the part; empty = none
};

// Adds x-amz-checksum-crc32 (and x-amz-sdk-checksum-algorithm, as AWS SDKs send)
// for `crc` to `headers`: S3 then rejects a body that does not match (BadDigest).
void add_crc32_headers(HeaderList& headers, std::uint32_t crc);

} // namespace detail

struct Client::Impl {
  Impl(S3Config config, http::Transport& transport, http::Sleeper& sleeper, ClientOptions options);

  S3Config config;
  http::Transport& transport;
  http::Sleeper& sleeper;
  ClientOptions options;
  http::RetryPolicy policy;
  // Answers that asked us to slow down (503, SlowDown), for throttled().
  mutable std::atomic<std::uint64_t> throttled{0};

  std::chrono::sys_seconds now() const;

  // One attempt: signs and sends `call`. Returns the response when its status
  // is 2xx or listed in `accept`; otherwise throws the decoded S3 error.
  http::Response send(const detail::Call& call, std::initializer_list<int> accept = {}) const;

  // send() under the retry policy, logging each retry.
  http::Response send_with_retries(const detail::Call& call,
                                   std::initializer_list<int> accept = {}) const;

  // Throws the error decoded from `response` to `call` (never returns).
  [[noreturn]] void throw_error(const detail::Call& call, const http::Response& response) const;

  // Runs `parse` on a response body, turning a malformed-XML error into one
  // that names the operation and the URI.
  template <typename Parse>
  auto
  parse_in_context(const detail::Call& call, const http::Response& response, Parse&& parse) const {
    try {
      return parse(response.body);
    } catch (const RemoteError& e) {
      throw RemoteError("cannot " + call.operation + " " + call.uri() + ": " + e.what(),
                        response.status,
                        e.code());
    }
  }

  // Every page of ListObjectsV2 below `prefix`, with delimiter '/' when `delimited`.
  Listing list(std::string_view bucket, std::string_view prefix, bool delimited) const;

  // HEAD-derived info, or nullopt for 404.
  std::optional<ObjectInfo>
  head(std::string_view bucket, std::string_view key, const std::string& operation) const;

  // The state of one fetch() (defined in fetch.cpp).
  class Fetch;

  // GET of `range` (or the whole object) into `sink`, pinning size and ETag from
  // the first response and resuming with Range and If-Match after a failure
  // mid-body; see fetch.cpp.
  ObjectInfo fetch(std::string_view bucket,
                   std::string_view key,
                   const http::BodySink& sink,
                   std::optional<std::pair<std::uint64_t, std::uint64_t>> range,
                   const std::string& operation,
                   const ProgressFn& progress) const;

  // Multipart pieces, see multipart.cpp. run_upload creates an upload (declaring
  // CRC32 checksums when `crc32`), runs `count` part jobs in parallel (each returns
  // its ETag and checksum), completes it, and aborts it when anything fails.
  using PartJob = std::function<detail::UploadedPart(const std::string& upload_id, std::size_t)>;
  std::string create_upload(const std::string& operation,
                            std::string_view bucket,
                            std::string_view key,
                            std::string_view content_type,
                            bool crc32) const;
  void complete_upload(const std::string& operation,
                       std::string_view bucket,
                       std::string_view key,
                       const std::string& upload_id,
                       const std::vector<detail::UploadedPart>& parts) const;
  void abort_upload(std::string_view bucket,
                    std::string_view key,
                    const std::string& upload_id) const noexcept;
  void run_upload(const std::string& operation,
                  std::string_view bucket,
                  std::string_view key,
                  std::string_view content_type,
                  bool crc32,
                  std::size_t count,
                  const PartJob& part) const;
  void upload_multipart(const std::filesystem::path& src,
                        std::string_view bucket,
                        std::string_view key,
                        std::string_view content_type,
                        const ProgressFn& progress) const;
  void copy_multipart(const ObjectInfo& source,
                      std::string_view src_bucket,
                      std::string_view dst_bucket,
                      std::string_view dst_key) const;
};

} // namespace rockart::s3
