// SPDX-License-Identifier: MIT
#include <rockart/archive/log_archives.hpp>
#include <rockart/archive/tar_writer.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace rockart::archive {

namespace fs = std::filesystem;

namespace {

// Members in name order, so the same logs give the same archive.
void write_archive(const fs::path& dest,
                   Compression compression,
                   std::vector<std::pair<std::string, fs::path>> files) {
  std::sort(files.begin(), files.end());
  TarWriter writer(dest, compression);
  for (const auto& [name, path] : files) {
    writer.add_file(name, util::read_file_or_throw(path));
  }
  writer.finish();
}

} // namespace

bool write_ninja_logs_archive(const fs::path& build_dir) {
  std::vector<std::pair<std::string, fs::path>> files;
  for (const auto& entry : fs::recursive_directory_iterator(build_dir)) {
    if (entry.is_regular_file() && !entry.is_symlink() && entry.path().filename() == ".ninja_log") {
      files.emplace_back(entry.path().lexically_relative(build_dir).generic_string(), entry.path());
    }
  }
  if (files.empty()) {
    util::log_info("no .ninja_log files under " + build_dir.string()
                   + "; not creating ninja_logs.tar.gz");
    return false;
  }
  const fs::path dest = build_dir / "logs" / "ninja_logs.tar.gz";
  fs::create_directories(dest.parent_path());
  if (fs::exists(dest)) {
    util::log_info("replacing existing " + dest.string());
  }
  const std::size_t count = files.size();
  write_archive(dest, Compression::gzip, std::move(files));
  util::log_info("wrote " + dest.string() + " (" + std::to_string(count) + " ninja logs)");
  return true;
}

bool write_ccache_logs_archive(const fs::path& build_dir) {
  const fs::path dir = build_dir / "logs" / "ccache";
  std::vector<std::pair<std::string, fs::path>> files;
  std::error_code error;
  if (fs::is_directory(dir, error)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file() && !entry.is_symlink()) {
        files.emplace_back(entry.path().filename().string(), entry.path());
      }
    }
  }
  if (files.empty()) {
    return false;
  }
  write_archive(build_dir / "logs" / "ccache_logs.tar.zst", Compression::zstd, std::move(files));
  return true;
}

} // namespace rockart::archive
