// SPDX-License-Identifier: MIT
// Scheduling, network first. One shared pool of `download_concurrency` threads
// runs every GET (the companions at low priority, the byte ranges of every
// archive in flight), so the number of flows is set by the network, not by the
// CPU count. `extract_concurrency` extractors take the largest archives first
// and stream them (download -> hash -> extract at once). Downloaders-ahead take
// the smallest ones and store them verified in the blob cache (a private spill
// cache with --no-cache); extractors take those from disk first. On a slow link
// every flow stays busy; on a fast one the link never waits for the CPU.
// Memory: a fixed budget for the ranges the streams hold ahead, one for the
// downloads ahead, and a pipe per extractor, whatever the sizes of the
// archives and the number of flows.
#include "archive_job.hpp"
#include "flow_policy.hpp"
#include "task_pool.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/scratch.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <numeric>
#include <stop_token>
#include <thread>

namespace rockart::fetch {

std::filesystem::path archive_file_path(const FetchOptions& options, const std::string& name) {
  return (options.archive_dir.empty() ? options.output_dir : options.archive_dir) / name;
}

std::size_t FetchSummary::failures() const {
  return static_cast<std::size_t>(std::count_if(
      archives.begin(), archives.end(), [](const ArchiveOutcome& a) { return !a.ok; }));
}

std::uint64_t FetchSummary::reused_bytes() const {
  std::uint64_t reused = 0;
  for (const auto& archive : archives) {
    if (archive.ok && (archive.cached || archive.from_cache)) {
      reused += archive.size;
    }
  }
  return reused;
}

namespace {

// Archives downloaded ahead of extraction wait here when there is no cache.
constexpr std::string_view k_spill_prefix = ".rockart-spill-";

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The expected digest of one archive, read from its companion on the pool.
using DigestFuture = std::shared_future<std::optional<std::string>>;

// The digest a companion in a local staging tree states.
std::string local_companion_digest(const std::filesystem::path& root, const runs::RunFile& file) {
  const auto path = root / file.name;
  try {
    return layout::parse_sha256sum(util::read_file_or_throw(path), file.name);
  } catch (const IntegrityError& e) {
    throw IntegrityError(std::string(e.what()) + " (" + path.string() + ")");
  }
}

DigestFuture prefetch_companion(detail::TaskPool& pool,
                                runs::RunCatalog& catalog,
                                const runs::Run& run,
                                const PlannedArchive& archive,
                                const std::filesystem::path& local_root) {
  auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
  DigestFuture future = promise->get_future().share();
  if (archive.known_sha256 || !archive.companion) {
    promise->set_value(archive.known_sha256); // known already, or unverified: no GET
    return future;
  }
  pool.submit(
      [&catalog, &run, companion = *archive.companion, promise, local_root] {
        try {
          promise->set_value(local_root.empty() ? catalog.companion_digest(run, companion)
                                                : local_companion_digest(local_root, companion));
        } catch (...) {
          promise->set_exception(std::current_exception());
        }
      },
      /*urgent=*/false);
  return future;
}

// The digest to check `archive` against, or nullopt when unverified is allowed.
std::optional<std::string> expected_digest(const runs::Run& run,
                                           const FetchOptions& options,
                                           const PlannedArchive& archive,
                                           const DigestFuture& companion) {
  if (archive.companion || archive.known_sha256) {
    return companion.get();
  }
  const std::string uri = (options.local_root.empty() ? run.uri() : options.local_root.string())
                          + "/" + layout::companion_name(archive.name);
  if (!options.allow_unverified) {
    throw IntegrityError("cannot verify " + archive.name + ": its companion " + uri
                             + " does not exist",
                         "pass --allow-unverified to fetch archives without a .sha256sum");
  }
  util::log_warn("fetching " + archive.name + " unverified: no companion " + uri);
  return std::nullopt;
}

void record_failure(ArchiveOutcome& outcome) {
  outcome.ok = false;
  outcome.failure = std::current_exception();
  try {
    throw;
  } catch (const Error& e) {
    outcome.error_kind = e.kind();
    outcome.error = e.what();
  } catch (const std::exception& e) {
    outcome.error_kind = "error";
    outcome.error = std::string("internal error: ") + e.what();
  }
}

// The outcome of an archive not started because the disk is full.
void not_started_disk_full(const PlannedArchive& archive, ArchiveOutcome& outcome) {
  outcome.name = archive.name;
  outcome.size = archive.size;
  try {
    throw DiskFullError("not started: the disk is full");
  } catch (const DiskFullError&) {
    record_failure(outcome);
  }
}

void process(detail::FetchContext& context,
             const runs::Run& run,
             std::size_t index,
             const PlannedArchive& archive,
             const DigestFuture& companion,
             ArchiveOutcome& outcome) {
  const auto start = Clock::now();
  outcome.name = archive.name;
  outcome.size = archive.size;
  try {
    auto expected = expected_digest(run, context.options, archive, companion);
    outcome.verified = expected.has_value();
    detail::ArchiveJob(context, index, archive, std::move(expected), outcome).run();
    outcome.ok = true;
  } catch (const std::exception&) {
    record_failure(outcome);
  }
  outcome.seconds = seconds_since(start);
  if (context.observer != nullptr) {
    context.observer->finished(archive, outcome);
  }
}

int default_extract_concurrency() {
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) + 1;
}

// The archives not started yet, largest first: extractors take from the
// front, downloaders-ahead from the back; what was downloaded ahead waits in
// `ready` for an extractor. Buffers of downloads ahead are bounded by `budget`.
class Schedule {
public:
  Schedule(std::deque<std::size_t> order, std::uint64_t budget)
      : m_pending(std::move(order)), m_budget(budget) {}

