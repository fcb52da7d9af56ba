// SPDX-License-Identifier: MIT
// Shared by the upload e2e tests: moto (and the fault proxy in front of it)
// for the suite, the rockart binary run with test credentials, and the key
// sets of a run prefix on S3 and in an --output-dir staging tree.
#pragma once

#include "integration/s3/s3_fixture.hpp"

#include <atomic>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace rockart::test {

inline const std::string k_upload_bucket = "therock-ci-artifacts"; // ROCm/TheRock, ci

class UploadCommandTest : public S3Servers {
protected:
  void SetUp() override {
    S3Servers::SetUp();
    client().create_bucket(k_upload_bucket);
    m_run = std::to_string(900000 + s_run_counter++);
  }

  // Test credentials, region and repository; no ambient AWS configuration.
  RunOptions env() const {
    RunOptions options;
    options.env = {{"AWS_ACCESS_KEY_ID", "testing"},
                   {"AWS_SECRET_ACCESS_KEY", "testing"},
                   {"AWS_REGION", "us-east-2"},
                   {"GITHUB_REPOSITORY", "ROCm/TheRock"},
                   {"AWS_CONFIG_FILE", "/nonexistent"},
                   {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"}};
    for (const auto& [name, value] : m_extra_env) {
      options.env[name] = value;
    }
    options.cwd = m_dir.path();
    return options;
  }

  // Runs rockart with `args` + --endpoint-url `endpoint` (moto when empty);
  // expects exit code `expected`.
  ProcessResult
  rockart(std::vector<std::string> args, int expected = 0, const std::string& endpoint = "") {
    args.insert(args.end(), {"--endpoint-url", endpoint.empty() ? s_moto->url() : endpoint});
    auto result = run_rockart(args, env());
    EXPECT_EQ(result.exit_code, expected) << result.err;
    return result;
  }

  // Keys under `{run}-linux/` of the CI bucket, relative to that prefix.
  std::set<std::string> s3_keys(const std::string& run) {
    std::set<std::string> out;
    const std::string prefix = run + "-linux/";
    for (const auto& object : client().list(k_upload_bucket, prefix)) {
      out.insert(object.key.substr(prefix.size()));
    }
    return out;
  }

  // Regular files under `{staging}/{run}-linux`, relative to it.
  static std::set<std::string> local_keys(const std::filesystem::path& staging,
                                          const std::string& run) {
    std::set<std::string> out;
    const std::filesystem::path root = staging / (run + "-linux");
    if (!std::filesystem::exists(root)) {
      return out;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      if (entry.is_regular_file()) {
        out.insert(entry.path().lexically_relative(root).generic_string());
      }
    }
    return out;
  }

  // Content-Type of `{run}-linux/{relative}` in the CI bucket ("" when absent).
  std::string content_type(const std::string& relative) {
    const auto info = client().head(k_upload_bucket, m_run + "-linux/" + relative);
    return info ? info->content_type : "";
  }

  // Number of objects in the whole CI bucket.
  std::size_t object_count() { return client().list(k_upload_bucket, "").size(); }

  // Runs `args` three ways and checks the run prefix key by key each time:
  // --dry-run leaves the bucket and the staging dir untouched, the S3 upload
  // produces exactly `keys`, and --output-dir produces the very same tree.
  void expect_uploads(const std::vector<std::string>& args, const std::set<std::string>& keys) {
    const std::size_t before = object_count();
    auto dry = args;
    dry.push_back("--dry-run");
    const auto dry_result = rockart(dry);
    EXPECT_EQ(object_count(), before) << "a dry run wrote to the bucket";
    EXPECT_NE(dry_result.err.find("[DRY RUN] "), std::string::npos) << dry_result.err;
    dry.insert(dry.end(), {"--output-dir", "staging-dry"});
    rockart(dry);
    EXPECT_FALSE(std::filesystem::exists(m_dir.path() / "staging-dry"));
    rockart(args);
    EXPECT_EQ(s3_keys(m_run), keys);
    auto local = args;
    local.insert(local.end(), {"--output-dir", "staging"});
    rockart(local);
    EXPECT_EQ(local_keys(m_dir.path() / "staging", m_run), keys);
  }

  std::string m_run;
  std::map<std::string, std::string> m_extra_env;
  static inline std::atomic<int> s_run_counter{0};
};

// UploadCommandTest plus the GitHub API fixture, counting the requests it answers.
class GithubUploadTest : public UploadCommandTest {
protected:
  void SetUp() override {
    UploadCommandTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) {
      return;
    }
    m_stats = m_dir.path() / "github_stats.json";
    m_github = start_fake("fake_github.py", {"--stats-file", m_stats.string()});
    if (!m_github->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + m_github->error());
    }
    m_extra_env["GITHUB_API_URL"] = m_github->url();
    m_extra_env["GITHUB_TOKEN"] = "ghp_test_token";
  }

  // The fixture's stats file (rewritten after each request; "" before any).
  std::string github_stats() const {
    return std::filesystem::exists(m_stats) ? read_file(m_stats) : "";
  }

  // GitHub requests answered so far.
  long github_requests() const {
    const std::string stats = github_stats();
    const auto at = stats.find("\"total\": ");
    return at == std::string::npos ? 0 : std::stol(stats.substr(at + 9));
  }

  std::filesystem::path m_stats;
  std::unique_ptr<LocalServer> m_github;
};

} // namespace rockart::test
