// SPDX-License-Identifier: MIT
// Directory index pages of a run prefix (`generate-index`, as upstream's
// server-side lister): pure functions from a storage listing to HTML, no I/O.
#pragma once

#include <rockart/storage/store.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::storage {

// `bytes` in the largest binary unit (factor 1024) not above it among
// B/KB/MB/GB/TB/PB, integer-truncated: 1023 -> "1023 B", 12.9 MiB -> "12 MB".
std::string format_size(std::uint64_t bytes);

// `2026-03-27T12:05:09Z` -> `2026-03-27 12:05 UTC`; unparseable input gives
// the em dash used for unknown values.
std::string format_listing_time(std::string_view iso8601);

// One row of a page: a file, or a sub-directory (shown as `name/`).
struct IndexEntry {
  std::string name;
  bool is_directory = false;
  std::uint64_t size = 0;    // files only
  std::string last_modified; // files only, ISO 8601
};

// The page for one directory titled `title`: `entries` sorted by name
// (directories and files mixed), `index.html` omitted, sub-directories linking
// `name/index.html`, and a `..` row linking `../index.html` when `parent_link`.
std::string
render_index_page(std::string_view title, std::vector<IndexEntry> entries, bool parent_link);

// One page to write: `directory` relative to the run prefix ("" = the prefix
// itself) and its HTML.
struct IndexPage {
  std::string directory;
  std::string html;
};

// Every page for `listing` (names relative to the prefix P whose last segment
// is `root_title`): each directory directly containing a file other than
// index.html, plus, with `include_intermediate`, each ancestor up to P.
// Sorted by directory. Empty when no directory qualifies.
std::vector<IndexPage> plan_index_pages(const std::vector<StoredObject>& listing,
                                        std::string_view root_title,
                                        bool include_intermediate);

} // namespace rockart::storage
