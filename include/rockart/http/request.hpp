// SPDX-License-Identifier: MIT
// One HTTP exchange as plain data: what to send (Request) and what came back (Response).
// Bodies can stream both ways so multi-GiB objects never sit in memory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rockart::http {

// Ordered header list; names keep the caller's spelling, duplicates are allowed.
using Headers = std::vector<std::pair<std::string, std::string>>;

// Returns the value of the first header named `name` (ASCII case-insensitive), or nullopt.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

// Limits for one transfer. A transfer whose rate stays under `stall_bytes_per_second` for
// `stall_time` is aborted with NetworkError; the defaults suit a 0.3 MB/s CI runner.
struct Timeouts {
  std::chrono::milliseconds connect{30'000};
  std::uint32_t stall_bytes_per_second = 1024;
  std::chrono::seconds stall_time{60};
  std::chrono::milliseconds total{0}; // 0 = no limit on the whole exchange
};

// Upload body produced by a callback. `read` fills at most `size` bytes of `buffer` and
// returns how many it wrote (0 only at the end); throwing aborts the transfer and the
// exception reaches the caller. `length` must be exact: it is sent as Content-Length.
struct BodySource {
  std::uint64_t length = 0;
  std::function<std::size_t(char* buffer, std::size_t size)> read;
  // Optional: restarts the source from byte 0 (lets the transport resend on a dead
  // keep-alive connection). Returns false when the source cannot rewind.
  std::function<bool()> rewind;
};

// Upload body read from `length` bytes of `path` starting at `offset` (a multipart part).
struct FileRange {
  std::filesystem::path path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

// No body, an in-memory body, a callback source or a file range.
using Body = std::variant<std::monostate, std::string, BodySource, FileRange>;

// Receives the response body of a 2xx response chunk by chunk, in order. Throwing
// aborts the transfer; the transport rethrows that exception to the caller. When perform()
// throws for any reason the sink may hold a prefix of the body: the caller discards it.
using BodySink = std::function<void(std::string_view chunk)>;

// Receives the status and headers of the final response (never a 1xx interim one) exactly
// once per successful exchange, before the first body byte reaches the sink or
// Response::body, or when the exchange completes for an empty body (HEAD, 204, length 0).
// Fires for every status, 4xx/5xx included, and also when the body then fails before its
// first byte. Throwing aborts the transfer (no body byte is delivered) and perform()
// rethrows that exception. Not called when no complete header block arrived.
using HeadersFn = std::function<void(int status, const Headers& headers)>;

// What to send. `method` is the verb as sent ("GET", "PUT", ...); `url` is absolute.
struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  Body body;
  // When set, 2xx bodies stream here and Response::body stays empty; error bodies
  // (status >= 300) are always collected in Response::body so they can be decoded.
  BodySink sink;
  // When set, sees the final status and headers before any body byte; see HeadersFn.
  HeadersFn on_headers;
  std::optional<Timeouts> timeouts; // overrides the transport's defaults
};

// What came back: any complete HTTP response, including 4xx/5xx.
struct Response {
  int status = 0;
  Headers headers;                  // headers of the final response, in arrival order
  std::string body;                 // empty when a sink consumed a 2xx body
  std::uint64_t bytes_received = 0; // body bytes received
  std::uint64_t bytes_sent = 0;     // body bytes uploaded
  std::chrono::milliseconds elapsed{0};

  // Value of the first header named `name` (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

// Length in bytes of `body` (0 for no body).
std::uint64_t body_length(const Body& body);

// A parsed Content-Range of a 206 response: bytes `first`-`last` (inclusive) of `total`.
struct ContentRange {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::optional<std::uint64_t> total; // nullopt when the server sent "*" (size unknown)

  bool operator==(const ContentRange&) const = default;
};

// Parses a 206 response's Content-Range, "bytes <first>-<last>/<total|*>" (the
// total is "*" when the server does not know it). Returns nullopt for any other
// form, including the unsatisfied-range form "bytes */<total>" and `last` < `first`.
std::optional<ContentRange> parse_content_range(std::string_view value);

} // namespace rockart::http
