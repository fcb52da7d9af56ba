// SPDX-License-Identifier: MIT
#include "find_world.hpp"

#include "support/moto_config.hpp"

#include <rockart/http/retry.hpp>

namespace rockart::test {

void FindWorld::SetUpTestSuite() {
  s_moto = start_moto();
  if (!s_moto->ok()) {
    return;
  }
  const s3::S3Config config = test::moto_s3_config(s_moto->url());
  http::CurlTransport transport;
  http::RealSleeper sleeper;
  s3::Client client(config, transport, sleeper);
  // therock-artifacts-external is deliberately absent: a legacy bucket deleted by retention.
  for (const char* bucket :
       {"therock-ci-artifacts", "therock-ci-artifacts-external", "therock-artifacts"}) {
    client.create_bucket(bucket);
  }
  for (const auto& [bucket, key] : seeded_keys()) {
    client.put(bucket, key, "");
  }
  s_seeded = true;
}

void FindWorld::TearDownTestSuite() {
  s_moto.reset();
}

void FindWorld::SetUp() {
  if (!s_moto->ok() || !s_seeded) {
    ROCKART_SKIP_OR_FAIL("cannot start or seed moto: " + s_moto->error());
  }
  m_dir = std::make_unique<TempDir>();
  restart_github({});
}

void FindWorld::restart_github(const std::vector<std::string>& extra) {
  m_github.reset();
  std::vector<std::string> args = {
      "--scenario", "find", "--stats-file", (m_dir->path() / "stats.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  m_github = start_fake("fake_github.py", args);
  if (!m_github->ok()) {
    ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + m_github->error());
  }
}

ProcessResult FindWorld::rockart(std::vector<std::string> args,
                                 std::map<std::string, std::string> env) {
  args.push_back("--endpoint-url");
  args.push_back(s_moto->url());
  RunOptions options;
  options.cwd = m_dir->path();
  options.env = {{"GITHUB_API_URL", m_github->url()},
                 {"HOME", m_dir->path().string()},
                 {"PATH", "/usr/bin:/bin"},
                 {"AWS_ACCESS_KEY_ID", "testing"},
                 {"AWS_SECRET_ACCESS_KEY", "testing"},
                 {"AWS_REGION", "us-east-2"},
                 // Per test; HOME alone would not do: run_rockart also passes the real one.
                 {"ROCKART_CACHE_DIR", (m_dir->path() / "cache").string()}};
  for (auto& [name, value] : env) {
    options.env[name] = value;
  }
  return run_rockart(args, options);
}

nlohmann::json FindWorld::github_stats() const {
  const auto path = m_dir->path() / "stats.json";
  if (!std::filesystem::exists(path)) {
    return {{"total", 0}};
  }
  return nlohmann::json::parse(read_file(path));
}

} // namespace rockart::test
