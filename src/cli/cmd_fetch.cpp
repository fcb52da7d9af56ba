// SPDX-License-Identifier: MIT
// `rockart fetch` (= fetch_artifacts.py, behaviours.md §3): resolve the run
// (--run-id, or --commit through find), resolve its bucket (one GET run unless
// --bucket), list and select archives, then download, verify and extract them
// through the streaming pipeline of the fetch layer.
#include "cache_options.hpp"
#include "cli.hpp"
#include "environment.hpp"
#include "fetch_cache.hpp"
#include "fetch_progress.hpp"
#include "find_common.hpp"
#include "s3_options.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/github/auth.hpp>
#include <rockart/github/client.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <memory>

namespace rockart::cli {

namespace {

struct FetchFlags {
  std::string commit;
  std::optional<std::uint64_t> run_id;
  std::string repo;
  std::string platform;
  std::optional<std::string> group;
  std::string targets;
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  std::optional<std::string> bucket;
  std::string output_dir = "build/artifacts";
  bool dry_run = false;
  int download_concurrency = 10;
  int extract_concurrency = 0;
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

// The run to fetch from and where its archives are.
struct ResolvedRun {
  std::string run_id;
  std::string bucket;
  std::string prefix;     // ends with '/'
  bool completed = false; // the run finished: its facts may be cached (issue 6)
};

std::string default_repo() {
  return process_env("GITHUB_REPOSITORY").value_or("ROCm/TheRock");
}

std::unique_ptr<github::Client> make_github(http::Transport& transport, http::Sleeper& sleeper) {
  const auto auth = github::resolve_auth(
      process_env, [](const std::vector<std::string>& argv) { return github::run_command(argv); });
  if (!auth.authenticated()) {
    util::log_warn(github::unauthenticated_warning());
  }
  github::ClientOptions options;
  options.base_url = process_env("GITHUB_API_URL").value_or(std::string(github::k_default_api_url));
  options.token = auth.token;
  options.user_agent = std::string("therock-ci-outputs/") + ROCKART_VERSION;
  return std::make_unique<github::Client>(transport, sleeper, options);
}

// buckets.md §5: exactly one GET run, whose facts select the bucket.
github::WorkflowRun lookup_run(const FetchFlags& flags, http::Transport& transport) {
  http::RealSleeper sleeper;
  auto github = make_github(transport, sleeper);
  try {
    return github->get_run(flags.repo, *flags.run_id);
  } catch (const Error& e) {
    const std::string id = std::to_string(*flags.run_id);
    throw RemoteError("cannot look up run " + id + " of " + flags.repo + " (https://github.com/"
                          + flags.repo + "/actions/runs/" + id + "): " + e.what(),
                      0,
                      "",
                      "",
                      "select the run's repository with --run-github-repo, or skip the lookup "
                      "with --bucket");
  }
}

// A completed run's lookup is served from the cache index (no GitHub request).
ResolvedRun
resolve_by_run_id(const FetchFlags& flags, http::Transport& transport, cache::Cache* cache) {
  const std::string id = std::to_string(*flags.run_id);
  if (!flags.bucket) {
    if (const auto run = stored_run(cache, flags.repo, *flags.run_id, flags.offline)) {
      const layout::WorkflowOutputRoot root(run->bucket, run->prefix, id, flags.platform);
      return {root.run_id(), root.bucket(), root.root().prefix(), cache::is_final(*run)};
    }
  }
  layout::BucketOverrides overrides;
  overrides.repository = flags.repo;
  overrides.bucket = flags.bucket;
  std::optional<github::WorkflowRun> run;
  if (!flags.bucket) {
    run = lookup_run(flags, transport);
    overrides.run = layout::WorkflowRunFacts{run->head_repository, run->updated_at};
  }
  const auto decision = resolve_bucket(overrides, true);
  if (run) {
    remember_run(cache, flags.repo, *run, decision);
  }
  const layout::WorkflowOutputRoot root(
      decision.bucket, decision.external_repo, id, flags.platform);
  const bool completed =
      run ? run->status == "completed" : run_completed(cache, flags.repo, *flags.run_id);
  return {root.run_id(), root.bucket(), root.root().prefix(), completed};
}

// --commit: the run `find` picks for the group (behaviours.md §1.2), through
// the run store in `cache` (issue 6; with --offline from the cache alone).
ResolvedRun resolve_by_commit(const FetchFlags& flags, cache::Cache* cache) {
  if (!flags.group) {
    throw UsageError("--commit needs --artifact-group (the group whose run is looked up)");
  }
  FindFlags find;
  find.repo = flags.repo;
  find.platform = flags.platform;
  find.groups = {*flags.group};
  find.targets = layout::split_list(flags.targets, ',');
  find.bucket = flags.bucket;
  find.s3 = flags.s3;
  find.run_store = true;
  find.offline = flags.offline;
  find.cache = flags.cache;
  FindSession session(find, cache);
  const auto sha = github::resolve_commit(flags.commit, flags.repo, session.github(), run_git);
  const auto found = session.search().commit(sha);
  for (const auto& warning : found.outcome.warnings) {
    util::log_warn(warning);
  }
  if (found.outcome.results.empty()) {
    for (const auto& line : found.outcome.rejections) {
      util::log_info("  " + line);
    }
    throw NotFoundError("no run of " + flags.repo + " for commit " + sha
                        + " holds artifacts of group " + *flags.group + " (platform "
                        + flags.platform + ")");
  }
  const auto& result = found.outcome.results.front();
  util::log_info("commit " + sha + ": using run " + std::to_string(result.run.id) + " ("
                 + result.run.html_url + ")");
  return {std::to_string(result.run.id),
          result.storage.bucket,
          result.storage.path,
          result.run.status == "completed"};
}

fetch::Mode mode_of(const FetchFlags& flags) {
  if (flags.no_extract) {
    return fetch::Mode::no_extract;
  }
  return flags.flatten ? fetch::Mode::flatten : fetch::Mode::extract;
}

std::string mode_name(fetch::Mode mode) {
  switch (mode) {
  case fetch::Mode::no_extract:
    return "no-extract";
  case fetch::Mode::flatten:
    return "flatten";
  default:
    return "extract";
  }
}

// The run's files; for a completed run also their etags (options.final_etags).
std::vector<fetch::ListedFile> list_run(s3::Client& client,
                                        cache::Cache* cache,
                                        const FetchFlags& flags,
                                        const ResolvedRun& run,
                                        fetch::FetchOptions& options) {
  std::vector<fetch::ListedFile> files;
  for (const auto& object :
       list_run_objects(client, cache, run.bucket, run.prefix, run.completed, flags.offline)) {
    files.push_back({object.key.substr(run.prefix.size()), object.size});
    if (run.completed && cache != nullptr) {
      options.final_etags[files.back().name] = object.etag;
    }
  }
  return files;
}

nlohmann::json summary_json(const ResolvedRun& run,
                            const FetchFlags& flags,
                            const fetch::FetchPlan& plan,
                            const fetch::FetchSummary* summary) {
  nlohmann::json doc = {{"status", "ok"},
                        {"run_id", run.run_id},
                        {"bucket", run.bucket},
                        {"prefix", run.prefix},
                        {"mode", mode_name(mode_of(flags))},
                        {"output_dir", flags.output_dir},
                        {"dry_run", flags.dry_run},
                        {"unmatched_includes", plan.unmatched_includes}};
  nlohmann::json archives = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.archives.size(); ++i) {
    nlohmann::json entry = {{"name", plan.archives[i].name}, {"size", plan.archives[i].size}};
    if (summary != nullptr) {
      const auto& o = summary->archives[i];
      entry.update({{"ok", o.ok},
                    {"cached", o.cached},
                    {"from_cache", o.from_cache},
                    {"verified", o.verified},
                    {"sha256", o.sha256},
                    {"bytes", o.bytes},
                    {"files", o.files},
                    {"destination", o.destination.string()}});
      if (!o.ok) {
        entry["error"] = {{"kind", o.error_kind}, {"message", o.error}};
      }
    }
    archives.push_back(entry);
  }
  doc["archives"] = archives;
  if (summary != nullptr) {
    doc["bytes"] = summary->bytes;
    doc["seconds"] = summary->seconds;
    doc["failures"] = summary->failures();
    if (summary->failures() > 0) {
      doc["status"] = "error";
    }
  }
  return doc;
}

// behaviours.md §3.2 steps 3-4 and issue 5 item 2; returns an exit code when
// there is nothing (complete) to fetch.
std::optional<int> check_plan(const FetchFlags& flags,
                              const ResolvedRun& run,
                              const fetch::FetchPlan& plan,
                              const std::string& uri) {
  if (plan.all) {
    util::log_info("No --artifact-group or --amdgpu-targets given: downloading all artifacts");
  } else {
    util::log_info("Requested families: " + util::join(plan.requested_families, ", "));
  }
  if (plan.gpu_selected == 0) {
    util::log_error(plan.all ? "found no artifacts at " + uri
                             : "found no artifacts matching "
                                   + util::join(plan.requested_families, ", ") + " at " + uri);
    util::log_error("No matching artifacts for " + run.run_id + " exist. Exiting...");
    return static_cast<int>(ExitCode::not_found);
  }
  if (plan.archives.empty()) {
    util::log_error("Filtering artifacts for " + run.run_id
                    + " resulted in an empty set. Exiting...");
    return static_cast<int>(ExitCode::not_found);
  }
  if (!plan.unmatched_includes.empty()) {
    const std::string message = "include pattern(s) matched no archive of run " + run.run_id + ": "
                                + util::join(plan.unmatched_includes, ", ");
    if (!flags.allow_missing) {
      util::log_error(message + " (pass --allow-missing to fetch the others anyway)");
      return static_cast<int>(ExitCode::not_found);
    }
    util::log_warn(message);
  }
  return std::nullopt;
}

fetch::FetchOptions pipeline_options(const FetchFlags& flags) {
  if (flags.download_concurrency < 1 || flags.extract_concurrency < 0) {
    throw UsageError("--download-concurrency must be >= 1 and --extract-concurrency >= 1");
  }
  fetch::FetchOptions options;
  options.mode = mode_of(flags);
  options.output_dir = flags.output_dir;
  options.download_concurrency = flags.download_concurrency;
  options.extract_concurrency = flags.extract_concurrency;
  options.delete_after_extract = flags.delete_after_extract;
  options.allow_unverified = flags.allow_unverified;
  return options;
}

int run_fetch(FetchFlags& flags, const Context& context) {
  if (flags.repo.empty()) {
    flags.repo = default_repo();
  }
  if (flags.platform.empty()) {
    flags.platform = host_ci_platform();
  }
  auto options = pipeline_options(flags);
  if (flags.offline && flags.cache.no_cache) {
    throw UsageError("--offline needs the cache; drop --no-cache");
  }
  std::optional<cache::Cache> cache = open_cache(flags.cache);
  options.cache = cache ? &*cache : nullptr;
  options.offline = flags.offline;
  S3Session s3(flags.s3);
  const ResolvedRun run = flags.run_id ? resolve_by_run_id(flags, s3.transport(), options.cache)
                                       : resolve_by_commit(flags, options.cache);
  const std::string uri = "s3://" + run.bucket + "/" + run.prefix.substr(0, run.prefix.size() - 1);
  util::log_info("Retrieving artifacts from '" + uri + "'");

  fetch::PlanRequest request;
  request.gpu.group = flags.group;
  request.gpu.targets = layout::split_list(flags.targets, ',');
  request.includes = flags.includes;
  request.excludes = flags.excludes;
  request.keep_both_compressions = flags.no_extract;
  const fetch::RunStore store{run.bucket, run.prefix};
  const auto plan =
      fetch::plan_fetch(list_run(s3.client(), options.cache, flags, run, options), request);
  if (const auto code = check_plan(flags, run, plan, uri)) {
    if (flags.json) {
      auto doc = summary_json(run, flags, plan, nullptr);
      doc["status"] = "not_found";
      print_out(doc.dump(2) + "\n");
    }
    return *code;
  }
  std::uint64_t total = 0;
  for (const auto& archive : plan.archives) {
    total += archive.size;
    if (flags.dry_run && !flags.json) {
      print_out(uri + "/" + archive.name + "\n");
    } else {
      util::log_info("  " + uri + "/" + archive.name);
    }
  }
  if (flags.dry_run) {
    util::log_info("--dry-run: skipping the download of " + std::to_string(plan.archives.size())
                   + " archive(s) (" + util::format_bytes(total) + ")");
    if (flags.json) {
      print_out(summary_json(run, flags, plan, nullptr).dump(2) + "\n");
    }
    return 0;
  }
  fetch::FetchSummary summary;
  {
    FetchProgress progress(
        total, plan.archives.size(), ::isatty(2) != 0 && !context.quiet, context.quiet);
    summary = fetch::fetch_archives(s3.client(), store, plan.archives, options, &progress);
  }
  if (cache) {
    cache->gc(); // issue 6 item 5: the size cap, least recently used first
  }
  util::log_info(summary_line(summary));
  for (const auto& outcome : summary.archives) {
    if (!outcome.ok) {
      util::log_error("failed: " + outcome.name + ": " + outcome.error);
    }
  }
  if (flags.json) {
    print_out(summary_json(run, flags, plan, &summary).dump(2) + "\n");
  }
  return summary.failures() > 0 ? static_cast<int>(ExitCode::not_found) : 0;
}

void add_selection_flags(CLI::App* sub, FetchFlags& f) {
  sub->add_option("--run-github-repo",
                  f.repo,
                  "Repository of the run (default: "
                  "GITHUB_REPOSITORY, else ROCm/TheRock)");
  sub->add_option("--platform", f.platform, "linux or windows (default: the host)");
  sub->add_option("--artifact-group", f.group, "Artifact group, e.g. gfx94X-dcgpu");
  sub->add_option("--amdgpu-targets", f.targets, "Comma-separated explicit targets");
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
  sub->add_option("--download-concurrency", f.download_concurrency, "GET requests in flight")
      ->capture_default_str();
  sub->add_option("--extract-concurrency",
                  f.extract_concurrency,
                  "Archives downloaded and extracted at once (default: CPUs + 1)");
  auto* no_extract = sub->add_flag("--no-extract", f.no_extract, "Keep the archives only");
  auto* extract = sub->add_flag("--extract", f.extract, "One directory per archive (default)");
  auto* flatten = sub->add_flag("--flatten", f.flatten, "Merge every archive into the output dir");
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
  add_selection_flags(sub, *flags);
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
