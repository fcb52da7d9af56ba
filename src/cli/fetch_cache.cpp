// SPDX-License-Identifier: MIT
#include "fetch_cache.hpp"

#include "run_store.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

namespace rockart::cli {

std::optional<cache::RunRecord>
stored_run(cache::Cache* cache, const std::string& repository, std::uint64_t run_id, bool offline) {
  std::optional<cache::RunRecord> run;
  if (cache != nullptr) {
    run = cache->index().get_run(repository, run_id);
  }
  if (run && !run->bucket.empty() && (offline || cache::is_final(*run))) {
    if (!cache::is_final(*run)) {
      util::log_warn("offline: run " + std::to_string(run_id) + " was " + run->status
                     + " when cached; its facts may be stale");
    }
    return run;
  }
  if (offline) {
    throw NotFoundError("offline: no cached run " + std::to_string(run_id) + " of " + repository,
                        "run once without --offline (or pass --bucket)");
  }
  return std::nullopt;
}

void remember_run(cache::Cache* cache,
                  const std::string& repository,
                  const github::WorkflowRun& run,
                  const layout::BucketDecision& decision) {
  if (cache == nullptr) {
    return;
  }
  cache::RunRecord record = run_record(repository, run); // find --run-id reuses its object
  record.bucket = decision.bucket;
  record.prefix = decision.external_repo;
  cache->index().put_run(record);
}

bool run_completed(cache::Cache* cache, const std::string& repository, std::uint64_t run_id) {
  if (cache == nullptr) {
    return false;
  }
  const auto run = cache->index().get_run(repository, run_id);
  return run && cache::is_final(*run);
}

namespace {

std::vector<s3::ObjectInfo> objects_of(const cache::Listing& listing) {
  std::vector<s3::ObjectInfo> objects;
  for (const auto& entry : listing.entries) {
    s3::ObjectInfo object;
    object.key = entry.key;
    object.size = entry.size;
    object.etag = entry.etag;
    objects.push_back(std::move(object));
  }
  return objects;
}

} // namespace

std::vector<s3::ObjectInfo> list_run_objects(s3::Client& client,
                                             cache::Cache* cache,
                                             const std::string& bucket,
                                             const std::string& prefix,
                                             bool completed,
                                             bool offline) {
  if (cache != nullptr && (completed || offline)) {
    if (auto listing = cache->index().get_listing(bucket, prefix);
        listing && (listing->final || offline)) {
      return objects_of(*listing);
    }
  }
  if (offline) {
    throw NotFoundError("offline: no cached listing of s3://" + bucket + "/" + prefix,
                        "run once without --offline");
  }
  auto objects = client.list_children(bucket, prefix).objects;
  if (cache != nullptr && completed) {
    cache::Listing listing{bucket, prefix, {}, true, {}};
    for (const auto& object : objects) {
      listing.entries.push_back({object.key, object.size, object.etag});
    }
    cache->index().put_listing(listing);
  }
  return objects;
}

} // namespace rockart::cli
