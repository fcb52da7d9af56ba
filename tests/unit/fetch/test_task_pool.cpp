// SPDX-License-Identifier: MIT
// The download pool's run-time limit (what the adaptive flow control moves):
// never more tasks at once than the limit, raising it lets queued tasks start,
// and it is clamped to the pool's threads.
#include "../../../src/rockart/fetch/task_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace rockart::fetch::detail {
namespace {

// Tasks that hold until released, counting how many run at once.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  int running = 0;
  int most = 0;
  int done = 0;

  void task() {
    std::unique_lock lock(mutex);
    ++running;
    most = std::max(most, running);
    changed.notify_all();
    changed.wait(lock, [&] { return open; });
    --running;
    ++done;
    changed.notify_all();
  }

  void wait_running(int n) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return running == n; });
  }

  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

TEST(TaskPool, RunsNoMoreThanItsLimitAndARaiseStartsQueuedTasks) {
  Gate gate;
  {
    TaskPool pool(8);
    pool.set_limit(2);
    for (int i = 0; i < 6; ++i) {
      pool.submit([&gate] { gate.task(); });
    }
    gate.wait_running(2);
    pool.set_limit(5);
    gate.wait_running(5); // three more start at once; the sixth waits
    {
      std::lock_guard lock(gate.mutex);
      EXPECT_EQ(gate.most, 5);
    }
    gate.release();
  } // the destructor runs what is queued, then joins
  EXPECT_EQ(gate.done, 6);
  EXPECT_EQ(gate.most, 5);
}

TEST(TaskPool, TheLimitIsClampedToTheThreads) {
  TaskPool pool(3);
  EXPECT_EQ(pool.limit(), 3);
  pool.set_limit(100);
  EXPECT_EQ(pool.limit(), 3);
  pool.set_limit(0);
  EXPECT_EQ(pool.limit(), 1);
  EXPECT_EQ(pool.threads(), 3);
}

} // namespace
} // namespace rockart::fetch::detail