  struct Claim {
    std::size_t index;
    bool downloaded; // ready on disk
  };

  // The next archive for an extractor; nullopt when none is left. Waits while
  // only downloads ahead remain.
  std::optional<Claim> for_extractor() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_ready.empty() || !m_pending.empty() || m_ahead == 0; });
    std::optional<Claim> claim;
    if (!m_ready.empty()) {
      claim = Claim{m_ready.front(), true};
      m_ready.pop_front();
    } else if (!m_pending.empty()) {
      claim = Claim{m_pending.front(), false};
      m_pending.pop_front();
      m_changed.notify_all(); // a downloader waiting for this archive looks elsewhere
    }
    return claim;
  }

  // The next archive to download ahead (one `can_ahead` accepts, its buffer
  // cost reserved); nullopt when none is left.
  // `allowed()` says how many downloads ahead may run now (the flow control
  // moves it).
  template <typename CanAhead, typename Cost, typename Allowed>
  std::optional<std::size_t>
  for_downloader(const CanAhead& can_ahead, const Cost& cost, const Allowed& allowed) {
    std::unique_lock lock(m_mutex);
    for (;;) {
      auto it = std::find_if(m_pending.rbegin(), m_pending.rend(), can_ahead);
      if (it == m_pending.rend()) {
        return std::nullopt;
      }
      if (m_ahead >= allowed()) {
        m_changed.wait_for(lock, std::chrono::milliseconds(100));
        continue;
      }
      const std::uint64_t need = std::min(cost(*it), m_budget);
      if (m_reserved + need <= m_budget) {
        const std::size_t index = *it;
        m_pending.erase(std::next(it).base());
        m_reserved += need;
        ++m_ahead;
        return index;
      }
      m_changed.wait(lock); // a download ahead or an extractor makes room
    }
  }

  // A download ahead of `index` ended: stored for an extractor (`ready`; when
  // it failed the extractor fetches it again the usual way), or done for good.
  void downloaded(std::size_t index, std::uint64_t cost, bool ready) {
    std::lock_guard lock(m_mutex);
    m_reserved -= std::min(cost, m_budget);
    --m_ahead;
    if (ready) {
      m_ready.push_back(index);
    }
    m_changed.notify_all();
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::size_t> m_pending;
  std::deque<std::size_t> m_ready;
  std::uint64_t m_budget;
  std::uint64_t m_reserved = 0;
  int m_ahead = 0;
};

// Bytes a download buffers in memory before they reach the disk.
std::uint64_t buffer_cost(const FetchOptions& options, const PlannedArchive& archive) {
  if (archive.size <= options.single_get_bytes) {
    return std::min<std::uint64_t>(archive.size, std::uint64_t{1} << 20); // the head streams
  }
  return std::min<std::uint64_t>(
      archive.size,
      options.chunk_bytes * static_cast<std::uint64_t>(std::max(1, options.window_chunks)));
}

