// SPDX-License-Identifier: MIT
// Where the cache lives and how big it may grow.
// Pure functions of explicit inputs; the CLI supplies the process environment.
#pragma once

#include <rockart/util/env.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::cache {

// A resolved cache directory and which input chose it (for `cache info`).
struct CacheLocation {
  std::filesystem::path dir;
  std::string source; // "--cache-dir", "ROCKART_CACHE_DIR", "XDG_CACHE_HOME" or "HOME"
};

// `flag` (--cache-dir), else ROCKART_CACHE_DIR, else $XDG_CACHE_HOME/rockart,
// else $HOME/.cache/rockart. Empty values count as unset. Throws ConfigError
// when none is available.
CacheLocation resolve_cache_dir(const std::optional<std::string>& flag, const util::EnvLookup& env);

// Default size cap: 50 GiB.
inline constexpr std::uint64_t k_default_max_size = 50ULL << 30;

// Parses a size: a whole or decimal number with an optional unit. `B`; `K M G T`
// and `KiB MiB GiB TiB` (also `Ki`, `Mi`, ...) are powers of 1024; `KB MB GB TB` are
// powers of 1000. Case-insensitive, spaces allowed before the unit ("50G", "500 MiB",
// "1.5GiB"). Throws UsageError naming `text` otherwise.
std::uint64_t parse_size(std::string_view text);

// `flag` (--cache-max-size), else ROCKART_CACHE_MAX_SIZE, else k_default_max_size.
// Throws UsageError (flag) or ConfigError (environment) for an unparseable size.
std::uint64_t resolve_max_size(const std::optional<std::string>& flag, const util::EnvLookup& env);

} // namespace rockart::cache
