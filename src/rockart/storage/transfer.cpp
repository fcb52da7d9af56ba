// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/storage/glob.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>

#include <algorithm>
#include <exception>
#include <functional>
#include <memory>
#include <optional>

namespace rockart::storage {
namespace {

namespace fs = std::filesystem;

bool selected(const DirectoryFilter& filter, const std::string& relative) {
  const auto matches = [&](const std::string& pattern) {
    return rglob_match(pattern, relative, false);
  };
  return std::any_of(filter.include.begin(), filter.include.end(), matches)
         && std::none_of(filter.exclude.begin(), filter.exclude.end(), matches);
}

// An Error with the aggregated message, keeping the exit code of `first`.
class BatchError final : public Error {
public:
  BatchError(const std::string& message, ExitCode code) : Error(message), m_code(code) {}

  ExitCode exit_code() const noexcept override { return m_code; }

private:
  ExitCode m_code;
};

// Throws one error naming every failed item (`names[i]`), in item order.
void raise_failures(const std::vector<std::exception_ptr>& failures,
                    const std::vector<std::string>& names,
                    const std::string& verb) {
  std::string details;
  std::size_t failed = 0;
  std::optional<ExitCode> code;
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (!failures[i]) {
      continue;
    }
    ++failed;
    details += "\n  " + names[i] + ": " + util::message_of(failures[i]);
    if (!code) {
      try {
        std::rethrow_exception(failures[i]);
      } catch (const Error& e) {
        code = e.exit_code();
      } catch (...) {
        code = ExitCode::error;
      }
    }
  }
  if (failed > 0) {
    throw BatchError("failed to " + verb + " " + std::to_string(failed) + "/"
                         + std::to_string(failures.size()) + " files:" + details,
                     code.value_or(ExitCode::error));
  }
}

} // namespace

std::vector<UploadItem> plan_directory_upload(const fs::path& src_dir,
                                              const layout::StorageLocation& dest,
                                              const DirectoryFilter& filter) {
  std::error_code ec;
  if (!fs::is_directory(src_dir, ec)) {
    throw LocalIoError("cannot upload directory " + src_dir.string() + ": not a directory");
  }
  std::vector<UploadItem> items;
  // Directory symlinks are not descended into (no follow_directory_symlink).
  for (auto it = fs::recursive_directory_iterator(src_dir); it != fs::end(it); ++it) {
    const auto& entry = *it;
    const std::string relative = entry.path().lexically_relative(src_dir).generic_string();
    if (entry.is_symlink()) {
      util::log_warn("skipping symlink " + entry.path().string()
                     + " (symlinks are never uploaded)");
      continue;
    }
    if (!entry.is_regular_file() || !selected(filter, relative)) {
      continue;
    }
    try {
      items.push_back({entry.path(), dest.child(relative)});
    } catch (const UsageError& e) {
      util::log_warn("skipping " + entry.path().string() + ": " + e.what());
    }
  }
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.dest.relative_path() < b.dest.relative_path();
  });
  return items;
}

void upload_files(Store& store, const std::vector<UploadItem>& items, int concurrency) {
  const auto failures = util::run_parallel(items.size(), concurrency, [&](std::size_t i) {
    store.upload_file(items[i].source, items[i].dest);
  });
  std::vector<std::string> names;
  names.reserve(items.size());
  for (const auto& item : items) {
    names.push_back(store.describe(item.dest) + " (from " + item.source.string() + ")");
  }
  raise_failures(failures, names, "upload");
}

std::size_t upload_directory(Store& store,
                             const fs::path& src_dir,
                             const layout::StorageLocation& dest,
                             const DirectoryFilter& filter,
                             int concurrency) {
  const auto items = plan_directory_upload(src_dir, dest, filter);
  util::log_info("uploading " + std::to_string(items.size()) + " files from " + src_dir.string()
                 + " to " + store.describe(dest));
  for (const auto& item : items) {
    util::log_info("  " + item.source.lexically_relative(src_dir).generic_string());
  }
  upload_files(store, items, concurrency);
  return items.size();
}

void copy_files(Store& store, const std::vector<CopyItem>& items, int concurrency) {
  const auto failures = util::run_parallel(items.size(), concurrency, [&](std::size_t i) {
    store.copy(items[i].source, items[i].dest);
  });
  std::vector<std::string> names;
  names.reserve(items.size());
  for (const auto& item : items) {
    names.push_back(store.describe(item.dest) + " (from " + store.describe(item.source) + ")");
  }
  raise_failures(failures, names, "copy");
}

} // namespace rockart::storage
