// SPDX-License-Identifier: MIT
#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>
#include <rockart/util/hash.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace rockart::archive {
namespace {

// Fixed metadata keeps generated archives byte-for-byte reproducible.
constexpr std::time_t k_fixed_mtime = 1'735'689'600; // 2025-01-01T00:00:00Z
constexpr size_t k_fill_block = 1 << 20;

struct EntryDeleter {
  void operator()(archive_entry* entry) const { archive_entry_free(entry); }
};

using EntryPtr = std::unique_ptr<archive_entry, EntryDeleter>;

EntryPtr new_entry(std::string_view name, mode_t type, unsigned mode) {
  EntryPtr entry(archive_entry_new());
  archive_entry_copy_pathname(entry.get(), std::string(name).c_str());
  archive_entry_set_filetype(entry.get(), type);
  archive_entry_set_perm(entry.get(), mode);
  archive_entry_set_mtime(entry.get(), k_fixed_mtime, 0);
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  return entry;
}

const char* filter_name(Compression compression) {
  switch (compression) {
  case Compression::xz:
    return "xz";
  case Compression::gzip:
    return "gzip";
  case Compression::zstd:
    break;
  }
  return "zstd";
}

int add_filter(struct archive* a, Compression compression) {
  switch (compression) {
  case Compression::xz:
    return archive_write_add_filter_xz(a);
  case Compression::gzip:
    return archive_write_add_filter_gzip(a);
  case Compression::zstd:
    break;
  }
  return archive_write_add_filter_zstd(a);
}

} // namespace

std::string_view archive_extension(Compression compression) {
  switch (compression) {
  case Compression::xz:
    return ".tar.xz";
  case Compression::gzip:
    return ".tar.gz";
  case Compression::zstd:
    break;
  }
  return ".tar.zst";
}

struct TarWriter::Impl {
  std::filesystem::path path;
  int fd = -1;
  struct archive* archive = nullptr;
  util::Sha256 sha;
  std::uint64_t written = 0;
  std::string io_error;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Here rather than in ~TarWriter so that a throwing constructor cleans up too.
  ~Impl() {
    if (archive != nullptr) {
      archive_write_free(archive);
    }
    if (fd >= 0) {
      ::close(fd);
    }
  }

  static la_ssize_t on_write(struct archive*, void* self, const void* data, size_t size) {
    auto* impl = static_cast<Impl*>(self);
    const auto* bytes = static_cast<const char*>(data);
    size_t left = size;
    while (left > 0) {
      const ssize_t n = ::write(impl->fd, bytes, left);
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (n < 0) {
        impl->io_error = std::strerror(errno);
        return -1;
      }
      bytes += n;
      left -= static_cast<size_t>(n);
    }
    impl->sha.update(data, size);
    impl->written += size;
    return static_cast<la_ssize_t>(size);
  }

  void check(int status, std::string_view what) const {
    if (status >= ARCHIVE_WARN) {
      return;
    }
    if (!io_error.empty()) {
      throw LocalIoError("cannot write " + path.string() + ": " + io_error);
    }
    const char* message = archive_error_string(archive);
    throw ArchiveError("cannot write " + std::string(what) + " to " + path.string() + ": "
                       + (message != nullptr ? message : "unknown libarchive error"));
  }

  void header(const EntryPtr& entry) {
    check(archive_write_header(archive, entry.get()), archive_entry_pathname(entry.get()));
  }
};

