// SPDX-License-Identifier: MIT
// s3::Client: signing, sending and error decoding, plus the single-request
// operations (list, head, put, delete, create bucket, CopyObject).
#include "client_impl.hpp"

#include <rockart/error.hpp>
#include <rockart/s3/checksum.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>

#include <algorithm>
#include <charconv>

namespace rockart::s3 {

namespace detail {

std::string s3_uri(std::string_view bucket, std::string_view key) {
  return "s3://" + std::string(bucket) + "/" + std::string(key);
}

std::string Call::uri() const {
  return s3_uri(bucket, display_key.empty() ? key : display_key);
}

} // namespace detail

using detail::Call;

namespace {

// HEAD and GET report Last-Modified as an HTTP-date; ObjectInfo carries ISO 8601.
// parse_retry_after measures an HTTP-date against `now`, so against the epoch
// it yields the instant itself.
std::string http_date_to_iso(const std::optional<std::string>& value) {
  if (!value) {
    return {};
  }
  const auto since_epoch = http::parse_retry_after(*value, std::chrono::sys_seconds{});
  if (!since_epoch || util::is_decimal(*value)) {
    return {};
  }
  return util::format_iso8601(
      std::chrono::sys_seconds{std::chrono::duration_cast<std::chrono::seconds>(*since_epoch)});
}

} // namespace

namespace detail {

std::optional<std::uint64_t> header_u64(const http::Headers& headers, std::string_view name) {
  const auto text = http::find_header(headers, name);
  std::uint64_t value = 0;
  if (!text || !util::is_decimal(*text)) {
    return std::nullopt;
  }
  const auto* end = text->data() + text->size();
  const auto result = std::from_chars(text->data(), end, value);
  if (result.ec != std::errc() || result.ptr != end) {
    return std::nullopt;
  }
  return value;
}

ObjectInfo info_from_headers(std::string_view key, const http::Headers& headers) {
  ObjectInfo info;
  info.key = key;
  info.etag = unquote_etag(http::find_header(headers, "ETag").value_or(""));
  info.last_modified = http_date_to_iso(http::find_header(headers, "Last-Modified"));
  info.content_type = http::find_header(headers, "Content-Type").value_or("");
  return info;
}

} // namespace detail

Client::Impl::Impl(S3Config config_in,
                   http::Transport& transport_in,
                   http::Sleeper& sleeper_in,
                   ClientOptions options_in)
    : config(std::move(config_in)), transport(transport_in), sleeper(sleeper_in),
      options(std::move(options_in)), policy(options.retry) {}

std::chrono::sys_seconds Client::Impl::now() const {
  if (options.clock) {
    return options.clock();
  }
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

http::Response Client::Impl::send(const Call& call, std::initializer_list<int> accept) const {
  const ObjectAddress address = address_object(config.endpoint, call.bucket, call.key);
  SigningInput input;
  input.method = call.method;
  input.host = address.host;
  input.canonical_uri = address.canonical_uri;
  input.query = call.query;
  input.headers = call.headers;
  input.payload_sha256 = call.payload_sha256;
  input.region = config.region;
  input.time = now();
  input.credentials = config.credentials;
  SignedRequest signed_request = sign_v4(input);

  http::Request request;
  request.method = call.method;
  request.url = address.url;
  if (!call.query.empty()) {
    request.url += "?" + canonical_query_string(call.query);
  }
  request.headers = std::move(signed_request.headers);
  request.body = call.body;
  request.sink = call.sink;
  request.on_headers = call.on_headers;
  http::Response response = transport.perform(request);
  const bool accepted = std::find(accept.begin(), accept.end(), response.status) != accept.end();
  if (accepted) {
    return response;
  }
  if (response.status < 200 || response.status >= 300) {
    throw_error(call, response);
  }
  if (call.error_in_200 && parse_error_body(response.body)) {
    throw_error(call, response);
  }
  return response;
}

http::Response Client::Impl::send_with_retries(const Call& call,
                                               std::initializer_list<int> accept) const {
  try {
    return http::with_retries(
        policy, sleeper, call.operation + " of " + call.uri(), [&] { return send(call, accept); });
  } catch (const NetworkError& e) {
    // The transport names the URL; users know the object by its s3:// URI.
    throw NetworkError("cannot " + call.operation + " " + call.uri() + ": " + e.what(), e.hint());
  }
}

void Client::Impl::throw_error(const Call& call, const http::Response& response) const {
  ErrorContext context;
  context.body = parse_error_body(response.body).value_or(ErrorBody{});
  if (response.status == 503 || context.body.code == "SlowDown") {
    throttled.fetch_add(1, std::memory_order_relaxed);
  }
  context.operation = call.operation;
  context.uri = call.uri();
  context.status = response.status;
  context.request_id_header = response.header("x-amz-request-id").value_or("");
  context.bucket_region = response.header("x-amz-bucket-region").value_or("");
  context.head_request = call.method == "HEAD";
  context.anonymous = config.credentials.anonymous();
  context.credentials_source = config.credentials_source;
  context.credentials = describe(config.credentials);
  context.region = config.region;
  context.region_source = config.region_source;
  if (const auto value = response.header("Retry-After")) {
    context.retry_after = http::parse_retry_after(*value, now());
  }
  std::rethrow_exception(make_s3_error(context));
}

std::optional<ObjectInfo> Client::Impl::head(std::string_view bucket,
                                             std::string_view key,
                                             const std::string& operation) const {
  Call call;
  call.operation = operation;
  call.method = "HEAD";
  call.bucket = bucket;
  call.key = key;
  const http::Response response = send_with_retries(call, {404});
  if (response.status == 404) {
    return std::nullopt;
  }
  ObjectInfo info = detail::info_from_headers(key, response.headers);
  const auto size = detail::header_u64(response.headers, "Content-Length");
  if (!size) {
    throw RemoteError("cannot " + operation + " " + detail::s3_uri(bucket, key)
                          + ": HEAD response without a valid Content-Length",
                      response.status);
  }
  info.size = *size;
  return info;
}

Client::Client(S3Config config,
               http::Transport& transport,
               http::Sleeper& sleeper,
               ClientOptions options)
    : m_impl(std::make_unique<Impl>(std::move(config), transport, sleeper, std::move(options))) {}

Client::~Client() = default;

const S3Config& Client::config() const {
  return m_impl->config;
}

std::uint64_t Client::throttled() const {
  return m_impl->throttled.load(std::memory_order_relaxed);
}

Listing Client::Impl::list(std::string_view bucket, std::string_view prefix, bool delimited) const {
  const Impl& impl = *this;
  Listing out;
  std::string token;
  for (;;) {
    Call call;
    call.operation = "list";
    call.bucket = bucket;
    call.display_key = prefix;
    call.query = {{"list-type", "2"}, {"prefix", std::string(prefix)}, {"encoding-type", "url"}};
    if (delimited) {
      call.query.emplace_back("delimiter", "/");
    }
    if (!token.empty()) {
      call.query.emplace_back("continuation-token", token);
    }
    const http::Response response = impl.send_with_retries(call);
    ListPage page = impl.parse_in_context(call, response, parse_list_page);
    std::move(page.objects.begin(), page.objects.end(), std::back_inserter(out.objects));
    std::move(page.common_prefixes.begin(),
              page.common_prefixes.end(),
              std::back_inserter(out.common_prefixes));
    if (!page.truncated) {
      return out;
    }
    if (page.next_continuation_token == token) {
      throw RemoteError("cannot list " + detail::s3_uri(bucket, prefix)
                            + ": the server repeated the same continuation token",
                        response.status);
    }
    token = page.next_continuation_token;
  }
}

std::vector<ObjectInfo> Client::list(std::string_view bucket, std::string_view prefix) {
  return m_impl->list(bucket, prefix, false).objects;
}

Listing Client::list_children(std::string_view bucket, std::string_view prefix) {
  return m_impl->list(bucket, prefix, true);
}

std::optional<ObjectInfo> Client::head(std::string_view bucket, std::string_view key) {
  return m_impl->head(bucket, key, "head");
}

void Client::put(std::string_view bucket,
                 std::string_view key,
                 std::string body,
                 std::string_view content_type) {
  Call call;
  call.operation = "put";
  call.method = "PUT";
  call.bucket = bucket;
  call.key = key;
  if (!content_type.empty()) {
    call.headers.emplace_back("Content-Type", std::string(content_type));
  }
  call.payload_sha256 = util::sha256_hex(body);
  call.body = std::move(body);
  m_impl->send_with_retries(call);
}

void Client::upload(const std::filesystem::path& src,
                    std::string_view bucket,
                    std::string_view key,
                    std::string_view content_type,
                    const ProgressFn& progress) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(src, ec);
  if (ec) {
    throw LocalIoError("cannot upload " + src.string() + " to " + detail::s3_uri(bucket, key) + ": "
                       + ec.message());
  }
  if (size >= m_impl->options.multipart_threshold) {
    m_impl->upload_multipart(src, bucket, key, content_type, progress);
    return;
  }
  Call call;
  call.operation = "upload";
  call.method = "PUT";
  call.bucket = bucket;
  call.key = key;
  if (!content_type.empty()) {
    call.headers.emplace_back("Content-Type", std::string(content_type));
  }
  // A CRC-32 header instead of a signed SHA-256: zlib's CRC reads the file
  // several times faster than SHA-256, and S3 still rejects a corrupted body.
  detail::add_crc32_headers(call.headers, crc32_file_range(src, 0, size));
  call.payload_sha256 = std::string(k_unsigned_payload);
  call.body = http::FileRange{src, 0, size};
  m_impl->send_with_retries(call);
  if (progress) {
    progress(size);
  }
}

void Client::copy(std::string_view src_bucket,
                  std::string_view src_key,
                  std::string_view dst_bucket,
                  std::string_view dst_key) {
  const auto source = m_impl->head(src_bucket, src_key, "copy");
  if (!source) {
    throw NotFoundError("cannot copy " + detail::s3_uri(src_bucket, src_key) + " to "
                        + detail::s3_uri(dst_bucket, dst_key) + ": no such source key");
  }
  if (source->size > m_impl->options.copy_multipart_threshold) {
    m_impl->copy_multipart(*source, src_bucket, dst_bucket, dst_key);
    return;
  }
  Call call;
  call.operation = "copy";
  call.method = "PUT";
  call.bucket = dst_bucket;
  call.key = dst_key;
  call.headers = {
      {"x-amz-copy-source", "/" + encode_s3_path(src_bucket) + "/" + encode_s3_path(src_key)}};
  call.error_in_200 = true;
  const http::Response response = m_impl->send_with_retries(call);
  m_impl->parse_in_context(call, response, [](std::string_view xml) {
    return parse_result_etag(xml, "CopyObjectResult");
  });
}

void Client::remove(std::string_view bucket, std::string_view key) {
  Call call;
  call.operation = "delete";
  call.method = "DELETE";
  call.bucket = bucket;
  call.key = key;
  m_impl->send_with_retries(call);
}

void Client::create_bucket(std::string_view bucket) {
  Call call;
  call.operation = "create bucket";
  call.method = "PUT";
  call.bucket = bucket;
  // us-east-1 is the one region that must not be named as a LocationConstraint.
  if (m_impl->config.region != "us-east-1") {
    std::string body =
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>"
        + util::escape_markup(m_impl->config.region)
        + "</LocationConstraint></CreateBucketConfiguration>";
    call.payload_sha256 = util::sha256_hex(body);
    call.body = std::move(body);
  }
  try {
    m_impl->send_with_retries(call);
  } catch (const RemoteError& e) {
    if (e.code() != "BucketAlreadyOwnedByYou") {
      throw;
    }
  }
}

std::pair<std::string, std::string> parse_s3_uri(std::string_view uri) {
  constexpr std::string_view k_scheme = "s3://";
  if (uri.substr(0, k_scheme.size()) != k_scheme) {
    throw UsageError("not an S3 URI: '" + std::string(uri) + "'", "write it as s3://bucket/key");
  }
  const std::string_view rest = uri.substr(k_scheme.size());
  const auto slash = rest.find('/');
  const std::string_view bucket = rest.substr(0, slash);
  if (bucket.empty()) {
    throw UsageError("S3 URI without a bucket: '" + std::string(uri) + "'",
                     "write it as s3://bucket/key");
  }
  const std::string_view key =
      slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  return {std::string(bucket), std::string(key)};
}

} // namespace rockart::s3
