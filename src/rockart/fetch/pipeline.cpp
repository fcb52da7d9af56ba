// SPDX-License-Identifier: MIT
// Scheduling: `extract_concurrency` workers each carry one archive at a time
// (largest first, so the long ones start early), while one shared pool of
// `download_concurrency` threads runs every GET: the companions (prefetched at
// low priority) and the byte ranges of the archives in flight. Memory is
// bounded by archives in flight x (window x chunk + pipe), whatever the sizes.
#include "archive_job.hpp"
#include "task_pool.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>

#include <algorithm>
#include <future>
#include <numeric>
#include <thread>

namespace rockart::fetch {

std::size_t FetchSummary::failures() const {
  return static_cast<std::size_t>(std::count_if(
      archives.begin(), archives.end(), [](const ArchiveOutcome& a) { return !a.ok; }));
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The expected digest of one archive, read from its companion on the pool.
using DigestFuture = std::shared_future<std::optional<std::string>>;

DigestFuture prefetch_companion(detail::TaskPool& pool,
                                runs::RunCatalog& catalog,
                                const runs::Run& run,
                                const PlannedArchive& archive) {
  auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
  DigestFuture future = promise->get_future().share();
  if (!archive.companion) {
    promise->set_value(std::nullopt);
    return future;
  }
  pool.submit(
      [&catalog, &run, companion = *archive.companion, promise] {
        try {
          promise->set_value(catalog.companion_digest(run, companion));
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
  if (archive.companion) {
    return companion.get();
  }
  const std::string uri = run.uri() + "/" + layout::companion_name(archive.name);
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

void process(detail::FetchContext& context,
             const runs::Run& run,
             std::size_t index,
             const PlannedArchive& archive,
             const DigestFuture& companion,
             ArchiveOutcome& outcome) {
  const auto start = Clock::now();
  outcome.name = archive.name;
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

} // namespace

FetchSummary fetch_archives(s3::Client& client,
                            runs::RunCatalog& catalog,
                            const runs::Run& run,
                            const std::vector<PlannedArchive>& archives,
                            const FetchOptions& options,
                            FetchObserver* observer) {
  const auto start = Clock::now();
  if (options.mode != Mode::cache_only) {
    std::error_code error;
    std::filesystem::create_directories(options.output_dir, error);
    if (error) {
      throw LocalIoError("cannot create output directory " + options.output_dir.string() + ": "
                         + error.message());
    }
  }
  std::vector<std::size_t> order(archives.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return archives[a].size > archives[b].size;
  });

  FetchSummary summary;
  summary.archives.resize(archives.size());
  http::RealSleeper sleeper;
  detail::FlattenMerger flatten(options.output_dir);
  {
    detail::TaskPool downloads(std::max(1, options.download_concurrency));
    detail::FetchContext context{client,
                                 run.bucket,
                                 run.prefix,
                                 options,
                                 downloads,
                                 observer,
                                 options.mode == Mode::flatten ? &flatten : nullptr,
                                 sleeper,
                                 catalog.cache(),
                                 catalog.offline()};
    std::vector<DigestFuture> companions(archives.size());
    for (std::size_t index : order) {
      companions[index] = prefetch_companion(downloads, catalog, run, archives[index]);
    }
    const int workers = options.extract_concurrency > 0 ? options.extract_concurrency
                                                        : default_extract_concurrency();
    // process() records each archive's failure in its outcome: nothing escapes.
    util::run_parallel(order.size(), workers, [&](std::size_t n) {
      const std::size_t index = order[n];
      process(context, run, index, archives[index], companions[index], summary.archives[index]);
    });
  }
  for (const auto& outcome : summary.archives) {
    summary.bytes += outcome.bytes;
  }
  summary.seconds = seconds_since(start);
  return summary;
}

} // namespace rockart::fetch
