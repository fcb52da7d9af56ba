// SPDX-License-Identifier: MIT
// A Transport that counts the requests passing through it (for --stats and for
// tests that prove a command sent no request at all).
#pragma once

#include <rockart/http/transport.hpp>

#include <atomic>
#include <cstdint>

namespace rockart::http {

class CountingTransport final : public Transport {
public:
  // `inner` must outlive this transport.
  explicit CountingTransport(Transport& inner) : m_inner(inner) {}

  Response perform(const Request& request) override {
    ++m_count;
    return m_inner.perform(request);
  }

  // Requests sent so far (each attempt of a retried request counts).
  std::uint64_t count() const { return m_count.load(); }

private:
  Transport& m_inner;
  std::atomic<std::uint64_t> m_count{0};
};

} // namespace rockart::http
