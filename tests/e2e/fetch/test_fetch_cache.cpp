// SPDX-License-Identifier: MIT
// `rockart fetch` with the persistent cache (issue 6 "Tests that must exist"):
// a second fetch of a completed run makes zero GitHub requests (fake_github
// --stats-file) and zero S3 requests (fault_proxy /__stats), with an identical
// output tree; --offline serves a cached run and names what is missing.
#include "fetch_fixture.hpp"
#include "support/moto_config.hpp"

#include <rockart/http/retry.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rockart::test {
namespace {

// A completed ROCm/TheRock run of the fake's `find` scenario (bucket therock-ci-artifacts).
constexpr const char* k_run = "20083647898";

class FetchCacheE2E : public FetchE2E {
protected:
  void SetUp() override {
    FetchE2E::SetUp();
    if (HasFatalFailure() || IsSkipped()) {
      return;
    }
    m_github =
        start_fake("fake_github.py", {"--scenario", "find", "--stats-file", stats_path().string()});
    if (!m_github->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + m_github->error());
    }
    const s3::S3Config config = test::moto_s3_config(s_moto->url());
    s3::Client client(config, m_http, m_sleep);
    try {
      client.create_bucket("therock-ci-artifacts");
    } catch (const Error&) {
      // created by an earlier test of the suite
    }
    for (const auto& file : files_in(data_dir("zst"))) {
      client.upload(
          file, "therock-ci-artifacts", std::string(k_run) + "-linux/" + file.filename().string());
    }
  }

  fs::path stats_path() const { return m_work.path() / "github-stats.json"; }

  // GitHub requests the fake answered so far.
  long github_requests() const {
    if (!fs::exists(stats_path())) {
      return 0;
    }
    return nlohmann::json::parse(read_file(stats_path()))["total"].get<long>();
  }

  // S3 requests the proxy forwarded since its last reset.
  long s3_requests() {
    http::Request request;
    request.method = "GET";
    request.url = s_proxy->url() + "/__stats";
    return nlohmann::json::parse(m_http.perform(request).body)["total"].get<long>();
  }

  // `rockart fetch --run-id k_run` through the proxy, looking the run up on the fake GitHub.
  ProcessResult fetch_run(const fs::path& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"fetch",
                                     "--run-id",
                                     k_run,
                                     "--run-github-repo",
                                     "ROCm/TheRock",
                                     "--platform",
                                     "linux",
                                     "--endpoint-url",
                                     s_proxy->url(),
                                     "--cache-dir",
                                     (m_work.path() / "cache").string(),
                                     "--output-dir",
                                     out.string(),
                                     "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    RunOptions options;
    options.env = {{"AWS_ACCESS_KEY_ID", "testing"},
                   {"AWS_SECRET_ACCESS_KEY", "testing"},
                   {"AWS_REGION", "us-east-2"},
                   {"GITHUB_API_URL", m_github->url()}};
    return run_rockart(argv, options);
  }

  std::unique_ptr<LocalServer> m_github;
  http::CurlTransport m_http;
  http::RealSleeper m_sleep;
};

TEST_F(FetchCacheE2E, SecondFetchOfCompletedRunMakesNoRequests) {
  const fs::path first = m_work.path() / "first";
  const auto r1 = fetch_run(first);
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  const long github_after_first = github_requests();
  EXPECT_EQ(github_after_first, 1) << "one GET run";
  EXPECT_GT(s3_requests(), 9) << "listing, companions and archives";

  http::Request reset;
  reset.method = "POST";
  reset.url = s_proxy->url() + "/__reset";
  ASSERT_EQ(m_http.perform(reset).status, 200);

  const fs::path second = m_work.path() / "second";
  const auto r2 = fetch_run(second);
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_EQ(github_requests(), github_after_first);
  EXPECT_EQ(s3_requests(), 0);
  EXPECT_EQ(tree_differences(first, second), std::vector<std::string>{});
  const auto doc = nlohmann::json::parse(r2.out);
  ASSERT_EQ(doc["archives"].size(), 9u);
  for (const auto& archive : doc["archives"]) {
    EXPECT_EQ(archive["source"], "cache") << archive.dump();
    EXPECT_EQ(archive["downloaded_bytes"], 0) << archive.dump();
  }
}

TEST_F(FetchCacheE2E, OfflineFetchServesACachedRun) {
  ASSERT_EQ(fetch_run(m_work.path() / "first").exit_code, 0);
  const long github = github_requests();
  http::Request reset;
  reset.method = "POST";
  reset.url = s_proxy->url() + "/__reset";
  ASSERT_EQ(m_http.perform(reset).status, 200);
  const auto r = fetch_run(m_work.path() / "offline", {"--offline"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(github_requests(), github);
  EXPECT_EQ(s3_requests(), 0);
  EXPECT_EQ(tree_differences(m_work.path() / "first", m_work.path() / "offline"),
            std::vector<std::string>{});
}

TEST_F(FetchCacheE2E, OfflineFetchWithEmptyCacheNamesTheMissingRun) {
  const auto r = fetch_run(m_work.path() / "out", {"--offline"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("offline: no cached run 20083647898 of ROCm/TheRock"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("run once without --offline"), std::string::npos) << r.err;
  EXPECT_EQ(github_requests(), 0);
  EXPECT_FALSE(fs::exists(m_work.path() / "out"));
}

} // namespace
} // namespace rockart::test
