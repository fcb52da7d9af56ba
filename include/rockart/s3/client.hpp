// SPDX-License-Identifier: MIT
// S3 client: the object operations rockart needs, signed with our SigV4, sent
// through an http::Transport and retried with an http::RetryPolicy. Errors are
// decoded from S3's XML into actionable rockart errors.
#pragma once

#include <rockart/http/request.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/http/transport.hpp>
#include <rockart/s3/credentials.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::s3 {

// One object as listed or headed.
struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;          // without surrounding quotes
  std::string last_modified; // ISO 8601 as S3 reports it (may be empty from HEAD)
  std::string content_type;  // HEAD only
};

// Result of a delimiter listing: direct children of a prefix.
struct Listing {
  std::vector<ObjectInfo> objects;          // keys directly below the prefix
  std::vector<std::string> common_prefixes; // "sub-directories", each ending in the delimiter
};

// Progress callback: bytes done so far for the current operation (monotonic).
using ProgressFn = std::function<void(std::uint64_t bytes_done)>;

struct ClientOptions {
  http::RetryOptions retry;                            // default 3 attempts
  std::uint64_t multipart_threshold = 64ull << 20;     // PutObject below, multipart at or above
  std::uint64_t part_size = 16ull << 20;               // >= 5 MiB (S3 minimum), <= 5 GiB
  int parallel_parts = 8;                              // concurrent part uploads / copies
  std::uint64_t copy_part_size = 512ull << 20;         // UploadPartCopy size for objects > 5 GiB
  std::uint64_t copy_multipart_threshold = 5ull << 30; // CopyObject up to this size, then parts
  std::function<std::chrono::sys_seconds()> clock;     // signing time; nullptr = system clock
};

// S3 client for one resolved configuration (credentials, region, endpoint).
// Thread-safe: one instance may serve many threads. Every call signs with
// SigV4 (or sends no Authorization at all when anonymous) and retries the
// failures RetryPolicy allows, logging each retry at info.
class Client {
public:
  // `transport` and `sleeper` must outlive the client.
  Client(S3Config config,
         http::Transport& transport,
         http::Sleeper& sleeper,
         ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const S3Config& config() const;

  // How many answers so far asked this client to slow down (HTTP 503 or an
  // S3 SlowDown error, retried or not): callers that choose how many requests
  // to keep in flight watch it and back off.
  std::uint64_t throttled() const;

  // ListObjectsV2 of every key starting with `prefix`, all pages (continuation
  // tokens), in S3 key order. Throws RemoteError/NetworkError/AuthError.
  std::vector<ObjectInfo> list(std::string_view bucket, std::string_view prefix);

  // ListObjectsV2 with delimiter '/': direct children of `prefix` (which should
  // end with '/', or be empty for the bucket root), all pages.
  Listing list_children(std::string_view bucket, std::string_view prefix);

  // HeadObject. An absent key is std::nullopt (not an error); so is an absent
  // bucket, which a HEAD cannot tell apart (404 without a body). Throws
  // AuthError on 403 (S3 also says 403 for absent keys without s3:ListBucket).
  std::optional<ObjectInfo> head(std::string_view bucket, std::string_view key);

  // GetObject streaming the body into `sink`. With `range` {first, last}
  // (inclusive, as in HTTP; `last` clamped to the size), only those bytes.
  // One GET when all goes well: its headers pin size and ETag before the body
  // streams; a transfer cut off mid-body is resumed with Range + If-Match, so
  // `sink` sees every byte exactly once. Returns the object's info. Throws
  // NotFoundError for a missing key, UsageError for a range starting past the
  // end (found with a HEAD), IntegrityError if the object changes meanwhile.
  ObjectInfo get(std::string_view bucket,
                 std::string_view key,
                 const http::BodySink& sink,
                 std::optional<std::pair<std::uint64_t, std::uint64_t>> range = std::nullopt);

  // Downloads to `dest` atomically (temp file next to it, renamed when
  // complete; no partial file left on failure). Resumes an interrupted
  // transfer with a Range request from the last byte received.
  ObjectInfo download(std::string_view bucket,
                      std::string_view key,
                      const std::filesystem::path& dest,
                      const ProgressFn& progress = nullptr);

  // Uploads a local file: PutObject below the multipart threshold, else a
  // multipart upload with parallel parts that is aborted on failure (no orphan).
  void upload(const std::filesystem::path& src,
              std::string_view bucket,
              std::string_view key,
              std::string_view content_type = {},
              const ProgressFn& progress = nullptr);

  // PutObject of an in-memory body.
  void put(std::string_view bucket,
           std::string_view key,
           std::string body,
           std::string_view content_type = {});

  // Server-side copy (CopyObject; UploadPartCopy in parallel above 5 GiB).
  void copy(std::string_view src_bucket,
            std::string_view src_key,
            std::string_view dst_bucket,
            std::string_view dst_key);

  // DeleteObject (deleting an absent key succeeds, as in S3).
  void remove(std::string_view bucket, std::string_view key);

  // CreateBucket in the configured region (LocationConstraint unless
  // us-east-1). A bucket that already exists and is ours is not an error.
  void create_bucket(std::string_view bucket);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// Parses "s3://bucket/key" into {bucket, key}; key may be empty. Throws
// UsageError naming the input when it is not an s3:// URI with a bucket.
std::pair<std::string, std::string> parse_s3_uri(std::string_view uri);

} // namespace rockart::s3
