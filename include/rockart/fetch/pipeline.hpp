// SPDX-License-Identifier: MIT
// The fetch pipeline (issue 5 items 3-5): download, verify against the
// `.sha256sum` companion, and extract or flatten, streaming. Each archive is
// extracted while it arrives, into a staging directory inside the output
// directory that becomes visible only after its digest checked out.
#pragma once

#include <rockart/cache/cache.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/client.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rockart::fetch {

// behaviours.md §3.1 post-processing modes (artifacts.md §7.3, §7.4, §7.6).
enum class Mode { no_extract, extract, flatten };

// Where the archives live: bucket plus the run prefix ending in '/'.
struct RunStore {
  std::string bucket;
  std::string prefix; // e.g. "ROCm-TheRock/123-linux/"
};

struct FetchOptions {
  Mode mode = Mode::extract;
  std::filesystem::path output_dir; // D; created when missing
  int download_concurrency = 10;    // GETs in flight, all archives together
  int extract_concurrency = 0;      // archives in flight; 0 = CPUs + 1
  bool delete_after_extract = true; // false: keep {D}/{archive} next to its extraction
  bool allow_unverified = false;    // missing companion: warning instead of error
  // Persistent blob store (issue 6): verified archives are read from it with no
  // GET, and downloads are stored in it. nullptr = no cache. Not owned.
  cache::Cache* cache = nullptr;
  // No GET at all: companions and archives only from `cache`; anything missing
  // fails its archive with NotFoundError ("offline: ...").
  bool offline = false;
  // Companion file name -> S3 etag, for a run that completed: its companions'
  // digests are then served from / recorded in `cache` (issue 6).
  std::map<std::string, std::string> final_etags;
  // Archives up to this size are fetched with one streamed GET; larger ones as
  // parallel byte ranges of `chunk_bytes`, `window_chunks` at a time (memory
  // per archive <= (window_chunks - 1) x chunk_bytes + pipe_bytes).
  std::uint64_t single_get_bytes = 32ull << 20;
  std::uint64_t chunk_bytes = 8ull << 20;
  int window_chunks = 4;
  std::size_t pipe_bytes = 4u << 20; // download -> extraction buffer per archive
  // Whole-archive attempts after a digest mismatch or a network failure that
  // outlived the client's own retries (behaviours.md §3.2 step 7: 3, 2 s then 4 s).
  http::RetryOptions archive_retry{
      .max_attempts = 3, .base_delay = std::chrono::milliseconds(2000), .jitter = 0.0};
};

// What happened to one archive.
struct ArchiveOutcome {
  std::string name;
  bool ok = false;
  bool cached = false;     // an existing verified {D}/{name} was used
  bool from_cache = false; // served from the persistent blob store (no GET)
  bool verified = false;   // checked against its companion
  std::string sha256;      // digest of the bytes received (hex)
  std::uint64_t bytes = 0; // compressed bytes downloaded (0 when cached)
  std::uint64_t files = 0; // regular files extracted
  std::filesystem::path destination;
  std::string error_kind; // rockart::Error::kind() when !ok
  std::string error;      // message when !ok
  double seconds = 0;
};

struct FetchSummary {
  std::vector<ArchiveOutcome> archives; // in plan order
  std::uint64_t bytes = 0;              // downloaded, all archives
  double seconds = 0;

  // Archives that failed.
  std::size_t failures() const;
};

// Progress callbacks; called from worker threads (implementations lock).
class FetchObserver {
public:
  virtual ~FetchObserver() = default;
  // An archive's transfer begins (`attempt` 1-based).
  virtual void started(const PlannedArchive& archive, int attempt) = 0;
  // `bytes` more bytes of `archive` arrived (also counts bytes later retried).
  virtual void received(const PlannedArchive& archive, std::uint64_t bytes) = 0;
  // The archive is done, successfully or not.
  virtual void finished(const PlannedArchive& archive, const ArchiveOutcome& outcome) = 0;
};

// Fetches every archive of `archives` from `store` into options.output_dir
// per options.mode, largest first, and returns one outcome per archive (never
// throws for a failure of one archive: the others still complete). Throws
// LocalIoError when the output directory cannot be created. A digest mismatch
// fails the archive with "sha256 mismatch for <name>: expected X, got Y" and
// leaves nothing of it in D.
FetchSummary fetch_archives(s3::Client& client,
                            const RunStore& store,
                            const std::vector<PlannedArchive>& archives,
                            const FetchOptions& options,
                            FetchObserver* observer = nullptr);

} // namespace rockart::fetch
