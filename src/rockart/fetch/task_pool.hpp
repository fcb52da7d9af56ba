// SPDX-License-Identifier: MIT
// A fixed set of worker threads running queued tasks, with two priorities so
// the chunks of archives being extracted overtake companion prefetches.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace rockart::fetch::detail {

class TaskPool {
public:
  // Starts `threads` (>= 1) workers.
  explicit TaskPool(int threads);
  // Runs every queued task, then joins the workers.
  ~TaskPool();
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // Queues `task`; `urgent` tasks run before any non-urgent one. Tasks must not throw.
  void submit(std::function<void()> task, bool urgent = true);

private:
  void work();

  std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<std::function<void()>> m_urgent;
  std::deque<std::function<void()>> m_background;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

} // namespace rockart::fetch::detail
