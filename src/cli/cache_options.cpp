// SPDX-License-Identifier: MIT
#include "cache_options.hpp"

#include "environment.hpp"

#include <rockart/util/log.hpp>

namespace rockart::cli {

void add_cache_options(CLI::App& command, CacheOptions& options, bool with_no_cache) {
  CLI::Option* dir = command.add_option(
      "--cache-dir",
      options.dir,
      "Cache directory (default: ROCKART_CACHE_DIR, else $XDG_CACHE_HOME/rockart, else "
      "~/.cache/rockart)");
  CLI::Option* max_size = command.add_option(
      "--cache-max-size",
      options.max_size,
      "Cache size cap, e.g. 50G or 500MiB (default: ROCKART_CACHE_MAX_SIZE, else 50G)");
  if (with_no_cache) {
    command.add_flag("--no-cache", options.no_cache, "Neither read nor write the cache")
        ->excludes(dir)
        ->excludes(max_size);
  }
}

cache::CacheLocation cache_location(const CacheOptions& options) {
  return cache::resolve_cache_dir(options.dir, process_env);
}

std::uint64_t cache_max_size(const CacheOptions& options) {
  return cache::resolve_max_size(options.max_size, process_env);
}

std::optional<cache::Cache> open_cache(const CacheOptions& options) {
  if (options.no_cache) {
    return std::nullopt;
  }
  const cache::CacheLocation location = cache_location(options);
  util::log_debug("cache: " + location.dir.string() + " (from " + location.source + ")");
  cache::CacheConfig config;
  config.dir = location.dir;
  config.max_size = cache_max_size(options);
  return cache::Cache::open(std::move(config));
}

} // namespace rockart::cli
