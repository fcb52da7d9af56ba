// SPDX-License-Identifier: MIT
// One archive's way through the pipeline: cached copy check, streamed download
// with digest, extraction into staging, publication, whole-archive retries.
#pragma once

#include "blob_cache.hpp"
#include "staging.hpp"
#include "task_pool.hpp"

#include <rockart/fetch/pipeline.hpp>
#include <rockart/http/retry.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace rockart::fetch::detail {

// Everything the jobs of one fetch share.
struct JobContext {
  s3::Client& client;
  const RunStore& store;
  const FetchOptions& options;
  TaskPool& downloads;
  FetchObserver* observer;
  FlattenMerger* flatten; // flatten mode only
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
