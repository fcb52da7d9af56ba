// SPDX-License-Identifier: MIT
// TODO(#7): the archive layer's TarWriter has no gzip filter, so the gzip tar
// of ninja logs is written with libarchive here; move it there once it has.
#include "log_archives.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  if (!in) {
    throw LocalIoError("cannot read " + path.string());
  }
  return data.str();
}

void write_tar_gz(const fs::path& dest,
                  const std::vector<std::pair<std::string, fs::path>>& files) {
  const std::unique_ptr<::archive, int (*)(::archive*)> a(archive_write_new(), archive_write_free);
  if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK
      || archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK
      || archive_write_open_filename(a.get(), dest.c_str()) != ARCHIVE_OK) {
    throw LocalIoError("cannot create " + dest.string() + ": " + archive_error_string(a.get()));
  }
  for (const auto& [name, path] : files) {
    const std::string data = slurp(path);
    const std::unique_ptr<::archive_entry, void (*)(::archive_entry*)> entry(archive_entry_new(),
                                                                             archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK
        || archive_write_data(a.get(), data.data(), data.size())
               != static_cast<la_ssize_t>(data.size())) {
      throw LocalIoError("cannot write " + dest.string() + ": " + archive_error_string(a.get()));
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    throw LocalIoError("cannot finish " + dest.string() + ": " + archive_error_string(a.get()));
  }
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
  std::sort(files.begin(), files.end());
  const fs::path dest = build_dir / "logs" / "ninja_logs.tar.gz";
  fs::create_directories(dest.parent_path());
  if (fs::exists(dest)) {
    util::log_info("replacing existing " + dest.string());
  }
  write_tar_gz(dest, files);
  util::log_info("wrote " + dest.string() + " (" + std::to_string(files.size()) + " ninja logs)");
  return true;
}

bool write_ccache_logs_archive(const fs::path& build_dir) {
  const fs::path dir = build_dir / "logs" / "ccache";
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file() && !entry.is_symlink()) {
        files.push_back(entry.path());
      }
    }
  }
  if (files.empty()) {
    return false;
  }
  std::sort(files.begin(), files.end());
  archive::TarWriter writer(build_dir / "logs" / "ccache_logs.tar.zst", archive::Compression::zstd);
  for (const auto& file : files) {
    writer.add_file(file.filename().string(), slurp(file));
  }
  writer.finish();
  return true;
}

} // namespace rockart::cli
