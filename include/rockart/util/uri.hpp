// SPDX-License-Identifier: MIT
// RFC 3986 percent-encoding.
#pragma once

#include <string>
#include <string_view>

namespace rockart::util {

// Percent-encodes every byte outside the unreserved set `A-Z a-z 0-9 - . _ ~`
// with upper-case hex. When `keep_slash` is true, '/' is kept as is (paths).
std::string percent_encode(std::string_view text, bool keep_slash = false);

// Decodes %XX escapes; throws UsageError on a malformed escape.
std::string percent_decode(std::string_view text);

} // namespace rockart::util
