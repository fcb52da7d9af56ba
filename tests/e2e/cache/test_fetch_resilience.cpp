// SPDX-License-Identifier: MIT
// The cache under `rockart fetch` from the outside (issue 6): `fetch --commit
// --offline` after an online fetch makes zero GitHub and S3 requests with an
// identical tree; kill -9 during a real (throttled) download leaves no corrupt
// blob and a re-run completes; a byte flipped in a stored blob is reported by
// `cache verify` and, unreported, detected by the next fetch and re-fetched.
// World: moto behind fault_proxy.py, fake_github.py (scenario `find`), archives
// made with tar/zstd and seeded with `rockart s3 cp`.
#include "support/support.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

extern char** environ;

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_commit = "77f0cb2112d1d0aaae0de6088a6e4337f2488233"; // run 20083647898
constexpr const char* k_bucket = "therock-ci-artifacts";
constexpr const char* k_big = "rocblas_lib_gfx110X-all.tar.zst";

void run_ok(const std::vector<std::string>& argv, const RunOptions& options = {}) {
  const auto r = run_process(argv, options);
  ASSERT_EQ(r.exit_code, 0) << argv[0] << " " << (argv.size() > 1 ? argv[1] : "") << ": " << r.err;
}

// `{dir}/{name}` from a tree of `bytes` random bytes plus its .sha256sum companion.
void make_archive(const fs::path& dir, const std::string& name, int kib) {
  TempDir tree;
  const std::string root = (tree.path() / "content").string();
  run_ok({"mkdir", "-p", root + "/lib"});
  run_ok({"sh",
          "-c",
          "head -c " + std::to_string(kib) + "K /dev/urandom > " + root
              + "/lib/payload.bin && echo " + name + " > " + root + "/lib/README && echo lib > "
              + root + "/artifact_manifest.txt"});
  // artifacts.md: the manifest is the archive's first member.
  run_ok(
      {"tar", "--zstd", "-cf", (dir / name).string(), "-C", root, "artifact_manifest.txt", "lib"});
  run_ok(
      {"sh", "-c", "cd " + dir.string() + " && sha256sum " + name + " > " + name + ".sha256sum"});
}

