// SPDX-License-Identifier: MIT
// `rockart bisect` end to end: fake_github.py --scenario bisect (64 commits,
// culprit 37, commits 5, 21, 22, 48 without runs) and moto seeded with one
// archive per run whose bin/verdict says good or bad to the test command.
#include "support/support.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/http/curl_transport.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/client.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_bucket = "therock-ci-artifacts-external";
constexpr const char* k_check = "test \"$(cat \"$ROCKART_ARTIFACTS_DIR/bin/verdict\")\" = good";

class BisectE2E : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_moto = start_moto();
    if (s_moto->ok()) {
      s3::S3Config config;
      config.credentials = {"testing", "testing", ""};
      config.credentials_source = "environment";
      config.region = "us-east-2";
      config.region_source = "AWS_REGION";
      config.endpoint = s3::parse_endpoint_url(s_moto->url(), "--endpoint-url");
      s_transport = std::make_unique<http::CurlTransport>();
      s_client = std::make_unique<s3::Client>(config, *s_transport, s_sleeper);
      s_client->create_bucket(k_bucket);
    }
  }

  static void TearDownTestSuite() {
    s_client.reset();
    s_transport.reset();
    s_moto.reset();
  }

  void SetUp() override {
    if (!s_moto->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start moto: " + s_moto->error());
    }
    m_dir = std::make_unique<TempDir>();
  }

  // Starts the GitHub fake and seeds one archive per commit with a run.
  void start_world(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--scenario", "bisect"};
    args.insert(args.end(), extra.begin(), extra.end());
    m_github = start_fake("fake_github.py", args);
    if (!m_github->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + m_github->error());
    }
    const auto r = run_process({"curl", "-s", m_github->url() + "/__scenario"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    m_scenario = nlohmann::json::parse(r.out)["bisect"];
    for (const auto& commit : m_scenario["commits"]) {
      if (!commit["run_id"].is_null()) {
        seed(commit["run_id"].get<std::int64_t>(), commit["sha"], commit["bad"].get<bool>());
      }
    }
  }

  void seed(std::int64_t run_id, const std::string& sha, bool bad) {
    const auto prefix = "ROCm-rocm-systems/" + std::to_string(run_id) + "-linux/";
    const auto name = std::string("core_lib_gfx94X-dcgpu.tar.zst");
    const auto path = m_dir->path() / name;
    archive::TarWriter writer(path, archive::Compression::zstd);
    writer.add_file("artifact_manifest.txt", "core/stage\n");
    writer.add_file("core/stage/bin/verdict", bad ? "bad\n" : "good\n");
    writer.add_file("core/stage/share/commit", sha + "\n");
    const auto digest = writer.finish();
    s_client->put(k_bucket, prefix + name, read_file(path));
    s_client->put(k_bucket, prefix + name + ".sha256sum", digest + "  " + name + "\n");
  }

  ProcessResult rockart(std::vector<std::string> args) {
    for (const std::string flag : {"--cache-dir", "--endpoint-url"}) {
      args.push_back(flag);
      args.push_back(flag == "--cache-dir" ? (m_dir->path() / "cache").string() : s_moto->url());
    }
    if (args[1] == "run") { // `run -- CMD` must stay last
      std::rotate(args.begin() + 2, args.end() - 4, args.end());
    }
    RunOptions options;
    options.cwd = m_dir->path();
    options.env = {{"GITHUB_API_URL", m_github->url()},
                   {"HOME", m_dir->path().string()},
                   {"PATH", "/usr/bin:/bin"},
                   {"AWS_ACCESS_KEY_ID", "testing"},
                   {"AWS_SECRET_ACCESS_KEY", "testing"},
                   {"AWS_REGION", "us-east-2"}};
    return run_rockart(args, options);
  }

  void start_session() {
    const auto r = rockart({"bisect",
                            "start",
                            "--repo",
                            "ROCm/rocm-systems",
                            "--good",
                            m_scenario["good"],
                            "--bad",
                            m_scenario["bad"],
                            "--artifact-group",
                            "gfx94X-dcgpu"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Archives downloaded so far: one blob per commit's archive in the cache.
  std::size_t downloaded_commits() const {
    std::size_t count = 0;
    const auto blobs = m_dir->path() / "cache" / "blobs";
    if (fs::exists(blobs)) {
      for (const auto& entry : fs::recursive_directory_iterator(blobs)) {
        count += entry.is_regular_file() ? 1 : 0;
      }
    }
    return count;
  }

  nlohmann::json run_json(const std::string& check, const std::string& prefetch) {
    const auto r =
        rockart({"bisect", "run", "--json", "--prefetch", prefetch, "--", "sh", "-c", check});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{};
  }

  static inline std::unique_ptr<LocalServer> s_moto;
  static inline std::unique_ptr<http::CurlTransport> s_transport;
  static inline http::RealSleeper s_sleeper;
  static inline std::unique_ptr<s3::Client> s_client;
  std::unique_ptr<TempDir> m_dir;
  std::unique_ptr<LocalServer> m_github;
  nlohmann::json m_scenario;
};

const std::size_t k_log2 = 6; // ceil(log2 64)

TEST_F(BisectE2E, RunFindsTheSeededCulpritWithinTheDownloadBudget) {
  start_world();
  start_session();
  const auto report = run_json(k_check, "0");
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  const auto downloads = downloaded_commits();
  std::cout << "downloaded commits (--prefetch 0): " << downloads << "\n";
  EXPECT_LE(downloads, k_log2 + 2);
  EXPECT_EQ(downloads, report["tested"].size());
  const auto status = rockart({"bisect", "status"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find(m_scenario["culprit_sha"].get<std::string>()), std::string::npos);
}

TEST_F(BisectE2E, CulpritNextToAGapIsARangeAndGapsAreReported) {
  start_world({"--bisect-culprit", "36", "--bisect-no-run", "35"});
  start_session();
  const auto report = run_json(k_check, "0");
  ASSERT_EQ(report["status"], "range") << report.dump(2);
  ASSERT_EQ(report["range"].size(), 2u);
  EXPECT_EQ(report["range"][0]["sha"], m_scenario["commits"][35]["sha"]);
  EXPECT_EQ(report["range"][1]["sha"], m_scenario["commits"][36]["sha"]);
  bool gap_reported = false;
  for (const auto& skipped : report["skipped"]) {
    gap_reported |= skipped["sha"] == m_scenario["commits"][35]["sha"];
  }
  EXPECT_TRUE(gap_reported) << report.dump(2);
}

TEST_F(BisectE2E, PrefetchStaysWithinItsDownloadBudgetAndReportsTimes) {
  start_world();
  const std::string slow = std::string("sleep 1; ") + k_check;
  double seconds[2] = {0, 0};
  std::size_t downloads[2] = {0, 0};
  for (int prefetch = 0; prefetch < 2; ++prefetch) {
    m_dir = std::make_unique<TempDir>(); // fresh cache
    start_session();
    const auto started = std::chrono::steady_clock::now();
    const auto report = run_json(slow, prefetch == 0 ? "0" : "2");
    seconds[prefetch] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    downloads[prefetch] = downloaded_commits();
    ASSERT_EQ(report["status"], "culprit");
    EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  }
  std::cout << "bisect run: --prefetch 0 took " << seconds[0] << " s (" << downloads[0]
            << " commits downloaded), --prefetch 2 took " << seconds[1] << " s (" << downloads[1]
            << " commits downloaded)\n";
  EXPECT_LE(downloads[1], 2 * k_log2 + 2);
  // TODO(issue 8): with these tiny archives downloads cost nothing, so prefetch cannot win
  // yet; assert seconds[1] <= seconds[0] once the seeded archives are large enough.
}

TEST_F(BisectE2E, Exit125SkipsAndExitAbove127AbortsWithTheSessionIntact) {
  start_world();
  start_session();
  // The first candidate (index 31) is skipped, the next one aborts.
  const std::string first = m_scenario["commits"][31]["sha"];
  const auto script = "if [ \"$ROCKART_COMMIT\" = " + first + " ]; then exit 125; fi; exit 200";
  const auto aborted = rockart({"bisect", "run", "--prefetch", "0", "--", "sh", "-c", script});
  EXPECT_EQ(aborted.exit_code, 2) << aborted.err;
  EXPECT_NE(aborted.err.find("CMD exited with 200"), std::string::npos) << aborted.err;
  const auto log = rockart({"bisect", "log"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  const auto session = nlohmann::json::parse(log.out);
  ASSERT_EQ(session["log"].size(), 1u);
  EXPECT_EQ(session["log"][0]["verdict"], "skip");
  EXPECT_EQ(session["log"][0]["reason"], "CMD exited with 125");
  const auto before = downloaded_commits();
  // Resume with a working command: same culprit, nothing downloaded twice.
  const auto report = run_json(k_check, "0");
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  EXPECT_EQ(downloaded_commits(), before + report["tested"].size() - 1 - 1);
}

} // namespace
} // namespace rockart::test
