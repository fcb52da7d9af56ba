// SPDX-License-Identifier: MIT
// The cache options shared by every command that uses the persistent cache
// (--cache-dir, --cache-max-size, --no-cache) and the one function that turns
// them plus the process environment into an open cache::Cache.
#pragma once

#include <rockart/cache/cache.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace rockart::cli {

struct CacheOptions {
  std::optional<std::string> dir;      // --cache-dir
  std::optional<std::string> max_size; // --cache-max-size
  bool no_cache = false;               // --no-cache
};

// Adds --cache-dir and --cache-max-size to `command`, and --no-cache when
// `with_no_cache` (commands that only manage the cache leave it out).
void add_cache_options(CLI::App& command, CacheOptions& options, bool with_no_cache = true);

// Where the cache is (--cache-dir, ROCKART_CACHE_DIR, XDG_CACHE_HOME, HOME).
// Throws ConfigError when none is set.
cache::CacheLocation cache_location(const CacheOptions& options);

// The size cap (--cache-max-size, ROCKART_CACHE_MAX_SIZE, 50 GiB). Throws
// UsageError / ConfigError for an unparseable size.
std::uint64_t cache_max_size(const CacheOptions& options);

// The open cache, or nullopt with --no-cache. Throws like cache_location(),
// cache_max_size() and cache::Cache::open().
std::optional<cache::Cache> open_cache(const CacheOptions& options);

} // namespace rockart::cli
