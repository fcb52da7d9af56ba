// SPDX-License-Identifier: MIT
// RAII libarchive reader over a ByteSource: tar only, zstd or xz only, large
// read blocks, and exceptions from the source carried across libarchive's C frames.
#pragma once

#include <rockart/archive/byte_source.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <exception>
#include <string>
#include <vector>

namespace rockart::archive::detail {

class Reader {
public:
  Reader(ByteSource& source, size_t block_bytes, std::string archive_name);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // The next member, or nullptr at the end. Throws ArchiveError naming what
  // is wrong: a damaged member header (bad checksum, garbage where a header
  // belongs), a truncated stream, damaged compressed data or trailing
  // garbage after it, a compression other than zstd/xz; or the source's own
  // error. A libarchive warning is logged and the member kept.
  archive_entry* next();

  // Calls `sink(data, size, offset)` for each data block of the current member.
  template <typename Sink>
  void read_data(Sink&& sink) {
    const void* block = nullptr;
    size_t size = 0;
    la_int64_t offset = 0;
    for (;;) {
      const int status = archive_read_data_block(m_archive, &block, &size, &offset);
      if (status == ARCHIVE_EOF) {
        return;
      }
      check(status, "reading member data");
      sink(block, size, offset);
    }
  }

  // The member's data as a string, refusing more than `limit` bytes.
  std::string read_small(size_t limit);

  [[noreturn]] void fail(const std::string& what);

private:
  void open();
  static la_ssize_t on_read(struct archive* archive, void* self, const void** buffer);
  void check(int status, const char* what);
  std::string compression_name() const;

  ByteSource& m_source;
  std::string m_archive_name;
  std::vector<char> m_block;
  std::exception_ptr m_source_error;
  std::string m_head;        // the stream's first bytes, to tell damage from another format
  std::string m_last_member; // the last member read, for messages
  struct archive* m_archive = nullptr;
  bool m_filter_checked = false;
};

} // namespace rockart::archive::detail
