// SPDX-License-Identifier: MIT
// GetObject with resume, in one request when nothing goes wrong. The headers of
// the first GET response (seen before its body streams) pin the object's size
// and ETag; a retry after a reset then asks only for the bytes not yet
// delivered (Range) of that exact version (If-Match), so it continues where it
// stopped and a replaced object fails with 412 instead of splicing two
// versions together.
#include "client_impl.hpp"

#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>

#include <cstdio>

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

// Where a 2xx GET body starts in the object, and the object's size.
struct BodyPlacement {
  std::uint64_t first = 0;
  std::uint64_t size = 0;
};

} // namespace

// One get()/download(): the attempts of one transfer and what they learnt.
class Client::Impl::Fetch {
public:
  Fetch(const Impl& impl,
        std::string_view bucket,
        std::string_view key,
        std::optional<ByteRange> range,
        std::string operation)
      : m_impl(impl), m_bucket(bucket), m_key(key), m_range(std::move(range)),
        m_operation(std::move(operation)), m_uri(detail::s3_uri(bucket, key)) {}

  // Runs the transfer into `sink`; see Client::get for the guarantees.
  ObjectInfo run(const http::BodySink& sink, const ProgressFn& progress);

private:
  Call make_call(const http::BodySink& sink, const ProgressFn& progress);
  void attempt(const Call& base);
  void on_headers(int status, const http::Headers& headers);
  BodyPlacement placement(int status, const http::Headers& headers) const;
  [[noreturn]] void throw_changed(const std::string& why) const;
  [[noreturn]] void throw_bad_range() const;
  [[noreturn]] void throw_not_found(const Call& call, const http::Response& response) const;

  std::uint64_t expected() const { return m_wanted ? m_wanted->second - m_wanted->first + 1 : 0; }

  std::string context() const { return "cannot " + m_operation + " " + m_uri; }

  const Impl& m_impl;
  std::string m_bucket;
  std::string m_key;
  std::optional<ByteRange> m_range; // as asked by the caller
  std::string m_operation;
  std::string m_uri;
  std::optional<ObjectInfo> m_pinned; // from the first 2xx response's headers
  std::optional<ByteRange> m_wanted;  // m_range clamped to the pinned size
  std::uint64_t m_delivered = 0;
};

Call Client::Impl::Fetch::make_call(const http::BodySink& sink, const ProgressFn& progress) {
  Call call;
  call.operation = m_operation;
  call.bucket = m_bucket;
  call.key = m_key;
  call.on_headers = [this](int status, const http::Headers& headers) {
    on_headers(status, headers);
  };
  call.sink = [this, &sink, &progress](std::string_view chunk) {
    if (m_delivered + chunk.size() > expected()) {
      throw IntegrityError(context() + ": the server sent more than the "
                           + std::to_string(expected()) + " bytes requested");
    }
    sink(chunk);
    m_delivered += chunk.size();
    if (progress) {
      progress(m_delivered);
    }
  };
  return call;
}

// Where the body of a 2xx answer sits: a 206 says so in Content-Range, a 200
// is the whole object.
BodyPlacement Client::Impl::Fetch::placement(int status, const http::Headers& headers) const {
  if (status == 206) {
    const auto range =
        http::parse_content_range(http::find_header(headers, "Content-Range").value_or(""));
    if (!range || !range->total) {
      throw RemoteError(context() + ": HTTP 206 without a valid Content-Range", status);
    }
    return {range->first, *range->total};
  }
  const auto size = detail::header_u64(headers, "Content-Length");
  if (!size) {
    throw RemoteError(context() + ": HTTP " + std::to_string(status)
                          + " response without a valid Content-Length",
                      status);
  }
  return {0, *size};
}

// Runs before any body byte: pins the object on the first answer, and checks
// that every later answer continues that same object at the right byte.
void Client::Impl::Fetch::on_headers(int status, const http::Headers& headers) {
  if (status < 200 || status >= 300) {
    return; // send() decodes and throws the error
  }
  const BodyPlacement body = placement(status, headers);
  ObjectInfo info = detail::info_from_headers(m_key, headers);
  info.size = body.size;
  if (!m_pinned) {
    m_wanted = effective_range(info, m_range, m_uri);
    m_pinned = std::move(info);
  } else if (info.etag != m_pinned->etag || info.size != m_pinned->size) {
    throw_changed("ETag " + m_pinned->etag + " of " + std::to_string(m_pinned->size)
                  + " bytes became " + info.etag + " of " + std::to_string(info.size));
  }
  const std::uint64_t next = m_wanted ? m_wanted->first + m_delivered : 0;
  if (body.first != next) {
    throw RemoteError(context() + ": asked for bytes from " + std::to_string(next)
                          + " but the server sent bytes from " + std::to_string(body.first),
                      status);
  }
}