class FetchResilience : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_moto = start_moto();
    if (!s_moto->ok()) {
      return;
    }
    s_proxy = start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
    s_data = std::make_unique<TempDir>();
    make_archive(s_data->path(), "base_lib_generic.tar.zst", 64);
    make_archive(s_data->path(), k_big, 6 * 1024);
    RunOptions env = s3_env();
    run_ok({ROCKART_BINARY,
            "s3",
            "mb",
            std::string("s3://") + k_bucket,
            "--endpoint-url",
            s_moto->url()},
           env);
    run_ok({ROCKART_BINARY,
            "s3",
            "cp",
            "--recursive",
            s_data->path().string(),
            std::string("s3://") + k_bucket + "/20083647898-linux/",
            "--endpoint-url",
            s_moto->url()},
           env);
  }

  static void TearDownTestSuite() {
    s_proxy.reset();
    s_moto.reset();
    s_data.reset();
  }

  static RunOptions s3_env() {
    RunOptions options;
    options.env = {{"AWS_ACCESS_KEY_ID", "testing"},
                   {"AWS_SECRET_ACCESS_KEY", "testing"},
                   {"AWS_REGION", "us-east-2"}};
    return options;
  }

  void SetUp() override {
    if (!s_moto->ok() || !s_proxy || !s_proxy->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start moto or fault_proxy.py");
    }
    m_github =
        start_fake("fake_github.py", {"--scenario", "find", "--stats-file", stats_path().string()});
    if (!m_github->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + m_github->error());
    }
    proxy("POST", "/__reset");
  }

  fs::path stats_path() const { return m_work.path() / "github-stats.json"; }

  fs::path cache_dir() const { return m_work.path() / "cache"; }

  long github_requests() const {
    return fs::exists(stats_path())
               ? nlohmann::json::parse(read_file(stats_path()))["total"].get<long>()
               : 0;
  }

  // A control request to the fault proxy (curl, so this test links no HTTP code).
  std::string proxy(const std::string& method, const std::string& path, std::string body = "") {
    std::vector<std::string> argv = {"curl", "-sf", "-X", method, s_proxy->url() + path};
    if (!body.empty()) {
      argv.insert(argv.end(), {"--data-binary", body});
    }
    const auto r = run_process(argv);
    EXPECT_EQ(r.exit_code, 0) << method << " " << path << ": " << r.err;
    return r.out;
  }

  long s3_requests() {
    return nlohmann::json::parse(proxy("GET", "/__stats"))["total"].get<long>();
  }

  std::vector<std::string> fetch_argv(const fs::path& out,
                                      std::vector<std::string> extra = {},
                                      const std::optional<fs::path>& cache = std::nullopt) {
    std::vector<std::string> argv = {"fetch",
                                     "--commit",
                                     k_commit,
                                     "--artifact-group",
                                     "gfx110X-all",
                                     "--run-github-repo",
                                     "ROCm/TheRock",
                                     "--platform",
                                     "linux",
                                     "--endpoint-url",
                                     s_proxy->url(),
                                     "--cache-dir",
                                     cache.value_or(cache_dir()).string(),
                                     "--output-dir",
                                     out.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  RunOptions fetch_env() const {
    RunOptions options = s3_env();
    options.env["GITHUB_API_URL"] = m_github->url();
    return options;
  }

  ProcessResult fetch(const fs::path& out, std::vector<std::string> extra = {}) {
    return run_rockart(fetch_argv(out, std::move(extra)), fetch_env());
  }

  ProcessResult cache_verify() {
    return run_rockart({"cache", "verify", "--json", "--cache-dir", cache_dir().string()});
  }

  // Every file below `dir` with its content, for tree comparison.
  static std::map<std::string, std::string> tree(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file()) {
        files[entry.path().lexically_relative(dir).string()] = read_file(entry.path());
      }
    }
    return files;
  }

  // The stored blob files (blobs/xx/<sha256>).
  std::vector<fs::path> blob_files() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(cache_dir() / "blobs")) {
      if (entry.is_regular_file()) {
        files.push_back(entry.path());
      }
    }
    return files;
  }

  static inline std::unique_ptr<LocalServer> s_moto;
  static inline std::unique_ptr<LocalServer> s_proxy;
  static inline std::unique_ptr<TempDir> s_data;
  TempDir m_work;
  std::unique_ptr<LocalServer> m_github;
};

TEST_F(FetchResilience, FetchCommitOfflineAfterAnOnlineFetchMakesNoRequests) {
  const auto online = fetch(m_work.path() / "online");
  ASSERT_EQ(online.exit_code, 0) << online.err;
  const long github = github_requests();
  EXPECT_GE(github, 2) << "runs of multi_arch_ci.yml (none), then ci.yml";
  proxy("POST", "/__reset");
  const auto offline = fetch(m_work.path() / "offline", {"--offline"});
  ASSERT_EQ(offline.exit_code, 0) << offline.err;
  EXPECT_EQ(github_requests(), github);
  EXPECT_EQ(s3_requests(), 0);
  EXPECT_EQ(tree(m_work.path() / "offline"), tree(m_work.path() / "online"));
  EXPECT_EQ(tree(m_work.path() / "online").count("rocblas_lib_gfx110X-all/lib/README"), 1u);
}

