// SPDX-License-Identifier: MIT
#include <rockart/cache/blob_store.hpp>
#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/scratch.hpp>
#include <rockart/util/strings.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>

namespace rockart::cache {
namespace fs = std::filesystem;

namespace {

constexpr const char* k_io_hint = "check free space and permissions of the cache directory, or "
                                  "pass --no-cache";

LocalIoError io_error(const std::string& what, const fs::path& path) {
  return LocalIoError("cannot " + what + " " + path.string() + ": " + std::strerror(errno),
                      k_io_hint);
}

void create_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw LocalIoError("cannot create cache directory " + dir.string() + ": " + ec.message(),
                       k_io_hint);
  }
}

std::string normalise_sha(std::string_view sha256) {
  if (!util::is_sha256_hex(sha256)) {
    throw UsageError("invalid sha256 '" + std::string(sha256) + "': expected 64 hex digits");
  }
  return util::to_lower(sha256);
}

std::string random_suffix() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::to_string(::getpid()) + "." + std::to_string(engine() % 1000000000ULL);
}

// True when the temp file `name` ("{stem}.{pid}.{n}.part") names a process
// that no longer runs on this host.
bool writer_is_gone(const std::string& name) {
  const auto first = name.find('.');
  const auto second = first == std::string::npos ? first : name.find('.', first + 1);
  if (second == std::string::npos) {
    return false;
  }
  const std::string pid_text = name.substr(first + 1, second - first - 1);
  if (!util::is_decimal(pid_text) || pid_text.size() > 9) {
    return false;
  }
  const auto pid = static_cast<pid_t>(std::stol(pid_text));
  return pid != ::getpid() && util::process_is_gone(pid);
}

} // namespace

BlobWriter::BlobWriter(const BlobStore& store, std::optional<std::string> expected)
    : m_store(&store), m_expected(std::move(expected)) {
  const std::string stem = m_expected ? *m_expected : std::string("any");
  m_temp = store.temp_dir() / (stem + "." + random_suffix() + ".part");
  m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    throw io_error("create temp file", m_temp);
  }
}

BlobWriter::BlobWriter(BlobWriter&& other) noexcept
    : m_store(other.m_store), m_expected(std::move(other.m_expected)),
      m_temp(std::move(other.m_temp)), m_fd(other.m_fd), m_hash(std::move(other.m_hash)),
      m_size(other.m_size), m_streamed(other.m_streamed), m_sha(std::move(other.m_sha)) {
  other.m_fd = -1;
  other.m_temp.clear();
}

BlobWriter::~BlobWriter() {
  discard();
}

void BlobWriter::discard() noexcept {
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
  if (!m_temp.empty()) {
    std::error_code ignored;
    fs::remove(m_temp, ignored);
    m_temp.clear();
  }
}

void BlobWriter::write(const void* data, size_t size) {
  if (m_fd < 0) {
    throw LocalIoError("write to a committed or discarded blob writer");
  }
  const char* bytes = static_cast<const char*>(data);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(m_fd, bytes + done, size - done);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw_io_error("cannot write " + m_temp.string(), errno, k_io_hint);
    }
    done += static_cast<size_t>(n);
  }
  m_hash.update(data, size);
  m_size += size;
  m_streamed = true;
}

fs::path BlobWriter::commit() {
  if (m_temp.empty()) {
    throw LocalIoError("commit of a blob writer that was already committed or discarded");
  }
  if (::close(m_fd) != 0) {
    m_fd = -1;
    const LocalIoError error = io_error("close", m_temp);
    discard();
    throw error;
  }
  m_fd = -1;
  const std::string actual = m_streamed ? util::to_hex(m_hash.digest()) : util::sha256_file(m_temp);
  if (m_expected && actual != *m_expected) {
    std::error_code ec;
    const auto size = fs::file_size(m_temp, ec);
    discard();
    throw IntegrityError("sha256 mismatch for blob " + *m_expected + ": the " + std::to_string(size)
                             + " bytes received hash to " + actual,
                         "the download was corrupted or the published checksum is wrong; "
                         "nothing was stored, retry the fetch");
  }
  fs::path final_path = m_store->blob_path(actual);
  create_dirs(final_path.parent_path());
  // rename(2) is atomic: readers see either no blob or the complete one.
  // Renaming over an existing identical blob keeps a single copy.
  if (::rename(m_temp.c_str(), final_path.c_str()) != 0) {
    const LocalIoError error = io_error("move blob into place at", final_path);
    discard();
    throw error;
  }
  m_temp.clear();
  m_sha = actual;
  return final_path;
}

