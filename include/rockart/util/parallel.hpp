// SPDX-License-Identifier: MIT
// The one way rockart runs independent jobs on a few threads.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace rockart::util {

// What the other jobs do once one has failed.
enum class OnFailure {
  run_all, // every index still runs (each file of a batch gets its chance)
  stop,    // no job starts after a failure (the parts of one upload: it is lost anyway)
};

// Runs `task(i)` for i in [0, count) on up to `concurrency` threads (the
// caller's own thread when that is 1) and returns the failure of each index:
// null where task(i) returned, or never ran (OnFailure::stop), the exception
// where it threw.
std::vector<std::exception_ptr> run_parallel(std::size_t count,
                                             int concurrency,
                                             const std::function<void(std::size_t)>& task,
                                             OnFailure on_failure = OnFailure::run_all);

// Rethrows the failure of the lowest index, if there is one.
void rethrow_first(const std::vector<std::exception_ptr>& failures);

// The what() text of a failure from run_parallel ("unknown error" for a
// non-std::exception). `error` must not be null.
std::string message_of(const std::exception_ptr& error);

} // namespace rockart::util
