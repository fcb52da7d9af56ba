// SPDX-License-Identifier: MIT
// Multipart upload and multipart server-side copy: create, parts in parallel,
// complete with the ETags in order, and abort on any failure so no upload is
// left behind (S3 bills and keeps orphaned parts until aborted). File uploads
// declare CRC32 checksums, as AWS SDKs do: S3 verifies each part, and servers
// combine the part CRCs instead of checksumming the whole object at completion.
#include "client_impl.hpp"

#include <rockart/error.hpp>
#include <rockart/s3/checksum.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <mutex>

namespace rockart::s3 {

using detail::Call;
using detail::UploadedPart;

namespace detail {

void add_crc32_headers(HeaderList& headers, std::uint32_t crc) {
  headers.emplace_back("x-amz-checksum-crc32", crc32_checksum_value(crc));
  headers.emplace_back("x-amz-sdk-checksum-algorithm", "CRC32");
}

} // namespace detail

namespace {

// S3 limits: at most 10,000 parts; every part but the last at least 5 MiB.
constexpr std::uint64_t k_max_parts = 10'000;
constexpr std::uint64_t k_min_part_size = 5ull << 20;

Call upload_call(std::string operation,
                 std::string method,
                 std::string_view bucket,
                 std::string_view key,
                 const std::string& upload_id) {
  Call call;
  call.operation = std::move(operation);
  call.method = std::move(method);
  call.bucket = bucket;
  call.key = key;
  call.query = {{"uploadId", upload_id}};
  return call;
}

// Part size honouring S3's 10,000-part limit (and its 5 MiB minimum, unless
// the caller deliberately chose smaller parts for a test server).
std::uint64_t part_size_for(std::uint64_t total, std::uint64_t wanted) {
  const std::uint64_t needed = (total + k_max_parts - 1) / k_max_parts;
  return std::max({wanted, needed, std::uint64_t{1}});
}

} // namespace

std::string Client::Impl::create_upload(const std::string& operation,
                                        std::string_view bucket,
                                        std::string_view key,
                                        std::string_view content_type,
                                        bool crc32) const {
  const Impl& impl = *this;
  Call call;
  call.operation = operation;
  call.method = "POST";
  call.bucket = bucket;
  call.key = key;
  call.query = {{"uploads", ""}};
  if (!content_type.empty()) {
    call.headers.emplace_back("Content-Type", std::string(content_type));
  }
  if (crc32) {
    // COMPOSITE is S3's default type for CRC32 multipart uploads.
    call.headers.emplace_back("x-amz-checksum-algorithm", "CRC32");
  }
  const http::Response response = impl.send_with_retries(call);
  return impl.parse_in_context(call, response, parse_upload_id);
}

void Client::Impl::complete_upload(const std::string& operation,
                                   std::string_view bucket,
                                   std::string_view key,
                                   const std::string& upload_id,
                                   const std::vector<UploadedPart>& parts) const {
  const Impl& impl = *this;
  std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    body += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>\""
            + util::escape_markup(parts[i].etag) + "\"</ETag>";
    if (!parts[i].checksum_crc32.empty()) {
      body += "<ChecksumCRC32>" + util::escape_markup(parts[i].checksum_crc32) + "</ChecksumCRC32>";
    }
    body += "</Part>";
  }
  body += "</CompleteMultipartUpload>";
  Call call = upload_call(operation, "POST", bucket, key, upload_id);
  call.headers.emplace_back("Content-Type", "application/xml");
  call.payload_sha256 = util::sha256_hex(body);
  call.body = std::move(body);
  call.error_in_200 = true;
  const http::Response response = impl.send_with_retries(call);
  impl.parse_in_context(call, response, [](std::string_view xml) {
    return parse_result_etag(xml, "CompleteMultipartUploadResult");
  });
}

// Never throws: the caller is already failing with the error that matters.
void Client::Impl::abort_upload(std::string_view bucket,
                                std::string_view key,
                                const std::string& upload_id) const noexcept {
  try {
    send_with_retries(upload_call("abort upload", "DELETE", bucket, key, upload_id), {404});
  } catch (const std::exception& e) {
    util::log_warn("could not abort multipart upload " + upload_id + " of "
                   + detail::s3_uri(bucket, key) + ": " + e.what()
                   + " (its parts stay stored until aborted, e.g. by a lifecycle rule)");
  }
}

