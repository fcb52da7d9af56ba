// SPDX-License-Identifier: MIT
// Upload failure policy at the CLI (behaviours.md §6.1), through
// tests/fakes/fault_proxy.py in front of moto: transient 503s are retried and
// the command succeeds; a permanent 403 fails fast, exits non-zero and names
// the file; symlinks leading out of the source tree are warned about and
// never uploaded.
#include "upload_fixture.hpp"

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

class UploadFaultTest : public UploadCommandTest {
protected:
  // Two tarballs; returns the args of `upload tarballs` for them.
  std::vector<std::string> tarball_upload() {
    write_file(m_dir.path() / "in/therock-dist-linux-multiarch-7.12.0.tar.gz", test_bytes(4096, 1));
    write_file(m_dir.path() / "in/therock-dist-linux-gfx1151-7.12.0.tar.gz", test_bytes(4096, 2));
    return {"upload",
            "tarballs",
            "--input-tarballs-dir",
            "in",
            "--run-id",
            m_run,
            "--platform",
            "linux"};
  }

  // The proxy key of a PUT of `{run}-linux/{relative}` (any query string).
  std::string put_key(const std::string& relative) const {
    return "PUT /" + k_upload_bucket + "/" + m_run + "-linux/" + relative;
  }
};

TEST_F(UploadFaultTest, TransientFailuresAreRetriedThenTheUploadSucceeds) {
  const std::string relative = "tarballs/therock-dist-linux-multiarch-7.12.0.tar.gz";
  // Retry-After 0 keeps the test fast; the policy honours it as-is.
  const std::string slow_down = R"({"status": 503, "code": "SlowDown", "retry_after": 0})";
  faults("{\"" + put_key(relative) + "*\": [" + slow_down + ", 503]}");
  const auto result = rockart(tarball_upload(), 0, s_proxy->url());
  EXPECT_EQ(s3_keys(m_run),
            (std::set<std::string>{relative, "tarballs/therock-dist-linux-gfx1151-7.12.0.tar.gz"}));
  EXPECT_EQ(proxy_count(put_key(relative)), 3) << "two 503s, then the successful attempt";
  client().download(k_upload_bucket, m_run + "-linux/" + relative, m_dir.path() / "back.tar.gz");
  EXPECT_EQ(read_file(m_dir.path() / "back.tar.gz"), test_bytes(4096, 1));
  EXPECT_NE(result.err.find("HTTP 503"), std::string::npos) << result.err;
}

TEST_F(UploadFaultTest, PermanentAccessDeniedFailsFastAndNamesTheFile) {
  const std::string denied = "tarballs/therock-dist-linux-gfx1151-7.12.0.tar.gz";
  faults("{\"" + put_key(denied) + "*\": [403, 403, 403, 403]}");
  const auto result = run_rockart(
      [&] {
        auto args = tarball_upload();
        args.insert(args.end(), {"--endpoint-url", s_proxy->url()});
        return args;
      }(),
      env());
  EXPECT_NE(result.exit_code, 0) << result.err;
  EXPECT_EQ(proxy_count(put_key(denied)), 1) << "403 is not retried";
  EXPECT_NE(result.err.find("failed to upload 1/2 files"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("therock-dist-linux-gfx1151-7.12.0.tar.gz"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("AccessDenied"), std::string::npos) << result.err;
  // Every file is attempted: the other tarball did upload.
  EXPECT_EQ(s3_keys(m_run),
            (std::set<std::string>{"tarballs/therock-dist-linux-multiarch-7.12.0.tar.gz"}));
}

TEST_F(UploadFaultTest, SymlinksOutOfTheSourceTreeAreWarnedAndNotUploaded) {
  const fs::path b = m_dir.path() / "build";
  write_file(b / "logs/rocBLAS_build.log", "built");
  write_file(m_dir.path() / "outside/secret.log", "secret");
  write_file(m_dir.path() / "outside/dir/inner.log", "secret too");
  fs::create_symlink(m_dir.path() / "outside/secret.log", b / "logs/leak.log");
  fs::create_symlink(m_dir.path() / "outside/dir", b / "logs/leakdir");
  const std::vector<std::string> args{"upload",
                                      "stage-logs",
                                      "--stage",
                                      "comm-libs",
                                      "--build-dir",
                                      "build",
                                      "--run-id",
                                      m_run,
                                      "--platform",
                                      "linux"};
  const auto result = rockart(args);
  EXPECT_EQ(s3_keys(m_run), (std::set<std::string>{"logs/comm-libs/rocBLAS_build.log"}));
  EXPECT_NE(result.err.find(std::string("warn: skipping symlink build/logs/leak.log")),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find(std::string("warn: skipping symlink build/logs/leakdir")),
            std::string::npos)
      << result.err;
  auto local = args;
  local.insert(local.end(), {"--output-dir", "staging"});
  rockart(local);
  EXPECT_EQ(local_keys(m_dir.path() / "staging", m_run),
            (std::set<std::string>{"logs/comm-libs/rocBLAS_build.log"}));
}

} // namespace
} // namespace rockart::test
