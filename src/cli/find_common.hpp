// SPDX-License-Identifier: MIT
// Shared plumbing of `rockart find` and `rockart latest`: their common flags,
// the GitHub client (GITHUB_API_URL, token, one unauthenticated warning), the
// S3 lister, the run store in the persistent cache (issue 6), output and --stats.
#pragma once

#include "cache_options.hpp"
#include "cli.hpp"
#include "run_store.hpp"
#include "s3_options.hpp"

#include <rockart/github/client.hpp>
#include <rockart/github/report.hpp>
#include <rockart/github/search.hpp>
#include <rockart/http/curl_transport.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rockart::cli {

// Flags shared by find and latest (behaviours.md §1.1, §2.1).
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
  S3Options s3;
  // Issue 6: completed runs, commit answers and listings from the cache.
  // Off unless set (add_find_flags and bisect set it).
  bool run_store = false;
  bool offline = false; // answer from the cache alone
  CacheOptions cache;
};

// Adds the shared flags to `command` (cache options and --offline included)
// and turns the run store on.
void add_find_flags(CLI::App& command, FindFlags& flags);

// The GitHub client, the S3 session and the search over both, for one command.
class FindSession {
public:
  // Validates `flags` (platform default = host) and builds the clients. With
  // `flags.run_store`, uses `shared_cache` when given (it must outlive the
  // session), else opens the cache of `flags.cache` (none with --no-cache).
  // With `flags.offline` no GitHub or S3 request is ever sent: questions the
  // cache cannot answer fail naming what is missing.
  explicit FindSession(FindFlags flags, cache::Cache* shared_cache = nullptr);
  ~FindSession();

  github::ArtifactSearch& search() { return *m_search; }

  github::Client& github() { return *m_github; }

  const FindFlags& flags() const { return m_flags; }

  // Prints the results (stdout) and warnings (stderr); returns the exit code.
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
  struct CountingTransport;
  struct OfflineTransport;
  void open_run_store(cache::Cache* shared_cache);
  void make_github_client();

  FindFlags m_flags;
  std::optional<cache::Cache> m_own_cache;
  cache::Cache* m_cache = nullptr;
  std::unique_ptr<http::Transport> m_base;
  std::unique_ptr<CountingTransport> m_counting;
  http::RealSleeper m_sleeper;
  std::unique_ptr<github::Client> m_github;
  std::unique_ptr<github::ApiRunSource> m_api_runs;
  std::unique_ptr<IndexRunStore> m_store;
  std::unique_ptr<github::StoreFirstRunSource> m_runs;
  std::unique_ptr<S3Session> m_s3;
  std::unique_ptr<github::ArtifactSearch> m_search;
};

// `git` in the current directory, without a shell.
github::CommandResult run_git(const std::vector<std::string>& argv);

} // namespace rockart::cli
