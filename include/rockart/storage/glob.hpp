// SPDX-License-Identifier: MIT
// The two pattern dialects of the storage backends: fnmatch-style for
// listings (`*` also matches `/`) and recursive-glob style for directory
// uploads (pattern matched against trailing path segments, `*` within one
// segment, `**` for whole segments).
#pragma once

#include <string_view>

namespace rockart::storage {

// Shell-style match of the whole `text` where `*` and `?` also match `/` and
// leading dots, `[...]` classes work, case-sensitive (POSIX fnmatch, no flags).
bool fnmatch_match(std::string_view pattern, std::string_view text);

// Python `Path.rglob(pattern)` semantics on POSIX for one entry at
// `relative_path` (segments joined by `/`): true when `pattern` matches the
// trailing segments of the path (as if prefixed by `**/`). `*`/`?` stay within
// a segment; `**` matches zero or more whole segments; a pattern ending in `**`
// matches directories only (`is_directory`).
bool rglob_match(std::string_view pattern, std::string_view relative_path, bool is_directory);

} // namespace rockart::storage
