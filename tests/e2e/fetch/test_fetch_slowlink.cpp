// SPDX-License-Identifier: MIT
// `rockart fetch` over an emulated slow CI link (tests/fakes/link_proxy.py in
// front of moto: a per-flow rate cap and an RTT): with a single extractor the
// link still carries many flows at once (the proxy's counters say so, not a
// clock), archives downloaded ahead are spilled and extracted from disk, and
// the tree is still exactly tar's. Nothing of the spill is left behind. A
// burst of SlowDown answers halves the flows, and a stalled transfer is
// abandoned and resumed on a new connection.
#include "fetch_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <thread>

namespace rockart::test {
namespace {

class SlowLinkFetch : public FetchE2E {
protected:
  static void SetUpTestSuite() {
    FetchE2E::SetUpTestSuite();
    s_set = std::make_unique<TempDir>();
    // Many small archives: each is one GET, so flows in flight = archives in flight.
    generate(
        {"--out", s_set->path().string(), "--count", "24", "--total-size", "6M", "--seed", "11"});
  }

  static void TearDownTestSuite() {
    s_set.reset();
    s_many.reset();
    FetchE2E::TearDownTestSuite();
  }

  void SetUp() override {
    FetchE2E::SetUp();
    m_link = start_fake("link_proxy.py",
                        {"--upstream", s_moto->url(), "--flow-rate", "250000", "--rtt-ms", "20"});
    if (!m_link->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start link_proxy.py: " + m_link->error());
    }
    seed(files_in(s_set->path()));
  }

  ProcessResult fetch_over_link(const std::vector<std::string>& args) {
    m_endpoint = m_link->url();
    return fetch(args);
  }

  nlohmann::json link_stats() { return stats_of(*m_link); }

  nlohmann::json stats_of(LocalServer& server) {
    const auto response = control(server, "/__stats", "");
    EXPECT_EQ(response.status, 200) << response.body;
    return nlohmann::json::parse(response.body);
  }

  void post(LocalServer& server, const std::string& path, const std::string& json) {
    const auto response = control(server, path, json);
    ASSERT_EQ(response.status, 200) << response.body;
  }

  // A set of 40 small archives: 16 flows are busy with them for a few seconds.
  static const fs::path& many() {
    if (!s_many) {
      s_many = std::make_unique<TempDir>();
      generate({"--out",
                s_many->path().string(),
                "--count",
                "40",
                "--total-size",
                "20M",
                "--seed",
                "12"});
    }
    return s_many->path();
  }

  void expect_tree_like_tar(const fs::path& out) {
    const fs::path ref = m_work.path() / "ref";
    reference_extract(archives_of(files_in(s_set->path())), ref);
    EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
    for (const auto& entry : fs::directory_iterator(out)) {
      const std::string name = entry.path().filename().string();
      EXPECT_NE(name.rfind(".rockart-", 0), 0U) << "left behind: " << name;
    }
  }