// With --no-cache the downloads ahead spill into a private cache in the
// output directory, removed when the fetch ends.
class SpillCache {
public:
  explicit SpillCache(const std::filesystem::path& parent) : m_dir(parent, k_spill_prefix) {
    cache::CacheConfig config;
    config.dir = m_dir.path();
    config.max_size = ~std::uint64_t{0};
    m_cache.emplace(cache::Cache::open(std::move(config)));
  }

  SpillCache(const SpillCache&) = delete;
  SpillCache& operator=(const SpillCache&) = delete;

  cache::Cache& cache() { return *m_cache; }

private:
  util::ScratchDir m_dir;              // removed after the cache closes
  std::optional<cache::Cache> m_cache; // in m_dir
};

// Downloads `archive` into the blob cache of `context` (mode cache_only) and
// tells the observer it waits there; returns the bytes received. Failures are
// left to the extractor's own attempt.
std::uint64_t download_ahead(detail::FetchContext& context,
                             const runs::Run& run,
                             std::size_t index,
                             const PlannedArchive& archive,
                             const DigestFuture& companion) {
  ArchiveOutcome outcome;
  try {
    auto expected = expected_digest(run, context.options, archive, companion);
    detail::ArchiveJob(context, index, archive, std::move(expected), outcome).run();
    if (context.observer != nullptr) {
      context.observer->stored(archive);
    }
  } catch (const std::exception& e) {
    util::log_debug("download ahead of " + archive.name + " failed (" + e.what()
                    + "); it is fetched again when extracted");
  }
  return outcome.bytes;
}

// Moves the download pool's limit as FlowPolicy says, four times a second,
// from the bytes received and the client's count of slow-down answers.
class FlowControl {
public:
  FlowControl(detail::TaskPool& pool,
              const s3::Client& client,
              const std::atomic<std::uint64_t>& received,
              detail::FlowPolicy policy)
      : m_policy(policy), m_thread([this, &pool, &client, &received](const std::stop_token& stop) {
          run(stop, pool, client, received);
        }) {}

private:
  void run(const std::stop_token& stop,
           detail::TaskPool& pool,
           const s3::Client& client,
           const std::atomic<std::uint64_t>& received) {
    std::mutex mutex; // with `tick`: a sleep that a stop request ends
    std::condition_variable_any tick;
    std::unique_lock lock(mutex);
    std::uint64_t bytes = received.load();
    std::uint64_t throttled = client.throttled();
    auto last = Clock::now();
    for (;;) {
      tick.wait_for(lock, stop, std::chrono::milliseconds(250), [] { return false; });
      if (stop.stop_requested()) {
        return;
      }
      const auto now = Clock::now();
      const std::uint64_t bytes_now = received.load();
      const std::uint64_t throttled_now = client.throttled();
      const int before = m_policy.flows();
      const int flows =
          m_policy.tick(std::chrono::duration_cast<std::chrono::milliseconds>(now - last),
                        bytes_now - bytes,
                        throttled_now - throttled);
      last = now;
      bytes = bytes_now;
      throttled = throttled_now;
      if (flows == before) {
        continue;
      }
      pool.set_limit(flows);
      if (flows < before) {
        util::log_info("the server asks to slow down: " + std::to_string(flows)
                       + " downloads at once (was " + std::to_string(before) + ")");
      } else {
        util::log_debug("flows: " + std::to_string(flows));
      }
    }
  }

  detail::FlowPolicy m_policy; // touched by m_thread only
  std::jthread m_thread;
};

} // namespace

