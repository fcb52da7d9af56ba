// SPDX-License-Identifier: MIT
// A Transport that counts the requests passing through it (for --stats and for
// tests that prove a command sent no request at all).
#pragma once

#include <rockart/http/transport.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

namespace rockart::http {

class CountingTransport final : public Transport {
public:
  // `inner` must outlive this transport.
  explicit CountingTransport(Transport& inner) : m_inner(inner) {}

  // Counts the requests of a transport it owns (a session's own CurlTransport).
  explicit CountingTransport(std::unique_ptr<Transport> owned)
      : m_owned(std::move(owned)), m_inner(*m_owned) {}

  Response perform(const Request& request) override {
    ++m_count;
    return m_inner.perform(request);
  }

  // Requests sent so far (each attempt of a retried request counts).
  std::uint64_t count() const { return m_count.load(); }

private:
  std::unique_ptr<Transport> m_owned; // null when `inner` is borrowed
  Transport& m_inner;
  std::atomic<std::uint64_t> m_count{0};
};

} // namespace rockart::http
