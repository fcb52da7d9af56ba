// SPDX-License-Identifier: MIT
// Shared plumbing of `rockart find`, `rockart latest` and `rockart bisect`:
// their common flags, the session (GitHub, S3, cache, run catalog) and the
// find search over it, output and --stats.
#pragma once

#include "actions_output.hpp"
#include "cache_options.hpp"
#include "cli.hpp"
#include "s3_options.hpp"

#include <rockart/github/report.hpp>
#include <rockart/github/search.hpp>
#include <rockart/runs/session.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rockart::cli {

// Flags shared by find and latest.
struct FindFlags {
  std::string repo = "ROCm/TheRock";
  std::string workflow;
  std::string platform;
  std::vector<std::string> groups;
  std::vector<std::string> targets;
  std::vector<std::string> required;
  std::optional<std::string> bucket;
  std::optional<std::uint64_t> run_id;
  bool single_run = false;
  bool successful_run = false;
  bool json = false;
  bool stats = false;
  bool wait_on_rate_limit = false;
  bool offline = false;       // answer from the cache alone
  bool github_output = false; // --github-output (find and latest)
  S3Options s3;
  CacheOptions cache;
};

// Adds the shared flags to `command` (cache options, --offline and
// --github-output included).
void add_find_flags(CLI::App& command, FindFlags& flags);

// The runs session of one command and the find search over it.
class FindSession {
public:
  // Validates `flags` (platform default = host), opens the cache of
  // `flags.cache` (none with --no-cache) and the session. With
  // `flags.offline` no GitHub or S3 request is ever sent: questions the cache
  // cannot answer fail naming what is missing. report() also tells
  // `actions` (when given; it must outlive the session) what was found.
  explicit FindSession(FindFlags flags, ActionsReport* actions = nullptr);

  github::ArtifactSearch& search() { return m_search; }

  github::Client& github() { return m_session.github(); }

  runs::Session& session() { return m_session; }

  const FindFlags& flags() const { return m_flags; }

  // Prints the results (stdout) and warnings (stderr), and reports them to
  // GitHub Actions; returns the exit code.
  int report(const github::CommitSearch& found, const std::string& not_found_scope);

  // Prints "github requests: N, s3 requests: M" to stderr when --stats.
  void print_stats() const;

  // Runs `body` and returns its exit code; the --stats line is printed whether
  // `body` returns or throws (counts matter most when something failed).
  template <typename Body>
  int run_with_stats(Body&& body) {
    try {
      const int code = body();
      print_stats();
      return code;
    } catch (...) {
      print_stats();
      throw;
    }
  }

private:
  FindFlags m_flags;
  github::FindOptions m_options; // validated before anything is opened
  std::optional<cache::Cache> m_cache;
  runs::Session m_session;
  github::ArtifactSearch m_search;
  ActionsReport* m_actions = nullptr;
};

} // namespace rockart::cli