// Creates an upload, runs `count` part jobs that each return the part's ETag
// and checksum, completes it, and aborts it when anything fails.
void Client::Impl::run_upload(const std::string& operation,
                              std::string_view bucket,
                              std::string_view key,
                              std::string_view content_type,
                              bool crc32,
                              std::size_t count,
                              const PartJob& part) const {
  const Impl& impl = *this;
  const std::string upload_id = create_upload(operation, bucket, key, content_type, crc32);
  try {
    std::vector<UploadedPart> parts(count);
    // A failed part loses the upload: the parts not yet started are not sent.
    util::rethrow_first(util::run_parallel(
        count,
        impl.options.parallel_parts,
        [&](std::size_t i) { parts[i] = part(upload_id, i); },
        util::OnFailure::stop));
    complete_upload(operation, bucket, key, upload_id, parts);
  } catch (...) {
    abort_upload(bucket, key, upload_id);
    throw;
  }
}

void Client::Impl::upload_multipart(const std::filesystem::path& src,
                                    std::string_view bucket,
                                    std::string_view key,
                                    std::string_view content_type,
                                    const ProgressFn& progress) const {
  const std::uint64_t size = std::filesystem::file_size(src);
  const std::uint64_t part_size = part_size_for(size, std::max(options.part_size, k_min_part_size));
  const auto count = static_cast<std::size_t>((size + part_size - 1) / part_size);
  std::mutex progress_mutex;
  std::uint64_t done = 0;
  const auto upload_part = [&](const std::string& id, std::size_t i) {
    const std::uint64_t offset = i * part_size;
    const std::uint64_t length = std::min(part_size, size - offset);
    Call call = upload_call("upload", "PUT", bucket, key, id);
    call.query.emplace_back("partNumber", std::to_string(i + 1));
    // The CRC must be in a header, so it is computed before the body is sent: a
    // read of the part from the page cache, much cheaper than its upload.
    const std::uint32_t crc = crc32_file_range(src, offset, length);
    detail::add_crc32_headers(call.headers, crc);
    call.payload_sha256 = std::string(k_unsigned_payload);
    call.body = http::FileRange{src, offset, length};
    const http::Response response = send_with_retries(call);
    std::string etag = unquote_etag(response.header("ETag").value_or(""));
    if (etag.empty()) {
      throw RemoteError("cannot upload part " + std::to_string(i + 1) + " of "
                            + detail::s3_uri(bucket, key) + ": no ETag in the response",
                        response.status);
    }
    if (progress) {
      const std::lock_guard lock(progress_mutex);
      done += length;
      progress(done);
    }
    return UploadedPart{std::move(etag), crc32_checksum_value(crc)};
  };
  run_upload("upload", bucket, key, content_type, true, count, upload_part);
}

void Client::Impl::copy_multipart(const ObjectInfo& source,
                                  std::string_view src_bucket,
                                  std::string_view dst_bucket,
                                  std::string_view dst_key) const {
  const std::uint64_t part_size = part_size_for(source.size, options.copy_part_size);
  const auto count = static_cast<std::size_t>((source.size + part_size - 1) / part_size);
  const std::string copy_source =
      "/" + encode_s3_path(src_bucket) + "/" + encode_s3_path(source.key);
  run_upload("copy",
             dst_bucket,
             dst_key,
             source.content_type,
             false,
             count,
             [&](const std::string& id, std::size_t i) {
               const std::uint64_t first = i * part_size;
               const std::uint64_t last = std::min(first + part_size, source.size) - 1;
               Call call = upload_call("copy", "PUT", dst_bucket, dst_key, id);
               call.query.emplace_back("partNumber", std::to_string(i + 1));
               call.headers = {{"x-amz-copy-source", copy_source},
                               {"x-amz-copy-source-range",
                                "bytes=" + std::to_string(first) + "-" + std::to_string(last)}};
               if (!source.etag.empty()) {
                 // Every part must come from the same version of the source.
                 call.headers.emplace_back("x-amz-copy-source-if-match", "\"" + source.etag + "\"");
               }
               call.error_in_200 = true;
               const http::Response response = send_with_retries(call);
               return UploadedPart{parse_in_context(call,
                                                    response,
                                                    [](std::string_view xml) {
                                                      return parse_result_etag(xml,
                                                                               "CopyPartResult");
                                                    }),
                                   {}};
             });
}

} // namespace rockart::s3