TEST_F(FetchResilience, FetchCommitOfflineWithAnEmptyCacheNamesTheCommit) {
  const auto r = fetch(m_work.path() / "out", {"--offline"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(std::string("offline: no cached runs of multi_arch_ci.yml, ci.yml for "
                                   "commit ")
                       + k_commit + " of ROCm/TheRock"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(github_requests(), 0);
  EXPECT_EQ(s3_requests(), 0);
}

// Starts rockart with `args` in the background (output to files in the work dir).
pid_t spawn_rockart(const std::vector<std::string>& args,
                    const RunOptions& options,
                    const fs::path& log) {
  std::vector<std::string> argv = {ROCKART_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
  for (const auto& [name, value] : options.env) {
    env.push_back(name + "=" + value);
  }
  std::vector<char*> argv_c, env_c;
  for (auto& a : argv) {
    argv_c.push_back(a.data());
  }
  argv_c.push_back(nullptr);
  for (auto& e : env) {
    env_c.push_back(e.data());
  }
  env_c.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv_c[0], &actions, nullptr, argv_c.data(), env_c.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Bytes in the cache's temp files (downloads in flight).
std::uintmax_t temp_bytes(const fs::path& cache) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(cache / "tmp", ec)) {
    total += entry.is_regular_file() ? entry.file_size() : 0;
  }
  return total;
}

TEST_F(FetchResilience, KillDuringADownloadThenRerunCompletesWithoutCorruptBlobs) {
  // Reference tree from an uninterrupted fetch with a cache of its own.
  const auto reference = run_rockart(
      fetch_argv(m_work.path() / "reference", {}, m_work.path() / "reference-cache"), fetch_env());
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  // Every GET of the big archive (ranged parts included) crawls at 256 KiB/s.
  const std::string key = std::string("GET /") + k_bucket + "/20083647898-linux/" + k_big;
  proxy("POST",
        "/__faults",
        nlohmann::json{{key, std::vector<std::string>(64, "slow@262144")}}.dump());
  const fs::path log = m_work.path() / "killed.err";
  const pid_t pid = spawn_rockart(fetch_argv(m_work.path() / "killed"), fetch_env(), log);
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (temp_bytes(cache_dir()) < 512 * 1024 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::uintmax_t in_flight = temp_bytes(cache_dir());
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "fetch finished before the kill: " << read_file(log);
  ASSERT_GE(in_flight, 512u * 1024) << "no download in flight: " << read_file(log);
  // The half-written download is no blob: verify finds nothing corrupt.
  const auto before = cache_verify();
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(nlohmann::json::parse(before.out)["corrupt"], nlohmann::json::array());
  proxy("POST", "/__reset");
  const auto rerun = fetch(m_work.path() / "rerun");
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  EXPECT_EQ(tree(m_work.path() / "rerun"), tree(m_work.path() / "reference"));
  const auto after = cache_verify();
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(nlohmann::json::parse(after.out)["checked"], 2);
  EXPECT_EQ(nlohmann::json::parse(after.out)["corrupt"], nlohmann::json::array());
}

// Flips one byte in the middle of `path` (same size: only a rehash notices).
void flip_a_byte(const fs::path& path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  const auto middle = static_cast<std::streamoff>(fs::file_size(path) / 2);
  file.seekg(middle);
  char byte = 0;
  file.read(&byte, 1);
  byte = static_cast<char>(byte ^ 0x5a);
  file.seekp(middle);
  file.write(&byte, 1);
}

fs::path biggest(const std::vector<fs::path>& files) {
  return *std::max_element(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return fs::file_size(a) < fs::file_size(b);
  });
}

TEST_F(FetchResilience, FlippedByteIsReportedByVerify) {
  ASSERT_EQ(fetch(m_work.path() / "first").exit_code, 0);
  const fs::path blob = biggest(blob_files());
  flip_a_byte(blob);
  const auto verify = cache_verify();
  EXPECT_EQ(verify.exit_code, 2) << verify.err;
  EXPECT_EQ(nlohmann::json::parse(verify.out)["corrupt"],
            nlohmann::json::array({blob.filename().string()}));
  EXPECT_FALSE(fs::exists(blob)) << "evicted";
  proxy("POST", "/__reset");
  const auto again = fetch(m_work.path() / "again");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(tree(m_work.path() / "again"), tree(m_work.path() / "first"));
  EXPECT_EQ(proxy("GET", "/__stats").find(k_big) != std::string::npos, true) << "re-fetched";
}

TEST_F(FetchResilience, FlippedByteIsDetectedByTheNextFetchAndRefetched) {
  ASSERT_EQ(fetch(m_work.path() / "first").exit_code, 0);
  const fs::path blob = biggest(blob_files());
  const std::string good = read_file(blob);
  flip_a_byte(blob);
  proxy("POST", "/__reset");
  const auto again = fetch(m_work.path() / "again");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("no longer matches its sha256; evicted, it will be fetched again"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(tree(m_work.path() / "again"), tree(m_work.path() / "first"));
  EXPECT_NE(proxy("GET", "/__stats").find(k_big), std::string::npos) << "re-fetched";
  ASSERT_TRUE(fs::exists(blob));
  EXPECT_EQ(read_file(blob), good) << "the store holds the good bytes again";
  EXPECT_EQ(cache_verify().exit_code, 0);
}

} // namespace
} // namespace rockart::test
