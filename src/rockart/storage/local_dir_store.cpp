// SPDX-License-Identifier: MIT
// Store over a local staging directory mirroring the S3 layout
// (`{staging_dir}/{relative_path}`, bucket ignored). Parent directories are
// created as real directories and an existing symlink on the way is an error,
// so a write can never leave the staging directory.
#include "stores.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/glob.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>

#include <algorithm>
#include <chrono>
#include <system_error>

namespace rockart::storage::detail {
namespace {

namespace fs = std::filesystem;

std::string iso_mtime(const fs::path& path) {
  const auto file_time = fs::last_write_time(path);
  const auto sys = std::chrono::file_clock::to_sys(file_time);
  return util::format_iso8601(std::chrono::floor<std::chrono::seconds>(sys));
}

class LocalDirStore final : public Store {
public:
  explicit LocalDirStore(fs::path staging_dir) : m_root(std::move(staging_dir)) {}

  void upload_file(const fs::path& src, const layout::StorageLocation& dest) override {
    std::error_code ec;
    if (!fs::is_regular_file(src, ec)) {
      throw LocalIoError("cannot upload " + src.string() + " to " + describe(dest)
                         + ": not a readable regular file");
    }
    write_from(src, dest);
  }

  std::vector<StoredObject> list(const layout::StorageLocation& dir,
                                 std::string_view pattern) override {
    std::vector<StoredObject> out;
    const auto base = walk(dir, false);
    std::error_code ec;
    if (!base || !fs::is_directory(fs::symlink_status(*base, ec))) {
      return out;
    }
    for (const auto& entry : fs::recursive_directory_iterator(*base)) {
      // The iterator does not descend into directory symlinks; file symlinks
      // are skipped too: only real files of the tree are listed.
      if (entry.is_symlink() || !entry.is_regular_file()) {
        continue;
      }
      std::string name = entry.path().lexically_relative(*base).generic_string();
      if (fnmatch_match(pattern, name)) {
        out.push_back({std::move(name), entry.file_size(), iso_mtime(entry.path())});
      }
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return out;
  }

  void copy(const layout::StorageLocation& src, const layout::StorageLocation& dest) override {
    if (!exists(src)) {
      throw NotFoundError("cannot copy " + describe(src) + " to " + describe(dest)
                          + ": no such file");
    }
    write_from(*walk(src, false), dest);
  }

  bool exists(const layout::StorageLocation& location) override {
    const auto path = walk(location, false);
    std::error_code ec;
    return path && fs::is_regular_file(fs::symlink_status(*path, ec));
  }

  std::string describe(const layout::StorageLocation& location) const override {
    return location.staging_path(m_root).string();
  }

private:
  // The path of `location`, checking each parent segment: a symlink is an
  // error; a missing directory is created when `create`, else gives nullopt.
  std::optional<fs::path> walk(const layout::StorageLocation& location, bool create) const {
    fs::path dir = m_root;
    if (create) {
      fs::create_directories(dir);
    }
    const auto segments = util::split(location.relative_path(), '/');
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      dir /= segments[i];
      std::error_code ec;
      auto status = fs::symlink_status(dir, ec);
      if (!fs::exists(status) && create) {
        fs::create_directory(dir, ec);
        status = fs::symlink_status(dir, ec);
      }
      if (!fs::exists(status)) {
        return std::nullopt;
      }
      if (fs::is_symlink(status) || !fs::is_directory(status)) {
        throw LocalIoError("cannot use " + describe(location) + ": " + dir.string()
                           + " is a symlink or not a directory; the staging tree is never "
                             "followed through symlinks, so a write cannot escape it");
      }
    }
    return dir / segments.back();
  }

  // Copies `src` to a temporary name next to `dest`, then renames it over
  // `dest` (replacing a symlink there instead of writing through it).
  void write_from(const fs::path& src, const layout::StorageLocation& dest) {
    const fs::path target = *walk(dest, true);
    const fs::path temp = util::temp_path_for(target);
    std::error_code ec;
    fs::copy_file(src, temp, fs::copy_options::overwrite_existing, ec);
    if (!ec) {
      fs::last_write_time(temp, fs::last_write_time(src), ec);
    }
    if (!ec) {
      fs::rename(temp, target, ec);
    }
    if (ec) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw LocalIoError("cannot copy " + src.string() + " to " + target.string() + ": "
                         + ec.message());
    }
  }

  fs::path m_root;
};

} // namespace

std::unique_ptr<Store> make_local_dir_store(std::filesystem::path staging_dir) {
  return std::make_unique<LocalDirStore>(std::move(staging_dir));
}

} // namespace rockart::storage::detail