BlobStore::BlobStore(fs::path root) : m_root(std::move(root)) {
  create_dirs(m_root / "blobs");
  create_dirs(m_root / "tmp");
  create_dirs(m_root / "locks");
}

fs::path BlobStore::blob_path(std::string_view sha256) const {
  const std::string sha = normalise_sha(sha256);
  return m_root / "blobs" / sha.substr(0, 2) / sha;
}

fs::path BlobStore::lock_path(std::string_view sha256) const {
  return m_root / "locks" / (normalise_sha(sha256) + ".lock");
}

std::optional<fs::path> BlobStore::find(std::string_view sha256) const {
  fs::path path = blob_path(sha256);
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    return path;
  }
  return std::nullopt;
}

BlobWriter BlobStore::writer(std::optional<std::string> expected_sha256) const {
  if (expected_sha256) {
    expected_sha256 = normalise_sha(*expected_sha256);
  }
  return BlobWriter(*this, std::move(expected_sha256));
}

Acquisition BlobStore::acquire(std::string_view sha256) const {
  Acquisition result;
  if ((result.present = find(sha256))) {
    return result;
  }
  result.lock = FileLock::acquire(lock_path(sha256));
  // Another process may have produced the blob while we waited for its lock.
  if ((result.present = find(sha256))) {
    result.lock = FileLock();
    return result;
  }
  result.writer.emplace(writer(std::string(sha256)));
  return result;
}

std::optional<bool> BlobStore::verify(std::string_view sha256) const {
  const auto path = find(sha256);
  if (!path) {
    return std::nullopt;
  }
  return util::sha256_file(*path) == normalise_sha(sha256);
}

bool BlobStore::remove(std::string_view sha256) const {
  FileLock lock = FileLock::acquire(lock_path(sha256));
  std::error_code ec;
  const bool removed = fs::remove(blob_path(sha256), ec);
  if (ec) {
    throw LocalIoError("cannot remove blob " + blob_path(sha256).string() + ": " + ec.message(),
                       k_io_hint);
  }
  lock.remove_file();
  return removed;
}

std::vector<BlobFile> BlobStore::list() const {
  std::vector<BlobFile> blobs;
  std::error_code ec;
  for (const auto& dir : fs::directory_iterator(m_root / "blobs", ec)) {
    const std::string prefix = dir.path().filename().string();
    if (!dir.is_directory(ec) || prefix.size() != 2) {
      continue;
    }
    for (const auto& entry : fs::directory_iterator(dir.path(), ec)) {
      const std::string name = entry.path().filename().string();
      if (!entry.is_regular_file(ec) || !util::is_sha256_hex(name) || name.rfind(prefix, 0) != 0) {
        continue;
      }
      blobs.push_back({name, entry.file_size(ec), entry.last_write_time(ec)});
    }
  }
  return blobs;
}

size_t BlobStore::clean_stale_temp(std::chrono::seconds max_age) const {
  size_t removed = 0;
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(temp_dir(), ec)) {
    std::error_code entry_ec;
    const std::string name = entry.path().filename().string();
    // A temp file named after a blob belongs to the holder of that blob's
    // lock; while the lock is held its producer is alive, however slow.
    // Once the lock is free, or the process named in the file is gone, it
    // is a leftover of a killed run: removed at once, not after `max_age`.
    const std::string stem = name.substr(0, 64);
    std::optional<FileLock> lock;
    if (util::is_sha256_hex(stem)) {
      lock = FileLock::try_acquire(lock_path(stem));
      if (!lock) {
        continue;
      }
    }
    const auto modified = entry.last_write_time(entry_ec);
    const bool owner_gone = lock.has_value() || writer_is_gone(name);
    if (!owner_gone && (entry_ec || now - modified < max_age)) {
      continue;
    }
    if (fs::remove(entry.path(), entry_ec)) {
      util::log_debug("cache: removed stale temp file " + entry.path().string());
      ++removed;
    }
  }
  return removed;
}

} // namespace rockart::cache