TarWriter::TarWriter(const std::filesystem::path& path, Compression compression, int level)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->path = path;
  m_impl->fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (m_impl->fd < 0) {
    throw LocalIoError("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  m_impl->archive = archive_write_new();
  const bool zstd = compression == Compression::zstd;
  const int chosen = level >= 0 ? level : (zstd ? 3 : 6);
  const char* filter = filter_name(compression);
  m_impl->check(archive_write_set_format_pax_restricted(m_impl->archive), "format");
  // No zero padding after the compressed stream: zstd readers reject it.
  m_impl->check(archive_write_set_bytes_in_last_block(m_impl->archive, 1), "block size");
  m_impl->check(add_filter(m_impl->archive, compression), filter);
  m_impl->check(archive_write_set_filter_option(
                    m_impl->archive, filter, "compression-level", std::to_string(chosen).c_str()),
                "compression level");
  m_impl->check(
      archive_write_open(m_impl->archive, m_impl.get(), nullptr, &Impl::on_write, nullptr),
      "archive");
}

TarWriter::~TarWriter() = default;

void TarWriter::add_directory(std::string_view name, unsigned mode) {
  m_impl->header(new_entry(name, AE_IFDIR, mode));
}

void TarWriter::add_file(std::string_view name, std::string_view data, unsigned mode) {
  EntryPtr entry = new_entry(name, AE_IFREG, mode);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  m_impl->header(entry);
  if (!data.empty()) {
    const la_ssize_t n = archive_write_data(m_impl->archive, data.data(), data.size());
    m_impl->check(n < 0 ? static_cast<int>(n) : ARCHIVE_OK, name);
  }
}

void TarWriter::add_file_streamed(std::string_view name,
                                  std::uint64_t size,
                                  unsigned mode,
                                  const std::function<void(std::span<std::byte>)>& fill) {
  EntryPtr entry = new_entry(name, AE_IFREG, mode);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
  m_impl->header(entry);
  std::vector<std::byte> buffer(static_cast<size_t>(std::min<std::uint64_t>(size, k_fill_block)));
  for (std::uint64_t left = size; left > 0;) {
    const auto n = static_cast<size_t>(std::min<std::uint64_t>(left, buffer.size()));
    fill(std::span<std::byte>(buffer.data(), n));
    const la_ssize_t w = archive_write_data(m_impl->archive, buffer.data(), n);
    m_impl->check(w < 0 ? static_cast<int>(w) : ARCHIVE_OK, name);
    left -= n;
  }
}

void TarWriter::add_symlink(std::string_view name, std::string_view target) {
  EntryPtr entry = new_entry(name, AE_IFLNK, 0777);
  archive_entry_copy_symlink(entry.get(), std::string(target).c_str());
  m_impl->header(entry);
}

void TarWriter::add_hardlink(std::string_view name, std::string_view target) {
  EntryPtr entry = new_entry(name, AE_IFREG, 0644);
  archive_entry_copy_hardlink(entry.get(), std::string(target).c_str());
  archive_entry_set_size(entry.get(), 0);
  m_impl->header(entry);
}

void TarWriter::add_special(std::string_view name, SpecialKind kind) {
  const mode_t type = kind == SpecialKind::char_device    ? AE_IFCHR
                      : kind == SpecialKind::block_device ? AE_IFBLK
                      : kind == SpecialKind::fifo         ? AE_IFIFO
                                                          : AE_IFSOCK;
  EntryPtr entry = new_entry(name, type, 0644);
  if (type == AE_IFCHR || type == AE_IFBLK) {
    archive_entry_set_rdevmajor(entry.get(), 1);
    archive_entry_set_rdevminor(entry.get(), 3);
  }
  m_impl->header(entry);
}

std::string TarWriter::finish() {
  m_impl->check(archive_write_close(m_impl->archive), "archive end");
  archive_write_free(m_impl->archive);
  m_impl->archive = nullptr;
  const int fd = m_impl->fd;
  m_impl->fd = -1;
  if (::close(fd) != 0) {
    throw LocalIoError("cannot write " + m_impl->path.string() + ": " + std::strerror(errno));
  }
  return util::to_hex(m_impl->sha.digest());
}

std::uint64_t TarWriter::bytes_written() const {
  return m_impl->written;
}

void write_compressed_raw(const std::filesystem::path& path,
                          Compression compression,
                          std::string_view bytes) {
  struct archive* a = archive_write_new();
  std::unique_ptr<struct archive, int (*)(struct archive*)> owner(a, archive_write_free);
  const bool ok = archive_write_set_format_raw(a) == ARCHIVE_OK
                  && add_filter(a, compression) == ARCHIVE_OK
                  && archive_write_set_bytes_per_block(a, 0) == ARCHIVE_OK
                  && archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK;
  EntryPtr entry = new_entry("raw", AE_IFREG, 0644);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
  if (!ok || archive_write_header(a, entry.get()) != ARCHIVE_OK
      || archive_write_data(a, bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())
      || archive_write_close(a) != ARCHIVE_OK) {
    const char* message = archive_error_string(a);
    throw ArchiveError("cannot write " + path.string() + ": "
                       + (message != nullptr ? message : "unknown libarchive error"));
  }
}

void write_sha256_companion(const std::filesystem::path& archive, std::string_view hex) {
  const std::filesystem::path path = archive.string() + ".sha256sum";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << hex << "  " << archive.filename().string() << "\n";
  if (!out.flush()) {
    throw LocalIoError("cannot write " + path.string());
  }
}

} // namespace rockart::archive
