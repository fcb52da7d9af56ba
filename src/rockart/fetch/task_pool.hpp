// SPDX-License-Identifier: MIT
// A fixed set of worker threads running queued tasks, with two priorities so
// the chunks of archives being extracted overtake companion prefetches, and a
// limit on how many run at once that the flow control moves at run time.
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

  // How many tasks may run at once: clamped to [1, threads]. Running tasks
  // finish; the new limit applies to the next ones.
  void set_limit(int limit);

  int limit() const;

  int threads() const { return static_cast<int>(m_threads.size()); }

private:
  void work();

  mutable std::mutex m_mutex;
  std::condition_variable m_ready;
  std::deque<std::function<void()>> m_urgent;
  std::deque<std::function<void()>> m_background;
  bool m_stopping = false;
  int m_limit = 1;
  int m_running = 0;
  std::vector<std::thread> m_threads;
};

} // namespace rockart::fetch::detail
