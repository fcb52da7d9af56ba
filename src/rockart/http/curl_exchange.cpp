// SPDX-License-Identifier: MIT
#include "curl_exchange.hpp"

#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rockart::http::detail {

namespace {

// Error bodies are decoded (S3 XML, GitHub JSON), never stored: a bounded prefix is enough
// and protects memory when a misbehaving server streams an object with an error status.
constexpr std::size_t k_max_error_body = 1 << 20;

std::string describe_path(const FileRange& range) {
  return "'" + range.path.string() + "' (bytes " + std::to_string(range.offset) + "+"
         + std::to_string(range.length) + ")";
}

FileHandle open_range(const FileRange& range) {
  FileHandle file(std::fopen(range.path.c_str(), "rb"));
  if (!file) {
    throw LocalIoError("cannot open " + describe_path(range)
                       + " for upload: " + std::strerror(errno));
  }
  if (fseeko(file.get(), static_cast<off_t>(range.offset), SEEK_SET) != 0) {
    throw LocalIoError("cannot seek in " + describe_path(range) + ": " + std::strerror(errno));
  }
  return file;
}

} // namespace

Exchange::Exchange(CURL* curl, const Request& req)
    : handle(curl), request(req), upload_length(body_length(req.body)) {
  if (const auto* range = std::get_if<FileRange>(&request.body)) {
    file = open_range(*range);
  }
}

void Exchange::install_callbacks() {
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &Exchange::on_read);
  curl_easy_setopt(handle, CURLOPT_READDATA, this);
  curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, &Exchange::on_seek);
  curl_easy_setopt(handle, CURLOPT_SEEKDATA, this);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Exchange::on_write);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &Exchange::on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, this);
}

size_t Exchange::read_body(char* buffer, size_t size) {
  size = static_cast<size_t>(std::min<std::uint64_t>(size, upload_length - upload_position));
  if (size == 0) {
    return 0;
  }
  size_t got = 0;
  if (const auto* text = std::get_if<std::string>(&request.body)) {
    std::memcpy(buffer, text->data() + upload_position, size);
    got = size;
  } else if (const auto* source = std::get_if<BodySource>(&request.body)) {
    got = std::min(source->read(buffer, size), size);
  } else if (const auto* range = std::get_if<FileRange>(&request.body)) {
    got = std::fread(buffer, 1, size, file.get());
    if (got == 0) {
      throw LocalIoError("cannot read " + describe_path(*range) + " at byte "
                         + std::to_string(upload_position) + ": file ended early or "
                         + (std::ferror(file.get()) ? std::strerror(errno) : "shrank"));
    }
  }
  if (got == 0) {
    // The source promised `length` bytes as Content-Length; sending fewer would hang.
    throw LocalIoError("upload body ended after " + std::to_string(upload_position) + " of "
                       + std::to_string(upload_length) + " bytes");
  }
  upload_position += got;
  response.bytes_sent = upload_position;
  return got;
}

bool Exchange::seek_body(std::uint64_t offset) {
  if (offset > upload_length) {
    return false;
  }
  if (const auto* source = std::get_if<BodySource>(&request.body)) {
    if (offset != 0 || !source->rewind || !source->rewind()) {
      return false;
    }
  } else if (const auto* range = std::get_if<FileRange>(&request.body)) {
    if (fseeko(file.get(), static_cast<off_t>(range->offset + offset), SEEK_SET) != 0) {
      return false;
    }
  }
  upload_position = offset;
  return true;
}

void Exchange::deliver_headers(int status) {
  if (headers_delivered) {
    return;
  }
  headers_delivered = true;
  if (request.on_headers) {
    request.on_headers(status, response.headers);
  }
}

void Exchange::write_body(std::string_view chunk) {
  if (!sink_decided) {
    // The status is final once body bytes flow (on_header() already dropped any 1xx
    // headers). Only a successful body belongs to the caller's sink (a file, a hash); an
    // error body is kept for decoding.
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    to_sink = request.sink && status >= 200 && status < 300;
    sink_decided = true;
    deliver_headers(static_cast<int>(status));
  }
  response.bytes_received += chunk.size();
  if (to_sink) {
    request.sink(chunk);
  } else if (!request.sink || response.body.size() < k_max_error_body) {
    response.body.append(chunk);
  }
}

size_t Exchange::on_read(char* buffer, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  try {
    return exchange->read_body(buffer, size * count);
  } catch (...) {
    exchange->callback_error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

int Exchange::on_seek(void* self, curl_off_t offset, int origin) {
  auto* exchange = static_cast<Exchange*>(self);
  if (origin != SEEK_SET || offset < 0) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  try {
    return exchange->seek_body(static_cast<std::uint64_t>(offset)) ? CURL_SEEKFUNC_OK
                                                                   : CURL_SEEKFUNC_CANTSEEK;
  } catch (...) {
    exchange->callback_error = std::current_exception();
    return CURL_SEEKFUNC_FAIL;
  }
}

size_t Exchange::on_write(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  try {
    exchange->write_body(std::string_view(data, size * count));
    return size * count;
  } catch (...) {
    exchange->callback_error = std::current_exception();
    return 0; // any short count makes libcurl abort with CURLE_WRITE_ERROR
  }
}

size_t Exchange::on_header(char* data, size_t size, size_t count, void* self) {
  auto* exchange = static_cast<Exchange*>(self);
  const std::string_view line(data, size * count);
  try {
    if (line.starts_with("HTTP/")) {
      // A new status line (after 100 Continue or a 1xx): only the final headers count.
      exchange->response.headers.clear();
      const auto space = line.find(' ');
      exchange->in_interim =
          space != std::string_view::npos && space + 1 < line.size() && line[space + 1] == '1';
      exchange->headers_ended = false;
    } else if (util::trim(line).empty()) {
      exchange->headers_ended = !exchange->in_interim;
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      exchange->response.headers.emplace_back(std::string(util::trim(line.substr(0, colon))),
                                              std::string(util::trim(line.substr(colon + 1))));
    }
    return line.size();
  } catch (...) {
    exchange->callback_error = std::current_exception();
    return 0;
  }
}

} // namespace rockart::http::detail
