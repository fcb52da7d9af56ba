// SPDX-License-Identifier: MIT
#include <rockart/cache/blob_store.hpp>
#include <rockart/error.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rockart::cache {
namespace {

LocalIoError lock_error(const std::filesystem::path& path, const char* what) {
  return LocalIoError(std::string("cannot ") + what + " cache lock " + path.string() + ": "
                          + std::strerror(errno),
                      "check that the cache directory is writable, or pass --no-cache");
}

// Opens `path` and takes the lock. A holder may delete the lock file while
// holding it (FileLock::remove_file); a waiter that then wakes up holds a lock
// on an unlinked inode, so it checks the path still names its inode and
// otherwise starts over on the new file.
int lock_fd(const std::filesystem::path& path, bool wait) {
  for (;;) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw lock_error(path, "open");
    }
    int rc = 0;
    do {
      rc = ::flock(fd, wait ? LOCK_EX : (LOCK_EX | LOCK_NB));
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) {
      const int saved = errno;
      ::close(fd);
      if (!wait && saved == EWOULDBLOCK) {
        return -1;
      }
      errno = saved;
      throw lock_error(path, "lock");
    }

    struct stat held {};

    struct stat named {};

    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino
        && held.st_dev == named.st_dev) {
      return fd;
    }
    ::close(fd);
  }
}

} // namespace

FileLock::~FileLock() {
  if (m_fd >= 0) {
    ::close(m_fd); // closing the last descriptor releases the flock
  }
}

FileLock::FileLock(FileLock&& other) noexcept : m_fd(other.m_fd), m_path(std::move(other.m_path)) {
  other.m_fd = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = other.m_fd;
    m_path = std::move(other.m_path);
    other.m_fd = -1;
  }
  return *this;
}

FileLock FileLock::acquire(const std::filesystem::path& path) {
  FileLock lock;
  lock.m_fd = lock_fd(path, true);
  lock.m_path = path;
  return lock;
}

std::optional<FileLock> FileLock::try_acquire(const std::filesystem::path& path) {
  const int fd = lock_fd(path, false);
  if (fd < 0) {
    return std::nullopt;
  }
  FileLock lock;
  lock.m_fd = fd;
  lock.m_path = path;
  return lock;
}

void FileLock::remove_file() {
  if (m_fd >= 0) {
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
  }
}

} // namespace rockart::cache
