// SPDX-License-Identifier: MIT
// The real resolver, materialiser and prefetcher of the bisect driver. Runs
// come from find through the run catalog (a completed run's answer, listing
// and digests need no request), archives through the fetch pipeline into the
// blob cache (pinned for the session while reachable), and each commit's tree
// is flattened from the cache into
// {cache}/bisect/{owner}-{repo}/{sha}/{platform}/{group}/install/.
#pragma once

#include <rockart/bisect/driver.hpp>
#include <rockart/cache/cache.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/github/search.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/s3/client.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rockart::bisect {

struct SourceConfig {
  std::filesystem::path cache_dir; // the rockart cache directory
  std::string repo;                // owner/repo of the bisected commits
  std::string platform;
  std::string group;
  std::vector<std::string> targets;  // explicit targets; empty: the group's own
  bool expand_family = true;         // the group's targets' archives too (as fetch)
  std::vector<std::string> includes; // archive include regexes
  std::string pin_owner;             // cache pin owner, e.g. "bisect:ROCm-rocm-systems"
  fetch::FetchOptions fetch;         // concurrency and retries of the downloads
};

// {cache_dir}/bisect/{owner}-{repo}/{sha}/.
std::filesystem::path commit_dir(const SourceConfig& config, const std::string& sha);

// The flattened tree of `sha`: commit_dir/{platform}/{group}/install.
std::filesystem::path tree_dir(const SourceConfig& config, const std::string& sha);

class CacheArtifactSource final : public CommitResolver,
                                  public TreeMaterializer,
                                  public Prefetcher {
public:
  // Every reference must outlive the source; `catalog` must have a cache, and
  // `s3` and `catalog` are used from the prefetch thread too.
  CacheArtifactSource(github::ArtifactSearch& search,
                      runs::RunCatalog& catalog,
                      s3::Client& s3,
                      SourceConfig config);
  ~CacheArtifactSource() override; // stops the prefetch thread after its current download

  ResolvedCommit resolve(const SessionCommit& commit) override;
  MaterializedTree materialize(const SessionCommit& commit) override;
  void prefetch(const std::vector<SessionCommit>& commits) override;
  void retain(const std::vector<std::string>& reachable_shas) override;
  std::uint64_t take_bytes() override;

private:
  // A resolved commit: the run and the archives to fetch from it.
  struct Planned {
    runs::Run run;
    std::vector<fetch::PlannedArchive> archives;
  };

  std::optional<Planned> plan(const SessionCommit& commit, std::string& why_not);
  Planned planned(const SessionCommit& commit);
  std::uint64_t fetch_into(const std::string& sha,
                           const Planned& planned,
                           fetch::Mode mode,
                           const std::filesystem::path& output_dir);
  void worker();

  github::ArtifactSearch& m_search;
  runs::RunCatalog& m_catalog;
  s3::Client& m_s3;
  SourceConfig m_config;
  cache::Cache& m_cache;
  std::mutex m_search_mutex; // held while planning
  std::mutex m_mutex;        // the members below
  std::condition_variable m_wake;
  std::deque<std::string> m_queue;
  std::map<std::string, Planned> m_plans;                 // sha -> resolved run and archives
  std::map<std::string, std::vector<std::string>> m_pins; // sha -> pinned digests
  std::atomic<std::uint64_t> m_background_bytes{0};
  bool m_stop = false;
  std::thread m_thread;
};

} // namespace rockart::bisect
