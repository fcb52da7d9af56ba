// SPDX-License-Identifier: MIT
// The seam between rockart and the network: one HTTP attempt per call.
#pragma once

#include <rockart/http/request.hpp>

namespace rockart::http {

// Performs one HTTP attempt. Implementations are safe to call from many threads at once.
class Transport {
public:
  virtual ~Transport() = default;

  // Sends `request` once and returns the response, whatever its status (4xx/5xx included).
  // Throws rockart::NetworkError when no complete response arrived (DNS, connect, TLS,
  // timeout, reset, stall, body shorter than Content-Length), and rethrows an exception
  // thrown by the request's source or sink. Never retries; see retry.hpp.
  virtual Response perform(const Request& request) = 0;
};

} // namespace rockart::http