  static std::unique_ptr<TempDir> s_set;
  static std::unique_ptr<TempDir> s_many;
  std::unique_ptr<LocalServer> m_link;
};

std::unique_ptr<TempDir> SlowLinkFetch::s_set;
std::unique_ptr<TempDir> SlowLinkFetch::s_many;

int cpus() {
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

TEST_F(SlowLinkFetch, ManyMoreFlowsThanExtractorsAndTheTreeIsTars) {
  const fs::path out = m_work.path() / "out";
  const auto r = fetch_over_link({"--extract-concurrency", "1", "--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto stats = link_stats();
  // One extractor streams one archive; the rest of the flows download ahead.
  EXPECT_GT(stats["max_active"].get<int>(), cpus() + 1) << stats.dump();
  EXPECT_GE(stats["connections"].get<int>(), 24) << stats.dump();
  expect_tree_like_tar(out);
}

TEST_F(SlowLinkFetch, WithoutTheCacheTheDownloadsAheadSpillPrivatelyAndVanish) {
  const fs::path out = m_work.path() / "out";
  const auto r = fetch_over_link(
      {"--no-cache", "--extract-concurrency", "1", "--json", "--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(link_stats()["max_active"].get<int>(), cpus() + 1);
  expect_tree_like_tar(out); // the spill directory is gone too
  EXPECT_FALSE(fs::exists(m_work.path() / "cache")) << "--no-cache wrote the cache";
  // Every archive's bytes are counted once, whether streamed or spilled.
  const auto doc = nlohmann::json::parse(r.out);
  std::uint64_t bytes = 0;
  for (const auto& file : archives_of(files_in(s_set->path()))) {
    bytes += fs::file_size(file);
  }
  EXPECT_EQ(doc["downloaded_bytes"].get<std::uint64_t>(), bytes) << r.out;
}

TEST_F(SlowLinkFetch, PinnedToOneFlowThereIsOneFlow) {
  const fs::path out = m_work.path() / "out";
  const auto r = fetch_over_link(
      {"--download-concurrency", "1", "--extract-concurrency", "1", "--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(link_stats()["max_active"].get<int>(), 1);
  expect_tree_like_tar(out);
}

TEST_F(SlowLinkFetch, ASlowDownBurstHalvesTheFlowsAndTheFetchCompletes) {
  const auto files = files_in(many());
  seed(files, "200");
  post(*m_link, "/__config", R"({"flow_rate": 100000})"); // ~1 s per archive
  // S3 in front of the link: the GETs of the first 16 archives pass, the
  // next four are answered SlowDown.
  auto s3 = start_fake("fault_proxy.py", {"--upstream", m_link->url()});
  ASSERT_TRUE(s3->ok()) << s3->error();
  nlohmann::json burst = nlohmann::json::array();
  for (int i = 0; i < 16; ++i) {
    burst.push_back("pass");
  }
  for (int i = 0; i < 4; ++i) {
    burst.push_back(503);
  }
  post(*s3,
       "/__faults",
       nlohmann::json{{"GET /" + m_bucket + "/200-linux/*.tar.zst", burst}}.dump());
  m_endpoint = s3->url();
  const fs::path out = m_work.path() / "out";
  const auto r = fetch(
      {"--download-concurrency", "16", "--extract-concurrency", "1", "--output-dir", out.string()},
      "200");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto stats = stats_of(*s3);
  EXPECT_TRUE(stats["pending"].empty()) << "the burst was never sent: " << stats["pending"];
  stats.erase("requests");
  // All 16 flows ran before the burst; the requests started after it never
  // had many more than half of them in flight (without the back-off: 16).
  EXPECT_GE(stats["in_flight_max"].get<int>(), 14) << stats.dump();
  EXPECT_GE(stats["in_flight_max_after_faults"].get<int>(), 1) << stats.dump();
  EXPECT_LE(stats["in_flight_max_after_faults"].get<int>(), 10) << stats.dump();
  EXPECT_NE(r.err.find("the server asks to slow down: 8 downloads at once (was 16)"),
            std::string::npos)
      << r.err;
  const fs::path ref = m_work.path() / "ref";
  reference_extract(archives_of(files), ref);
  EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
}

TEST_F(SlowLinkFetch, AStalledTransferIsAbandonedAndResumedOnANewConnection) {
  const auto files = files_in(s_set->path());
  const auto archives = archives_of(files);
  const fs::path largest =
      *std::max_element(archives.begin(), archives.end(), [](const fs::path& a, const fs::path& b) {
        return fs::file_size(a) < fs::file_size(b);
      });
  ASSERT_GT(fs::file_size(largest), 20000U);
  const std::string key = "GET /" + m_bucket + "/100-linux/" + largest.filename().string();
  faults(nlohmann::json{{key, {"stall@20000"}}}.dump());
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--cli-read-timeout", "2", "--output-dir", out.string()},
                       "100",
                       /*through_proxy=*/true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(proxy_count(key), 2); // the stalled GET, then the rest of the bytes
  EXPECT_NE(r.err.find("transfer stalled after 20000 of "), std::string::npos) << r.err;
  expect_tree_like_tar(out);
}

TEST_F(SlowLinkFetch, ABadBandwidthIsAUsageErrorBeforeAnyRequest) {
  const auto r = fetch_over_link(
      {"--max-bandwidth", "fast", "--output-dir", (m_work.path() / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("invalid bandwidth 'fast'"), std::string::npos) << r.err;
  EXPECT_EQ(link_stats()["connections"].get<int>(), 0);
}

} // namespace
} // namespace rockart::test
