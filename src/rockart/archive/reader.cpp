// SPDX-License-Identifier: MIT
#include "reader.hpp"

#include <rockart/error.hpp>

namespace rockart::archive::detail {

Reader::Reader(ByteSource& source, size_t block_bytes, std::string archive_name)
    : m_source(source), m_archive_name(std::move(archive_name)),
      m_block(std::max<size_t>(block_bytes, size_t{64} * 1024)) {
  m_archive = archive_read_new();
  if (m_archive == nullptr) {
    throw ArchiveError("archive " + m_archive_name + ": cannot allocate a libarchive reader");
  }
  try {
    open();
  } catch (...) {
    archive_read_free(m_archive); // the destructor does not run for a throwing constructor
    throw;
  }
}

void Reader::open() {
  // Only the compressions TheRock produces, and only tar: zstd and xz for
  // artifact archives, gzip for the release tarballs (named .tar.gz).
  const bool gzip = m_archive_name.ends_with(".tar.gz");
  if (archive_read_support_filter_zstd(m_archive) != ARCHIVE_OK
      || archive_read_support_filter_xz(m_archive) != ARCHIVE_OK
      || (gzip && archive_read_support_filter_gzip(m_archive) != ARCHIVE_OK)
      || archive_read_support_format_tar(m_archive) != ARCHIVE_OK) {
    fail("libarchive lacks zstd/xz/gzip/tar support");
  }
  if (archive_read_open(m_archive, this, nullptr, &Reader::on_read, nullptr) != ARCHIVE_OK) {
    if (m_source_error) {
      std::rethrow_exception(m_source_error);
    }
    // Opening sniffs the compression and format: gzip, zip, garbage end here.
    const char* message = archive_error_string(m_archive);
    fail(std::string("unknown archive format: expected a ") + (gzip ? "gzip" : "zstd or xz")
         + " compressed tar stream (" + (message != nullptr ? message : "unrecognized data") + ")");
  }
}

Reader::~Reader() {
  archive_read_free(m_archive);
}

la_ssize_t Reader::on_read(struct archive* archive, void* self, const void** buffer) {
  auto* reader = static_cast<Reader*>(self);
  try {
    *buffer = reader->m_block.data();
    return static_cast<la_ssize_t>(
        reader->m_source.read(reader->m_block.data(), reader->m_block.size()));
  } catch (...) {
    // Exceptions must not unwind through libarchive's C frames.
    reader->m_source_error = std::current_exception();
    archive_set_error(archive, EIO, "input stream failed");
    return -1;
  }
}

void Reader::fail(const std::string& what) {
  throw ArchiveError("archive " + m_archive_name + ": " + what);
}

void Reader::check(int status, const char* what) {
  if (status >= ARCHIVE_WARN) {
    return;
  }
  if (m_source_error) {
    std::rethrow_exception(m_source_error);
  }
  const char* message = archive_error_string(m_archive);
  fail(std::string("corrupt or unreadable data while ") + what + ": "
       + (message != nullptr ? message : "unknown libarchive error"));
}

archive_entry* Reader::next() {
  archive_entry* entry = nullptr;
  const int status = archive_read_next_header(m_archive, &entry);
  if (!m_filter_checked) {
    m_filter_checked = true;
    const int filter = archive_filter_code(m_archive, 0);
    const bool gzip = m_archive_name.ends_with(".tar.gz");
    const bool expected = gzip ? filter == ARCHIVE_FILTER_GZIP
                               : filter == ARCHIVE_FILTER_ZSTD || filter == ARCHIVE_FILTER_XZ;
    if (status != ARCHIVE_FATAL && !expected) {
      fail(std::string("unknown archive format: expected a ") + (gzip ? "gzip" : "zstd or xz")
           + " compressed tar stream");
    }
  }
  if (status == ARCHIVE_EOF) {
    return nullptr;
  }
  check(status, "reading a member header");
  return entry;
}

std::string Reader::read_small(size_t limit) {
  std::string data;
  read_data([&](const void* block, size_t size, la_int64_t offset) {
    const auto end = static_cast<size_t>(offset) + size;
    if (end > limit) {
      fail("member is larger than " + std::to_string(limit) + " bytes");
    }
    data.resize(std::max(data.size(), end));
    data.replace(static_cast<size_t>(offset), size, static_cast<const char*>(block), size);
  });
  return data;
}

} // namespace rockart::archive::detail
