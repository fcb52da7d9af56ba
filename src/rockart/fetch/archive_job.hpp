// SPDX-License-Identifier: MIT
// One archive's way through the pipeline: cached copy check, streamed download
// with digest, extraction into staging, publication, whole-archive retries.
#pragma once

#include "blob_cache.hpp"
#include "staging.hpp"
#include "task_pool.hpp"

#include <rockart/fetch/pipeline.hpp>
#include <rockart/http/retry.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace rockart::fetch::detail {

// Flatten merges verified staging directories into D strictly in plan order
// (whatever order archives finish in), so "last writer wins" (artifacts.md
// §7.4 step 4) is deterministic: the later name in the sorted plan wins.
class FlattenQueue {
public:
  FlattenQueue(const std::filesystem::path& output_dir, std::vector<ArchiveOutcome>& outcomes)
      : m_output_dir(output_dir), m_outcomes(outcomes) {}

  // Archive `index` is verified in `staging`; merges it and every ready successor now or
  // when its predecessors are done. A merge failure marks that archive's outcome failed.
  void submit(std::size_t index, std::shared_ptr<StagingDir> staging, std::string name);

  // Archive `index` failed: nothing to merge, successors may proceed.
  void skip(std::size_t index) { submit(index, nullptr, {}); }

private:
  struct Entry {
    std::shared_ptr<StagingDir> staging;
    std::string name;
  };

  std::filesystem::path m_output_dir;
  std::vector<ArchiveOutcome>& m_outcomes;
  std::mutex m_mutex;
  std::map<std::size_t, Entry> m_ready;
  std::size_t m_next = 0;
  bool m_merging = false;
};

// Everything the jobs of one fetch share.
struct JobContext {
  s3::Client& client;
  const RunStore& store;
  const FetchOptions& options;
  TaskPool& downloads;
  FetchObserver* observer;
  FlattenQueue* flatten; // flatten mode only
  http::Sleeper& sleeper;
  SharedCache* cache = nullptr; // options.cache, thread-safe
};

// Fetches and processes `archive` (plan position `index`); `expected` is the companion's digest
// (nullopt: unverified, already allowed by the caller). Throws rockart::Error
// after the last attempt; `outcome` is filled as far as it got.
void run_archive_job(JobContext& context,
                     std::size_t index,
                     const PlannedArchive& archive,
                     const std::optional<std::string>& expected,
                     ArchiveOutcome& outcome);

// "sha256 mismatch for <name>: expected <e> (from <name>.sha256sum), got <g>".
std::string
mismatch_message(const std::string& name, const std::string& expected, const std::string& got);

} // namespace rockart::fetch::detail
