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
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
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

  // The binary's full command line and its environment as NAME=value.
  struct Command {
    std::vector<std::string> argv;
    std::vector<std::string> env;
  };

  Command command_for(const std::vector<std::string>& args) const {
    Command command{with_common(args), {}};
    command.argv.insert(command.argv.begin(), ROCKART_BINARY);
    for (const auto& [name, value] : environment()) {
      command.env.push_back(name + "=" + value);
    }
    return command;
  }

  // Starts the binary in the background (output to files in the temp dir).
  pid_t spawn_rockart(const std::vector<std::string>& args) {
    Command command = command_for(args);
    const auto argv_c = c_strings(command.argv);
    const auto env_c = c_strings(command.env);
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

  // What an interactive `bisect run` did (run_with_prompt).
  struct PromptRun {
    int exit_code = -1;
    std::string err;
    std::vector<std::string> asked; // the SHA of every prompt, in order
  };

  // Runs the binary with `args`, a pipe on its stdin and one on its stderr,
  // and answers every "[g/b/s/q]? " prompt with `answer(sha, tree)` for the
  // commit the prompt shows; an empty answer closes stdin instead.
  PromptRun
  run_with_prompt(const std::vector<std::string>& args,
                  const std::function<std::string(const std::string&, const fs::path&)>& answer) {
    Command command = command_for(args);
    const auto argv_c = c_strings(command.argv);
    const auto env_c = c_strings(command.env);
    int in[2] = {-1, -1};
    int err[2] = {-1, -1};
    EXPECT_EQ(::pipe2(in, O_CLOEXEC), 0);
    EXPECT_EQ(::pipe2(err, O_CLOEXEC), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    const auto out = (m_dir->path() / "prompt.out").string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv_c[0], &actions, nullptr, argv_c.data(), env_c.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(err[1]);
    PromptRun result;
    if (rc != 0) {
      ::close(in[1]);
      ::close(err[0]);
      ADD_FAILURE() << "cannot start " << argv_c[0];
      return result;
    }
    int to_child = in[1];
    const std::string marker = "[g/b/s/q]? ";
    std::size_t answered_up_to = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
      pollfd fd{err[0], POLLIN, 0};
      if (std::chrono::steady_clock::now() > deadline) {
        ADD_FAILURE() << "the prompt run took too long:\n" << result.err;
        ::kill(pid, SIGKILL);
        break;
      }
      if (::poll(&fd, 1, 100) <= 0) {
        continue;
      }
      char buffer[4096];
      const ssize_t n = ::read(err[0], buffer, sizeof buffer);
      if (n <= 0) {
        break; // rockart is done
      }
      result.err.append(buffer, static_cast<std::size_t>(n));
      for (auto at = result.err.find(marker, answered_up_to); at != std::string::npos;
           at = result.err.find(marker, answered_up_to)) {
        answered_up_to = at + marker.size();
        const std::string head = "bisect: test commit ";
        const auto shown = result.err.rfind(head, at);
        const auto tree_at = result.err.find("  tree:    ", shown);
        if (shown == std::string::npos || tree_at == std::string::npos || tree_at > at) {
          ADD_FAILURE() << "a prompt without its commit and tree:\n" << result.err;
          break;
        }
        const std::string sha = result.err.substr(shown + head.size(), 40);
        const auto tree_start = tree_at + std::string("  tree:    ").size();
        const fs::path tree =
            result.err.substr(tree_start, result.err.find('\n', tree_start) - tree_start);
        result.asked.push_back(sha);
        const std::string reply = to_child >= 0 ? answer(sha, tree) : "";
        if (reply.empty()) {
          if (to_child >= 0) {
            ::close(to_child);
            to_child = -1;
          }
        } else {
          const std::string line = reply + "\n";
          EXPECT_EQ(::write(to_child, line.data(), line.size()), static_cast<ssize_t>(line.size()));
        }
      }
    }
    if (to_child >= 0) {
      ::close(to_child);
    }
    ::close(err[0]);
    result.exit_code = wait_exit(pid);
    return result;
  }

  // Whether commit `sha` of the scenario is bad.
  bool is_bad(const std::string& sha) const {
    for (const auto& commit : m_scenario["commits"]) {
      if (commit["sha"] == sha) {
        return commit["bad"].get<bool>();
      }
    }
    ADD_FAILURE() << sha << " is not a commit of the scenario";
    return false;
  }

  // The verdict records of the saved session (`bisect log`).
  nlohmann::json session_log() {
    const auto log = rockart({"bisect", "log"});
    EXPECT_EQ(log.exit_code, 0) << log.err;
    return log.exit_code == 0 ? nlohmann::json::parse(log.out) : nlohmann::json{};
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

TEST_F(BisectE2E, TimeoutOnHangingBadCommitsFindsTheCulpritAndLeavesNothingRunning) {
  start_world();
  start_session();
  const auto pids = m_dir->path() / "pids";
  // Bad commits hang, in a grandchild too.
  const std::string hang = std::string("if ") + k_check
                           + "; then exit 0; fi; sleep 1000 & echo $! >> " + pids.string()
                           + "; wait";
  const auto started = std::chrono::steady_clock::now();
  const auto r = rockart(
      {"bisect", "run", "--json", "--prefetch", "0", "--timeout", "1s", "--", "sh", "-c", hang});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  std::size_t timed_out = 0;
  for (const auto& tested : report["tested"]) {
    const bool bad = is_bad(tested["sha"]);
    EXPECT_EQ(tested["verdict"], bad ? "bad" : "good");
    if (bad) {
      EXPECT_EQ(tested["reason"], "CMD timed out after 1s (its process group was killed)");
      ++timed_out;
    }
  }
  EXPECT_GE(timed_out, 1u);
  std::cout << "--timeout 1s: " << timed_out << " hanging commits, " << seconds << " s\n";
  EXPECT_LT(seconds, 1.0 * static_cast<double>(timed_out) + 8.0);
  std::istringstream lines(read_file(pids));
  std::size_t grandchildren = 0;
  for (pid_t pid = 0; lines >> pid; ++grandchildren) {
    EXPECT_FALSE(process_running(pid)) << "grandchild " << pid << " survived the timeout";
  }
  EXPECT_EQ(grandchildren, timed_out);
  // The timeout is saved with the session.
  EXPECT_EQ(session_log()["rules"]["timeout_ms"], 1000);
}

TEST_F(BisectE2E, SegfaultOnBadCommitsIsBadUnlessCrashVerdictAborts) {
  start_world();
  start_session();
  const std::string crash =
      std::string("if ") + k_check + "; then exit 0; fi; ulimit -c 0; kill -SEGV $$";
  // --crash-verdict abort: the first crash stops the session, which stays resumable.
  const auto aborted = rockart(
      {"bisect", "run", "--prefetch", "0", "--crash-verdict", "abort", "--", "sh", "-c", crash});
  EXPECT_EQ(aborted.exit_code, 2) << aborted.err;
  EXPECT_NE(aborted.err.find("CMD was killed by signal 11 (SIGSEGV) (--crash-verdict abort)"),
            std::string::npos)
      << aborted.err;
  // Resumed with the default back: a crash is bad.
  const auto r = rockart({"bisect",
                          "run",
                          "--json",
                          "--prefetch",
                          "0",
                          "--crash-verdict",
                          "bad",
                          "--",
                          "sh",
                          "-c",
                          crash});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  bool crashed = false;
  for (const auto& tested : report["tested"]) {
    if (is_bad(tested["sha"])) {
      EXPECT_EQ(tested["verdict"], "bad");
      EXPECT_EQ(tested["reason"], "CMD was killed by signal 11 (SIGSEGV) (--crash-verdict bad)");
      crashed = true;
    }
  }
  EXPECT_TRUE(crashed);
}

TEST_F(BisectE2E, TimesThreeFindsTheCulpritOfATestThatFailsOneRunInThree) {
  start_world();
  start_session();
  const auto counters = m_dir->path() / "counters";
  fs::create_directories(counters);
  // Every third run of a bad commit fails; good commits always pass.
  const std::string flaky = "c=" + counters.string()
                            + "/$ROCKART_COMMIT; n=$(( $(cat $c 2>/dev/null || echo 0) + 1 )); "
                              "echo $n > $c; if ! "
                            + k_check + " && [ $((n % 3)) -eq 0 ]; then exit 1; fi; exit 0";
  const auto r = rockart(
      {"bisect", "run", "--json", "--prefetch", "0", "--times", "3", "--", "sh", "-c", flaky});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  for (const auto& tested : report["tested"]) {
    const std::string sha = tested["sha"];
    EXPECT_EQ(read_file(counters / sha), "3\n") << sha;
    const bool bad = is_bad(sha);
    EXPECT_EQ(tested["runs"]["total"], 3);
    EXPECT_EQ(tested["runs"]["passed"], bad ? 2 : 3);
    EXPECT_EQ(tested["verdict"], bad ? "bad" : "good");
  }
  const auto text = rockart({"bisect", "report"});
  EXPECT_NE(text.out.find("  bad  2/3 passed  run "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("  good  3/3 passed  run "), std::string::npos) << text.out;
  EXPECT_EQ(session_log()["rules"]["times"], 3);
}

TEST_F(BisectE2E, BadIfOnAnOutputLineFindsTheCulpritWhereTheExitStatusSaysGood) {
  start_world();
  start_session();
  const std::string check = std::string("if ") + k_check
                            + "; then echo 'check: all ok'; else echo 'check: result MISMATCH at "
                              "3' >&2; fi; exit 0";
  // An invalid regex is a usage error before anything runs.
  const auto invalid =
      rockart({"bisect", "run", "--bad-if", "MISMATCH (", "--", "sh", "-c", check});
  EXPECT_EQ(invalid.exit_code, 2) << invalid.err;
  EXPECT_NE(invalid.err.find("--bad-if 'MISMATCH (' is not a valid regular expression"),
            std::string::npos)
      << invalid.err;
  EXPECT_EQ(downloaded_commits(), 0u);
  EXPECT_TRUE(session_log()["log"].empty());
  const auto r = rockart({"bisect",
                          "run",
                          "--json",
                          "--prefetch",
                          "0",
                          "--bad-if",
                          "MISMATCH",
                          "--",
                          "sh",
                          "-c",
                          check});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  // CMD's output still reaches the user.
  EXPECT_NE(r.err.find("check: result MISMATCH at 3\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("check: all ok\n"), std::string::npos) << r.err;
  for (const auto& tested : report["tested"]) {
    if (is_bad(tested["sha"])) {
      EXPECT_EQ(tested["reason"],
                "output matched --bad-if 'MISMATCH': \"check: result MISMATCH at 3\" (CMD exited "
                "with 0)");
    }
  }
}

TEST_F(BisectE2E, PromptAnswersFindTheCulpritAndQuitThenResumeWorks) {
  start_world();
  start_session();
  std::size_t answers = 0;
  // Answers from the scenario, checking the tree shown is the commit's.
  const auto truthful = [this, &answers](const std::string& sha, const fs::path& tree) {
    ++answers;
    EXPECT_EQ(read_file(tree / "share" / "commit"), sha + "\n");
    EXPECT_EQ(read_file(tree / "bin" / "verdict"), is_bad(sha) ? "bad\n" : "good\n");
    return std::string(is_bad(sha) ? "b" : "g");
  };
  // First: a wrong answer is asked again, two answers, then q.
  bool asked_again = false;
  const auto first =
      run_with_prompt({"bisect", "run", "--prompt", "--prefetch", "0"},
                      [&](const std::string& sha, const fs::path& tree) -> std::string {
                        if (!asked_again) {
                          asked_again = true;
                          return "maybe";
                        }
                        return answers < 2 ? truthful(sha, tree) : "q";
                      });
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("please answer g (good), b (bad), s (skip) or q (quit)"),
            std::string::npos);
  EXPECT_NE(first.err.find("stopped at the prompt; the session is saved, resume with `rockart "
                           "bisect run`"),
            std::string::npos)
      << first.err;
  ASSERT_EQ(first.asked.size(), 4u); // the first commit twice
  EXPECT_EQ(first.asked[0], first.asked[1]);
  auto session = session_log();
  EXPECT_EQ(session["prompt"], true);
  ASSERT_EQ(session["log"].size(), 2u);
  EXPECT_EQ(session["log"][0]["sha"], first.asked[0]);
  EXPECT_EQ(session["log"][0]["reason"],
            is_bad(first.asked[0]) ? "answered bad at the prompt" : "answered good at the prompt");
  // Resumed without flags (the prompt is saved): one answer, then the end of input quits.
  const auto second =
      run_with_prompt({"bisect", "run", "--prefetch", "0"},
                      [&](const std::string& sha, const fs::path& tree) -> std::string {
                        return answers < 3 ? truthful(sha, tree) : "";
                      });
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.asked.front(), first.asked.back()); // the question quit at comes back
  EXPECT_EQ(session_log()["log"].size(), 3u);
  // And to the end.
  const auto last = run_with_prompt({"bisect", "run", "--json", "--prefetch", "0"}, truthful);
  EXPECT_EQ(last.exit_code, 0) << last.err;
  const auto report = nlohmann::json::parse(read_file(m_dir->path() / "prompt.out"));
  ASSERT_EQ(report["status"], "culprit") << report.dump(2);
  EXPECT_EQ(report["culprit"]["sha"], m_scenario["culprit_sha"]);
  EXPECT_EQ(report["tested"].size(), answers);
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
