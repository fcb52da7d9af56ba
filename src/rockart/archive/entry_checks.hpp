// SPDX-License-Identifier: MIT
// Pure checks on member names, link targets and manifest relpaths, stricter
// than upstream (whose flatten checks nothing). No I/O. Each function returns
// an empty string when the input is acceptable, else the reason it is refused.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::archive::detail {

// `path` with trailing '/' removed (tar marks directories that way).
std::string_view strip_trailing_slashes(std::string_view path);

// `path` without leading "./" segments ("./bin/x" -> "bin/x", "." -> ""), the
// form of the members of `tar cf - .`.
std::string strip_dot_prefix(std::string_view path);

// A relative path made only of normal segments: not empty, not absolute, no
// empty, "." or ".." segment. `what` names the thing in the reason ("member name").
std::string path_problem(std::string_view path, std::string_view what);

// The first relpath R (manifest order) with `name` starting with R + "/", or
// nullopt. `name` equal to R itself matches when `allow_equal`.
std::optional<std::string>
match_relpath(std::string_view name, const std::vector<std::string>& relpaths, bool allow_equal);

// Checks a symlink stored at `link_rel` (relative to the output root) with text
// `target`: it must be relative, and may only use ".." as leading segments, no
// more of them than `link_rel` has parent directories, so it resolves inside the root.
std::string symlink_target_problem(std::string_view link_rel, std::string_view target);

} // namespace rockart::archive::detail
