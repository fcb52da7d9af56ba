// SPDX-License-Identifier: MIT
// Scratch space a command makes next to where its results land (staging
// directories, temporary files) and must not leave behind:
//  - removed by its owner when done (ScratchDir's destructor);
//  - removed on Ctrl-C: every live scratch path of the process is in one
//    registry, which the interrupt handler empties (remove_registered_scratch);
//  - removed by the next run when the process that made it was killed (kill -9,
//    a crash, a lost runner): remove_orphaned_scratch().
// A scratch directory is named "{prefix}{pid}-XXXXXX" and holds an flock
// while its owner lives, so a sweep never takes one that is still in use, by
// this host's processes or by another host's sharing the directory.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace rockart::util {

// Adds `path` (a file or directory) to the paths removed on an interrupt;
// forget_scratch() takes it out again. Thread-safe.
void register_scratch(const std::filesystem::path& path);
void forget_scratch(const std::filesystem::path& path);

// Removes every registered path, best effort (the process is about to exit).
// Returns how many were there.
std::size_t remove_registered_scratch() noexcept;

// A fresh directory `{parent}/{prefix}{pid}-XXXXXX`, locked and registered,
// removed with its content on destruction.
class ScratchDir {
public:
  // Throws LocalIoError when it cannot be created.
  ScratchDir(const std::filesystem::path& parent, std::string_view prefix);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
  int m_lock = -1; // open on the directory, flock'ed until destruction
};

// True when `pid` names no process of this host (kill(pid, 0) says ESRCH).
// A pid that is alive but someone else's counts as alive.
bool process_is_gone(int pid);

// Removes the directories `{parent}/{prefix}*` whose owner is gone: their
// flock is free and the pid in their name is not a live process of this
// host (a name without a pid, from an older rockart: free and untouched for
// an hour). Returns how many were removed; errors are ignored (a sweep never
// fails the command that runs it).
std::size_t remove_orphaned_scratch(const std::filesystem::path& parent, std::string_view prefix);

} // namespace rockart::util
