// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/util/scratch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <system_error>

namespace rockart::util {

namespace fs = std::filesystem;

namespace {

struct Registry {
  std::mutex mutex;
  std::set<fs::path> paths;
};

Registry& registry() {
  static Registry* instance = new Registry; // never destroyed: used until _exit
  return *instance;
}

// The pid in "{prefix}{pid}-XXXXXX", or 0 for a name without one.
pid_t pid_in_name(std::string_view name, std::string_view prefix) {
  const std::string_view rest = name.substr(prefix.size());
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
  if (error != std::errc() || end == rest.data() || end == rest.data() + rest.size()
      || *end != '-') {
    return 0;
  }
  return pid;
}

// True when nobody holds the flock of directory `path` (its owner is gone).
bool lock_is_free(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return false;
  }
  const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd); // releases the lock just taken
  return free;
}

} // namespace

bool process_is_gone(int pid) {
  return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH;
}

void register_scratch(const fs::path& path) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  r.paths.insert(path);
}

void forget_scratch(const fs::path& path) {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  r.paths.erase(path);
}

std::size_t remove_registered_scratch() noexcept {
  auto& r = registry();
  const std::lock_guard lock(r.mutex);
  std::size_t removed = 0;
  for (const auto& path : r.paths) {
    std::error_code error;
    // Workers may still be writing into it: a second pass takes what they
    // added while the first ran.
    for (int pass = 0;
         pass < 3 && fs::symlink_status(path, error).type() != fs::file_type::not_found;
         ++pass) {
      fs::remove_all(path, error);
    }
    ++removed;
  }
  r.paths.clear();
  return removed;
}

ScratchDir::ScratchDir(const fs::path& parent, std::string_view prefix) {
  std::string pattern =
      (parent / (std::string(prefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    const int error = errno;
    throw LocalIoError("cannot create a staging directory in " + parent.string() + ": "
                       + std::strerror(error));
  }
  m_path = pattern;
  m_lock = ::open(m_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (m_lock >= 0) {
    (void)::flock(m_lock, LOCK_EX); // ours alone: never blocks
  }
  register_scratch(m_path);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  fs::remove_all(m_path, ignored);
  forget_scratch(m_path);
  if (m_lock >= 0) {
    ::close(m_lock);
  }
}

std::size_t remove_orphaned_scratch(const fs::path& parent, std::string_view prefix) {
  std::size_t removed = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(parent, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !entry.is_directory(error) || entry.is_symlink(error)) {
      continue;
    }
    const pid_t pid = pid_in_name(name, prefix);
    if (pid == ::getpid() || (pid > 0 && !process_is_gone(pid)) || !lock_is_free(entry.path())) {
      continue;
    }
    if (pid == 0) {
      const auto age = fs::file_time_type::clock::now() - fs::last_write_time(entry.path(), error);
      if (error || age < std::chrono::hours(1)) {
        continue;
      }
    }
    fs::remove_all(entry.path(), error);
    removed += error ? 0 : 1;
  }
  return removed;
}

} // namespace rockart::util
