// SPDX-License-Identifier: MIT
// Batch operations over any Store: planning a
// directory upload safely, uploading and copying many files in parallel with
// one aggregated error naming every file that failed.
#pragma once

#include <rockart/layout/location.hpp>
#include <rockart/storage/store.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace rockart::storage {

// One file to upload.
struct UploadItem {
  std::filesystem::path source;
  layout::StorageLocation dest;
};

// One stored file to copy.
struct CopyItem {
  layout::StorageLocation source;
  layout::StorageLocation dest;
};

// Which files of a directory to upload; rglob_match() semantics, relative to it.
struct DirectoryFilter {
  std::vector<std::string> include{"*"}; // union of these
  std::vector<std::string> exclude;      // minus the union of these
};

// The files of `src_dir` selected by `filter`, each with its destination below
// `dest` (`dest/{relative path}`), sorted by relative path. Only regular files
// are taken: symlinks (to files or directories, inside or outside the tree) are
// skipped with a warning and never followed. A relative path that is not a
// valid location (e.g. a `..`-named entry) is skipped with a warning. Throws
// LocalIoError when `src_dir` is not a directory.
std::vector<UploadItem> plan_directory_upload(const std::filesystem::path& src_dir,
                                              const layout::StorageLocation& dest,
                                              const DirectoryFilter& filter = {});

// Uploads every item with up to `concurrency` in parallel (sequentially when 1
// or fewer items). Every item is attempted; if any failed, throws one Error
// "failed to upload k/N files: {dest} ({src}): {error}; …" naming each failure
// in item order, with the exit code of the first failure's kind.
void upload_files(Store& store, const std::vector<UploadItem>& items, int concurrency = 10);

// plan_directory_upload() then upload_files(); logs the count and each
// relative path at info. Returns the number of files.
std::size_t upload_directory(Store& store,
                             const std::filesystem::path& src_dir,
                             const layout::StorageLocation& dest,
                             const DirectoryFilter& filter = {},
                             int concurrency = 10);

// Copies every item like upload_files() (parallel, all attempted, one error
// "failed to copy k/N files: …").
void copy_files(Store& store, const std::vector<CopyItem>& items, int concurrency = 10);

} // namespace rockart::storage
