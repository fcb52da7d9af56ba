// SPDX-License-Identifier: MIT
// `rockart fetch`'s use of the persistent cache index (issue 6 items 3-4):
// a completed run's GitHub facts and S3 listing are served from the index
// with no request; in-progress runs are always refreshed; --offline answers
// from the index alone and names what is missing.
#pragma once

#include <rockart/cache/cache.hpp>
#include <rockart/github/run.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/s3/client.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rockart::cli {

// The stored run usable without asking GitHub: a completed one, or with
// `offline` any stored one. nullopt when there is none (or no cache). With
// `offline` and nothing stored, throws NotFoundError naming the run.
std::optional<cache::RunRecord>
stored_run(cache::Cache* cache, const std::string& repository, std::uint64_t run_id, bool offline);

// Records `run` of `repository` with the bucket decision made from it.
void remember_run(cache::Cache* cache,
                  const std::string& repository,
                  const github::WorkflowRun& run,
                  const layout::BucketDecision& decision);

// True when the index knows run `run_id` of `repository` completed.
bool run_completed(cache::Cache* cache, const std::string& repository, std::uint64_t run_id);

// The direct children of `prefix` in `bucket`: from the index when the run
// `completed` and its listing is stored (or with `offline`), else listed (and
// stored when `completed`). Offline without a stored listing: NotFoundError.
std::vector<s3::ObjectInfo> list_run_objects(s3::Client& client,
                                             cache::Cache* cache,
                                             const std::string& bucket,
                                             const std::string& prefix,
                                             bool completed,
                                             bool offline);

} // namespace rockart::cli
