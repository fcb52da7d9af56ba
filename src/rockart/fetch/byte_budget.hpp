// SPDX-License-Identifier: MIT
// Bytes that the buffers of several downloads may hold together: each takes
// its share before it buffers and gives it back when the bytes moved on, so
// memory stays fixed whatever the number and sizes of the archives.
#pragma once

#include <cstdint>
#include <mutex>

namespace rockart::fetch::detail {

class ByteBudget {
public:
  explicit ByteBudget(std::uint64_t bytes) : m_left(bytes) {}

  // Takes `n` bytes when that many are left (all or nothing).
  bool try_reserve(std::uint64_t n) {
    const std::lock_guard lock(m_mutex);
    if (n > m_left) {
      return false;
    }
    m_left -= n;
    return true;
  }

  void release(std::uint64_t n) {
    const std::lock_guard lock(m_mutex);
    m_left += n;
  }

private:
  std::mutex m_mutex;
  std::uint64_t m_left;
};

} // namespace rockart::fetch::detail
