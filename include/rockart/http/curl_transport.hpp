// SPDX-License-Identifier: MIT
// Transport over libcurl: keep-alive connections shared by every thread, HTTP/2 over TLS
// where offered, TLS verification always on, stall detection, streaming bodies.
#pragma once

#include <rockart/http/transport.hpp>

#include <memory>
#include <string>

namespace rockart::http {

// Settings for every request of one CurlTransport. There is deliberately no switch to
// turn TLS verification off.
struct CurlOptions {
  Timeouts timeouts; // defaults for requests that do not set their own
  std::string user_agent = "rockart";
  std::string ca_bundle;             // PEM file of trusted CAs; empty = the system store
  std::size_t max_idle_handles = 16; // easy handles kept warm for reuse
};

// libcurl-backed Transport. One instance is meant to be shared by the whole process:
// connections, DNS results and TLS sessions are reused across requests and threads.
class CurlTransport final : public Transport {
public:
  // Initialises libcurl once per process. Throws NetworkError if libcurl cannot start.
  explicit CurlTransport(CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // See Transport::perform. Logs one line per exchange at debug level.
  Response perform(const Request& request) override;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace rockart::http
