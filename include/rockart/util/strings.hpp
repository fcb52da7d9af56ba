// SPDX-License-Identifier: MIT
// Small string helpers with no rockart knowledge.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::util {

// Splits `text` on every `sep`; empty fields are kept ("a//b" -> {"a","","b"}).
std::vector<std::string> split(std::string_view text, char sep);

// Joins `parts` with `sep` between them.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// ASCII lower-casing; other bytes are unchanged.
std::string to_lower(std::string_view text);

// Removes ASCII whitespace from both ends.
std::string_view trim(std::string_view text);

// True when `text` is non-empty and every character is an ASCII digit.
bool is_decimal(std::string_view text);

// Escapes & < > " ' as entities (&amp; &lt; &gt; &quot; &#39;), valid in XML
// and HTML text and attribute values alike (S3 request bodies, index pages).
std::string escape_markup(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or
// code points past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` safe to show: printable ASCII and valid UTF-8 kept, every other byte
// (controls, invalid sequences) as \xNN; cut after `max_bytes` of input with
// "...". For bytes from the network or an archive in messages.
std::string printable(std::string_view text, std::size_t max_bytes = 200);

// Edit distance (insertions, deletions, substitutions) between `a` and `b`,
// ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `limit` names of `known` closest to `typed` for a "did you mean"
// hint: those within an edit distance of a third of the longer name (at least
// 2), nearest first, ties in `known` order. A name that starts with `typed`
// (ignoring case) also counts, so "gfx94" suggests "gfx94X-dcgpu".
std::vector<std::string>
closest_names(std::string_view typed, const std::vector<std::string>& known, std::size_t limit = 3);

} // namespace rockart::util
