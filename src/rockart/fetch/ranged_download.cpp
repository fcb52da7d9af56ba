// SPDX-License-Identifier: MIT
#include "ranged_download.hpp"

#include <rockart/error.hpp>

#include <algorithm>

namespace rockart::fetch::detail {

namespace {

// Thrown inside a GET's body callback to abandon a range nobody wants any more.
struct RangeCancelled {};

} // namespace

std::vector<std::pair<std::uint64_t, std::uint64_t>> split_ranges(std::uint64_t size,
                                                                  std::uint64_t chunk) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  chunk = std::max<std::uint64_t>(chunk, 1);
  for (std::uint64_t first = 0; first < size; first += chunk) {
    ranges.emplace_back(first, std::min(size, first + chunk) - 1);
  }
  return ranges;
}

RangedDownload::RangedDownload(TaskPool& pool,
                               s3::Client& client,
                               RangedObject object,
                               OrderedConsumer& consumer,
                               RangeOptions options)
    : m_pool(pool), m_client(client), m_object(std::move(object)), m_consumer(consumer),
      m_options(std::move(options)), m_ranges(split_ranges(m_object.size, m_options.chunk_bytes)) {
  m_options.window = std::max(1, m_options.window);
}

RangedDownload::~RangedDownload() {
  while (!m_slots.empty()) {
    erase_slot(m_slots.begin());
  }
}

void RangedDownload::erase_slot(std::map<size_t, Slot>::iterator slot) {
  if (m_options.budget != nullptr && slot->second.reserved > 0) {
    m_options.budget->release(slot->second.reserved);
  }
  m_slots.erase(slot);
}

void RangedDownload::start() {
  std::unique_lock lock(m_mutex);
  if (m_ranges.empty()) {
    deliver(lock); // an empty object: straight to end()
    return;
  }
  submit_locked(lock);
}

void RangedDownload::submit_locked(std::unique_lock<std::mutex>&) {
  while (!m_cancelled && !m_error && m_next_submit < m_ranges.size()
         && m_next_submit < m_next_deliver + static_cast<size_t>(m_options.window)) {
    const size_t index = m_next_submit;
    Slot slot;
    if (m_options.budget != nullptr && index != m_next_deliver) {
      // Buffered until its turn: only with room in the shared budget. Tried
      // again each time the head moves on.
      const auto [first, last] = m_ranges[index];
      if (!m_options.budget->try_reserve(last - first + 1)) {
        break;
      }
      slot.reserved = last - first + 1;
    }
    ++m_next_submit;
    m_slots.emplace(index, std::move(slot));
    ++m_running;
    m_pool.submit([self = shared_from_this(), index] { self->run_range(index); });
  }
}

// A GET's body callback: queues the bytes, delivers them at once when this
// range is the head, and waits while the head holds more than it may.
void RangedDownload::receive(size_t index, std::string_view chunk) {
  if (m_options.on_bytes) {
    m_options.on_bytes(chunk.size());
  }
  std::unique_lock lock(m_mutex);
  if (m_stop.load()) {
    throw RangeCancelled{};
  }
  const auto* bytes = reinterpret_cast<const std::byte*>(chunk.data());
  Slot& slot = m_slots.at(index);
  if (index != m_next_deliver && slot.pending.empty()) {
    // A range ahead is held whole until its turn: one allocation of its size.
    const auto [first, last] = m_ranges[index];
    slot.pending.reserve(last - first + 1);
  }
  slot.pending.insert(slot.pending.end(), bytes, bytes + chunk.size());
  if (index != m_next_deliver) {
    return;
  }
  deliver(lock);
  m_changed.wait(
      lock, [&] { return m_stop.load() || slot.pending.size() <= m_options.head_buffer_bytes; });
  if (m_stop.load()) {
    throw RangeCancelled{};
  }
}

void RangedDownload::run_range(size_t index) {
  std::exception_ptr error;
  if (!m_stop.load()) {
    const auto [first, last] = m_ranges[index];
    try {
      // A single range covering the whole object needs no Range header.
      const bool whole = m_ranges.size() == 1;
      m_client.get(
          m_object.bucket,
          m_object.key,
          [&](std::string_view chunk) { receive(index, chunk); },
          whole ? std::nullopt : std::optional(std::pair{first, last}));
    } catch (const RangeCancelled&) {
    } catch (...) {
      error = std::current_exception();
    }
  }
  std::unique_lock lock(m_mutex);
  --m_running;
  if (error) {
    if (!m_error) {
      m_error = error;
    }
    m_stop = true;
  } else if (!m_stop.load()) {
    m_slots.at(index).complete = true;
  }
  deliver(lock);
  m_changed.notify_all();
}

// Hands the head range's bytes to the consumer, moving on to the next range
// when the head is complete. Only one thread delivers at a time, and never
// while holding the lock (the consumer may block).
void RangedDownload::deliver(std::unique_lock<std::mutex>& lock) {
  if (m_delivering || m_finished) {
    return;
  }
  m_delivering = true;
  while (!m_stop.load() && m_next_deliver < m_ranges.size()) {
    const auto head = m_slots.find(m_next_deliver);
    if (head == m_slots.end()) {
      break;
    }
    if (head->second.complete && head->second.pending.empty()) {
      erase_slot(head);
      ++m_next_deliver;
      submit_locked(lock);
      continue;
    }
    if (head->second.pending.empty()) {
      break; // the head's GET is still running; its next bytes call deliver()
    }
    std::vector<std::byte> data = std::move(head->second.pending);
    head->second.pending = {};
    m_changed.notify_all(); // the head's GET may continue
    lock.unlock();
    const bool wanted = m_consumer.write(data);
    data = {};
    lock.lock();
    if (!wanted) {
      m_stop = true;
      m_finished = true; // the consumer went away: it expects no end() or fail()
    }
  }
  if (!m_finished && m_error) {
    m_finished = true;
    const auto error = m_error;
    lock.unlock();
    m_consumer.fail(error);
    lock.lock();
  } else if (!m_finished && !m_stop.load() && m_next_deliver == m_ranges.size()) {
    m_finished = true;
    lock.unlock();
    m_consumer.end();
    lock.lock();
  }
  m_delivering = false;
  m_changed.notify_all();
}

bool RangedDownload::settled_locked() const {
  return m_finished && m_running == 0 && !m_delivering;
}

void RangedDownload::wait() {
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return settled_locked(); });
}

void RangedDownload::cancel() {
  std::unique_lock lock(m_mutex);
  m_cancelled = true;
  m_stop = true;
  if (!m_delivering) {
    m_finished = true; // the consumer is going away and wants no callback
  }
  m_changed.notify_all(); // a head GET waiting for the consumer gives up
  m_changed.wait(lock, [&] { return m_running == 0 && !m_delivering; });
  m_finished = true;
  while (!m_slots.empty()) {
    erase_slot(m_slots.begin());
  }
}

} // namespace rockart::fetch::detail