FetchSummary fetch_archives(s3::Client& client,
                            runs::RunCatalog& catalog,
                            const runs::Run& run,
                            const std::vector<PlannedArchive>& archives,
                            const FetchOptions& options,
                            FetchObserver* observer) {
  const auto start = Clock::now();
  if (options.mode == Mode::store && catalog.cache() == nullptr) {
    throw UsageError("extracted trees are kept in the cache, and there is none (--no-cache)",
                     "drop --no-cache, or install without the store (--link-mode none)");
  }
  if (options.mode != Mode::cache_only && options.mode != Mode::store) {
    for (const auto& dir : {options.output_dir, options.archive_dir}) {
      std::error_code error;
      if (!dir.empty() && (std::filesystem::create_directories(dir, error), error)) {
        throw LocalIoError("cannot create output directory " + dir.string() + ": "
                           + error.message());
      }
    }
  }
  if (options.mode != Mode::cache_only) {
    // What a killed fetch into the same directory (or the cache's tree store) left behind.
    for (const std::string_view prefix : {detail::k_staging_prefix, k_spill_prefix}) {
      if (const auto removed = util::remove_orphaned_scratch(options.output_dir, prefix)) {
        util::log_info("removed " + std::to_string(removed) + " leftover " + std::string(prefix)
                       + "* director" + (removed == 1 ? "y" : "ies") + " of an interrupted run");
      }
    }
  }
  // Local files need no blob cache and no downloads ahead.
  const bool local = !options.local_root.empty();
  cache::Cache* const blob_cache = local ? nullptr : catalog.cache();
  std::vector<std::size_t> order(archives.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return archives[a].size > archives[b].size;
  });

  FetchSummary summary;
  summary.archives.resize(archives.size());
  http::RealSleeper sleeper;
  detail::FlattenMerger flatten(options.output_dir);
  archive::BootstrapRegistry bootstrap;
  const bool merging = options.mode == Mode::flatten || options.mode == Mode::bootstrap;
  const bool extracting = options.mode == Mode::extract || merging || options.mode == Mode::store;
  const int flows = std::max(1, options.download_concurrency);
  const int max_flows = options.adaptive_flows ? std::max(flows, options.max_flows) : flows;
  const int extractors =
      options.extract_concurrency > 0 ? options.extract_concurrency : default_extract_concurrency();
  const int workers = extractors;
  // Offline nothing is downloaded, so nothing can run ahead.
  const int ahead_workers = catalog.offline() || local ? 0 : std::max(0, max_flows - workers);
  std::optional<SpillCache> spill;
  if (extracting && ahead_workers > 0 && blob_cache == nullptr) {
    spill.emplace(options.output_dir);
  }
  cache::Cache* ahead_cache = spill ? &spill->cache() : blob_cache;
  FetchOptions ahead_options = options;
  ahead_options.mode = Mode::cache_only;
  std::optional<BandwidthLimit> bandwidth;
  if (options.max_bandwidth > 0) {
    bandwidth.emplace(options.max_bandwidth);
  }
  {
    detail::TaskPool downloads(max_flows);
    downloads.set_limit(flows);
    std::atomic<std::uint64_t> received{0};
    const auto context_with = [&](const FetchOptions& opts, cache::Cache* cache) {
      return detail::FetchContext{client,
                                  run.bucket,
                                  run.prefix,
                                  opts,
                                  downloads,
                                  observer,
                                  merging ? &flatten : nullptr,
                                  sleeper,
                                  cache,
                                  catalog.offline(),
                                  bandwidth ? &*bandwidth : nullptr,
                                  &received};
    };
    // The extractors' streams share one budget for the ranges they hold
    // ahead; the downloads ahead have theirs in the schedule.
    detail::ByteBudget stream_budget(options.stream_buffer_bytes);
    detail::FetchContext context = context_with(options, blob_cache);
    context.stream_budget = &stream_budget;
    context.bootstrap = &bootstrap;
    detail::FetchContext from_spill = context_with(options, ahead_cache);
    from_spill.fresh_blobs = true;
    from_spill.stream_budget = &stream_budget;
    from_spill.bootstrap = &bootstrap;
    detail::FetchContext ahead = context_with(ahead_options, ahead_cache);
    std::vector<DigestFuture> companions(archives.size());
    for (std::size_t index : order) {
      companions[index] =
          prefetch_companion(downloads, catalog, run, archives[index], options.local_root);
    }
    std::vector<std::uint64_t> ahead_bytes(archives.size(), 0);
    // Extracting, only archives with a digest can be stored ahead, and one
    // already in D is used from there. Decided once: a pending archive has
    // written nothing yet.
    std::vector<char> aheadable(archives.size(), 1);
    for (std::size_t index = 0; extracting && index < archives.size(); ++index) {
      std::error_code error;
      aheadable[index] =
          static_cast<char>((archives[index].companion || archives[index].known_sha256)
                            && (options.mode == Mode::store
                                || !std::filesystem::exists(
                                    archive_file_path(options, archives[index].name), error)));
    }
    Schedule schedule(std::deque<std::size_t>(order.begin(), order.end()),
                      options.ahead_buffer_bytes);
    // Once the disk is full every archive would fail the same way: the rest
    // are not started, and the user hears about it once.
    std::atomic<bool> disk_full{false};
    const auto run_one = [&](detail::FetchContext& with, std::size_t index) {
      ArchiveOutcome& outcome = summary.archives[index];
      if (disk_full.load()) {
        not_started_disk_full(archives[index], outcome);
        return;
      }
      process(with, run, index, archives[index], companions[index], outcome);
      if (failed_with<DiskFullError>(outcome)) {
        disk_full.store(true);
      }
    };
    const auto extractor = [&] {
      while (const auto claim = schedule.for_extractor()) {
        const std::size_t index = claim->index;
        ArchiveOutcome& outcome = summary.archives[index];
        // A blob this fetch just stored and verified is extracted as it is;
        // a failed download ahead is fetched again the usual way.
        run_one(claim->downloaded && ahead_bytes[index] > 0 ? from_spill : context, index);
        if (ahead_bytes[index] > 0) {
          outcome.bytes += ahead_bytes[index];
          outcome.from_cache = false; // downloaded by this fetch, only earlier
        }
      }
    };
    // Extracting, a download ahead stores the archive for an extractor (it
    // needs a digest to be stored); otherwise it is the archive's whole job.
    const auto downloader = [&] {
      const auto can_ahead = [&](std::size_t index) {
        return aheadable[index] != 0;
      };
      const auto cost = [&](std::size_t index) {
        return buffer_cost(options, archives[index]);
      };
      const auto allowed = [&] {
        return downloads.limit() - workers;
      };
      while (const auto index = schedule.for_downloader(can_ahead, cost, allowed)) {
        if (extracting) {
          if (!disk_full.load()) {
            ahead_bytes[*index] =
                download_ahead(ahead, run, *index, archives[*index], companions[*index]);
          }
        } else {
          run_one(context, *index);
        }
        schedule.downloaded(*index, cost(*index), extracting);
      }
    };
    std::optional<FlowControl> flow_control;
    if (!catalog.offline() && !local) {
      flow_control.emplace(
          downloads, client, received, detail::FlowPolicy(flows, max_flows, max_flows > flows));
    }
    // process() records each archive's failure in its outcome: nothing escapes.
    util::run_parallel(static_cast<std::size_t>(workers + ahead_workers),
                       workers + ahead_workers,
                       [&](std::size_t n) {
                         if (static_cast<int>(n) < workers) {
                           extractor();
                         } else {
                           downloader();
                         }
                       });
  }
  for (const auto& outcome : summary.archives) {
    summary.bytes += outcome.bytes;
  }
  summary.seconds = seconds_since(start);
  return summary;
}