void Client::Impl::Fetch::attempt(const Call& base) {
  Call call = base;
  if (m_range || m_delivered > 0) {
    const std::uint64_t first = m_wanted ? m_wanted->first + m_delivered : m_range->first;
    // An open end resumes a whole object; a caller's range keeps its own end.
    const std::string last = !m_range   ? ""
                             : m_wanted ? std::to_string(m_wanted->second)
                                        : std::to_string(m_range->second);
    call.headers.emplace_back("Range", "bytes=" + std::to_string(first) + "-" + last);
  }
  if (m_pinned && !m_pinned->etag.empty()) {
    call.headers.emplace_back("If-Match", "\"" + m_pinned->etag + "\"");
  }
  const std::uint64_t before = m_delivered;
  const http::Response response = m_impl.send(call, {404, 412, 416});
  if (response.status == 404) {
    throw_not_found(call, response);
  }
  if (response.status == 412) {
    throw_changed("it no longer has ETag " + m_pinned.value_or(ObjectInfo{}).etag);
  }
  if (response.status == 416) {
    if (m_pinned) {
      throw_changed("the rest of its " + std::to_string(m_pinned->size) + " bytes is gone");
    }
    throw_bad_range();
  }
  if (m_delivered != expected()) {
    // A clean close before the end: retryable, and the next attempt resumes.
    throw NetworkError(context() + ": body ended after " + std::to_string(m_delivered - before)
                       + " bytes of " + std::to_string(expected() - before) + " expected");
  }
}

void Client::Impl::Fetch::throw_changed(const std::string& why) const {
  throw IntegrityError(context() + ": the object changed during the transfer (" + why + ")",
                       "run the command again");
}

// A range S3 cannot satisfy: one HEAD learns the size for a precise message.
void Client::Impl::Fetch::throw_bad_range() const {
  const auto info = m_impl.head(m_bucket, m_key, m_operation);
  if (!info) {
    throw NotFoundError(context() + ": no such key",
                        "check the key with `rockart s3 ls` on its parent prefix");
  }
  effective_range(*info, m_range, m_uri); // throws the UsageError naming the size
  throw UsageError(context() + ": the server refused the byte range "
                   + std::to_string(m_range.value_or(ByteRange{}).first) + "-"
                   + std::to_string(m_range.value_or(ByteRange{}).second));
}

void Client::Impl::Fetch::throw_not_found(const Call& call, const http::Response& response) const {
  const auto body = parse_error_body(response.body);
  if (body && !body->code.empty() && body->code != "NoSuchKey") {
    m_impl.throw_error(call, response); // NoSuchBucket and the like say so
  }
  throw NotFoundError(context() + ": no such key",
                      "check the key with `rockart s3 ls` on its parent prefix");
}

ObjectInfo Client::Impl::Fetch::run(const http::BodySink& sink, const ProgressFn& progress) {
  if (m_range && m_range->first > m_range->second) {
    throw_bad_range();
  }
  const Call call = make_call(sink, progress);
  // Attempts that made progress do not use up the retry budget: a long
  // download over a flaky link resumes as long as bytes keep arriving.
  for (int round = 1;; ++round) {
    const std::uint64_t before = m_delivered;
    try {
      http::with_retries(
          m_impl.policy, m_impl.sleeper, m_operation + " of " + m_uri, [&] { attempt(call); });
      return *m_pinned;
    } catch (const NetworkError& e) {
      if (m_delivered == before || round >= k_max_resume_rounds) {
        // Without any answer there is no size to report progress against.
        const std::string received = m_pinned
                                         ? " (" + std::to_string(m_delivered) + " of "
                                               + std::to_string(expected()) + " bytes received)"
                                         : "";
        throw NetworkError(context() + received + ": " + e.what(),
                           "check the network and run the command again");
      }
      util::log_info("resuming " + m_operation + " of " + m_uri + " at byte "
                     + std::to_string(m_wanted->first + m_delivered));
    }
  }
}

ObjectInfo Client::Impl::fetch(std::string_view bucket,
                               std::string_view key,
                               const http::BodySink& sink,
                               std::optional<ByteRange> range,
                               const std::string& operation,
                               const ProgressFn& progress) const {
  Fetch fetch(*this, bucket, key, range, operation);
  return fetch.run(sink, progress);
}

ObjectInfo Client::get(std::string_view bucket,
                       std::string_view key,
                       const http::BodySink& sink,
                       std::optional<std::pair<std::uint64_t, std::uint64_t>> range) {
  return m_impl->fetch(bucket, key, sink, range, "get", nullptr);
}

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
  util::AtomicFile part(dest);
  ObjectInfo info = m_impl->fetch(
      bucket,
      key,
      [&](std::string_view chunk) { part.write(chunk); },
      std::nullopt,
      "download",
      progress);
  if (part.size() != info.size) {
    throw IntegrityError("cannot download " + uri + ": got " + std::to_string(part.size())
                         + " bytes, the object has " + std::to_string(info.size));
  }
  part.commit();
  return info;
}

} // namespace rockart::s3
