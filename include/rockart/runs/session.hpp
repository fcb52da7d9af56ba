// SPDX-License-Identifier: MIT
// Everything a command opens to ask about runs: the GitHub session, the S3
// session and the run catalog over them and the cache.
//
//   runs::Session session(env, run_command, {.s3 = flags, .offline = offline}, cache);
//   const runs::Run run = session.resolve({.repo = "ROCm/TheRock", .platform = "linux",
//                                          .run_id = 123});
//   for (const auto& file : session.catalog().files(run)) { ... }
#pragma once

#include <rockart/cache/cache.hpp>
#include <rockart/github/command.hpp>
#include <rockart/github/run_source.hpp>
#include <rockart/github/session.hpp>
#include <rockart/layout/ci_environment.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/runs/objects.hpp>
#include <rockart/s3/session.hpp>
#include <rockart/util/env.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rockart::runs {

struct SessionOptions {
  s3::SessionFlags s3;
  s3::ClientOptions s3_client;
  bool offline = false;            // nothing leaves the machine: the cache alone
  bool wait_on_rate_limit = false; // GitHub: sleep until a rate limit resets
};

// A question a command asks about one run: "run N of R", or "the run of R that
// built commit C and holds group G's archives" (what find would pick).
struct RunQuestion {
  std::string repo;                    // owner/name
  std::string platform;                // linux | windows
  std::optional<std::uint64_t> run_id; // set: this run; else the run of `commit`
  std::string commit;                  // a SHA, an unambiguous prefix or a ref
  std::optional<std::string> group;    // required with `commit`
  std::vector<std::string> targets;    // extra targets of `group`
  std::string workflow; // with `commit`: this workflow; "" = the repository's defaults
  // Bucket, release type and fork overrides; `repository` defaults to `repo`.
  layout::BucketOverrides overrides;
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

  // The run that answers `question`. Throws UsageError for a commit question
  // without a group, NotFoundError when no run of the commit holds the group's
  // archives, and the catalog's errors otherwise.
  Run resolve(const RunQuestion& question);

  // Bucket-selection inputs for the runs of `overrides.repository`: the
  // overrides plus the release type of the environment. Fork detection is
  // left to each run's own facts (a placeholder run is set).
  layout::BucketInputs bucket_inputs(layout::BucketOverrides overrides) const;

  std::uint64_t github_requests() const { return m_github.requests(); }

  std::uint64_t s3_requests() const { return m_s3.requests(); }

private:
  Run resolve_by_commit(const RunQuestion& question, layout::BucketInputs inputs);

  util::EnvLookup m_env;
  github::CommandRunner m_run;
  github::Session m_github;
  s3::Session m_s3;
  S3RunObjects m_objects;
  github::ApiRunSource m_api;
  RunCatalog m_catalog;
};

} // namespace rockart::runs
