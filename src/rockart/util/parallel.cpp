// SPDX-License-Identifier: MIT
#include <rockart/util/parallel.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

namespace rockart::util {

std::vector<std::exception_ptr> run_parallel(std::size_t count,
                                             int concurrency,
                                             const std::function<void(std::size_t)>& task,
                                             OnFailure on_failure) {
  std::vector<std::exception_ptr> failures(count);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto worker = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      if (on_failure == OnFailure::stop && failed) {
        return;
      }
      try {
        task(i);
      } catch (...) {
        failures[i] = std::current_exception();
        failed = true;
      }
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(count, static_cast<std::size_t>(std::max(concurrency, 1)));
  if (threads <= 1) {
    worker();
    return failures;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) {
    pool.emplace_back(worker);
  }
  for (auto& thread : pool) {
    thread.join();
  }
  return failures;
}

void rethrow_first(const std::vector<std::exception_ptr>& failures) {
  for (const auto& failure : failures) {
    if (failure) {
      std::rethrow_exception(failure);
    }
  }
}

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

} // namespace rockart::util
