// SPDX-License-Identifier: MIT
#include <rockart/archive/artifact_archiver.hpp>
#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

namespace rockart::archive {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_manifest = "artifact_manifest.txt";

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw LocalIoError("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The non-empty manifest lines (`\r\n` tolerated), each a safe relative path.
std::vector<std::string> manifest_paths(const std::string& manifest, const fs::path& file) {
  std::vector<std::string> out;
  for (const auto& raw : util::split(manifest, '\n')) {
    const std::string line(util::trim(raw));
    if (line.empty()) {
      continue;
    }
    const fs::path path(line);
    const bool has_dotdot =
        std::any_of(path.begin(), path.end(), [](const fs::path& part) { return part == ".."; });
    if (path.is_absolute() || has_dotdot) {
      throw ArchiveError(file.string() + ": manifest path '" + line
                         + "' must be relative and without '..'");
    }
    out.push_back(fs::path(line).generic_string());
  }
  return out;
}

// Writes the members of one artifact directory, remembering hard links.
class MemberWriter {
public:
  MemberWriter(TarWriter& writer, ArtifactArchiveSummary& summary)
      : m_writer(writer), m_summary(summary) {}

  // Every entry below `dir` as `{name}/…`, children in sorted order.
  void add_tree(const fs::path& dir, const std::string& name) {
    std::vector<fs::directory_entry> children(fs::directory_iterator(dir), {});
    std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
      return a.path().filename() < b.path().filename();
    });
    for (const auto& child : children) {
      add_entry(child.path(), name + "/" + child.path().filename().string());
    }
  }

  void add_file(const fs::path& path, const std::string& name, const struct stat& info) {
    if (info.st_nlink > 1) {
      const auto [it, first] = m_inodes.try_emplace({info.st_dev, info.st_ino}, name);
      if (!first) {
        m_writer.add_hardlink(name, it->second);
        return;
      }
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      throw LocalIoError("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    const auto size = static_cast<std::uint64_t>(info.st_size);
    m_writer.add_file_streamed(name, size, info.st_mode & 07777, [&](std::span<std::byte> buffer) {
      in.read(reinterpret_cast<char*>(buffer.data()), static_cast<std::streamsize>(buffer.size()));
      if (static_cast<std::size_t>(in.gcount()) != buffer.size()) {
        throw LocalIoError("cannot read " + path.string() + ": it changed while archiving");
      }
    });
    ++m_summary.files;
    m_summary.uncompressed_bytes += size;
  }

private:
  void add_entry(const fs::path& path, const std::string& name) {
    struct stat info {};

    if (::lstat(path.c_str(), &info) != 0) {
      throw LocalIoError("cannot stat " + path.string() + ": " + std::strerror(errno));
    }
    if (S_ISLNK(info.st_mode)) {
      m_writer.add_symlink(name, fs::read_symlink(path).string());
    } else if (S_ISDIR(info.st_mode)) {
      m_writer.add_directory(name, info.st_mode & 07777);
      add_tree(path, name);
    } else if (S_ISREG(info.st_mode)) {
      add_file(path, name, info);
    } else {
      throw ArchiveError("cannot archive " + path.string()
                         + ": not a regular file, directory or symlink");
    }
  }

  TarWriter& m_writer;
  ArtifactArchiveSummary& m_summary;
  std::map<std::pair<dev_t, ino_t>, std::string> m_inodes;
};

void write_companion(const fs::path& archive, const std::string& hex) {
  const fs::path companion = archive.string() + ".sha256sum";
  std::ofstream out(companion, std::ios::binary | std::ios::trunc);
  out << hex << '\n';
  if (!out.flush()) {
    throw LocalIoError("cannot write " + companion.string());
  }
}

} // namespace

ArtifactArchiveSummary create_artifact_archive(const fs::path& artifact_dir,
                                               const fs::path& archive,
                                               Compression compression,
                                               int level) {
  const fs::path manifest_file = artifact_dir / k_manifest;

  struct stat manifest_info {};

  if (::stat(manifest_file.c_str(), &manifest_info) != 0 || !S_ISREG(manifest_info.st_mode)) {
    throw ArchiveError("artifact directory " + artifact_dir.string() + " has no "
                       + std::string(k_manifest) + "; it is not an exploded artifact");
  }
  const std::string manifest = read_all(manifest_file);
  const auto paths = manifest_paths(manifest, manifest_file);
  ArtifactArchiveSummary summary;
  TarWriter writer(archive, compression, level);
  writer.add_file(k_manifest, manifest, manifest_info.st_mode & 07777);
  ++summary.files;
  summary.uncompressed_bytes += manifest.size();
  MemberWriter members(writer, summary);
  for (const auto& relative : paths) {
    const fs::path source = artifact_dir / relative;
    if (fs::is_directory(fs::symlink_status(source))) {
      members.add_tree(source, relative);
    }
  }
  summary.sha256 = writer.finish();
  summary.compressed_bytes = fs::file_size(archive);
  write_companion(archive, summary.sha256);
  return summary;
}

} // namespace rockart::archive
