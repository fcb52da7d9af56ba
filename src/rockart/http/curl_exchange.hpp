// SPDX-License-Identifier: MIT
// Private to the http layer: RAII owners of libcurl handles and the per-exchange state
// that libcurl's C callbacks read from and write to.
#pragma once

#include <rockart/http/request.hpp>

#include <curl/curl.h>

#include <cstdio>
#include <exception>
#include <memory>

namespace rockart::http::detail {

struct EasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

struct ShareDeleter {
  void operator()(CURLSH* share) const noexcept { curl_share_cleanup(share); }
};

struct FileDeleter {
  void operator()(std::FILE* file) const noexcept { (void)std::fclose(file); }
};

using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using SlistHandle = std::unique_ptr<curl_slist, SlistDeleter>;
using ShareHandle = std::unique_ptr<CURLSH, ShareDeleter>;
using FileHandle = std::unique_ptr<std::FILE, FileDeleter>;

// State of one request/response while curl_easy_perform runs. Callbacks never let an
// exception cross libcurl's C frames: they park it in `callback_error` and abort.
struct Exchange {
  // Opens the upload body (a FileRange is opened here). Throws LocalIoError.
  Exchange(CURL* handle, const Request& request);

  CURL* handle;
  const Request& request;
  Response response;
  std::exception_ptr callback_error;
  std::uint64_t upload_length = 0;
  std::uint64_t upload_position = 0;
  FileHandle file;
  bool sink_decided = false;
  bool to_sink = false;
  bool headers_delivered = false;
  bool in_interim = false;    // the headers arriving belong to a 1xx response
  bool headers_ended = false; // the final response's header block is complete

  // Installs the read/seek/write/header callbacks on `handle`.
  void install_callbacks();

  // Hands the final `status` and headers to request.on_headers, once. Called before the
  // first body byte and again (a no-op if already done) when the exchange completes.
  void deliver_headers(int status);

  static size_t on_read(char* buffer, size_t size, size_t count, void* self);
  static int on_seek(void* self, curl_off_t offset, int origin);
  static size_t on_write(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);

private:
  size_t read_body(char* buffer, size_t size);
  bool seek_body(std::uint64_t offset);
  void write_body(std::string_view chunk);
};

} // namespace rockart::http::detail
