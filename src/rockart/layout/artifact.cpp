// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <set>

namespace rockart::layout {

namespace {

constexpr std::string_view k_zst = ".tar.zst";
constexpr std::string_view k_xz = ".tar.xz";

// Splits `stem` into exactly three non-empty `_`-free fields; a name
// with an extra `_` is rejected, never re-split (TheRock issue #935).
std::optional<ArtifactName> split_stem(std::string_view stem) {
  std::vector<std::string> fields = util::split(stem, '_');
  if (fields.size() != 3) {
    return std::nullopt;
  }
  for (const auto& field : fields) {
    if (field.empty()) {
      return std::nullopt;
    }
  }
  return ArtifactName{fields[0], fields[1], fields[2]};
}

std::optional<Compression> compression_of(std::string_view file_name) {
  if (file_name.ends_with(k_zst)) {
    return Compression::zstd;
  }
  if (file_name.ends_with(k_xz)) {
    return Compression::xz;
  }
  return std::nullopt;
}

} // namespace

std::string ArtifactName::stem() const {
  return name + "_" + component + "_" + target_family;
}

std::string_view archive_extension(Compression compression) {
  return compression == Compression::zstd ? k_zst : k_xz;
}

std::string ArtifactFile::file_name() const {
  return artifact.stem() + std::string(archive_extension(compression));
}

std::optional<ArtifactFile> parse_artifact_file_name(std::string_view file_name) {
  std::optional<Compression> compression = compression_of(file_name);
  if (!compression) {
    return std::nullopt;
  }
  file_name.remove_suffix(archive_extension(*compression).size());
  std::optional<ArtifactName> name = split_stem(file_name);
  if (!name) {
    return std::nullopt;
  }
  return ArtifactFile{std::move(*name), *compression};
}

std::optional<ArtifactName> parse_artifact_dir_name(std::string_view dir_name) {
  return split_stem(dir_name);
}

ArtifactFile require_artifact_file_name(std::string_view file_name) {
  std::optional<ArtifactFile> file = parse_artifact_file_name(file_name);
  if (!file) {
    throw UsageError("'" + std::string(file_name) + "' is not an artifact archive name",
                     "expected {name}_{component}_{target_family}.tar.zst (or .tar.xz) with "
                     "exactly three non-empty fields and no '_' inside a field");
  }
  return std::move(*file);
}

ArtifactName require_artifact_dir_name(std::string_view dir_name) {
  std::optional<ArtifactName> name = parse_artifact_dir_name(dir_name);
  if (!name) {
    throw UsageError("'" + std::string(dir_name) + "' is not an artifact directory name",
                     "expected {name}_{component}_{target_family} with exactly three non-empty "
                     "fields and no '_' inside a field");
  }
  return std::move(*name);
}

bool is_archive_candidate(std::string_view file_name) {
  return compression_of(file_name).has_value();
}

std::string exploded_dir_name(std::string_view file_name) {
  std::optional<Compression> compression = compression_of(file_name);
  if (!compression) {
    throw UsageError("cannot derive an extraction directory from '" + std::string(file_name)
                     + "': the name does not end with .tar.zst or .tar.xz");
  }
  // Suffix removal rather than upstream's "cut at the first '.'" keeps names
  // containing '.' intact; for every real artifact name the two rules agree.
  file_name.remove_suffix(archive_extension(*compression).size());
  return std::string(file_name);
}

std::vector<std::string> archive_candidates(const std::vector<std::string>& keys,
                                            std::string_view run_root,
                                            std::string_view name_filter) {
  std::string prefix(run_root);
  if (!prefix.empty() && !prefix.ends_with('/')) {
    prefix += '/';
  }
  const std::string name_prefix = name_filter.empty() ? "" : std::string(name_filter) + "_";
  std::set<std::string> names;
  for (const auto& key : keys) {
    if (!key.starts_with(prefix)) {
      continue;
    }
    std::string_view file = std::string_view(key).substr(prefix.size());
    // Artifacts live only at the run root; deeper keys (logs/.../x.tar.zst) are skipped.
    if (file.empty() || file.find('/') != std::string_view::npos) {
      continue;
    }
    if (is_archive_candidate(file) && file.starts_with(name_prefix)) {
      names.emplace(file);
    }
  }
  return {names.begin(), names.end()};
}

std::vector<std::string> prefer_zstd(const std::vector<std::string>& file_names) {
  std::set<ArtifactName> with_zstd;
  for (const auto& file_name : file_names) {
    std::optional<ArtifactFile> file = parse_artifact_file_name(file_name);
    if (file && file->compression == Compression::zstd) {
      with_zstd.insert(file->artifact);
    }
  }
  std::vector<std::string> kept;
  for (const auto& file_name : file_names) {
    std::optional<ArtifactFile> file = parse_artifact_file_name(file_name);
    if (!file || file->compression == Compression::zstd || !with_zstd.contains(file->artifact)) {
      kept.push_back(file_name);
    }
  }
  return kept;
}

std::string companion_name(std::string_view archive_file_name) {
  return std::string(archive_file_name) + std::string(k_sha256sum_suffix);
}

std::optional<std::string> companion_archive(std::string_view file_name) {
  if (!file_name.ends_with(k_sha256sum_suffix)) {
    return std::nullopt;
  }
  file_name.remove_suffix(k_sha256sum_suffix.size());
  if (!is_archive_candidate(file_name)) {
    return std::nullopt;
  }
  return std::string(file_name);
}

std::string parse_sha256sum(std::string_view content, std::string_view companion) {
  std::string_view text = util::trim(content);
  if (text.empty()) {
    throw IntegrityError("checksum companion '" + std::string(companion) + "' is empty",
                         "re-upload the archive with its .sha256sum, or delete the companion");
  }
  std::string_view digest = text.substr(0, text.find_first_of(" \t\r\n\v\f"));
  if (!util::is_sha256_hex(digest)) {
    throw IntegrityError("checksum companion '" + std::string(companion)
                         + "' does not start with a 64-digit hex SHA-256 (found '"
                         + util::printable(digest, 80) + "')");
  }
  return util::to_lower(digest);
}

bool is_known_component(std::string_view component) {
  return std::find(k_components.begin(), k_components.end(), component) != k_components.end();
}

std::vector<std::string> parse_component_list(std::string_view text) {
  std::string normalized(text);
  std::replace(normalized.begin(), normalized.end(), ';', ',');
  std::vector<std::string> components;
  for (const auto& entry : util::split(normalized, ',')) {
    std::string_view component = util::trim(entry);
    if (component.empty()) {
      continue;
    }
    if (!is_known_component(component)) {
      throw UsageError("unknown artifact component '" + std::string(component)
                       + "'; valid components: lib, run, dbg, dev, doc, test");
    }
    if (std::find(components.begin(), components.end(), component) == components.end()) {
      components.emplace_back(component);
    }
  }
  return components;
}

} // namespace rockart::layout
