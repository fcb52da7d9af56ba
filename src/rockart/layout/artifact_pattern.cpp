// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/artifact_pattern.hpp>

#include <algorithm>

namespace rockart::layout {

namespace {

const char* const k_syntax_hint =
    "patterns are regular expressions searched anywhere in the archive file name (ECMAScript "
    "syntax; Python's leading (?i) and (?P<name>...) are accepted); escape literal characters "
    "such as '(' or '.' with a backslash";

[[noreturn]] void reject(const std::string& pattern, std::string_view role, std::string_view why) {
  throw UsageError("invalid " + std::string(role) + " '" + pattern + "': " + std::string(why),
                   k_syntax_hint);
}

// Index just past the character class starting at `open` ('['), so its
// content is copied verbatim ("[(?P]" is not a group). npos when unclosed.
size_t skip_class(std::string_view text, size_t open) {
  size_t i = open + 1;
  if (i < text.size() && text[i] == '^') {
    ++i;
  }
  if (i < text.size() && text[i] == ']') {
    ++i; // a leading ']' is a literal member
  }
  for (; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == ']') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Rewrites the Python `re` spellings upstream patterns use into ECMAScript:
// "(?P<name>" becomes a plain group (only match/no-match is observed, so the
// name is irrelevant). Inline flags other than a leading
// "(?i)" (handled by the caller) have no std::regex equivalent and are rejected.
std::string
to_ecmascript(const std::string& pattern, std::string_view body, std::string_view role) {
  std::string out;
  for (size_t i = 0; i < body.size();) {
    const std::string_view rest = body.substr(i);
    if (rest[0] == '\\') {
      out.append(rest.substr(0, 2));
      i += std::min<size_t>(2, rest.size());
    } else if (rest[0] == '[') {
      const size_t end = skip_class(body, i);
      const size_t stop = end == std::string_view::npos ? body.size() : end;
      out.append(body.substr(i, stop - i)); // unclosed: std::regex reports it
      i = stop;
    } else if (rest.starts_with("(?P<")) {
      const size_t close = rest.find('>');
      if (close == std::string_view::npos) {
        reject(pattern, role, "unterminated group name after (?P<");
      }
      out += '(';
      i += close + 1;
    } else if (rest.starts_with("(?P")) {
      reject(pattern, role, "named back-references (?P=name) are not supported");
    } else if (rest.size() > 2 && rest.starts_with("(?")
               && std::string_view("aiLmsux-").find(rest[2]) != std::string_view::npos) {
      reject(pattern, role, "inline flags are supported only as a leading (?i)");
    } else {
      out += rest[0];
      ++i;
    }
  }
  return out;
}

} // namespace

ArtifactPattern::ArtifactPattern(std::string pattern, std::string_view role)
    : m_text(std::move(pattern)) {
  std::string_view body = m_text;
  auto flags = std::regex::ECMAScript;
  if (body.starts_with("(?i)")) {
    flags |= std::regex::icase;
    body.remove_prefix(4);
  }
  const std::string translated = to_ecmascript(m_text, body, role);
  try {
    m_regex = std::regex(translated, flags);
  } catch (const std::regex_error& e) {
    reject(m_text, role, e.what());
  }
}

bool ArtifactPattern::found_in(std::string_view file_name) const {
  return std::regex_search(file_name.begin(), file_name.end(), m_regex);
}

std::vector<ArtifactPattern> compile_patterns(const std::vector<std::string>& patterns,
                                              std::string_view role) {
  std::vector<ArtifactPattern> compiled;
  compiled.reserve(patterns.size());
  for (const auto& pattern : patterns) {
    compiled.emplace_back(pattern, role);
  }
  return compiled;
}

namespace {

bool any_found(const std::vector<ArtifactPattern>& patterns, std::string_view file_name) {
  for (const auto& pattern : patterns) {
    if (pattern.found_in(file_name)) {
      return true;
    }
  }
  return false;
}

} // namespace

std::vector<std::string> filter_include_exclude(const std::vector<std::string>& file_names,
                                                const std::vector<ArtifactPattern>& includes,
                                                const std::vector<ArtifactPattern>& excludes) {
  std::vector<std::string> kept;
  for (const auto& file_name : file_names) {
    const bool included = includes.empty() || any_found(includes, file_name);
    if (included && !any_found(excludes, file_name)) {
      kept.push_back(file_name);
    }
  }
  return kept;
}

std::vector<std::string> missing_required_patterns(const std::vector<std::string>& selected,
                                                   const std::vector<ArtifactPattern>& required) {
  std::vector<std::string> missing;
  for (const auto& pattern : required) {
    bool found = false;
    for (const auto& file_name : selected) {
      found = found || pattern.found_in(file_name);
    }
    if (!found) {
      missing.push_back(pattern.text());
    }
  }
  return missing;
}

} // namespace rockart::layout
