// SPDX-License-Identifier: MIT
// GetObject with resume. A HEAD first pins the object's size and ETag; each GET
// attempt then asks for the bytes not yet delivered (Range) of that exact
// version (If-Match), so a retry after a reset continues where it stopped and
// a replaced object fails with 412 instead of splicing two versions together.
#include "client_impl.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>

namespace rockart::s3 {

using detail::Call;

namespace {

using ByteRange = std::pair<std::uint64_t, std::uint64_t>;

// Fresh retry budgets granted to a transfer that keeps making progress.
constexpr int k_max_resume_rounds = 20;

// The inclusive byte range to fetch, clamped to the object's size like S3 does.
std::optional<ByteRange> effective_range(const ObjectInfo& info,
                                         const std::optional<ByteRange>& range,
                                         const std::string& uri) {
  if (!range) {
    if (info.size == 0) {
      return std::nullopt;
    }
    return ByteRange{0, info.size - 1};
  }
  if (range->first > range->second || range->first >= info.size) {
    throw UsageError("cannot read bytes " + std::to_string(range->first) + "-"
                     + std::to_string(range->second) + " of " + uri + ": the object has "
                     + std::to_string(info.size) + " bytes");
  }
  return ByteRange{range->first, std::min(range->second, info.size - 1)};
}

} // namespace

ObjectInfo Client::Impl::fetch(std::string_view bucket,
                               std::string_view key,
                               const http::BodySink& sink,
                               std::optional<ByteRange> range,
                               const std::string& operation,
                               const ProgressFn& progress) const {
  const std::string uri = detail::s3_uri(bucket, key);
  const auto info = head(bucket, key, operation);
  if (!info) {
    throw NotFoundError("cannot " + operation + " " + uri + ": no such key",
                        "check the key with `rockart s3 ls` on its parent prefix");
  }
  const auto wanted = effective_range(*info, range, uri);
  if (!wanted) {
    return *info; // empty object: nothing to GET
  }
  const std::uint64_t expected = wanted->second - wanted->first + 1;
  std::uint64_t delivered = 0;
  Call call;
  call.operation = operation;
  call.bucket = bucket;
  call.key = key;
  call.sink = [&](std::string_view chunk) {
    if (delivered + chunk.size() > expected) {
      throw IntegrityError("cannot " + operation + " " + uri + ": the server sent more than the "
                           + std::to_string(expected) + " bytes requested");
    }
    sink(chunk);
    delivered += chunk.size();
    if (progress) {
      progress(delivered);
    }
  };
  const auto attempt_once = [&] {
    Call attempt = call;
    const bool whole = !range && delivered == 0;
    if (!whole) {
      attempt.headers.emplace_back("Range",
                                   "bytes=" + std::to_string(wanted->first + delivered) + "-"
                                       + std::to_string(wanted->second));
    }
    if (!info->etag.empty()) {
      attempt.headers.emplace_back("If-Match", "\"" + info->etag + "\"");
    }
    const std::uint64_t before = delivered;
    const http::Response response = send(attempt);
    if (delivered != expected) {
      // A clean close before the end: retryable, and the next attempt resumes.
      throw NetworkError("cannot " + operation + " " + uri + ": body ended after "
                         + std::to_string(delivered - before) + " bytes of "
                         + std::to_string(expected - before) + " expected");
    }
    const std::string etag = unquote_etag(response.header("ETag").value_or(info->etag));
    if (etag != info->etag) {
      throw IntegrityError("cannot " + operation + " " + uri
                               + ": the object changed during the transfer (ETag " + info->etag
                               + " became " + etag + ")",
                           "run the command again");
    }
  };
  // Attempts that made progress do not use up the retry budget: a long
  // download over a flaky link resumes as long as bytes keep arriving.
  for (int round = 1;; ++round) {
    const std::uint64_t before = delivered;
    try {
      http::with_retries(policy, sleeper, operation + " of " + uri, attempt_once);
      return *info;
    } catch (const NetworkError& e) {
      if (delivered == before || round >= k_max_resume_rounds) {
        throw NetworkError("cannot " + operation + " " + uri + " (" + std::to_string(delivered)
                               + " of " + std::to_string(expected)
                               + " bytes received): " + e.what(),
                           "check the network and run the command again");
      }
      util::log_info("resuming " + operation + " of " + uri + " at byte "
                     + std::to_string(wanted->first + delivered));
    }
  }
}

ObjectInfo Client::get(std::string_view bucket,
                       std::string_view key,
                       const http::BodySink& sink,
                       std::optional<std::pair<std::uint64_t, std::uint64_t>> range) {
  return m_impl->fetch(bucket, key, sink, range, "get", nullptr);
}

namespace {

// A temp file next to the destination, removed unless committed.
class PartFile {
public:
  explicit PartFile(const std::filesystem::path& dest) : m_dest(dest) {
    static std::atomic<unsigned> counter{0};
    std::random_device random;
    m_path = dest;
    m_path.replace_filename("." + dest.filename().string() + ".rockart-"
                            + std::to_string(random() % 1000000) + "-" + std::to_string(counter++)
                            + ".part");
    m_out.open(m_path, std::ios::binary | std::ios::trunc);
    if (!m_out) {
      throw LocalIoError("cannot create " + m_path.string() + " to download into");
    }
  }

  ~PartFile() {
    if (!m_committed) {
      m_out.close();
      std::error_code ignored;
      std::filesystem::remove(m_path, ignored);
    }
  }

  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  void write(std::string_view chunk) {
    m_out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    if (!m_out) {
      throw LocalIoError("cannot write " + m_path.string() + " (disk full?)");
    }
  }

  // Checks the size, then renames over the destination.
  void commit(std::uint64_t expected_size, const std::string& uri) {
    m_out.close();
    if (!m_out) {
      throw LocalIoError("cannot write " + m_path.string());
    }
    const auto size = std::filesystem::file_size(m_path);
    if (size != expected_size) {
      throw IntegrityError("cannot download " + uri + ": got " + std::to_string(size)
                           + " bytes, the object has " + std::to_string(expected_size));
    }
    std::error_code ec;
    std::filesystem::rename(m_path, m_dest, ec);
    if (ec) {
      throw LocalIoError("cannot rename " + m_path.string() + " to " + m_dest.string() + ": "
                         + ec.message());
    }
    m_committed = true;
  }

private:
  std::filesystem::path m_dest;
  std::filesystem::path m_path;
  std::ofstream m_out;
  bool m_committed = false;
};

} // namespace

ObjectInfo Client::download(std::string_view bucket,
                            std::string_view key,
                            const std::filesystem::path& dest,
                            const ProgressFn& progress) {
  const std::string uri = detail::s3_uri(bucket, key);
  if (dest.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(dest.parent_path(), ec);
    if (ec) {
      throw LocalIoError("cannot download " + uri + ": cannot create " + dest.parent_path().string()
                         + ": " + ec.message());
    }
  }
  PartFile part(dest);
  const ObjectInfo info = m_impl->fetch(
      bucket,
      key,
      [&](std::string_view chunk) { part.write(chunk); },
      std::nullopt,
      "download",
      progress);
  part.commit(info.size, uri);
  return info;
}

} // namespace rockart::s3
