// SPDX-License-Identifier: MIT
// Shared by the `rockart fetch` end-to-end tests: moto with a fault proxy in
// front, generated archive sets (rockart-gen-artifacts), seeding a run into a
// bucket, reference trees made with `tar -x`, and a file-by-file comparison.
#pragma once

#include <rockart/http/curl_transport.hpp>
#include <rockart/s3/client.hpp>

#include <support/support.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace rockart::test {

namespace fs = std::filesystem;

// Runs the built rockart-gen-artifacts with `args`; fails the test on error.
void generate(const std::vector<std::string>& args);

// Every regular file directly in `dir` (archives and companions), sorted.
std::vector<fs::path> files_in(const fs::path& dir);

// Differences between two trees (type, bytes, symlink target, exec bits), one
// line each; empty when identical.
std::vector<std::string> tree_differences(const fs::path& expected, const fs::path& actual);

// `tar -xf` of each archive into `{out}/{exploded name}` (extract mode reference).
void reference_extract(const std::vector<fs::path>& archives, const fs::path& out);

// `tar -xf` of each archive, then its manifest relpaths' content copied into `out` in order
// (flatten mode reference, artifacts.md §7.4).
void reference_flatten(const std::vector<fs::path>& archives, const fs::path& out);

// Archives (.tar.zst/.tar.xz) among `files`.
std::vector<fs::path> archives_of(const std::vector<fs::path>& files);

class FetchE2E : public ::testing::Test {
public:
  // `{suite data}/{set}`: the generated sets zst/, xz/ and hostile/.
  static fs::path data_dir(const std::string& set);

protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  // Uploads every file of `files` to `{bucket}/{run_id}-linux/`.
  void seed(const std::vector<fs::path>& files, const std::string& run_id = "100");

  // Uploads `body` as `{bucket}/{run_id}-linux/{name}`.
  void put(const std::string& name, const std::string& body, const std::string& run_id = "100");

  // Runs `rockart fetch --run-id {run_id} --bucket {bucket} --endpoint-url ... args...`.
  ProcessResult fetch(const std::vector<std::string>& args,
                      const std::string& run_id = "100",
                      bool through_proxy = false);

  // `{command} --run-id {run_id} --bucket {bucket} --endpoint-url ... args...`.
  std::vector<std::string> command_line(const std::string& command,
                                        const std::vector<std::string>& args,
                                        const std::string& run_id = "100",
                                        bool through_proxy = false) const;

  // The same for another command that reads a run (`install`).
  ProcessResult run_command(const std::string& command,
                            const std::vector<std::string>& args,
                            const std::string& run_id = "100",
                            bool through_proxy = false);

  // The environment rockart runs with: moto's credentials and a cache in m_work.
  RunOptions rockart_env() const;

  // rockart_env() with GITHUB_API_URL pointing at `github` (a fake_github.py).
  RunOptions with_github(const LocalServer& github) const;

  // Copies every file of `dir` to s3://therock-ci-artifacts/{prefix}/ (the
  // bucket a ROCm/TheRock run found through GitHub reads from), creating it.
  void seed_ci_run(const fs::path& dir, const std::string& prefix, const RunOptions& env);

  // POSTs `json` to the fault proxy's /__faults.
  void faults(const std::string& json);

  // Requests the proxy saw for `key` ("GET /bucket/key").
  long proxy_count(const std::string& key);

  // A control request to one of the fakes in tests/fakes (fault or link proxy):
  // GET for /__stats, else POST of `body`.
  http::Response control(LocalServer& server, const std::string& path, std::string body);

  std::string m_bucket;
  std::string m_endpoint;    // fetch() through this endpoint instead (e.g. a link emulator)
  bool m_sample_rss = false; // fetch() reports the peak RSS (ProcessResult::peak_rss_kib)
  TempDir m_work;

  static std::unique_ptr<LocalServer> s_moto;
  static std::unique_ptr<LocalServer> s_proxy;
  static std::unique_ptr<TempDir> s_data; // zst/, xz/, hostile/
  static int s_counter;

private:
  http::CurlTransport m_transport;
  http::RealSleeper m_sleeper;
  std::unique_ptr<s3::Client> m_client;
};

} // namespace rockart::test
