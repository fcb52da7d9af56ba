// SPDX-License-Identifier: MIT
#include "output_tree.hpp"

#include <rockart/error.hpp>
#include <rockart/util/file.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace rockart::archive::detail {
namespace {

constexpr int k_create_flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;

} // namespace

OutputTree::OutputTree(std::filesystem::path root, OutputTreeOptions options)
    : m_root(std::move(root)), m_options(std::move(options)) {
  m_dirs.insert("");
}

void OutputTree::fail_io(const std::string& action, const std::filesystem::path& path) const {
  throw_io_error("cannot " + action + " " + path.string() + " (member '" + m_member
                     + "' of archive " + m_options.archive_name + ")",
                 errno);
}

void OutputTree::fail_archive(const std::string& reason) const {
  throw ArchiveError("archive " + m_options.archive_name + ": member '" + m_member
                     + "': " + reason);
}

std::optional<mode_t> OutputTree::make_dir(const std::filesystem::path& path) const {
  if (::mkdir(path.c_str(), 0777) == 0) {
    return std::nullopt;
  }
  if (errno != EEXIST) {
    fail_io("create directory", path);
  }

  struct ::stat st {};

  if (::lstat(path.c_str(), &st) != 0) {
    fail_io("inspect", path);
  }
  return st.st_mode;
}

void OutputTree::ensure_parents(const std::string& rel) {
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1)) {
    std::string prefix = rel.substr(0, slash);
    if (m_dirs.count(prefix) != 0) {
      continue;
    }
    if (const auto existing = make_dir(m_root / prefix)) {
      if (S_ISLNK(*existing)) {
        fail_archive("parent '" + prefix + "' is a symlink; refusing to write through it");
      }
      if (!S_ISDIR(*existing)) {
        fail_archive("parent '" + prefix + "' exists and is not a directory");
      }
    }
    m_dirs.insert(std::move(prefix));
  }
}

void OutputTree::make_directory(const std::string& rel) {
  ensure_parents(rel);
  if (m_dirs.count(rel) != 0) {
    return;
  }
  const std::filesystem::path path = m_root / rel;
  // A symlink or file where a directory goes is removed first (last writer wins).
  if (const auto existing = make_dir(path); existing && !S_ISDIR(*existing)) {
    if (::unlink(path.c_str()) != 0 || ::mkdir(path.c_str(), 0777) != 0) {
      fail_io("replace with a directory", path);
    }
  }
  m_dirs.insert(rel);
}

std::filesystem::path OutputTree::temp_name(const std::string& rel) {
  return util::temp_path_for(m_root / rel);
}

void OutputTree::publish(const std::filesystem::path& temp, const std::string& rel) {
  const std::filesystem::path path = m_root / rel;
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    errno = error;
    if (error == EISDIR || error == ENOTEMPTY || error == EEXIST) {
      fail_archive("'" + rel + "' already exists as a directory");
    }
    fail_io("rename into place", path);
  }
}

void OutputTree::clear_slot(const std::string& rel) {
  const std::filesystem::path path = m_root / rel;

  struct ::stat st {};

  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return;
    }
    fail_io("inspect", path);
  }
  if (S_ISDIR(st.st_mode)) {
    fail_archive("'" + rel + "' already exists as a directory");
  }
  if (::unlink(path.c_str()) != 0) {
    fail_io("remove", path);
  }
}

void OutputTree::make_symlink(const std::string& rel, const std::string& target) {
  ensure_parents(rel);
  if (m_options.atomic_files) {
    const std::filesystem::path temp = temp_name(rel);
    if (::symlink(target.c_str(), temp.c_str()) != 0) {
      fail_io("create symlink", temp);
    }
    publish(temp, rel);
    return;
  }
  const std::filesystem::path path = m_root / rel;
  if (::symlink(target.c_str(), path.c_str()) != 0) {
    if (errno != EEXIST) {
      fail_io("create symlink", path);
    }
    clear_slot(rel);
    if (::symlink(target.c_str(), path.c_str()) != 0) {
      fail_io("create symlink", path);
    }
  }
}

