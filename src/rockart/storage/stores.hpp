// SPDX-License-Identifier: MIT
// Private: the Store implementations behind make_store().
#pragma once

#include <rockart/storage/store.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace rockart::storage::detail {

// S3 through `client` (retries are the client's RetryPolicy).
std::unique_ptr<Store> make_s3_store(s3::Client& client);

// Files under `staging_dir`, mirroring the S3 layout (bucket ignored).
std::unique_ptr<Store> make_local_dir_store(std::filesystem::path staging_dir);

// Reads go to `reader`; each write is described through `log` and not done.
// `local` selects the local wording of the dry-run line (no content type).
std::unique_ptr<Store> make_dry_run_store(std::unique_ptr<Store> reader,
                                          bool local,
                                          std::function<void(const std::string&)> log);

} // namespace rockart::storage::detail
