// SPDX-License-Identifier: MIT
// `rockart cache info|ls|verify|gc|clear` end to end: a cache seeded through
// the library, then the built binary run against it.
#include "support/support.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/util/hash.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Seeded {
  TempDir dir;
  fs::path cache_dir = dir.path() / "cache";
  cache::TimePoint now{std::chrono::milliseconds(1700000000000)}; // 2023-11-14T22:13:20Z

  cache::Cache open() {
    return cache::Cache::open({cache_dir, cache::k_default_max_size, [this] { return now; }, {}});
  }

  std::string put(cache::Cache& cache, const std::string& content) {
    const std::string sha = util::sha256_hex(content);
    cache::Acquisition got = cache.acquire_blob(sha);
    got.writer->write(content);
    cache.commit_blob(*got.writer);
    now += std::chrono::seconds(60);
    return sha;
  }
};

ProcessResult rockart_cache(const std::vector<std::string>& args,
                            std::map<std::string, std::string> env = {}) {
  std::vector<std::string> argv = {"cache"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.env = std::move(env);
  return run_rockart(argv, options);
}

TEST(CacheCommand, InfoOnAFreshCache) {
  TempDir dir;
  const auto r = rockart_cache({"info", "--cache-dir", (dir.path() / "c").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "directory: " + (dir.path() / "c").string() + " (from --cache-dir)\n"
                + "blobs: 0 (0 B), 0 pinned\nmax size: 50.0 GiB\nruns: 0 (0 completed)\n"
                  "commit answers: 0\nlistings: 0\nhits: 0, misses: 0, hit rate: n/a\n"
                  "bytes fetched: 0 B, bytes saved: 0 B\nevictions: 0, corrupt evictions: 0\n");
}

TEST(CacheCommand, InfoJsonCountsAndHitRate) {
  Seeded s;
  {
    cache::Cache cache = s.open();
    const std::string a = s.put(cache, std::string(1000, 'a'));
    s.put(cache, std::string(24, 'b'));
    ASSERT_TRUE(cache.find_blob(a));
    cache.index().pin(a, "bisect:x");
    cache.index().put_run(
        {"ROCm/TheRock", 1, 1, "s", "ci.yml", "completed", "success", "t", "b", "1-linux/", {}});
    cache.index().put_commit_runs({"ROCm/TheRock", "ci.yml", "s", {{1, true}}, {}});
  }
  const auto r = rockart_cache(
      {"info", "--json"},
      {{"ROCKART_CACHE_DIR", s.cache_dir.string()}, {"ROCKART_CACHE_MAX_SIZE", "2G"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["directory"], s.cache_dir.string());
  EXPECT_EQ(doc["source"], "ROCKART_CACHE_DIR");
  EXPECT_EQ(doc["max_size"], 2ULL << 30);
  EXPECT_EQ(doc["blobs"], (json{{"count", 2}, {"bytes", 1024}, {"pinned", 1}}));
  EXPECT_EQ(doc["runs"], 1);
  EXPECT_EQ(doc["completed_runs"], 1);
  EXPECT_EQ(doc["commit_answers"], 1);
  EXPECT_EQ(doc["hits"], 1);
  EXPECT_EQ(doc["misses"], 2);
  EXPECT_DOUBLE_EQ(doc["hit_rate"].get<double>(), 1.0 / 3.0);
  EXPECT_EQ(doc["bytes_fetched"], 1024);
  EXPECT_EQ(doc["bytes_saved"], 1000);
}

TEST(CacheCommand, LocationFromXdgCacheHome) {
  TempDir dir;
  const auto r = rockart_cache({"info", "--json"}, {{"XDG_CACHE_HOME", dir.path().string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["directory"], (dir.path() / "rockart").string());
  EXPECT_TRUE(fs::exists(dir.path() / "rockart" / "index.sqlite"));
}

TEST(CacheCommand, NoLocationIsAConfigError) {
  // run_rockart always passes HOME on; `env -u` removes it so no real home is touched.
  const auto r = run_process({"env", "-u", "HOME", ROCKART_BINARY, "cache", "info"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("rockart: error: cannot locate the cache: none of --cache-dir, "
                       "ROCKART_CACHE_DIR, XDG_CACHE_HOME or HOME is set"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hint: pass --cache-dir DIR, or --no-cache to run without a cache"),
            std::string::npos);
  EXPECT_EQ(r.out, "");
}

TEST(CacheCommand, BadMaxSizeIsAnError) {
  TempDir dir;
  const auto r =
      rockart_cache({"gc", "--cache-dir", dir.path().string(), "--cache-max-size", "huge"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("invalid size 'huge'"), std::string::npos) << r.err;
}

TEST(CacheCommand, LsListsLeastRecentlyUsedFirst) {
  Seeded s;
  std::string first, second;
  {
    cache::Cache cache = s.open();
    first = s.put(cache, "first");
    second = s.put(cache, "second");
    cache.index().pin(first, "me");
  }
  const auto r = rockart_cache({"ls", "--cache-dir", s.cache_dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            first + "  5  2023-11-14T22:13:20Z  pinned\n" + second + "  6  2023-11-14T22:14:20Z\n");
  const auto j = rockart_cache({"ls", "--json", "--cache-dir", s.cache_dir.string()});
  const json doc = json::parse(j.out);
  ASSERT_EQ(doc.size(), 2U);
  EXPECT_EQ(
      doc[1],
      (json{{"sha256", second}, {"size", 6}, {"last_used", "2023-11-14T22:14:20Z"}, {"pins", 0}}));
}

TEST(CacheCommand, VerifyEvictsAFlippedBlobAndFails) {
  Seeded s;
  std::string good, bad;
  {
    cache::Cache cache = s.open();
    good = s.put(cache, "good content");
    bad = s.put(cache, "bad content!");
    std::fstream file(cache.blobs().blob_path(bad),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(3);
    file.put('X');
  }
  const auto r = rockart_cache({"verify", "--cache-dir", s.cache_dir.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "checked 2 blobs, 1 corrupt\ncorrupt (evicted): " + bad
                + "\nchecked 0 extracted trees, 0 corrupt\n");
  EXPECT_NE(r.err.find("1 corrupt blobs were evicted; they will be fetched again on next use"),
            std::string::npos)
      << r.err;
  const auto again = rockart_cache({"verify", "--json", "--cache-dir", s.cache_dir.string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out),
            (json{{"schema_version", 1},
                  {"checked", 1},
                  {"corrupt", json::array()},
                  {"trees_checked", 0},
                  {"corrupt_trees", json::array()}}));
}

TEST(CacheCommand, GcHonoursCapLruAndPins) {
  Seeded s;
  std::string oldest, middle, newest;
  {
    cache::Cache cache = s.open();
    oldest = s.put(cache, std::string(400, 'o'));
    middle = s.put(cache, std::string(400, 'm'));
    newest = s.put(cache, std::string(400, 'n'));
    cache.index().pin(oldest, "bisect:1");
  }
  const auto r = rockart_cache(
      {"gc", "--json", "--cache-dir", s.cache_dir.string(), "--cache-max-size", "1K"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["evicted"], (json::array({{{"sha256", middle}, {"size", 400}}})));
  EXPECT_EQ(doc["bytes_kept"], 800);
  EXPECT_EQ(doc["pinned_bytes"], 400);
  EXPECT_EQ(doc["max_size"], 1024);
  cache::Cache cache = s.open();
  EXPECT_TRUE(cache.blobs().find(oldest));
  EXPECT_FALSE(cache.blobs().find(middle));
  EXPECT_TRUE(cache.blobs().find(newest));
}

TEST(CacheCommand, ClearKeepsOnlyPinnedBlobs) {
  Seeded s;
  std::string pinned;
  {
    cache::Cache cache = s.open();
    pinned = s.put(cache, "pinned");
    s.put(cache, "loose content");
    cache.index().pin(pinned, "me");
  }
  const auto r = rockart_cache({"clear", "--cache-dir", s.cache_dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "removed 13 B; kept 1 pinned blobs\n");
  const auto ls = rockart_cache({"ls", "--cache-dir", s.cache_dir.string()});
  EXPECT_EQ(ls.out.substr(0, 64), pinned);
}

TEST(CacheCommand, RequiresAnAction) {
  const auto r = rockart_cache({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("A subcommand is required"), std::string::npos) << r.err;
}

} // namespace
} // namespace rockart::test
