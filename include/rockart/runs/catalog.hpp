// SPDX-License-Identifier: MIT
// The one way from a question ("run 123", "the run that built commit X") to a
// run, what it holds and each archive's expected digest, under one cache policy
// shared by fetch, find, latest, copy and bisect:
//
//   * completed runs, commit answers whose runs all completed, and the
//     listings of completed runs come from the cache with no request;
//   * runs still in progress (and their listings) are asked again every time;
//   * offline, everything comes from the cache (in-progress facts with a
//     warning that they may be stale) and what it lacks is a NotFoundError
//     naming it;
//   * without a cache nothing is read or written.
//
// A companion's digest is remembered by (bucket, key, ETag): an ETag names one
// content, so the digest stays right whatever the run's status.
#pragma once

#include <rockart/cache/cache.hpp>
#include <rockart/github/find.hpp>
#include <rockart/github/run_source.hpp>
#include <rockart/github/search.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/runs/objects.hpp>
#include <rockart/runs/run.hpp>
#include <rockart/runs/run_store.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rockart::runs {

// Where the catalog's facts come from. Every reference must outlive the catalog.
struct CatalogSources {
  github::RunSource& github;     // the API; never asked when offline
  RunObjects& objects;           // S3; never asked when offline
  cache::Cache* cache = nullptr; // nullptr: --no-cache
  bool offline = false;          // the cache alone
};

// "Run `id` of `repo`" (fetch --run-id).
struct RunQuery {
  std::string repo;
  std::uint64_t id = 0;
  std::string platform;
  // Repository, release type and any bucket override; the run's own facts
  // (head repository, updated_at) are filled in from GitHub's run object. With
  // a bucket override GitHub is not asked at all.
  layout::BucketInputs bucket_inputs;
};

class RunCatalog {
public:
  // Throws UsageError for offline without a cache.
  explicit RunCatalog(CatalogSources sources);
  ~RunCatalog();
  RunCatalog(const RunCatalog&) = delete;
  RunCatalog& operator=(const RunCatalog&) = delete;

  // The runs of commits and runs by id, through the cache policy (for find).
  github::RunSource& run_source() { return *m_runs; }

  // File names below a run root, through the cache policy (for find). A
  // vanished bucket is a NoSuchBucketError.
  github::ListRunFiles lister();

  // The find search of `repo` over this catalog; `client` (commit lookups,
  // branch listings) must outlive it.
  github::ArtifactSearch search(github::Client& client,
                                std::string repo,
                                std::string workflow,
                                github::FindOptions options);

  // Run `query.id`: its object from GitHub (completed: from the cache), its
  // bucket from the object's facts and the query's inputs (logged at info in
  // one line, the reasoning at debug). Errors of the lookup keep their class
  // and say which run and where to look.
  Run by_id(const RunQuery& query);

  // The objects directly below the run's root, through the cache policy.
  // Thread-safe; a root listed once is not listed again by this catalog.
  std::vector<RunFile> files(const Run& run);

  // The sha256 that `companion` (a `.sha256sum` file of `run`) states, read
  // from S3 unless the cache knows that companion's ETag. Thread-safe. Throws
  // IntegrityError for a companion that is not one, NotFoundError offline
  // when the digest is not cached.
  std::string companion_digest(const Run& run, const RunFile& companion);

  bool offline() const { return m_sources.offline; }

  cache::Cache* cache() const { return m_sources.cache; }

private:
  std::vector<RunFile>
  files_at(const std::string& bucket, const std::string& prefix, bool completed);

  CatalogSources m_sources;
  std::unique_ptr<IndexRunStore> m_store;
  std::unique_ptr<github::StoreFirstRunSource> m_store_first;
  github::RunSource* m_runs = nullptr;
  std::mutex m_mutex;
  std::map<std::string, std::vector<RunFile>> m_listed; // bucket '\n' prefix -> files
};

// The run of one find result, on `platform`.
Run run_of(const github::FindResult& result, std::string_view repo, std::string_view platform);

// The run `search` picks at commit `sha` for its first group (the newest
// qualifying run), its warnings logged. nullopt when there is none, with
// `why_not` saying why and each inspected run's rejection logged at info.
std::optional<Run>
run_for_commit(github::ArtifactSearch& search, const std::string& sha, std::string& why_not);

} // namespace rockart::runs
