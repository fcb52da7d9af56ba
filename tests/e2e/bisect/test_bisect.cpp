// SPDX-License-Identifier: MIT
// `rockart bisect` end to end: fake_github.py --scenario bisect (64 commits,
// culprit 37, commits 5, 21, 22, 48 without runs) and moto seeded with one
// archive per run whose bin/verdict says good or bad to the test command.
#include "support/moto_config.hpp"
#include "support/support.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/http/curl_transport.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/client.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <iostream>
#include <thread>

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
      const s3::S3Config config = test::moto_s3_config(s_moto->url());
      s_transport = std::make_unique<http::CurlTransport>();
      s_client = std::make_unique<s3::Client>(config, *s_transport, s_sleeper);
      s_client->create_bucket(k_bucket);
      s_proxy = start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
    }
  }

  static void TearDownTestSuite() {
    s_client.reset();
    s_transport.reset();
    s_proxy.reset();
    s_moto.reset();
  }

  void SetUp() override {
    if (!s_moto->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start moto: " + s_moto->error());
    }
    if (!s_proxy->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start fault_proxy.py: " + s_proxy->error());
    }
    ASSERT_EQ(proxy("POST", "/__reset").exit_code, 0);
    m_dir = std::make_unique<TempDir>();
  }

  // A control request to the fault proxy in front of moto.
  static ProcessResult
  proxy(const std::string& method, const std::string& path, const std::string& body = "") {
    std::vector<std::string> argv = {"curl", "-sf", "-X", method, s_proxy->url() + path};
    if (!body.empty()) {
      argv.insert(argv.end(), {"-H", "Content-Type: application/json", "--data", body});
    }
    return run_process(argv);
  }

  // S3 GETs of each archive (not its .sha256sum) that went through the proxy.
  static std::map<std::string, int> archive_gets() {
    const auto r = proxy("GET", "/__stats");
    std::map<std::string, int> gets;
    const auto stats = nlohmann::json::parse(r.out); // outlives the loop below
    for (const auto& [key, count] : stats["requests"].items()) {
      if (key.rfind("GET ", 0) == 0 && key.find(".tar.zst") != std::string::npos
          && key.find(".sha256sum") == std::string::npos) {
        gets[key] = count.get<int>();
      }
    }
    return gets;
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
    m_archive_paths.push_back("/" + std::string(k_bucket) + "/" + prefix + name);
    s_client->put(k_bucket, prefix + name + ".sha256sum", digest + "  " + name + "\n");
  }

  // The binary's arguments with --cache-dir and --endpoint-url (the proxy) added.
  std::vector<std::string> with_common(std::vector<std::string> args) const {
    for (const std::string flag : {"--cache-dir", "--endpoint-url"}) {
      args.push_back(flag);
      args.push_back(flag == "--cache-dir" ? (m_dir->path() / "cache").string() : s_proxy->url());
    }
    if (args[1] == "run") { // `run -- CMD` must stay last
      std::rotate(args.begin() + 2, args.end() - 4, args.end());
    }
    return args;
  }

  std::map<std::string, std::string> environment() const {
    std::map<std::string, std::string> env = {{"GITHUB_API_URL", m_github->url()},
                                              {"HOME", m_dir->path().string()},
                                              {"PATH", "/usr/bin:/bin"},
                                              {"AWS_ACCESS_KEY_ID", "testing"},
                                              {"AWS_SECRET_ACCESS_KEY", "testing"},
                                              {"AWS_REGION", "us-east-2"}};
    env.insert(m_extra_env.begin(), m_extra_env.end());
    return env;
  }

  ProcessResult rockart(const std::vector<std::string>& args) {
    RunOptions options;
    options.cwd = m_dir->path();
    options.env = environment();
    return run_rockart(with_common(args), options);
  }

  // Starts the binary in the background (output to files in the temp dir).
  pid_t spawn_rockart(const std::vector<std::string>& args) {
    std::vector<std::string> argv = with_common(args);
    argv.insert(argv.begin(), ROCKART_BINARY);
    std::vector<std::string> env;
    for (const auto& [name, value] : environment()) {
      env.push_back(name + "=" + value);
    }
    std::vector<char*> argv_c;
    std::vector<char*> env_c;
    for (auto& a : argv) {
      argv_c.push_back(a.data());
    }
    for (auto& e : env) {
      env_c.push_back(e.data());
    }
    argv_c.push_back(nullptr);
    env_c.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto out = (m_dir->path() / "spawned.out").string();
    const auto err = (m_dir->path() / "spawned.err").string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv_c[0], &actions, nullptr, argv_c.data(), env_c.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
  }

  // Waits for `pid`; its exit code, or 128 + signal.
  static int wait_exit(pid_t pid) {
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
      return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // Files in `dir` (0 when it does not exist).
  static std::size_t count_files(const fs::path& dir) {
    std::size_t count = 0;
    if (fs::exists(dir)) {
      for (const auto& entry : fs::directory_iterator(dir)) {
        count += entry.is_regular_file() ? 1 : 0;
      }
    }
    return count;
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

  // Starts `bisect run` with a test command that marks its start and sleeps,
  // sends `signo` while the third test runs, then checks the session is intact
  // and that resuming finds the culprit without downloading any archive twice.
  void interrupt_and_resume(int signo, const std::string& prefetch, int expected_exit) {
    start_world();
    start_session();
    const auto marks = m_dir->path() / "marks";
    fs::create_directories(marks);
    const std::string script =
        "touch " + marks.string() + "/\"$ROCKART_COMMIT\"; sleep 2; " + k_check;
    const pid_t pid =
        spawn_rockart({"bisect", "run", "--prefetch", prefetch, "--", "sh", "-c", script});
    ASSERT_GT(pid, 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (count_files(marks) < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(count_files(marks), 3u) << read_file(m_dir->path() / "spawned.err");
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // CMD is sleeping now
    ::kill(pid, signo);
    EXPECT_EQ(wait_exit(pid), expected_exit) << read_file(m_dir->path() / "spawned.err");
    const auto log = rockart({"bisect", "log"});
    ASSERT_EQ(log.exit_code, 0) << log.err;
    const auto session = nlohmann::json::parse(log.out);
    ASSERT_EQ(session["log"].size(), 2u) << log.out; // the interrupted test is not recorded
    const auto report = run_json(k_check, prefetch);
    ASSERT_EQ(report["status"], "culprit") << report.dump(2);
    EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
    const auto gets = archive_gets();
    EXPECT_GE(gets.size(), report["tested"].size());
    for (const auto& [key, count] : gets) {
      EXPECT_EQ(count, 1) << key << " was downloaded " << count << " times";
    }
  }

  static inline std::unique_ptr<LocalServer> s_moto;
  static inline std::unique_ptr<LocalServer> s_proxy;
  static inline std::unique_ptr<http::CurlTransport> s_transport;
  static inline http::RealSleeper s_sleeper;
  static inline std::unique_ptr<s3::Client> s_client;
  std::unique_ptr<TempDir> m_dir;
  std::unique_ptr<LocalServer> m_github;
  nlohmann::json m_scenario;
  std::map<std::string, std::string> m_extra_env;
  std::vector<std::string> m_archive_paths; // "/bucket/key" of every seeded archive
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
    // Each archive GET takes 0.7 s (like a large download), its .sha256sum stays fast.
    nlohmann::json faults = nlohmann::json::object();
    for (const auto& archive : m_archive_paths) {
      faults["GET " + archive] = {"delay@700"};
    }
    ASSERT_EQ(proxy("POST", "/__reset").exit_code, 0);
    ASSERT_EQ(proxy("POST", "/__faults", faults.dump()).exit_code, 0);
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
  EXPECT_LT(seconds[1], seconds[0]);
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

TEST_F(BisectE2E, SigintMidRunExits130AndResumesWithoutRepeatedDownloads) {
  interrupt_and_resume(SIGINT, "2", 130);
}

TEST_F(BisectE2E, KillNineMidRunLeavesAResumableSession) {
  interrupt_and_resume(SIGKILL, "0", 128 + SIGKILL);
}

TEST_F(BisectE2E, ReproduceCommandFetchesTheCulpritsTreeAndRunsCmd) {
  start_world();
  start_session();
  const auto report = run_json(k_check, "0");
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  std::string command = report["reproduce"];
  ASSERT_EQ(command.rfind("rockart fetch --commit ", 0), 0u) << command;
  command.replace(0, std::string("rockart").size(), ROCKART_BINARY);
  RunOptions options;
  options.cwd = m_dir->path();
  options.env = environment();
  options.env["AWS_ENDPOINT_URL"] = s_proxy->url();
  const auto r = run_process({"sh", "-c", command + "; echo \"cmd=$?\""}, options);
  // fetch succeeded, then CMD ran in the culprit's tree and said bad (exit 1).
  EXPECT_NE(r.out.find("cmd=1\n"), std::string::npos) << r.out << r.err;
  const auto tree = m_dir->path() / "rockart-culprit";
  EXPECT_EQ(read_file(tree / "bin" / "verdict"), "bad\n") << r.err;
  EXPECT_EQ(read_file(tree / "share" / "commit"),
            m_scenario["culprit_sha"].get<std::string>() + "\n");
}

TEST_F(BisectE2E, CiStrategyDispatchesThreeCandidatesPerRoundAndFindsTheCulprit) {
  start_world();
  start_session();
  const auto control = run_process({"curl",
                                    "-sf",
                                    "-X",
                                    "POST",
                                    m_github->url() + "/__control",
                                    "--data",
                                    R"({"dispatch": {"queue_seconds": 0.1, "run_seconds": 0.3}})"});
  ASSERT_EQ(control.exit_code, 0) << control.err;
  m_extra_env["GITHUB_TOKEN"] = "bisect-token";
  const auto r = rockart({"bisect",
                          "run",
                          "--strategy",
                          "ci",
                          "--dispatch-workflow",
                          "therock-ci.yml",
                          "--ref",
                          "bisect/rocm-systems-{sha}",
                          "--parallel",
                          "3",
                          "--poll-interval",
                          "0.1",
                          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  // Rounds: maximal runs of consecutive dispatch POSTs between status polls.
  const auto stats =
      nlohmann::json::parse(run_process({"curl", "-sf", m_github->url() + "/__stats"}).out);
  std::size_t rounds = 0;
  std::size_t batch = 0;
  std::size_t largest = 0;
  bool in_batch = false;
  for (const auto& request : stats["requests"]) {
    const bool post = request["method"] == "POST";
    if (post) {
      EXPECT_EQ(request["status"], 200) << request.dump();
      batch = in_batch ? batch + 1 : 1;
      rounds += in_batch ? 0 : 1;
      largest = std::max(largest, batch);
    }
    in_batch = post;
  }
  std::cout << "CI strategy: " << stats["dispatches"].size() << " dispatches in " << rounds
            << " rounds\n";
  EXPECT_LE(rounds, 4u); // ceil(log_4 64) + 1
  EXPECT_EQ(largest, 3u);
  std::map<std::string, bool> bad;
  for (const auto& commit : m_scenario["commits"]) {
    bad[commit["sha"]] = commit["bad"];
  }
  for (const auto& dispatch : stats["dispatches"]) {
    const std::string ref = dispatch["ref"];
    EXPECT_EQ(ref, "bisect/rocm-systems-" + dispatch["candidate_sha"].get<std::string>());
    EXPECT_EQ(dispatch["conclusion"], bad[dispatch["candidate_sha"]] ? "failure" : "success");
  }
  EXPECT_EQ(report["tested"].size(), stats["dispatches"].size());
}

TEST_F(BisectE2E, CiStrategyWithoutATokenSaysWhatToSet) {
  start_world();
  start_session();
  const auto r = rockart({"bisect",
                          "run",
                          "--strategy",
                          "ci",
                          "--dispatch-workflow",
                          "therock-ci.yml",
                          "--ref",
                          "bisect/x-{sha}"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--strategy ci dispatches workflows, which needs a GitHub token"),
            std::string::npos)
      << r.err;
}

} // namespace
} // namespace rockart::test

namespace rockart::test {
namespace {

// No --good: bisect run looks back from the bad commit 1, 2, 4 … commits for
// one that passes, then bisects between it and the bad one.
TEST_F(BisectE2E, WithoutAGoodCommitItLooksBackThenFindsTheCulprit) {
  start_world();
  const auto start = rockart({"bisect",
                              "start",
                              "--repo",
                              "ROCm/rocm-systems",
                              "--bad",
                              m_scenario["bad"],
                              "--max-lookback",
                              "40",
                              "--artifact-group",
                              "gfx94X-dcgpu"});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_NE(start.err.find("looks back from"), std::string::npos) << start.err;
  const auto waiting = rockart({"bisect", "report", "--json"});
  ASSERT_EQ(waiting.exit_code, 0) << waiting.err;
  EXPECT_EQ(nlohmann::json::parse(waiting.out)["status"], "looking-back") << waiting.out;
  const auto report = run_json(k_check, "0");
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  // Commits 62, 61, 59, 55, 47 fail and 31 passes: the good bound.
  EXPECT_EQ(report["good"], m_scenario["commits"][31]["sha"]) << report.dump(2);
  EXPECT_NE(report.value("good_reason", "").find("looking back"), std::string::npos);
  EXPECT_LE(downloaded_commits(), 6 + 5 + 2); // the look-back, then log2(32) + 2
}

// Dates as bounds: the newest commit of the branch on or before each.
TEST_F(BisectE2E, DatesAreTheBranchsLastCommitsOfThoseDays) {
  start_world();
  const auto start = rockart({"bisect",
                              "start",
                              "--repo",
                              "ROCm/rocm-systems",
                              "--good-date",
                              "2026-02-02", // commit 15 at 23:00
                              "--bad-date",
                              "2026-02-04T23:30:00Z", // commit 63 at 23:00
                              "--artifact-group",
                              "gfx94X-dcgpu"});
  ASSERT_EQ(start.exit_code, 0) << start.err;
  const std::string good = m_scenario["commits"][15]["sha"];
  EXPECT_NE(start.err.find("2026-02-02 is " + good.substr(0, 12)), std::string::npos) << start.err;
  const auto report = run_json(k_check, "0");
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["good"], good);
  EXPECT_EQ(report["bad"], m_scenario["bad"]);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  const auto bad_date = rockart({"bisect",
                                 "start",
                                 "--repo",
                                 "ROCm/rocm-systems",
                                 "--good-date",
                                 "last tuesday",
                                 "--bad",
                                 m_scenario["bad"],
                                 "--artifact-group",
                                 "gfx94X-dcgpu"});
  EXPECT_EQ(bad_date.exit_code, 2);
  EXPECT_NE(bad_date.err.find("is not a date"), std::string::npos) << bad_date.err;
}

} // namespace
} // namespace rockart::test
