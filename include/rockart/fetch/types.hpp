// SPDX-License-Identifier: MIT
// The types shared by the fetch pipeline and its archive jobs: what to do with
// each archive, the knobs, and what happened.
#pragma once

#include <rockart/fetch/plan.hpp>
#include <rockart/http/retry.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

namespace rockart::fetch {

// What becomes of each verified archive.
enum class Mode {
  no_extract, // {D}/{archive}
  extract,    // {D}/{exploded name}/, one directory per archive
  flatten,    // every archive merged into D, later archives of the plan winning
  // Like flatten, but each member keeps its manifest path R (D/{R}/...); the
  // first archive naming R replaces D/{R} and leaves an empty marker
  // D/{R}.prebuilt that tells TheRock's build the stage directory is pre-built.
  bootstrap,
  cache_only, // only into the blob cache (bisect's prefetch); D is not touched
  // Each archive flattened into its own tree in the cache's tree store, keyed
  // by its digest (install places files from there); D is not touched. A tree
  // already stored is used as it is: no download, no extraction.
  store,
};

struct FetchOptions {
  Mode mode = Mode::extract;
  std::filesystem::path output_dir; // D; created when missing (not for cache_only)
  int download_concurrency = 16;    // GETs in flight (flows), all archives together
  // Adaptive flows: start at download_concurrency and add flows while the
  // total rate keeps rising, up to max_flows (a lossy link caps each flow, so
  // more flows is what fills it). false: download_concurrency is pinned.
  bool adaptive_flows = false;
  int max_flows = 64;
  int extract_concurrency = 0;      // archives extracted at once; 0 = CPUs + 1
  std::uint64_t max_bandwidth = 0;  // bytes/s of all downloads together; 0 = no cap
  bool delete_after_extract = true; // false: keep {D}/{archive} next to its extraction
  // Where archive files are kept and looked for (--no-extract, an archive not
  // deleted after extraction, one already there): "" means D.
  std::filesystem::path archive_dir;
  // Read archives and companions from this directory (a run's directory in a
  // local staging tree) instead of S3: same verification and extraction, no
  // blob cache (the files are local already).
  std::filesystem::path local_root;
  bool allow_unverified = false; // missing companion: warning instead of error
  // Archives up to this size are fetched with one streamed GET; larger ones as
  // parallel byte ranges of `chunk_bytes`, `window_chunks` at a time. Small
  // ranges, many at once: on a link that caps each flow, one large archive
  // still gets `window_chunks` flows, and no archive is left as one long GET
  // at the end (6 MiB in one GET is 6 s on a 1 MB/s flow). The ranges ahead of each stream's head
  // are held in memory, all streams together within `stream_buffer_bytes`.
  std::uint64_t single_get_bytes = 2ull << 20;
  std::uint64_t chunk_bytes = 2ull << 20;
  int window_chunks = 8;
  std::uint64_t stream_buffer_bytes = 48ull << 20;
  std::size_t pipe_bytes = 4u << 20; // download -> extraction buffer per archive
  // Memory for the buffers of archives downloaded ahead of extraction, all
  // together (each reserves min(size, window x chunk); small archives ~1 MiB).
  std::uint64_t ahead_buffer_bytes = 48ull << 20;
  // Whole-archive attempts after damaged bytes (a digest mismatch, a broken
  // stream): 3 attempts, 2-4 s then 4-8 s apart (TheRock's
  // fetch_artifacts.py waits 2 s then 4 s; the jitter keeps the parallel jobs
  // of a CI fleet from retrying in lockstep). Network and server failures are
  // retried by the S3 client alone, request by request, never here as well.
  http::RetryOptions archive_retry{.max_attempts = 3,
                                   .base_delay = std::chrono::milliseconds(4000),
                                   .max_delay = std::chrono::milliseconds(8000),
                                   .jitter = 0.5,
                                   .retry_integrity = true,
                                   .integrity_only = true};
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
  std::uint64_t size = 0;  // the archive's size: the bytes it provided, downloaded or not
  std::uint64_t files = 0; // regular files extracted
  std::filesystem::path destination;
  // Flatten: every file and symlink of the archive, relative to D, sorted.
  std::vector<std::string> paths;
  std::exception_ptr failure; // the error, with its class, when !ok
  std::string error_kind;     // rockart::Error::kind() when !ok
  std::string error;          // message when !ok
  double seconds = 0;
};

// True when `outcome` failed with an error of class E (its stored exception).
template <typename E>
bool failed_with(const ArchiveOutcome& outcome) {
  if (outcome.ok || !outcome.failure) {
    return false;
  }
  try {
    std::rethrow_exception(outcome.failure);
  } catch (const E&) {
    return true;
  } catch (...) {
    return false;
  }
}

// Where options keep the archive file `name`: archive_dir, else output_dir.
std::filesystem::path archive_file_path(const FetchOptions& options, const std::string& name);

struct FetchSummary {
  std::vector<ArchiveOutcome> archives; // in plan order
  std::uint64_t bytes = 0;              // downloaded, all archives
  double seconds = 0;

  // Archives that failed.
  std::size_t failures() const;

  // Bytes of the archives that landed without a download: already verified
  // in the destination, or served from the persistent cache.
  std::uint64_t reused_bytes() const;
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

  // Extracting: `archive` was downloaded ahead of the extractors and waits,
  // verified, on disk; started() follows when an extractor takes it.
  virtual void stored(const PlannedArchive& archive) { (void)archive; }
};

} // namespace rockart::fetch
