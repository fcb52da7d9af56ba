// SPDX-License-Identifier: MIT
// `rockart fetch` (= TheRock's fetch_artifacts.py): the run (--run-id, or the
// run find picks for --commit) from runs::Session, its archives planned from
// the catalog's listing (or a local staging tree's), then downloaded,
// verified and extracted by the fetch pipeline. With --stage, the stage form
// (cmd_fetch_stage.cpp) takes over.
#include "environment.hpp"
#include "fetch_flags.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/bandwidth.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/github/command.hpp>
#include <rockart/runs/session.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>

#include <charconv>
#include <memory>

namespace rockart::cli {

namespace {

namespace fs = std::filesystem;

// --run-id as a workflow run number; only a local staging tree has runs
// named by a word ("local": what the upload commands write outside CI).
std::optional<std::uint64_t> numeric_run_id(const std::optional<std::string>& text) {
  if (!text) {
    return std::nullopt;
  }
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (ec != std::errc() || end != text->data() + text->size() || id == 0) {
    throw UsageError("--run-id must be a workflow run number, not '" + *text + "'",
                     "a run named by a word lives in a local staging tree: add "
                     "--local-staging-dir DIR");
  }
  return id;
}

runs::Run resolve_run(const FetchFlags& flags, runs::Session& session) {
  if (local_staging_dir(flags.local_staging_dir)) {
    if (!flags.commit.empty()) {
      throw UsageError("--commit looks the run up on GitHub; a local staging tree is read by run",
                       "pass --run-id (the run directory's name before -{platform})");
    }
    return environment_run(flags.repo, *flags.run_id, flags.platform, flags.bucket);
  }
  return session.resolve(run_question(flags.repo,
                                      flags.platform,
                                      numeric_run_id(flags.run_id),
                                      flags.commit,
                                      flags.gpu,
                                      flags.bucket,
                                      flags.workflow));
}

void print_json(const FetchFlags& flags,
                fetch::Mode mode,
                const runs::Run& run,
                const fetch::FetchPlan& plan,
                const fetch::FetchSummary* summary,
                const char* status = nullptr) {
  if (!flags.json) {
    return;
  }
  auto doc = fetch::report_json({run, mode, flags.output_dir, flags.dry_run, plan, summary});
  if (status != nullptr) {
    doc["status"] = status;
  }
  print_out(json_text(doc));
}

int run_fetch(FetchFlags& flags, const Context& context, ActionsReport& actions) {
  auto options = pipeline_options(flags);
  options.output_dir = flags.output_dir;
  const auto staging = local_staging_dir(flags.local_staging_dir);
  std::optional<cache::LinkMode> link;
  if (flags.link_mode) {
    if (!flags.flatten) {
      throw UsageError("--link-mode places a flattened tree", "add --flatten");
    }
    if (staging) {
      throw UsageError("--link-mode places trees from the cache, which a local staging tree "
                       "does not fill",
                       "drop --link-mode");
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
  std::vector<runs::RunFile> listing;
  if (staging) {
    options.local_root = fs::path(*staging) / run.prefix;
    util::log_info("Retrieving artifacts from '" + options.local_root.string() + "'");
    listing = list_local_run(*staging, run);
  } else {
    util::log_info("Retrieving artifacts from '" + run.uri() + "'");
    listing = session.catalog().files(run);
  }

  fetch::PlanRequest request;
  request.gpu = gpu_request(flags.gpu);
  request.includes = flags.includes;
  request.excludes = flags.excludes;
  request.keep_both_compressions = flags.no_extract;
  const auto plan = fetch::plan_fetch(listing, request);
  if (!fetch::check_plan(plan,
                         run,
                         {.allow_missing = flags.allow_missing,
                          .allow_generic_only = flags.gpu.allow_generic_only})) {
    print_json(flags, options.mode, run, plan, nullptr, "not_found");
    report_run(actions, run);
    actions.error("nothing to fetch",
                  "no archive of " + run.uri() + " matches the request (see the log for why)");
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
    print_json(flags, options.mode, run, plan, nullptr);
    return 0;
  }
  const auto summary = run_pipeline(context, session, run, plan.archives, options, link);
  print_json(flags, options.mode, run, plan, &summary);
  report_fetch_to_actions(actions, run, fetch_totals(flags.output_dir, summary));
  return fetch::exit_code_of(summary);
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
      ->capture_default_str()
      ->each([&f](const std::string&) { f.output_dir_given = true; });
  sub->add_option("--local-staging-dir",
                  f.local_staging_dir,
                  "Read the run from this local staging tree (what the upload commands' "
                  "--output-dir write: {DIR}/{run_id}-{platform}/) instead of S3, verified and "
                  "extracted the same way (default $THEROCK_LOCAL_STAGING_DIR)");
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
  add_github_output_flag(
      *sub, f.github_output, "run_id, run_url, bucket, s3_uri, artifacts_dir, archives and bytes");
}

} // namespace

void register_fetch(CLI::App& app, Context& context) {
  auto flags = std::make_shared<FetchFlags>();
  auto* sub = app.add_subcommand(
      "fetch",
      "Download, verify (sha256) and extract a run's artifacts (fetch_artifacts.py), or what a "
      "build stage needs (artifact_manager.py fetch --stage)");
  sub->footer(
      "Examples:\n"
      "  rockart fetch --run-id 20083647898 --artifact-group gfx94X-dcgpu --output-dir build\n"
      "  rockart fetch --commit HEAD --artifact-group gfx94X-dcgpu --workflow ci.yml --flatten\n"
      "  rockart fetch --stage math-libs --amdgpu-families gfx94X-dcgpu --bootstrap "
      "--output-dir build\n"
      "  rockart fetch --stage all --amdgpu-families \"gfx94X-dcgpu;gfx110X-all\" "
      "--expand-family-to-targets --output-dir build\n"
      "Exit status: 0 fetched (also a dry run, or a stage with nothing to fetch), 1 not found "
      "(no run, nothing matched, an unknown stage, an archive gone from the run), 2 error "
      "(usage, network, S3, a sha256 mismatch, a damaged archive, local I/O), 130 interrupted.");
  auto* commit =
      sub->add_option("--commit", flags->commit, "Commit whose run is fetched (via find)");
  auto* run_id = sub->add_option("--run-id",
                                 flags->run_id,
                                 "Workflow run to fetch from (with --stage: default "
                                 "$THEROCK_RUN_ID, $GITHUB_RUN_ID, else local)");
  commit->excludes(run_id);
  add_selection_flags(sub, *flags, commit);
  add_processing_flags(sub, *flags);
  add_stage_flags(*sub, flags->stage);
  add_s3_options(*sub, flags->s3);
  add_cache_options(*sub, flags->cache);
  sub->add_flag("--offline",
                flags->offline,
                "Answer from the cache alone (no GitHub or S3 request); fail naming what is "
                "missing");
  sub->callback([flags, &context, commit, run_id] {
    context.json = flags->json;
    if (flags->repo.empty()) {
      flags->repo = process_env("GITHUB_REPOSITORY").value_or("ROCm/TheRock");
    }
    if (flags->platform.empty()) {
      flags->platform = host_ci_platform();
    }
    ActionsReport actions("fetch", flags->github_output);
    if (flags->stage.stage) {
      context.exit_code = actions.run([&] { return run_stage_fetch(*flags, context, actions); });
      return;
    }
    if (flags->stage.bootstrap || !flags->stage.amdgpu_families.empty() || flags->stage.generic_only
        || flags->stage.expand_family_to_targets || !flags->stage.exclude_components.empty()
        || !flags->stage.exclude_artifacts.empty() || flags->stage.download_cache_dir
        || flags->stage.topology) {
      throw UsageError("--bootstrap, --amdgpu-families, --generic-only, "
                       "--expand-family-to-targets, --exclude-components, --exclude-artifacts, "
                       "--download-cache-dir and --topology select a build stage's artifacts",
                       "add --stage S (or --stage all)");
    }
    if (commit->count() == 0 && run_id->count() == 0) {
      throw UsageError("one of --commit or --run-id is required");
    }
    context.exit_code = actions.run([&] {
      canonicalize(flags->gpu);
      return run_fetch(*flags, context, actions);
    });
  });
}

} // namespace rockart::cli
