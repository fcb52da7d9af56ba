// SPDX-License-Identifier: MIT
// Running independent jobs on a few threads.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <string>
#include <vector>

namespace rockart::util {

// Runs `task(i)` for every i in [0, count) on up to `concurrency` threads (the
// caller's own thread when that is 1) and returns the failure of each index:
// null where task(i) returned, the exception where it threw. Every index runs.
std::vector<std::exception_ptr>
run_parallel(std::size_t count, int concurrency, const std::function<void(std::size_t)>& task);

// The what() text of a failure from run_parallel ("unknown error" for a
// non-std::exception). `error` must not be null.
std::string message_of(const std::exception_ptr& error);

} // namespace rockart::util
