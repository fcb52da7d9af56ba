// SPDX-License-Identifier: MIT
// Where extraction reads its compressed bytes from: a file, or a bounded pipe
// fed by a download while it is still arriving.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <mutex>
#include <span>
#include <vector>

namespace rockart::archive {

// A forward-only stream of bytes. Implementations need not be thread-safe:
// one consumer calls read().
class ByteSource {
public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`, blocking until at least one byte is
  // available; returns 0 only at the end of the stream. Throws rockart::Error
  // (or whatever the producer failed with) when the stream cannot continue.
  virtual size_t read(void* buf, size_t n) = 0;
};

// Reads a local file. Throws LocalIoError naming the file when it cannot be
// opened or read.
class FileSource : public ByteSource {
public:
  explicit FileSource(const std::filesystem::path& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  size_t read(void* buf, size_t n) override;

private:
  std::filesystem::path m_path;
  int m_fd = -1;
};

// A bounded single-producer/single-consumer byte pipe with a fixed ring buffer
// of `capacity` bytes allocated once, so memory stays flat for any stream length.
// The producer calls write()/close()/fail(); the consumer calls read()/abandon().
class BytePipe {
public:
  static constexpr size_t k_default_capacity = size_t{4} * 1024 * 1024;

  explicit BytePipe(size_t capacity = k_default_capacity);
  BytePipe(const BytePipe&) = delete;
  BytePipe& operator=(const BytePipe&) = delete;

  // Copies all of `data` in, blocking while the buffer is full. Returns false
  // (having written possibly only part) when the consumer abandoned the pipe;
  // the producer should then stop. Writing after close()/fail() is a logic error.
  bool write(std::span<const std::byte> data);

  // Marks the end of the stream: read() returns 0 once the buffer is drained.
  void close();

  // Ends the stream with an error: the consumer's read() rethrows `error` once
  // the buffered bytes before it are drained.
  void fail(std::exception_ptr error);

  // Consumer side: blocks until bytes, end of stream or failure are available.
  // Returns 0 at the end; rethrows the producer's failure.
  size_t read(void* buf, size_t n);

  // Consumer gives up (e.g. extraction failed): wakes and fails pending and
  // future write() calls so the producer never blocks forever.
  void abandon();

  size_t capacity() const { return m_buffer.size(); }

  // The largest number of bytes ever buffered at once (never above capacity()).
  size_t peak_buffered() const;

  // Total bytes passed through read() so far.
  std::uint64_t bytes_read() const;

private:
  mutable std::mutex m_mutex;
  std::condition_variable m_readable;
  std::condition_variable m_writable;
  std::vector<std::byte> m_buffer;
  size_t m_head = 0; // next byte to read
  size_t m_size = 0; // bytes buffered
  size_t m_peak = 0;
  std::uint64_t m_bytes_read = 0;
  bool m_closed = false;
  bool m_abandoned = false;
  std::exception_ptr m_error;
};

// Adapts the consumer side of a BytePipe to ByteSource. Abandons the pipe on
// destruction unless the stream was read to its end, so a producer blocked in
// write() is released when extraction stops early.
class PipeSource : public ByteSource {
public:
  explicit PipeSource(BytePipe& pipe) : m_pipe(pipe) {}

  ~PipeSource() override;
  PipeSource(const PipeSource&) = delete;
  PipeSource& operator=(const PipeSource&) = delete;

  size_t read(void* buf, size_t n) override;

private:
  BytePipe& m_pipe;
  bool m_at_end = false;
};

} // namespace rockart::archive
