// SPDX-License-Identifier: MIT
// Scheduling: `extract_concurrency` worker threads each carry one archive at a
// time (largest first, so the long ones start early), while one shared pool of
// `download_concurrency` threads runs every GET: the companions (prefetched at
// low priority) and the byte ranges of the archives in flight. Memory is
// bounded by archives in flight x (window x chunk + pipe), whatever the sizes.
#include "archive_job.hpp"
#include "task_pool.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>
#include <atomic>
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

DigestFuture prefetch_companion(detail::JobContext& context, const PlannedArchive& archive) {
  auto promise = std::make_shared<std::promise<std::optional<std::string>>>();
  DigestFuture future = promise->get_future().share();
  if (!archive.companion) {
    promise->set_value(std::nullopt);
    return future;
  }
  const std::string key = context.store.prefix + *archive.companion;
  const std::string companion = *archive.companion;
  // A completed run's companion never changes: its digest may come from the index.
  const auto etag = context.options.final_etags.find(companion);
  detail::SharedCache* cache = etag != context.options.final_etags.end() ? context.cache : nullptr;
  if (cache != nullptr) {
    if (auto digest = cache->companion_digest(context.store.bucket, key, etag->second)) {
      promise->set_value(std::move(digest));
      return future;
    }
  }
  if (context.options.offline) {
    promise->set_exception(std::make_exception_ptr(
        NotFoundError("offline: the digest of " + archive.name + " (s3://" + context.store.bucket
                          + "/" + key + ") is not cached",
                      "run once without --offline")));
    return future;
  }
  const std::string etag_value = cache != nullptr ? etag->second : "";
  context.downloads.submit(
      [&client = context.client,
       bucket = context.store.bucket,
       key,
       companion,
       promise,
       cache,
       etag_value] {
        try {
          std::string text;
          client.get(bucket, key, [&](std::string_view chunk) {
            if (text.size() + chunk.size() > 4096) {
              throw IntegrityError("companion " + companion + " is larger than 4096 bytes");
            }
            text.append(chunk);
          });
          auto digest = layout::parse_sha256sum(text, companion);
          if (cache != nullptr) {
            cache->remember_companion(bucket, key, etag_value, digest);
          }
          promise->set_value(std::move(digest));
        } catch (...) {
          promise->set_exception(std::current_exception());
        }
      },
      /*urgent=*/false);
  return future;
}

// The digest to check `archive` against, or nullopt when unverified is allowed.
std::optional<std::string> expected_digest(detail::JobContext& context,
                                           const PlannedArchive& archive,
                                           const DigestFuture& companion) {
  if (archive.companion) {
    return companion.get();
  }
  const std::string uri = "s3://" + context.store.bucket + "/" + context.store.prefix
                          + layout::companion_name(archive.name);
  if (!context.options.allow_unverified) {
    throw IntegrityError("cannot verify " + archive.name + ": its companion " + uri
                             + " does not exist",
                         "pass --allow-unverified to fetch archives without a .sha256sum");
  }
  util::log_warn("fetching " + archive.name + " unverified: no companion " + uri);
  return std::nullopt;
}

void process(detail::JobContext& context,
             std::size_t index,
             const PlannedArchive& archive,
             const DigestFuture& companion,
             ArchiveOutcome& outcome) {
  const auto start = Clock::now();
  outcome.name = archive.name;
  try {
    const auto expected = expected_digest(context, archive, companion);
    outcome.verified = expected.has_value();
    detail::run_archive_job(context, index, archive, expected, outcome);
    outcome.ok = true;
  } catch (const Error& e) {
    outcome.ok = false;
    outcome.error_kind = e.kind();
    outcome.error = e.what();
  } catch (const std::exception& e) {
    outcome.ok = false;
    outcome.error_kind = "error";
    outcome.error = std::string("internal error: ") + e.what();
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
                            const RunStore& store,
                            const std::vector<PlannedArchive>& archives,
                            const FetchOptions& options,
                            FetchObserver* observer) {
  const auto start = Clock::now();
  std::error_code error;
  std::filesystem::create_directories(options.output_dir, error);
  if (error) {
    throw LocalIoError("cannot create output directory " + options.output_dir.string() + ": "
                       + error.message());
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
  std::optional<detail::SharedCache> cache;
  if (options.cache != nullptr) {
    cache.emplace(*options.cache);
  }
  {
    detail::TaskPool downloads(std::max(1, options.download_concurrency));
    detail::JobContext context{client,
                               store,
                               options,
                               downloads,
                               observer,
                               options.mode == Mode::flatten ? &flatten : nullptr,
                               sleeper,
                               cache ? &*cache : nullptr};
    std::vector<DigestFuture> companions(archives.size());
    for (std::size_t index : order) {
      companions[index] = prefetch_companion(context, archives[index]);
    }
    std::atomic<std::size_t> next{0};
    const int workers =
        std::min<int>(options.extract_concurrency > 0 ? options.extract_concurrency
                                                      : default_extract_concurrency(),
                      static_cast<int>(std::max<std::size_t>(1, archives.size())));
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(workers));
    for (int i = 0; i < workers; ++i) {
      threads.emplace_back([&] {
        for (std::size_t n = next++; n < order.size(); n = next++) {
          const std::size_t index = order[n];
          process(context, index, archives[index], companions[index], summary.archives[index]);
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
  }
  for (const auto& outcome : summary.archives) {
    summary.bytes += outcome.bytes;
  }
  summary.seconds = seconds_since(start);
  return summary;
}

} // namespace rockart::fetch
