// SPDX-License-Identifier: MIT
#include "stores.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

namespace rockart::storage {

std::unique_ptr<Store> make_store(const StoreConfig& config) {
  std::unique_ptr<Store> store;
  if (config.kind == StoreKind::s3) {
    if (config.client == nullptr) {
      throw UsageError("the S3 store needs an S3 client (internal error)");
    }
    store = detail::make_s3_store(*config.client);
  } else {
    if (config.staging_dir.empty()) {
      throw UsageError("the local staging store needs a directory (--output-dir DIR)");
    }
    store = detail::make_local_dir_store(config.staging_dir);
  }
  if (!config.dry_run) {
    return store;
  }
  auto log = config.dry_run_log;
  if (!log) {
    log = [](const std::string& line) {
      util::log_info(line);
    };
  }
  return detail::make_dry_run_store(
      std::move(store), config.kind == StoreKind::local_dir, std::move(log));
}

} // namespace rockart::storage
