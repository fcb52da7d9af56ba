// SPDX-License-Identifier: MIT
// `rockart fetch` over an emulated slow CI link (tests/fakes/link_proxy.py in
// front of moto: a per-flow rate cap and an RTT): with a single extractor the
// link still carries many flows at once (the proxy's counters say so, not a
// clock), archives downloaded ahead are spilled and extracted from disk, and
// the tree is still exactly tar's. Nothing of the spill is left behind.
#include "fetch_fixture.hpp"

#include <rockart/http/curl_transport.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

  nlohmann::json link_stats() {
    http::Request request;
    request.url = m_link->url() + "/__stats";
    const auto response = m_transport.perform(request);
    EXPECT_EQ(response.status, 200) << response.body;
    return nlohmann::json::parse(response.body);
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
  std::unique_ptr<LocalServer> m_link;
  http::CurlTransport m_transport;
};

std::unique_ptr<TempDir> SlowLinkFetch::s_set;

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
  EXPECT_EQ(doc["bytes"].get<std::uint64_t>(), bytes) << r.out;
}

TEST_F(SlowLinkFetch, PinnedToOneFlowThereIsOneFlow) {
  const fs::path out = m_work.path() / "out";
  const auto r = fetch_over_link(
      {"--download-concurrency", "1", "--extract-concurrency", "1", "--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(link_stats()["max_active"].get<int>(), 1);
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
