// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/scratch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace rockart::util {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_temp_marker = ".rockart-tmp-";

std::atomic<std::uint64_t> g_temp_counter{0};

std::string errno_text(int error) {
  return std::strerror(error); // NOLINT(concurrency-mt-unsafe): glibc's is thread-safe
}

// fsync of a directory makes a rename in it durable; failure only costs durability.
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

} // namespace

fs::path temp_path_for(const fs::path& dest) {
  return dest.parent_path()
         / ("." + dest.filename().string() + std::string(k_temp_marker) + std::to_string(::getpid())
            + "-" + std::to_string(g_temp_counter.fetch_add(1)));
}

bool is_temp_name(std::string_view name) {
  return name.starts_with('.') && name.find(k_temp_marker) != std::string_view::npos;
}

AtomicFile::AtomicFile(fs::path dest) : m_dest(std::move(dest)), m_temp(temp_path_for(m_dest)) {
  m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    throw_io_error("cannot create " + m_temp.string(), errno);
  }
  register_scratch(m_temp); // Ctrl-C removes it too
}

AtomicFile::~AtomicFile() {
  if (m_fd >= 0) {
    ::close(m_fd);
  }
  if (!m_committed) {
    (void)::unlink(m_temp.c_str());
  }
  forget_scratch(m_temp);
}

void AtomicFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(m_fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw_io_error("cannot write " + m_temp.string(), errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
    m_size += static_cast<std::uint64_t>(n);
  }
}

void AtomicFile::commit(Durability durability) {
  int error = 0;
  if (durability == Durability::fsync && ::fsync(m_fd) != 0) {
    error = errno;
  }
  if (::close(m_fd) != 0 && error == 0) {
    error = errno;
  }
  m_fd = -1;
  if (error == 0 && ::rename(m_temp.c_str(), m_dest.c_str()) != 0) {
    error = errno;
  }
  if (error != 0) {
    throw_io_error("cannot write " + m_dest.string(), error);
  }
  m_committed = true;
  if (durability == Durability::fsync) {
    sync_directory(m_dest.parent_path());
  }
}

void write_file_atomic(const fs::path& dest, std::string_view content, Durability durability) {
  AtomicFile file(dest);
  file.write(content);
  file.commit(durability);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string content;
  std::array<char, std::size_t{64} * 1024> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    content.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    return std::nullopt;
  }
  return content;
}

std::string read_file_or_throw(const fs::path& path) {
  auto content = read_file(path);
  if (!content) {
    throw LocalIoError("cannot read " + path.string() + ": " + errno_text(errno));
  }
  return std::move(*content);
}

std::string sha256_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw LocalIoError("cannot read " + path.string()
                       + " to compute its sha256: " + errno_text(errno));
  }
  Sha256 hash;

  // A buffer the size of the file, up to 1 MiB, and not zeroed: hashing the
  // thousands of small files of an extracted tree would otherwise spend more
  // time mapping and clearing 1 MiB per file than reading it.
  struct ::stat st {};

  const std::size_t size =
      ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 4096;
  const std::size_t capacity = std::min<std::size_t>(size + 1, std::size_t{1} << 20);
  const auto buffer = std::make_unique_for_overwrite<char[]>(capacity);
  for (;;) {
    const ssize_t n = ::read(fd, buffer.get(), capacity);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      throw LocalIoError("cannot read " + path.string() + ": " + errno_text(error));
    }
    if (n == 0) {
      break;
    }
    hash.update(buffer.get(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return to_hex(hash.digest());
}

} // namespace rockart::util
