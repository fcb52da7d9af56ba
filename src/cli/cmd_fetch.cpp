// SPDX-License-Identifier: MIT
// `rockart fetch` (= TheRock's fetch_artifacts.py): the run (--run-id, or the
// run find picks for --commit) from runs::Session, its archives planned from
// the catalog's listing, then downloaded, verified and extracted by the fetch
// pipeline.
#include "cache_options.hpp"
#include "cli.hpp"
#include "environment.hpp"
#include "fetch_progress.hpp"
#include "gpu_flags.hpp"
#include "s3_options.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/bandwidth.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/github/command.hpp>
#include <rockart/runs/session.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>

#include <unistd.h>

#include <memory>

namespace rockart::cli {

namespace {

struct FetchFlags {
  std::string commit;
  std::optional<std::uint64_t> run_id;
  std::string repo;
  std::string workflow;
  std::string platform;
  GpuFlags gpu;
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  std::optional<std::string> bucket;
  std::string output_dir = "build/artifacts";
  bool dry_run = false;
  int download_concurrency = 16;
  int extract_concurrency = 0;
  std::optional<std::string> max_bandwidth;
  std::optional<std::string> link_mode; // --flatten through the cache's extracted trees
  bool pinned_flows = false;            // --download-concurrency given: no adaptive flows
  bool no_extract = false;
  bool extract = false;
  bool flatten = false;
  bool delete_after_extract = true;
  bool allow_missing = false;
  bool allow_unverified = false;
  bool json = false;
  bool offline = false;
  S3Options s3;
  CacheOptions cache;
};

runs::Run resolve_run(const FetchFlags& flags, runs::Session& session) {
  return session.resolve(run_question(flags.repo,
                                      flags.platform,
                                      flags.run_id,
                                      flags.commit,
                                      flags.gpu,
                                      flags.bucket,
                                      flags.workflow));
}

fetch::Mode mode_of(const FetchFlags& flags) {
  if (flags.no_extract) {
    return fetch::Mode::no_extract;
  }
  return flags.flatten ? fetch::Mode::flatten : fetch::Mode::extract;
}

fetch::FetchOptions pipeline_options(const FetchFlags& flags) {
  if (flags.download_concurrency < 1 || flags.extract_concurrency < 0) {
    throw UsageError("--download-concurrency must be >= 1 and --extract-concurrency >= 1");
  }
  fetch::FetchOptions options;
  options.mode = mode_of(flags);
  options.output_dir = flags.output_dir;
  options.download_concurrency = flags.download_concurrency;
  options.adaptive_flows = !flags.pinned_flows;
  options.extract_concurrency = flags.extract_concurrency;
  if (flags.max_bandwidth) {
    options.max_bandwidth = fetch::parse_bandwidth(*flags.max_bandwidth);
  }
  options.delete_after_extract = flags.delete_after_extract;
  options.allow_unverified = flags.allow_unverified;
  return options;
}

void print_json(const FetchFlags& flags,
                const runs::Run& run,
                const fetch::FetchPlan& plan,
                const fetch::FetchSummary* summary,
                const char* status = nullptr) {
  if (!flags.json) {
    return;
  }
  auto doc =
      fetch::report_json({run, mode_of(flags), flags.output_dir, flags.dry_run, plan, summary});
  if (status != nullptr) {
    doc["status"] = status;
  }
  print_out(doc.dump(2) + "\n");
}

int run_fetch(FetchFlags& flags, const Context& context) {
  if (flags.repo.empty()) {
    flags.repo = process_env("GITHUB_REPOSITORY").value_or("ROCm/TheRock");
  }
  if (flags.platform.empty()) {
    flags.platform = host_ci_platform();
  }
  canonicalize(flags.gpu);
  const auto options = pipeline_options(flags);
  std::optional<cache::LinkMode> link;
  if (flags.link_mode) {
    if (!flags.flatten) {
      throw UsageError("--link-mode places a flattened tree", "add --flatten");
    }
    link = cache::parse_link_mode(*flags.link_mode);
  }
  std::optional<cache::Cache> cache = open_cache(flags.cache);
  runs::SessionOptions session_options;
  session_options.s3 = flags.s3;
  session_options.offline = flags.offline;
  runs::Session session(
      process_env, github::run_process, session_options, cache ? &*cache : nullptr);
  const runs::Run run = resolve_run(flags, session);
  util::log_info("Retrieving artifacts from '" + run.uri() + "'");

  fetch::PlanRequest request;
  request.gpu = gpu_request(flags.gpu);
  request.includes = flags.includes;
  request.excludes = flags.excludes;
  request.keep_both_compressions = flags.no_extract;
  const auto plan = fetch::plan_fetch(session.catalog().files(run), request);
  if (!fetch::check_plan(plan,
                         run,
                         {.allow_missing = flags.allow_missing,
                          .allow_generic_only = flags.gpu.allow_generic_only})) {
    print_json(flags, run, plan, nullptr, "not_found");
    return static_cast<int>(ExitCode::not_found);
  }
  std::uint64_t total = 0;
  for (const auto& archive : plan.archives) {
    total += archive.size;
    if (flags.dry_run && !flags.json) {
      print_out(run.uri() + "/" + archive.name + "\n");
    } else {
      util::log_info("  " + run.uri() + "/" + archive.name);
    }
  }
  if (flags.dry_run) {
    util::log_info("--dry-run: skipping the download of " + std::to_string(plan.archives.size())
                   + " archive(s) (" + util::format_bytes(total) + ")");
    print_json(flags, run, plan, nullptr);
    return 0;
  }
  fetch::FetchSummary summary;
  {
    FetchProgress progress(
        total, plan.archives.size(), ::isatty(2) != 0 && !context.quiet, context.quiet);
    if (link) {
      fetch::Placement placement;
      summary = fetch::fetch_and_place(session.s3(),
                                       session.catalog(),
                                       run,
                                       plan.archives,
                                       options,
                                       *link,
                                       placement,
                                       &progress);
      util::log_info(std::to_string(placement.files.files) + " files placed from the cache ("
                     + std::to_string(placement.files.reflinked) + " reflinked, "
                     + std::to_string(placement.files.hardlinked) + " hard-linked, "
                     + std::to_string(placement.files.copied) + " copied)");
    } else {
      summary = fetch::fetch_archives(
          session.s3(), session.catalog(), run, plan.archives, options, &progress);
    }
  }
  if (cache) {
    cache->gc(); // the size cap, least recently used first
  }
  util::log_info(fetch::summary_line(summary));
  for (const auto& outcome : summary.archives) {
    if (!outcome.ok) {
      util::log_error("failed: " + outcome.name + ": " + outcome.error);
    }
  }
  print_json(flags, run, plan, &summary);
  return summary.failures() > 0 ? static_cast<int>(ExitCode::not_found) : 0;
}

void add_selection_flags(CLI::App* sub, FetchFlags& f, CLI::Option* commit) {
  add_run_flags(*sub, f.repo, f.workflow, commit);
  sub->add_option("--platform", f.platform, "linux or windows (default: the host)");
  add_gpu_flags(*sub, f.gpu);
  sub->add_option("include",
                  f.includes,
                  "Regexes searched in archive file names (ECMAScript; Python's (?i) and "
                  "(?P<name>) accepted); each must match an archive unless --allow-missing");
  sub->add_option("--exclude", f.excludes, "Regexes of archive file names to skip")
      ->expected(1, -1);
  sub->add_option("--bucket", f.bucket, "Read from this bucket (no GitHub lookup)");
}

void add_processing_flags(CLI::App* sub, FetchFlags& f) {
  sub->add_option("--output-dir", f.output_dir, "Where archives are written and processed")
      ->capture_default_str();
  sub->add_flag("--dry-run,!--no-dry-run", f.dry_run, "List what would be fetched; touch nothing");
  sub->add_option("--download-concurrency",
                  f.download_concurrency,
                  "Flows (GETs in flight), whatever the CPU count; given, it is pinned, "
                  "else more are added while the total rate keeps rising (up to 64)")
      ->capture_default_str()
      ->each([&f](const std::string&) { f.pinned_flows = true; });
  sub->add_option("--max-bandwidth",
                  f.max_bandwidth,
                  "Cap on all downloads together, e.g. 10MB/s (for shared runners)");
  sub->add_option("--extract-concurrency",
                  f.extract_concurrency,
                  "Archives extracted at once (default: CPUs + 1)");
  auto* no_extract = sub->add_flag("--no-extract", f.no_extract, "Keep the archives only");
  auto* extract = sub->add_flag("--extract", f.extract, "One directory per archive (default)");
  auto* flatten = sub->add_flag("--flatten", f.flatten, "Merge every archive into the output dir");
  sub->add_option("--link-mode",
                  f.link_mode,
                  "With --flatten: extract each archive once into the cache and place its files "
                  "from there by auto (reflink, else hard link, else copy), reflink, hardlink or "
                  "copy; a warm fetch then extracts nothing (hard-linked files are read-only)")
      ->check(CLI::IsMember({"auto", "reflink", "hardlink", "copy"}));
  no_extract->excludes(extract, flatten);
  extract->excludes(flatten);
  sub->add_flag("--delete-after-extract,!--no-delete-after-extract",
                f.delete_after_extract,
                "Do not keep the archive after extracting it (default on)");
  sub->add_flag("--allow-missing", f.allow_missing, "An unmatched include is only a warning");
  sub->add_flag("--allow-unverified",
                f.allow_unverified,
                "Fetch archives without a .sha256sum companion (warning)");
  sub->add_flag("--json", f.json, "JSON summary on stdout");
}

} // namespace

void register_fetch(CLI::App& app, Context& context) {
  auto flags = std::make_shared<FetchFlags>();
  auto* sub = app.add_subcommand(
      "fetch",
      "Download, verify (sha256) and extract a run's artifacts (fetch_artifacts.py). Exit 0 "
      "all fetched (or dry run), 1 nothing to fetch or any archive failed, 2 error.");
  auto* commit =
      sub->add_option("--commit", flags->commit, "Commit whose run is fetched (via find)");
  auto* run_id = sub->add_option("--run-id", flags->run_id, "Workflow run to fetch from");
  commit->excludes(run_id);
  add_selection_flags(sub, *flags, commit);
  add_processing_flags(sub, *flags);
  add_s3_options(*sub, flags->s3);
  add_cache_options(*sub, flags->cache);
  sub->add_flag("--offline",
                flags->offline,
                "Answer from the cache alone (no GitHub or S3 request); fail naming what is "
                "missing");
  sub->callback([flags, &context, commit, run_id] {
    if (commit->count() == 0 && run_id->count() == 0) {
      throw UsageError("one of --commit or --run-id is required");
    }
    context.json = flags->json;
    context.exit_code = run_fetch(*flags, context);
  });
}

} // namespace rockart::cli
