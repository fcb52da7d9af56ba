// SPDX-License-Identifier: MIT
// One object fetched as byte ranges on a shared TaskPool and handed to a
// consumer strictly in order. The range at the head streams straight through
// (with back-pressure from the consumer); ranges ahead of it are buffered, at
// most `window` ranges in flight, so memory is bounded by (window - 1) x chunk,
// and by a budget shared with other downloads when one is given.
#pragma once

#include "byte_budget.hpp"
#include "task_pool.hpp"

#include <rockart/s3/client.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace rockart::fetch::detail {

// Receives an object's bytes in order, from one thread at a time.
class OrderedConsumer {
public:
  virtual ~OrderedConsumer() = default;
  // The next bytes; returns false when the consumer wants no more (download stops).
  virtual bool write(std::span<const std::byte> data) = 0;
  // Called once after the last byte (never after fail()).
  virtual void end() = 0;
  // Called once when the download cannot complete.
  virtual void fail(std::exception_ptr error) = 0;
};

struct RangedObject {
  std::string bucket;
  std::string key;
  std::uint64_t size = 0;
};

struct RangeOptions {
  std::uint64_t chunk_bytes = std::uint64_t{8} << 20; // one GET per chunk
  int window = 4;                                     // chunks fetched or buffered at once
  // Bytes the head range may hold while the consumer is busy before its GET
  // waits (the consumer's own pace then throttles the transfer).
  std::size_t head_buffer_bytes = std::size_t{1} << 20;
  std::function<void(std::uint64_t)> on_bytes; // bytes received (any thread)
  // Shared by downloads: a range ahead of the head is only started once its
  // size is reserved here (the head itself streams and needs none). nullptr:
  // the window alone bounds the memory.
  ByteBudget* budget = nullptr;
};

// The inclusive byte ranges covering `size` bytes in `chunk` pieces (pure).
std::vector<std::pair<std::uint64_t, std::uint64_t>> split_ranges(std::uint64_t size,
                                                                  std::uint64_t chunk);

// Downloads one object. Each range is a resumable Client::get (Range + If-Match,
// so a reset continues from the last good byte); ranges complete out of order
// and are reassembled. The consumer must outlive wait()/cancel().
class RangedDownload : public std::enable_shared_from_this<RangedDownload> {
public:
  RangedDownload(TaskPool& pool,
                 s3::Client& client,
                 RangedObject object,
                 OrderedConsumer& consumer,
                 RangeOptions options);
  ~RangedDownload();
  RangedDownload(const RangedDownload&) = delete;
  RangedDownload& operator=(const RangedDownload&) = delete;

  // Submits the first window of ranges.
  void start();

  // Blocks until the consumer got end() or fail(); afterwards no task touches it.
  void wait();

  // Stops submitting, makes running ranges give up, then wait()s.
  void cancel();

private:
  // One range's bytes not yet handed to the consumer.
  struct Slot {
    std::vector<std::byte> pending;
    bool complete = false;
    std::uint64_t reserved = 0; // taken from the shared budget
  };

  void submit_locked(std::unique_lock<std::mutex>& lock);
  void erase_slot(std::map<size_t, Slot>::iterator slot);
  void run_range(size_t index);
  void receive(size_t index, std::string_view chunk);
  void deliver(std::unique_lock<std::mutex>& lock);
  bool settled_locked() const;

  TaskPool& m_pool;
  s3::Client& m_client;
  RangedObject m_object;
  OrderedConsumer& m_consumer;
  RangeOptions m_options;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> m_ranges;

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::map<size_t, Slot> m_slots; // submitted and not yet fully delivered
  size_t m_next_submit = 0;
  size_t m_next_deliver = 0;
  int m_running = 0;         // range tasks queued or running
  bool m_delivering = false; // one thread at a time talks to the consumer
  bool m_finished = false;   // end() or fail() was called
  bool m_cancelled = false;
  std::exception_ptr m_error;      // the first range failure
  std::atomic<bool> m_stop{false}; // read by range tasks without the lock
};

} // namespace rockart::fetch::detail
