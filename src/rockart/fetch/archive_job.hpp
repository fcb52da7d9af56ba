// SPDX-License-Identifier: MIT
// One archive's way through the pipeline: an existing verified copy in D, the
// blob cache, or a streamed download with digest, extraction into staging and
// publication, with whole-archive retries.
#pragma once

#include "byte_budget.hpp"
#include "staging.hpp"
#include "task_pool.hpp"

#include <rockart/archive/byte_source.hpp>
#include <rockart/archive/extract.hpp>
#include <rockart/cache/cache.hpp>
#include <rockart/fetch/bandwidth.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/client.hpp>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace rockart::fetch::detail {

class RangedDownload;
class OrderedConsumer;

// Everything the jobs of one fetch share.
struct FetchContext {
  s3::Client& client;
  std::string bucket;
  std::string prefix; // the run root, ending in '/'
  const FetchOptions& options;
  TaskPool& downloads;
  FetchObserver* observer;
  FlattenMerger* flatten; // flatten and bootstrap modes
  http::Sleeper& sleeper;
  cache::Cache* cache;                            // nullptr: no blob cache
  bool offline;                                   // no GET: the blob cache or nothing
  BandwidthLimit* bandwidth = nullptr;            // --max-bandwidth, shared by every download
  std::atomic<std::uint64_t>* received = nullptr; // bytes of every download, for the flow control
  bool fresh_blobs = false; // the blobs were verified by this fetch moments ago: no re-hash
  ByteBudget* stream_budget = nullptr; // ranges held ahead of every stream's head, together
  archive::BootstrapRegistry* bootstrap = nullptr; // bootstrap mode: relpaths cleaned so far
};

class ArchiveJob {
public:
  // Job for `archive`, at position `index` of the plan, to be checked against
  // `expected` (nullopt: unverified, already allowed by the caller). Fills
  // `outcome` as far as it gets.
  ArchiveJob(FetchContext& context,
             std::size_t index,
             const PlannedArchive& archive,
             std::optional<std::string> expected,
             ArchiveOutcome& outcome);

  // Runs the job; throws rockart::Error after the last attempt.
  void run();

private:
  bool use_existing_file();
  bool serve_from_cache(std::optional<cache::Acquisition>& held);
  void use_blob(const std::filesystem::path& blob);
  void use_local_file(const std::filesystem::path& file);
  void keep_archive_copy(const std::filesystem::path& blob);
  void place_from_file(const std::filesystem::path& file, const std::function<void()>& on_corrupt);
  void download_with_retries(std::optional<cache::Acquisition>& held);
  void stream_attempt(cache::BlobWriter* blob);
  void file_attempt(cache::BlobWriter* blob);
  std::shared_ptr<RangedDownload> start_download(OrderedConsumer& consumer,
                                                 std::atomic<std::uint64_t>& received);
  void extract_and_publish(archive::ByteSource& source,
                           const std::function<void()>& before_publish);
  archive::ExtractOptions extract_options(const std::filesystem::path& staging) const;

  FetchContext& m_context;
  std::size_t m_index;
  const PlannedArchive& m_archive;
  std::optional<std::string> m_expected;
  ArchiveOutcome& m_outcome;
};

// "sha256 mismatch for <name>: expected <e> (from <name>.sha256sum), got <g>".
std::string
mismatch_message(const std::string& name, const std::string& expected, const std::string& got);

} // namespace rockart::fetch::detail
