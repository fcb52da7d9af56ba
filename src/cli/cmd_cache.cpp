// SPDX-License-Identifier: MIT
// `rockart cache info|ls|verify|gc|clear`: inspect and maintain the persistent
// cache (issue 6 item 8). Results on stdout (--json for machines), notes on stderr.
#include "cache_options.hpp"
#include "cli.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/error.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/time.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>

namespace rockart::cli {
namespace {

using nlohmann::json;

struct CacheCommand {
  CacheOptions options;
  Context* context = nullptr;
};

std::int64_t counter(const std::map<std::string, std::int64_t>& counters, const char* name) {
  auto it = counters.find(name);
  return it == counters.end() ? 0 : it->second;
}

std::string percent(double ratio) {
  std::array<char, 32> buffer{};
  (void)std::snprintf(buffer.data(), buffer.size(), "%.1f%%", ratio * 100.0);
  return buffer.data();
}

std::string iso(cache::TimePoint time) {
  return util::format_iso8601(std::chrono::time_point_cast<std::chrono::seconds>(time));
}

json info_json(cache::Cache& cache, const cache::CacheLocation& location) {
  const cache::IndexCounts counts = cache.index().counts();
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

void print(const CacheCommand& command, const json& doc, const std::string& text) {
  print_out(command.context->json ? doc.dump(2) + "\n" : text);
}

cache::Cache open_for(const CacheCommand& command) {
  return std::move(*open_cache(command.options));
}

void run_info(const CacheCommand& command) {
  const cache::CacheLocation location = cache_location(command.options);
  cache::Cache cache = open_for(command);
  const json doc = info_json(cache, location);
  print(command, doc, info_text(doc));
}

void run_ls(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  json doc = json::array();
  std::ostringstream text;
  for (const cache::BlobRecord& blob : cache.index().list_blobs()) { // least recently used first
    doc.push_back({{"sha256", blob.sha256},
                   {"size", blob.size},
                   {"last_used", iso(blob.last_used)},
                   {"pins", blob.pins}});
    text << blob.sha256 << "  " << blob.size << "  " << iso(blob.last_used)
         << (blob.pins > 0 ? "  pinned" : "") << "\n";
  }
  print(command, doc, text.str());
}

void run_verify(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  const cache::VerifyReport report = cache.verify_all();
  std::ostringstream text;
  text << "checked " << report.checked << " blobs, " << report.corrupt.size() << " corrupt\n";
  for (const std::string& sha : report.corrupt) {
    text << "corrupt (evicted): " << sha << "\n";
  }
  print(command, {{"checked", report.checked}, {"corrupt", report.corrupt}}, text.str());
  if (!report.corrupt.empty()) {
    util::log_error(std::to_string(report.corrupt.size())
                    + " corrupt blobs were evicted; they will be fetched again on next use");
    command.context->exit_code = static_cast<int>(ExitCode::error);
  }
}

void run_gc(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  const cache::GcReport report = cache.gc();
  json evicted = json::array();
  for (const cache::BlobRecord& blob : report.evicted) {
    evicted.push_back({{"sha256", blob.sha256}, {"size", blob.size}});
  }
  std::ostringstream text;
  text << "evicted " << report.evicted.size() << " blobs ("
       << util::format_bytes(report.bytes_freed) << "), kept "
       << util::format_bytes(report.bytes_kept) << " of " << util::format_bytes(cache.max_size())
       << " (" << util::format_bytes(report.pinned_bytes) << " pinned), removed "
       << report.temp_files_removed << " stale temp files\n";
  print(command,
        {{"evicted", evicted},
         {"bytes_freed", report.bytes_freed},
         {"bytes_kept", report.bytes_kept},
         {"pinned_bytes", report.pinned_bytes},
         {"max_size", cache.max_size()},
         {"temp_files_removed", report.temp_files_removed}},
        text.str());
}

void run_clear(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  const std::uint64_t freed = cache.clear();
  const cache::IndexCounts left = cache.index().counts();
  print(command,
        {{"bytes_freed", freed}, {"pinned_blobs_kept", left.blobs}},
        "removed " + util::format_bytes(freed) + "; kept " + std::to_string(left.blobs)
            + " pinned blobs\n");
}

} // namespace

void register_cache(CLI::App& app, Context& context) {
  auto state = std::make_shared<CacheCommand>();
  state->context = &context;
  CLI::App* command = app.add_subcommand("cache", "Inspect and maintain the persistent cache");
  command->require_subcommand(1);
  command->fallthrough(); // options may follow the action: `cache info --json`
  add_cache_options(*command, state->options, false);
  command->add_flag("--json", context.json, "JSON output on stdout");
  const std::vector<std::pair<const char*, const char*>> actions = {
      {"info", "Show location, sizes, counts and hit rate"},
      {"ls", "List stored blobs, least recently used first"},
      {"verify", "Rehash every blob; evict corrupt ones (exit 2 if any)"},
      {"gc", "Evict least recently used unpinned blobs down to --cache-max-size"},
      {"clear", "Remove every unpinned blob and all cached facts"}};
  const std::vector<void (*)(const CacheCommand&)> handlers = {
      run_info, run_ls, run_verify, run_gc, run_clear};
  for (size_t i = 0; i < actions.size(); ++i) {
    CLI::App* action = command->add_subcommand(actions[i].first, actions[i].second);
    action->callback([state, handler = handlers[i]] { handler(*state); });
  }
}

} // namespace rockart::cli
