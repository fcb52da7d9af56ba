// SPDX-License-Identifier: MIT
// What the run catalog reads from S3, behind a two-method interface so that its
// cache policy is unit-tested without a server.
#pragma once

#include <rockart/runs/run.hpp>
#include <rockart/s3/client.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::runs {

// A small object read whole, with the ETag of the version that was read.
struct SmallObject {
  std::string body;
  std::string etag;
};

class RunObjects {
public:
  virtual ~RunObjects() = default;

  // The objects directly below `prefix` (which ends in '/'), by file name.
  // Throws NoSuchBucketError when the bucket does not exist, else the S3 errors.
  virtual std::vector<RunFile> list(std::string_view bucket, std::string_view prefix) = 0;

  // Object `key` of `bucket`. Throws IntegrityError when it is larger than
  // `max_bytes`, NotFoundError when it does not exist, else the S3 errors.
  virtual SmallObject
  read(std::string_view bucket, std::string_view key, std::size_t max_bytes) = 0;
};

// RunObjects through an S3 client (which must outlive it). Thread-safe.
class S3RunObjects final : public RunObjects {
public:
  // `sleeper` waits between whole-object attempts (tests pass a fake).
  explicit S3RunObjects(s3::Client& client, http::Sleeper* sleeper = nullptr)
      : m_client(client), m_sleeper(sleeper) {}

  std::vector<RunFile> list(std::string_view bucket, std::string_view prefix) override;

  // The S3 client retries and resumes each GET; an object whose bytes came
  // out wrong (a wrong length in transit, a resume the server refuses) is
  // read again from its first byte, as an archive would be: 3 attempts.
  SmallObject read(std::string_view bucket, std::string_view key, std::size_t max_bytes) override;

private:
  s3::Client& m_client;
  http::Sleeper* m_sleeper;
};

} // namespace rockart::runs