void OutputTree::make_hardlink(const std::string& rel, const std::string& existing_rel) {
  ensure_parents(rel);
  const std::filesystem::path source = m_root / existing_rel;
  const std::filesystem::path path = m_root / rel;
  if (m_options.atomic_files) {
    const std::filesystem::path temp = temp_name(rel);
    if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, temp.c_str(), 0) != 0) {
      fail_io("create hard link", temp);
    }
    publish(temp, rel);
    // rename() is a no-op when both names are already the same inode.
    ::unlink(temp.c_str());
    return;
  }
  if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, path.c_str(), 0) != 0) {
    if (errno != EEXIST) {
      fail_io("create hard link", path);
    }
    clear_slot(rel);
    if (::linkat(AT_FDCWD, source.c_str(), AT_FDCWD, path.c_str(), 0) != 0) {
      fail_io("create hard link", path);
    }
  }
}

PendingFile::PendingFile(OutputTree& tree, std::string rel) : m_tree(tree), m_rel(std::move(rel)) {
  m_tree.ensure_parents(m_rel);
  if (m_tree.m_options.atomic_files) {
    m_open_path = m_tree.temp_name(m_rel);
    m_fd = ::open(m_open_path.c_str(), k_create_flags, 0666);
  } else {
    m_open_path = m_tree.m_root / m_rel;
    m_fd = ::open(m_open_path.c_str(), k_create_flags, 0666);
    if (m_fd < 0 && errno == EEXIST) {
      m_tree.clear_slot(m_rel);
      m_fd = ::open(m_open_path.c_str(), k_create_flags, 0666);
    }
  }
  if (m_fd < 0) {
    m_tree.fail_io("create", m_open_path);
  }
}

PendingFile::~PendingFile() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
  if (!m_committed) {
    // Never leave a partially written file behind.
    ::unlink(m_open_path.c_str());
  }
}

void PendingFile::write_at(const void* data, size_t size, std::int64_t offset) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::pwrite(m_fd, bytes, size, offset);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      m_tree.fail_io("write", m_tree.m_root / m_rel);
    }
    bytes += n;
    size -= static_cast<size_t>(n);
    offset += n;
  }
}

void PendingFile::commit(std::uint64_t size, mode_t stored_mode, const struct ::timespec* mtime) {
  const std::filesystem::path path = m_tree.m_root / m_rel;

  struct ::stat st {};

  if (::fstat(m_fd, &st) != 0) {
    m_tree.fail_io("inspect", path);
  }
  // Sparse members end in a hole that no data block covers.
  if (static_cast<std::uint64_t>(st.st_size) < size
      && ::ftruncate(m_fd, static_cast<off_t>(size)) != 0) {
    m_tree.fail_io("extend", path);
  }
  // Extract (tar "data" filter): no setuid/setgid/sticky, no group/other
  // write, owner may read and write. Flatten: add the stored exec bits.
  const mode_t mode = m_tree.m_options.exact_modes ? ((stored_mode & 0755) | 0600)
                                                   : ((st.st_mode & 07777) | (stored_mode & 0111));
  if (mode != (st.st_mode & 07777) && ::fchmod(m_fd, mode) != 0) {
    m_tree.fail_io("set mode of", path);
  }
  if (mtime != nullptr) {
    const std::array<struct ::timespec, 2> times = {{{0, UTIME_OMIT}, *mtime}};
    if (::futimens(m_fd, times.data()) != 0) {
      m_tree.fail_io("set mtime of", path);
    }
  }
  const int fd = m_fd;
  m_fd = -1;
  if (::close(fd) != 0) {
    m_tree.fail_io("close", path);
  }
  if (m_tree.m_options.atomic_files) {
    m_tree.publish(m_open_path, m_rel);
  }
  m_committed = true;
}

} // namespace rockart::archive::detail
