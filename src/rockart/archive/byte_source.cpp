// SPDX-License-Identifier: MIT
#include <rockart/archive/byte_source.hpp>
#include <rockart/error.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace rockart::archive {

FileSource::FileSource(const std::filesystem::path& path) : m_path(path) {
  m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m_fd < 0) {
    throw LocalIoError("cannot open archive " + path.string() + ": " + std::strerror(errno));
  }
  // Extraction reads the file once, front to back.
  (void)::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
}

FileSource::~FileSource() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

size_t FileSource::read(void* buf, size_t n) {
  for (;;) {
    const ssize_t got = ::read(m_fd, buf, n);
    if (got >= 0) {
      return static_cast<size_t>(got);
    }
    if (errno != EINTR) {
      throw LocalIoError("cannot read archive " + m_path.string() + ": " + std::strerror(errno));
    }
  }
}

BytePipe::BytePipe(size_t capacity) : m_buffer(std::max<size_t>(capacity, 1)) {}

bool BytePipe::write(std::span<const std::byte> data) {
  std::unique_lock lock(m_mutex);
  while (!data.empty()) {
    m_writable.wait(lock, [&] { return m_abandoned || m_size < m_buffer.size(); });
    if (m_abandoned) {
      return false;
    }
    // Copy into the free region, which may wrap around the end of the ring.
    const size_t cap = m_buffer.size();
    const size_t tail = (m_head + m_size) % cap;
    const size_t contiguous = std::min(cap - m_size, cap - tail);
    const size_t n = std::min(contiguous, data.size());
    std::memcpy(m_buffer.data() + tail, data.data(), n);
    m_size += n;
    m_peak = std::max(m_peak, m_size);
    data = data.subspan(n);
    m_readable.notify_one();
  }
  return !m_abandoned;
}

void BytePipe::close() {
  std::lock_guard lock(m_mutex);
  m_closed = true;
  m_readable.notify_all();
}

void BytePipe::fail(std::exception_ptr error) {
  std::lock_guard lock(m_mutex);
  m_error = std::move(error);
  m_closed = true;
  m_readable.notify_all();
}

size_t BytePipe::read(void* buf, size_t n) {
  std::unique_lock lock(m_mutex);
  m_readable.wait(lock, [&] { return m_size > 0 || m_closed; });
  if (m_size == 0) {
    if (m_error) {
      std::rethrow_exception(m_error);
    }
    return 0;
  }
  const size_t cap = m_buffer.size();
  const size_t contiguous = std::min(m_size, cap - m_head);
  const size_t first = std::min(contiguous, n);
  std::memcpy(buf, m_buffer.data() + m_head, first);
  size_t copied = first;
  // Take the wrapped part too, so callers asking for large blocks get them.
  if (first == contiguous && copied < n && m_size > contiguous) {
    const size_t second = std::min(m_size - contiguous, n - copied);
    std::memcpy(static_cast<std::byte*>(buf) + copied, m_buffer.data(), second);
    copied += second;
  }
  m_head = (m_head + copied) % cap;
  m_size -= copied;
  m_bytes_read += copied;
  m_writable.notify_one();
  return copied;
}

void BytePipe::abandon() {
  std::lock_guard lock(m_mutex);
  m_abandoned = true;
  m_writable.notify_all();
}

size_t BytePipe::peak_buffered() const {
  std::lock_guard lock(m_mutex);
  return m_peak;
}

std::uint64_t BytePipe::bytes_read() const {
  std::lock_guard lock(m_mutex);
  return m_bytes_read;
}

PipeSource::~PipeSource() {
  if (!m_at_end) {
    m_pipe.abandon();
  }
}

size_t PipeSource::read(void* buf, size_t n) {
  const size_t got = m_pipe.read(buf, n);
  if (got == 0) {
    m_at_end = true;
  }
  return got;
}

} // namespace rockart::archive
