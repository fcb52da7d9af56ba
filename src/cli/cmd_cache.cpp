// SPDX-License-Identifier: MIT
// `rockart cache info|ls|verify|gc|clear`: inspect and maintain the persistent
// cache. Results on stdout (--json for machines), notes on stderr.
#include "cache_options.hpp"
#include "cli.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/cache/report.hpp>
#include <rockart/error.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

#include <memory>

namespace rockart::cli {
namespace {

using nlohmann::json;

struct CacheCommand {
  CacheOptions options;
  Context* context = nullptr;
};

void print(const CacheCommand& command, const json& doc, const std::string& text) {
  print_out(command.context->json ? json_text(doc) : text);
}

cache::Cache open_for(const CacheCommand& command) {
  return std::move(*open_cache(command.options));
}

void run_info(const CacheCommand& command) {
  const cache::CacheLocation location = cache_location(command.options);
  cache::Cache cache = open_for(command);
  const json doc = cache::info_json(cache, location);
  print(command, doc, cache::info_text(doc));
}

void run_ls(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  const json doc = cache::blobs_json(cache);
  print(command, doc, cache::blobs_text(doc));
}

void run_verify(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  const cache::VerifyReport report = cache.verify_all();
  print(command, cache::verify_json(report), cache::verify_text(report));
  if (!report.corrupt.empty()) {
    util::log_error(std::to_string(report.corrupt.size())
                    + " corrupt blobs were evicted; they will be fetched again on next use");
    command.context->exit_code = static_cast<int>(ExitCode::error);
  }
  if (!report.corrupt_trees.empty()) {
    util::log_error(std::to_string(report.corrupt_trees.size())
                    + " corrupt extracted trees were removed; they are rebuilt on next use");
    command.context->exit_code = static_cast<int>(ExitCode::error);
  }
}

void run_gc(const CacheCommand& command) {
  cache::Cache cache = open_for(command);
  const cache::GcReport report = cache.gc();
  print(
      command, cache::gc_json(report, cache.max_size()), cache::gc_text(report, cache.max_size()));
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
      {"verify", "Rehash every blob and extracted tree; evict corrupt ones (exit 2 if any)"},
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
