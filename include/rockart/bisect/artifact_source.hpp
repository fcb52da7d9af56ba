// SPDX-License-Identifier: MIT
// The real resolver, materialiser and prefetcher of the bisect driver: find
// through GitHub + S3, archives downloaded once into the content-addressed
// cache (pinned for the session while reachable), and flattened per commit
// into {cache}/bisect/{owner}-{repo}/{sha}/{platform}/{group}/install/
// (behaviours.md §8.3, spec open question 20). Each commit directory also
// holds run.json, the run mapping (a "no run" answer is never written).
#pragma once

#include <rockart/bisect/driver.hpp>
#include <rockart/cache/cache.hpp>
#include <rockart/github/search.hpp>
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
  std::uint64_t cache_max_size = cache::k_default_max_size;
  std::string repo; // owner/repo of the bisected commits
  std::string platform;
  std::string group;
  std::vector<std::string> includes; // archive include regexes
  std::string pin_owner;             // cache pin owner, e.g. "bisect:ROCm-rocm-systems"
};

// {cache_dir}/bisect/{owner}-{repo}/{sha}/.
std::filesystem::path commit_dir(const SourceConfig& config, const std::string& sha);

// The flattened tree of `sha`: commit_dir/{platform}/{group}/install.
std::filesystem::path tree_dir(const SourceConfig& config, const std::string& sha);

class CacheArtifactSource final : public CommitResolver,
                                  public TreeMaterializer,
                                  public Prefetcher {
public:
  // `search` and `s3` must outlive the source; `s3` is used from the prefetch thread too.
  CacheArtifactSource(github::ArtifactSearch& search, s3::Client& s3, SourceConfig config);
  ~CacheArtifactSource() override; // stops the prefetch thread after its current download

  ResolvedCommit resolve(const SessionCommit& commit) override;
  MaterializedTree materialize(const SessionCommit& commit) override;
  void prefetch(const std::vector<SessionCommit>& commits) override;
  void retain(const std::vector<std::string>& reachable_shas) override;
  std::uint64_t take_bytes() override;

  // Drops every pin of the session's owner (bisect reset).
  void release_all();

private:
  std::uint64_t download(cache::Cache& cache, const std::string& sha);
  void worker();

  github::ArtifactSearch& m_search;
  s3::Client& m_s3;
  SourceConfig m_config;
  cache::Cache m_cache;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::string> m_queue;
  std::map<std::string, std::vector<std::string>> m_pins; // sha -> pinned digests
  std::atomic<std::uint64_t> m_background_bytes{0};
  bool m_stop = false;
  std::thread m_thread;
};

} // namespace rockart::bisect
