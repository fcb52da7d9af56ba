// SPDX-License-Identifier: MIT
// Artifact archive names: parsing
// `{name}_{component}_{target_family}.tar.{zst|xz}`, `.sha256sum` companions,
// extraction directory names, components, listing recognition.
#pragma once

#include <array>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::layout {

// The identity of an artifact archive (the extension is not part of it).
struct ArtifactName {
  std::string name;          // e.g. "amd-llvm"
  std::string component;     // e.g. "lib"
  std::string target_family; // e.g. "generic", "gfx94X-dcgpu", "gfx942:xnack+"

  // `{name}_{component}_{target_family}`: the exploded directory name.
  std::string stem() const;

  // clang-tidy 14 misreads the defaulted <=> as comparing a pointer with 0.
  auto operator<=>(const ArtifactName&) const = default; // NOLINT(modernize-use-nullptr)
};

// Compression of an archive, in preference order (zstd wins over xz).
enum class Compression { zstd, xz };

// ".tar.zst" or ".tar.xz".
std::string_view archive_extension(Compression compression);

// A parsed archive file name: identity plus compression.
struct ArtifactFile {
  ArtifactName artifact;
  Compression compression = Compression::zstd;

  // `{stem}.tar.zst` or `{stem}.tar.xz`.
  std::string file_name() const;

  auto operator<=>(const ArtifactFile&) const = default;
};

// Parses an archive file name (exactly three non-empty `_`-free fields,
// case-sensitive `.tar.zst`/`.tar.xz`, whole string). Returns nullopt for
// anything else (README.md, ccache_logs.tar.zst, companions, ...).
std::optional<ArtifactFile> parse_artifact_file_name(std::string_view file_name);

// Parses an exploded directory name `{name}_{component}_{family}` (no
// extension); nullopt when it does not fit the grammar.
std::optional<ArtifactName> parse_artifact_dir_name(std::string_view dir_name);

// Like parse_artifact_file_name() but throws UsageError quoting `file_name`
// and the expected form when it is not an artifact archive name.
ArtifactFile require_artifact_file_name(std::string_view file_name);

// Like parse_artifact_dir_name() but throws UsageError when it does not parse.
ArtifactName require_artifact_dir_name(std::string_view dir_name);

// True when `file_name` ends with ".tar.zst" or ".tar.xz" (case-sensitive),
// whether or not the rest parses as an artifact name.
bool is_archive_candidate(std::string_view file_name);

// The archive file name with its ".tar.zst"/".tar.xz" suffix removed
// (other dots stay). Throws UsageError when `file_name` has neither suffix.
std::string exploded_dir_name(std::string_view file_name);

// Archive candidates among listed storage keys. Keeps only direct children of
// `run_root` (keys `{run_root}/{file}` without a further '/'; with an empty
// `run_root`, keys without '/'): artifacts only ever live at the run root, so
// archive-named files below it, like logs' ccache_logs.tar.zst, are skipped.
// Then, when `name_filter` is not empty, keeps only files starting with
// `{name_filter}_`. Returns sorted unique names.
std::vector<std::string> archive_candidates(const std::vector<std::string>& keys,
                                            std::string_view run_root,
                                            std::string_view name_filter = {});

// Drops every ".tar.xz" whose artifact identity also occurs
// as ".tar.zst" in `file_names`; other names (unparseable ones too) are kept in order.
std::vector<std::string> prefer_zstd(const std::vector<std::string>& file_names);

// --- `.sha256sum` companions ---

// The companion suffix ".sha256sum".
inline constexpr std::string_view k_sha256sum_suffix = ".sha256sum";

// `{archive_file_name}.sha256sum`.
std::string companion_name(std::string_view archive_file_name);

// For a companion name (`{archive}.sha256sum` where `{archive}` is an archive
// candidate), the archive it belongs to; nullopt for any other name.
std::optional<std::string> companion_archive(std::string_view file_name);

// Reads a companion's content: surrounding whitespace (including "\r\n") is
// stripped and the first whitespace-delimited token is the digest, so
// "{digest}\n" and GNU "{digest}  {file}" both work. Returns it lower-cased.
// Throws IntegrityError naming `companion` when empty or not 64 hex digits.
std::string parse_sha256sum(std::string_view content, std::string_view companion);

// --- components ---

// The standard components in extends-chain (claim) order.
inline constexpr std::array<std::string_view, 6> k_components = {
    "lib", "run", "dbg", "dev", "doc", "test"};

// True when `component` is one of k_components (case-sensitive).
bool is_known_component(std::string_view component);

// Parses a comma- or semicolon-separated component list (surrounding
// whitespace ignored, empty entries dropped, duplicates removed). Throws
// UsageError naming the unknown entry and listing the valid components.
std::vector<std::string> parse_component_list(std::string_view text);

} // namespace rockart::layout