FetchSummary fetch_and_place(s3::Client& client,
                             runs::RunCatalog& catalog,
                             const runs::Run& run,
                             const std::vector<PlannedArchive>& archives,
                             FetchOptions options,
                             cache::LinkMode link,
                             Placement& placement,
                             FetchObserver* observer,
                             const std::function<void(const FetchSummary&)>& on_stored,
                             const std::function<void(const ArchiveOutcome&)>& on_placed) {
  cache::Cache* cache = catalog.cache();
  if (cache == nullptr) {
    throw UsageError("--link-mode places files from the cache's extracted trees, and there is "
                     "no cache (--no-cache)",
                     "drop --no-cache, or drop --link-mode");
  }
  const std::filesystem::path dest = options.output_dir;
  std::error_code error;
  std::filesystem::create_directories(dest, error);
  if (error) {
    throw LocalIoError("cannot create output directory " + dest.string() + ": " + error.message());
  }
  options.mode = Mode::store;
  options.output_dir = cache->trees().root();
  FetchSummary summary = fetch_archives(client, catalog, run, archives, options, observer);
  if (on_stored) {
    on_stored(summary);
  }
  for (auto& outcome : summary.archives) {
    if (!outcome.ok) {
      continue;
    }
    const auto tree = cache->trees().find(outcome.sha256);
    if (!tree) {
      throw LocalIoError("the extracted tree of " + outcome.name + " vanished from "
                         + cache->trees().root().string());
    }
    const cache::PlaceReport placed = cache::place_tree(*tree, dest, link);
    placement.files.files += placed.files;
    placement.files.reflinked += placed.reflinked;
    placement.files.hardlinked += placed.hardlinked;
    placement.files.copied += placed.copied;
    outcome.destination = dest;
    if (on_placed) {
      on_placed(outcome);
    }
  }
  return summary;
}

} // namespace rockart::fetch
