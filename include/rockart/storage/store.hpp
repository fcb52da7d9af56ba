// SPDX-License-Identifier: MIT
// One storage interface for reading and writing run outputs: S3, a local
// staging directory mirroring the S3 layout (`{staging_dir}/{relative_path}`,
// bucket ignored) and a dry-run wrapper that logs each write and touches nothing.
// The backend is always chosen by an explicit StoreConfig, never by the
// environment.
#pragma once

#include <rockart/layout/location.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::s3 {
class Client;
}

namespace rockart::storage {

// One stored file found by Store::list.
struct StoredObject {
  std::string name;          // path relative to the listed directory, `/`-separated
  std::uint64_t size = 0;    // bytes
  std::string last_modified; // ISO 8601 UTC (`2026-03-27T12:00:00Z`), may be empty
};

// Reads and writes files at StorageLocations. Implementations are thread-safe:
// the transfer helpers call them from several threads at once.
class Store {
public:
  virtual ~Store() = default;

  // Stores the regular file `src` at `dest` with the content type of
  // content_type_for(). Throws LocalIoError if `src` cannot be read, and the
  // backend's errors (RemoteError, NetworkError, AuthError) after its retries.
  virtual void upload_file(const std::filesystem::path& src,
                           const layout::StorageLocation& dest) = 0;

  // Files strictly below directory `dir` whose name relative to `dir` matches
  // `pattern` with fnmatch_match() (`*` crosses `/`), sorted by name.
  // Directory markers (keys ending in `/`) are skipped. A missing dir is empty.
  virtual std::vector<StoredObject> list(const layout::StorageLocation& dir,
                                         std::string_view pattern = "*") = 0;

  // Copies the stored file `src` to `dest` without routing the bytes through
  // this machine where the backend allows (S3 server-side copy). Throws
  // NotFoundError when `src` does not exist.
  virtual void copy(const layout::StorageLocation& src, const layout::StorageLocation& dest) = 0;

  // True when a file exists at `location`.
  virtual bool exists(const layout::StorageLocation& location) = 0;

  // How `location` is shown in logs and errors: the s3:// URI or the local path.
  virtual std::string describe(const layout::StorageLocation& location) const = 0;
};

// Which backend make_store() builds.
enum class StoreKind { s3, local_dir };

// Explicit backend selection (the factory argument).
struct StoreConfig {
  StoreKind kind = StoreKind::s3;
  s3::Client* client = nullptr;      // kind s3: required, must outlive the store
  std::filesystem::path staging_dir; // kind local_dir: the --output-dir root
  bool dry_run = false;              // log every write, perform none; reads still happen
  std::function<void(const std::string&)> dry_run_log; // dry-run sink; null = log at info
};

// Builds the store `config` asks for. Throws UsageError when a required part is
// missing (no client for s3, empty staging_dir for local_dir).
std::unique_ptr<Store> make_store(const StoreConfig& config);

} // namespace rockart::storage
