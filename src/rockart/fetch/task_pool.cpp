// SPDX-License-Identifier: MIT
#include "task_pool.hpp"

#include <algorithm>

namespace rockart::fetch::detail {

TaskPool::TaskPool(int threads) : m_limit(std::max(1, threads)) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    m_threads.emplace_back([this] { work(); });
  }
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_ready.notify_all();
  for (auto& thread : m_threads) {
    thread.join();
  }
}

void TaskPool::submit(std::function<void()> task, bool urgent) {
  {
    std::lock_guard lock(m_mutex);
    (urgent ? m_urgent : m_background).push_back(std::move(task));
  }
  m_ready.notify_one();
}

void TaskPool::set_limit(int limit) {
  {
    std::lock_guard lock(m_mutex);
    m_limit = std::clamp(limit, 1, static_cast<int>(m_threads.size()));
  }
  m_ready.notify_all();
}

int TaskPool::limit() const {
  std::lock_guard lock(m_mutex);
  return m_limit;
}

void TaskPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(m_mutex);
      m_ready.wait(lock, [&] {
        const bool queued = !m_urgent.empty() || !m_background.empty();
        return (queued && m_running < m_limit) || (m_stopping && !queued);
      });
      auto& queue = !m_urgent.empty() ? m_urgent : m_background;
      if (queue.empty()) {
        return; // stopping and drained
      }
      task = std::move(queue.front());
      queue.pop_front();
      ++m_running;
    }
    task();
    {
      std::lock_guard lock(m_mutex);
      --m_running;
    }
    m_ready.notify_one();
  }
}

} // namespace rockart::fetch::detail
