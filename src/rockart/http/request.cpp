// SPDX-License-Identifier: MIT
#include <rockart/http/request.hpp>
#include <rockart/util/strings.hpp>

namespace rockart::http {

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

} // namespace rockart::http
