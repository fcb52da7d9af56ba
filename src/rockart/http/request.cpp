// SPDX-License-Identifier: MIT
#include <rockart/http/request.hpp>
#include <rockart/util/strings.hpp>

#include <charconv>

namespace rockart::http {

namespace {

// Decimal digits only (no sign, no spaces), within uint64.
std::optional<std::uint64_t> to_u64(std::string_view text) {
  std::uint64_t value = 0;
  if (!util::is_decimal(text)) {
    return std::nullopt;
  }
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  const std::string wanted = util::to_lower(name);
  for (const auto& [key, value] : headers) {
    if (key.size() == wanted.size() && util::to_lower(key) == wanted) {
      return value;
    }
  }
  return std::nullopt;
}

std::uint64_t body_length(const Body& body) {
  if (const auto* text = std::get_if<std::string>(&body)) {
    return text->size();
  }
  if (const auto* source = std::get_if<BodySource>(&body)) {
    return source->length;
  }
  if (const auto* range = std::get_if<FileRange>(&body)) {
    return range->length;
  }
  return 0;
}

std::optional<ContentRange> parse_content_range(std::string_view value) {
  value = util::trim(value);
  constexpr std::string_view k_unit = "bytes ";
  if (!value.starts_with(k_unit)) {
    return std::nullopt;
  }
  value.remove_prefix(k_unit.size());
  const auto dash = value.find('-');
  const auto slash = value.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return std::nullopt;
  }
  const auto first = to_u64(value.substr(0, dash));
  const auto last = to_u64(value.substr(dash + 1, slash - dash - 1));
  const std::string_view total_text = value.substr(slash + 1);
  const auto total = to_u64(total_text);
  if (!first || !last || *last < *first || (!total && total_text != "*")
      || (total && *last >= *total)) {
    return std::nullopt;
  }
  return ContentRange{*first, *last, total};
}

} // namespace rockart::http
