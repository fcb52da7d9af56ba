// SPDX-License-Identifier: MIT
// Content-Type of an uploaded file from its extension (upstream's table, plus
// a fixed table for the extensions upstream guessed with Python's mimetypes,
// whose answer depends on the platform).
#pragma once

#include <string_view>

namespace rockart::storage {

// Content-Type for `filename`: looks at the last suffix only, case-insensitive
// (`x.tar.ZST` -> `application/zstd`); unknown or no suffix gives
// `application/octet-stream`. Never empty.
std::string_view content_type_for(std::string_view filename);

} // namespace rockart::storage
