// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/runs/objects.hpp>
#include <rockart/util/log.hpp>

namespace rockart::runs {

std::string Run::uri() const {
  return "s3://" + bucket + "/" + prefix.substr(0, prefix.empty() ? 0 : prefix.size() - 1);
}

std::vector<RunFile> S3RunObjects::list(std::string_view bucket, std::string_view prefix) {
  std::vector<RunFile> files;
  for (const auto& object : m_client.list_children(bucket, prefix).objects) {
    if (object.key.size() > prefix.size() && object.key.starts_with(prefix)) {
      files.push_back({object.key.substr(prefix.size()), object.size, object.etag});
    }
  }
  return files;
}

SmallObject
S3RunObjects::read(std::string_view bucket, std::string_view key, std::size_t max_bytes) {
  http::RealSleeper real;
  http::Sleeper& sleeper = m_sleeper != nullptr ? *m_sleeper : real;
  const http::RetryPolicy whole_again({.max_attempts = 3,
                                       .base_delay = std::chrono::milliseconds(500),
                                       .max_delay = std::chrono::milliseconds(2000),
                                       .jitter = 0.5,
                                       .max_retry_after = std::chrono::milliseconds(120'000),
                                       .retry_integrity = true,
                                       .integrity_only = true});
  for (int attempt = 1;; ++attempt) {
    SmallObject object;
    bool too_large = false; // not what a companion or manifest looks like: no retry
    try {
      const auto info = m_client.get(bucket, key, [&](std::string_view chunk) {
        if (object.body.size() + chunk.size() > max_bytes) {
          too_large = true;
          throw IntegrityError("s3://" + std::string(bucket) + "/" + std::string(key)
                               + " is larger than " + std::to_string(max_bytes) + " bytes");
        }
        object.body.append(chunk);
      });
      object.etag = info.etag;
      return object;
    } catch (const IntegrityError& e) {
      // The client has already spent its own attempts on network and server
      // failures: only damaged bytes get here, and a new whole read.
      const auto failure = http::failure_from_exception(std::current_exception());
      const auto delay = failure ? whole_again.next_delay(attempt, *failure) : std::nullopt;
      if (!delay || too_large) {
        throw;
      }
      util::log_info("++ Retry " + std::to_string(attempt) + "/3 for s3://" + std::string(bucket)
                     + "/" + std::string(key) + " in " + http::format_delay(*delay) + ": "
                     + e.what());
      sleeper.sleep(*delay);
    }
  }
}

} // namespace rockart::runs
