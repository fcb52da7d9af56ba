// SPDX-License-Identifier: MIT
// What `rockart cache info|ls|verify|gc|clear` report, as JSON documents and
// the text shown on a terminal.
#pragma once

#include <rockart/cache/cache.hpp>
#include <rockart/cache/location.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace rockart::cache {

// {directory, source, schema_version, max_size, blobs: {count, bytes, pinned},
// runs, completed_runs, commit_answers, listings, hits, misses, hit_rate (null
// before the first lookup), bytes_fetched, bytes_saved, evictions, corrupt_evictions}.
nlohmann::json info_json(Cache& cache, const CacheLocation& location);

// info_json() as lines of "name: value", sizes in binary units.
std::string info_text(const nlohmann::json& info);

// The stored blobs, least recently used first: [{sha256, size, last_used, pins}]
// and one "sha256  size  last_used[  pinned]" line each.
nlohmann::json blobs_json(Cache& cache);
std::string blobs_text(const nlohmann::json& blobs);

// {checked, corrupt} and "checked N blobs, M corrupt" plus one line per corrupt blob.
nlohmann::json verify_json(const VerifyReport& report);
std::string verify_text(const VerifyReport& report);

// {evicted: [{sha256, size}], bytes_freed, bytes_kept, pinned_bytes, max_size,
// temp_files_removed} and its one-line summary.
nlohmann::json gc_json(const GcReport& report, std::uint64_t max_size);
std::string gc_text(const GcReport& report, std::uint64_t max_size);

} // namespace rockart::cache
