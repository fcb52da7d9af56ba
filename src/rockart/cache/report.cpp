// SPDX-License-Identifier: MIT
#include <rockart/cache/report.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/time.hpp>

#include <array>
#include <cstdio>
#include <sstream>

namespace rockart::cache {

namespace {

using nlohmann::json;

std::int64_t counter(const std::map<std::string, std::int64_t>& counters, const char* name) {
  auto it = counters.find(name);
  return it == counters.end() ? 0 : it->second;
}

std::string percent(double ratio) {
  return util::format_fixed1(ratio * 100.0) + "%";
}

std::string iso(TimePoint time) {
  return util::format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(time));
}

} // namespace

json info_json(Cache& cache, const CacheLocation& location) {
  const IndexCounts counts = cache.index().counts();
  const auto counters = cache.index().counters();
  const std::int64_t hits = counter(counters, "hits");
  const std::int64_t misses = counter(counters, "misses");
  json doc = {
      {"directory", location.dir.string()},
      {"source", location.source},
      {"schema_version", cache.index().schema_version()},
      {"max_size", cache.max_size()},
      {"blobs",
       {{"count", counts.blobs}, {"bytes", counts.blob_bytes}, {"pinned", counts.pinned_blobs}}},
      {"runs", counts.runs},
      {"completed_runs", counts.completed_runs},
      {"commit_answers", counts.commit_answers},
      {"listings", counts.listings},
      {"hits", hits},
      {"misses", misses},
      {"hit_rate", nullptr},
      {"bytes_fetched", counter(counters, "bytes_fetched")},
      {"bytes_saved", counter(counters, "bytes_saved")},
      {"evictions", counter(counters, "evictions")},
      {"corrupt_evictions", counter(counters, "corrupt_evictions")}};
  if (hits + misses > 0) {
    doc["hit_rate"] = static_cast<double>(hits) / static_cast<double>(hits + misses);
  }
  return doc;
}

std::string info_text(const json& doc) {
  std::ostringstream out;
  const auto bytes = [&](const char* key) {
    return util::format_bytes(doc[key].get<std::uint64_t>());
  };
  out << "directory: " << doc["directory"].get<std::string>() << " (from "
      << doc["source"].get<std::string>() << ")\n"
      << "blobs: " << doc["blobs"]["count"] << " ("
      << util::format_bytes(doc["blobs"]["bytes"].get<std::uint64_t>()) << "), "
      << doc["blobs"]["pinned"] << " pinned\n"
      << "max size: " << bytes("max_size") << "\n"
      << "runs: " << doc["runs"] << " (" << doc["completed_runs"] << " completed)\n"
      << "commit answers: " << doc["commit_answers"] << "\n"
      << "listings: " << doc["listings"] << "\n"
      << "hits: " << doc["hits"] << ", misses: " << doc["misses"] << ", hit rate: "
      << (doc["hit_rate"].is_null() ? std::string("n/a") : percent(doc["hit_rate"].get<double>()))
      << "\n"
      << "bytes fetched: " << bytes("bytes_fetched") << ", bytes saved: " << bytes("bytes_saved")
      << "\n"
      << "evictions: " << doc["evictions"] << ", corrupt evictions: " << doc["corrupt_evictions"]
      << "\n";
  return out.str();
}

json blobs_json(Cache& cache) {
  json doc = json::array();
  for (const BlobRecord& blob : cache.index().list_blobs()) {
    doc.push_back({{"sha256", blob.sha256},
                   {"size", blob.size},
                   {"last_used", iso(blob.last_used)},
                   {"pins", blob.pins}});
  }
  return doc;
}

std::string blobs_text(const json& blobs) {
  std::ostringstream text;
  for (const auto& blob : blobs) {
    text << blob["sha256"].get<std::string>() << "  " << blob["size"] << "  "
         << blob["last_used"].get<std::string>() << (blob["pins"] > 0 ? "  pinned" : "") << "\n";
  }
  return text.str();
}

json verify_json(const VerifyReport& report) {
  return {{"checked", report.checked},
          {"corrupt", report.corrupt},
          {"trees_checked", report.trees_checked},
          {"corrupt_trees", report.corrupt_trees}};
}

std::string verify_text(const VerifyReport& report) {
  std::ostringstream text;
  text << "checked " << report.checked << " blobs, " << report.corrupt.size() << " corrupt\n";
  for (const std::string& sha : report.corrupt) {
    text << "corrupt (evicted): " << sha << "\n";
  }
  text << "checked " << report.trees_checked << " extracted trees, " << report.corrupt_trees.size()
       << " corrupt\n";
  for (const std::string& sha : report.corrupt_trees) {
    text << "corrupt tree (removed): " << sha << "\n";
  }
  return text.str();
}

json gc_json(const GcReport& report, std::uint64_t max_size) {
  json evicted = json::array();
  for (const BlobRecord& blob : report.evicted) {
    evicted.push_back({{"sha256", blob.sha256}, {"size", blob.size}});
  }
  return {{"evicted", evicted},
          {"evicted_trees", report.evicted_trees},
          {"tree_bytes_kept", report.tree_bytes_kept},
          {"bytes_freed", report.bytes_freed},
          {"bytes_kept", report.bytes_kept},
          {"pinned_bytes", report.pinned_bytes},
          {"max_size", max_size},
          {"temp_files_removed", report.temp_files_removed}};
}

std::string gc_text(const GcReport& report, std::uint64_t max_size) {
  std::ostringstream text;
  text << "evicted " << report.evicted.size() << " blobs ("
       << util::format_bytes(report.bytes_freed) << "), kept "
       << util::format_bytes(report.bytes_kept) << " of " << util::format_bytes(max_size) << " ("
       << util::format_bytes(report.pinned_bytes) << " pinned), removed "
       << report.temp_files_removed << " stale temp files\n";
  return text.str();
}

} // namespace rockart::cache
