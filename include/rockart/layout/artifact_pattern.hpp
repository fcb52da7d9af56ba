// SPDX-License-Identifier: MIT
// Regular-expression filters over artifact file names: include/exclude
// (fetch) and required-artifact patterns (find tools).
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// One compiled pattern, always *searched* (unanchored, like Python's
// re.search) in a whole file name. Syntax is ECMAScript (std::regex) plus the
// Python spellings upstream patterns use: a leading "(?i)" (case-insensitive) and
// named groups "(?P<name>...)". Other inline flags and (?P=name) are rejected.
class ArtifactPattern {
public:
  // Compiles `pattern`. Throws UsageError "invalid <role> '<pattern>': <why>"
  // where `role` says what the pattern is for (e.g. "include pattern").
  explicit ArtifactPattern(std::string pattern, std::string_view role = "pattern");

  // True when the pattern occurs anywhere in `file_name`.
  bool found_in(std::string_view file_name) const;

  // The pattern as the user wrote it.
  const std::string& text() const { return m_text; }

private:
  std::string m_text;
  std::regex m_regex;
};

// Compiles every pattern in order; throws on the first invalid one (see above).
std::vector<ArtifactPattern> compile_patterns(const std::vector<std::string>& patterns,
                                              std::string_view role = "pattern");

// Keeps the names (in order) that match at least one include (or all
// names when `includes` is empty) and no exclude. Exclude wins over include.
std::vector<std::string> filter_include_exclude(const std::vector<std::string>& file_names,
                                                const std::vector<ArtifactPattern>& includes,
                                                const std::vector<ArtifactPattern>& excludes);

// The texts of the `required` patterns found in none of `selected`, in
// pattern order. Empty means every required pattern is satisfied.
std::vector<std::string> missing_required_patterns(const std::vector<std::string>& selected,
                                                   const std::vector<ArtifactPattern>& required);

} // namespace rockart::layout
