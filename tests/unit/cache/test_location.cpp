// SPDX-License-Identifier: MIT
// Cache location (issue 6 item 1) and size parsing (item 5): pure functions
// over explicit inputs, one case per rule.
#include "support/support.hpp"

#include <rockart/cache/location.hpp>
#include <rockart/error.hpp>

#include <map>

namespace rockart::cache {
namespace {

util::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) {
      return std::nullopt;
    }
    return it->second;
  };
}

struct LocationCase {
  std::optional<std::string> flag;
  std::map<std::string, std::string> env;
  std::string dir, source;
};

TEST(CacheLocation, PrecedenceFlagEnvXdgHome) {
  const std::map<std::string, std::string> all = {
      {"ROCKART_CACHE_DIR", "/env/cache"}, {"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}};
  const std::vector<LocationCase> cases = {
      {"/flag", all, "/flag", "--cache-dir"},
      {std::nullopt, all, "/env/cache", "ROCKART_CACHE_DIR"},
      {std::nullopt,
       {{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}},
       "/xdg/rockart",
       "XDG_CACHE_HOME"},
      {std::nullopt, {{"HOME", "/home/u"}}, "/home/u/.cache/rockart", "HOME"},
      // Empty values count as unset at every level.
      {"",
       {{"ROCKART_CACHE_DIR", ""}, {"XDG_CACHE_HOME", ""}, {"HOME", "/h"}},
       "/h/.cache/rockart",
       "HOME"},
  };
  for (const auto& c : cases) {
    const CacheLocation location = resolve_cache_dir(c.flag, env_of(c.env));
    EXPECT_EQ(location.dir, std::filesystem::path(c.dir)) << c.source;
    EXPECT_EQ(location.source, c.source);
  }
}

TEST(CacheLocation, NothingSetIsAConfigError) {
  EXPECT_ERROR(resolve_cache_dir(std::nullopt, env_of({})),
               ConfigError,
               "cannot locate the cache: none of --cache-dir, ROCKART_CACHE_DIR, XDG_CACHE_HOME "
               "or HOME is set");
}

TEST(CacheSize, ParsesUnits) {
  const std::vector<std::pair<std::string, std::uint64_t>> cases = {
      {"0", 0},
      {"1234", 1234},
      {"10B", 10},
      {"50G", 50ULL << 30},
      {"50g", 50ULL << 30},
      {"500MiB", 500ULL << 20},
      {"500 MiB", 500ULL << 20},
      {"2Ki", 2048},
      {"1K", 1024},
      {"1KB", 1000},
      {"3MB", 3000000},
      {"1GB", 1000000000},
      {"1.5GiB", 3ULL << 29},
      {"0.5K", 512},
      {"2T", 2ULL << 40},
      {"1TB", 1000000000000ULL},
      {" 7 m ", 7ULL << 20},
  };
  for (const auto& [text, bytes] : cases) {
    EXPECT_EQ(parse_size(text), bytes) << text;
  }
}

TEST(CacheSize, RejectsGarbage) {
  for (const std::string text :
       {"", "G", "-1G", "1.2.3G", "12X", "1 G B", "99999999999999999999999", "20000000000T"}) {
    EXPECT_ERROR(parse_size(text), UsageError, "invalid size '" + text + "'");
  }
}

TEST(CacheSize, MaxSizeFromFlagEnvOrDefault) {
  EXPECT_EQ(resolve_max_size(std::nullopt, env_of({})), 50ULL << 30);
  EXPECT_EQ(k_default_max_size, 53687091200ULL);
  EXPECT_EQ(resolve_max_size(std::nullopt, env_of({{"ROCKART_CACHE_MAX_SIZE", "1G"}})), 1ULL << 30);
  EXPECT_EQ(resolve_max_size("2M", env_of({{"ROCKART_CACHE_MAX_SIZE", "1G"}})), 2ULL << 20);
  EXPECT_ERROR(resolve_max_size(std::nullopt, env_of({{"ROCKART_CACHE_MAX_SIZE", "lots"}})),
               ConfigError,
               "ROCKART_CACHE_MAX_SIZE: invalid size 'lots'");
  EXPECT_ERROR(resolve_max_size("lots", env_of({})), UsageError, "invalid size 'lots'");
}

} // namespace
} // namespace rockart::cache
