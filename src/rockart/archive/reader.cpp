// SPDX-License-Identifier: MIT
#include "reader.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

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
    // Opening sniffs the compression and format, and for a small archive
    // decompresses it whole: a known compression that fails here is damaged
    // data, anything else another format.
    const char* message = archive_error_string(m_archive);
    const std::string detail = message != nullptr ? message : "unrecognized data";
    const std::string compression = compression_name();
    if (!compression.empty() && detail.find("Unrecognized archive format") != std::string::npos) {
      fail("the " + compression
           + " stream holds no tar archive: its first member header is "
             "damaged, or it is another format ("
           + detail + ")");
    }
    if (!compression.empty()) {
      fail(detail.find("Truncated") != std::string::npos
               ? "truncated " + compression + " stream: the archive ends early (" + detail + ")"
               : "damaged " + compression
                     + " stream: corrupt compressed data or trailing garbage "
                       "after it ("
                     + detail + ")");
    }
    fail(std::string("unknown archive format: expected a ") + (gzip ? "gzip" : "zstd or xz")
         + " compressed tar stream (" + detail + ")");
  }
}

Reader::~Reader() {
  archive_read_free(m_archive);
}

la_ssize_t Reader::on_read(struct archive* archive, void* self, const void** buffer) {
  auto* reader = static_cast<Reader*>(self);
  try {
    *buffer = reader->m_block.data();
    const auto n = reader->m_source.read(reader->m_block.data(), reader->m_block.size());
    if (reader->m_head.size() < 6) {
      reader->m_head.append(reader->m_block.data(),
                            std::min<std::size_t>(n, 6 - reader->m_head.size()));
    }
    return static_cast<la_ssize_t>(n);
  } catch (...) {
    // Exceptions must not unwind through libarchive's C frames.
    reader->m_source_error = std::current_exception();
    archive_set_error(archive, EIO, "input stream failed");
    return -1;
  }
}

// "zstd", "xz" or (a .tar.gz) "gzip" when the stream starts with that
// magic: one this reader decompresses; else empty.
std::string Reader::compression_name() const {
  if (m_head.starts_with("\x28\xB5\x2F\xFD")) {
    return "zstd";
  }
  if (m_head.starts_with(std::string("\xFD"
                                     "7zXZ\0",
                                     6))) {
    return "xz";
  }
  if (m_archive_name.ends_with(".tar.gz") && m_head.starts_with("\x1F\x8B")) {
    return "gzip";
  }
  return {};
}

void Reader::fail(const std::string& what) {
  throw ArchiveError("archive " + m_archive_name + ": " + what);
}

void Reader::check(int status, const char* what) {
  if (status == ARCHIVE_OK) {
    return;
  }
  if (m_source_error) {
    std::rethrow_exception(m_source_error);
  }
  const char* text = archive_error_string(m_archive);
  const std::string message = text != nullptr ? text : "unknown libarchive error";
  const std::string after = m_last_member.empty() ? "" : " (after member '" + m_last_member + "')";
  if (status == ARCHIVE_WARN) {
    util::log_warn("archive " + m_archive_name + ": libarchive warns while " + what + after + ": "
                   + message);
    return;
  }
  if (status == ARCHIVE_RETRY) {
    // libarchive could skip ahead to the next header; a verified artifact
    // has no broken member to skip.
    fail("damaged member header" + after + ": bad checksum or garbage where a tar header belongs ("
         + message + ")");
  }
  if (message.find("Truncated") != std::string::npos) {
    fail("truncated archive: the stream ends while " + std::string(what) + after + " (" + message
         + ")");
  }
  const std::string compression = compression_name();
  if (message.find("ecompress") != std::string::npos && !compression.empty()) {
    fail("damaged " + compression + " stream while " + what + after
         + ": corrupt compressed data or trailing garbage after it (" + message + ")");
  }
  fail(std::string("corrupt or unreadable data while ") + what + after + ": " + message);
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
  const char* name = archive_entry_pathname(entry);
  m_last_member = name != nullptr ? util::printable(name) : "";
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
