// SPDX-License-Identifier: MIT
// Everything a command opens to ask about runs: the GitHub session, the S3
// session and the run catalog over them and the cache.
//
//   runs::Session session(env, run_command, {.s3 = flags, .offline = offline}, cache);
//   const runs::Run run = session.catalog().by_id({repo, id, "linux", inputs});
//   for (const auto& file : session.catalog().files(run)) { ... }
#pragma once

#include <rockart/cache/cache.hpp>
#include <rockart/github/command.hpp>
#include <rockart/github/run_source.hpp>
#include <rockart/github/session.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/runs/objects.hpp>
#include <rockart/s3/session.hpp>
#include <rockart/util/env.hpp>

#include <cstdint>

namespace rockart::runs {

struct SessionOptions {
  s3::SessionFlags s3;
  s3::ClientOptions s3_client;
  bool offline = false;            // nothing leaves the machine: the cache alone
  bool wait_on_rate_limit = false; // GitHub: sleep until a rate limit resets
};

class Session {
public:
  // `cache` (nullptr: none, --no-cache) must outlive the session. Throws
  // ConfigError for a bad S3 configuration, UsageError for offline without a cache.
  Session(const util::EnvLookup& env,
          const github::CommandRunner& run,
          const SessionOptions& options,
          cache::Cache* cache);

  github::Client& github() { return m_github.client(); }

  s3::Client& s3() { return m_s3.client(); }

  RunCatalog& catalog() { return m_catalog; }

  std::uint64_t github_requests() const { return m_github.requests(); }

  std::uint64_t s3_requests() const { return m_s3.requests(); }

private:
  github::Session m_github;
  s3::Session m_s3;
  S3RunObjects m_objects;
  github::ApiRunSource m_api;
  RunCatalog m_catalog;
};

} // namespace rockart::runs
