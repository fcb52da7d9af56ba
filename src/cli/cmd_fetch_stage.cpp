// SPDX-License-Identifier: MIT
// `rockart fetch --stage S|all` (= TheRock's `artifact_manager.py fetch`): the
// artifacts a multi-arch build stage consumes, computed from
// BUILD_TOPOLOGY.toml, fetched from this CI run (bucket from the environment,
// no GitHub lookup), the run that built --commit, or a local staging tree,
// and extracted into {out}/artifacts/, flattened into {out}, or bootstrapped
// into {out} with .prebuilt markers. The log lines are upstream's, which CI
// logs are searched for.
#include "environment.hpp"
#include "fetch_flags.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/github/command.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/families.hpp>
#include <rockart/layout/topology.hpp>
#include <rockart/storage/push.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <filesystem>

namespace rockart::cli {

namespace {

namespace fs = std::filesystem;

std::string joined(const std::set<std::string>& names) {
  return util::join(std::vector<std::string>(names.begin(), names.end()), ", ");
}

// The regular form's selection flags mean nothing here: say so rather than
// fetch something else than asked.
void reject_regular_flags(const FetchFlags& flags) {
  if (flags.gpu.group || !flags.includes.empty() || !flags.excludes.empty() || flags.link_mode
      || flags.gpu.no_expand_family || flags.gpu.allow_generic_only) {
    throw UsageError("--stage selects artifacts by the build topology: --artifact-group, "
                     "include patterns, --exclude, --link-mode, --no-expand-family and "
                     "--allow-generic-only do not apply",
                     "use --amdgpu-families \"F1;F2\", --amdgpu-targets, --generic-only, "
                     "--exclude-artifacts or --exclude-components");
  }
  if (flags.stage.bootstrap && (flags.flatten || flags.no_extract)) {
    throw UsageError("--bootstrap, --flatten and --no-extract are different layouts",
                     "pick one (neither extracts into {out}/artifacts/)");
  }
  if (flags.stage.generic_only && !flags.stage.amdgpu_families.empty()) {
    throw UsageError("--generic-only and --amdgpu-families exclude each other");
  }
  if (!flags.output_dir_given) {
    throw UsageError("--stage needs --output-dir (the build directory the stage fills)");
  }
}

// The GPU part: "generic", the families (canonical spelling), their targets
// with --expand-family-to-targets, then the explicit targets.
layout::ManagerRequest manager_request(const FetchFlags& flags) {
  layout::ManagerRequest request;
  for (const auto& family : layout::split_list(flags.stage.amdgpu_families, ';')) {
    request.amdgpu_families.push_back(layout::canonical_group(family));
  }
  for (const auto& target : layout::split_list(flags.gpu.targets, ',')) {
    request.amdgpu_targets.push_back(layout::canonical_target(target));
  }
  request.generic_only = flags.stage.generic_only;
  request.expand_family_to_targets = flags.stage.expand_family_to_targets;
  return request;
}

runs::Run
stage_run(const FetchFlags& flags, runs::Session& session, const layout::ManagerRequest& request) {
  if (flags.commit.empty()) {
    return environment_run(flags.repo, current_run_id(flags.run_id), flags.platform, flags.bucket);
  }
  if (local_staging_dir(flags.local_staging_dir)) {
    throw UsageError("--commit looks the run up on GitHub; a local staging tree is read by run",
                     "pass --run-id instead of --commit");
  }
  // The run that built the commit, holding the first family's archives.
  GpuFlags gpu;
  gpu.group = request.amdgpu_families.empty() ? std::string(layout::k_generic)
                                              : request.amdgpu_families.front();
  gpu.targets = flags.gpu.targets;
  return session.resolve(run_question(
      flags.repo, flags.platform, std::nullopt, flags.commit, gpu, flags.bucket, flags.workflow));
}

// Where the archives are kept: the shared --download-cache-dir, or with
// --no-extract upstream's {out}/.download_cache. Otherwise none is kept:
// archives stream into their extraction.
void set_directories(const FetchFlags& flags, fetch::FetchOptions& options) {
  const fs::path out = flags.output_dir;
  options.output_dir = options.mode == fetch::Mode::extract ? out / "artifacts" : out;
  if (flags.stage.download_cache_dir) {
    options.archive_dir = *flags.stage.download_cache_dir;
    options.delete_after_extract = false;
  } else if (options.mode == fetch::Mode::no_extract) {
    options.archive_dir = out / ".download_cache";
  }
  if (options.mode == fetch::Mode::no_extract) {
    options.output_dir = options.archive_dir;
  }
}

void print_json(const FetchFlags& flags,
                const runs::Run& run,
                const std::set<std::string>& wanted,
                const std::vector<fetch::PlannedArchive>& archives,
                const fetch::FetchOptions& options,
                const fetch::FetchSummary* summary) {
  if (!flags.json) {
    return;
  }
  fetch::FetchPlan plan;
  plan.archives = archives;
  auto doc =
      fetch::report_json({run, options.mode, options.output_dir, flags.dry_run, plan, summary});
  doc["stage"] = *flags.stage.stage;
  doc["artifact_names"] = std::vector<std::string>(wanted.begin(), wanted.end());
  print_out(json_text(doc));
}

} // namespace

int run_stage_fetch(FetchFlags& flags, const Context& context, ActionsReport& actions) {
  reject_regular_flags(flags);
  const std::string& stage = *flags.stage.stage;
  const auto topology = storage::load_topology(
      flags.stage.topology ? std::optional<fs::path>(*flags.stage.topology) : std::nullopt);
  // Every input is checked before anything is listed or downloaded.
  const std::set<std::string> known = topology.artifact_names();
  const auto excluded_artifacts =
      layout::parse_name_list(flags.stage.exclude_artifacts, known, "--exclude-artifacts");
  const std::set<std::string> components(layout::k_components.begin(), layout::k_components.end());
  const auto excluded_components =
      layout::parse_name_list(flags.stage.exclude_components, components, "--exclude-components");
  const auto request = manager_request(flags);
  auto options = pipeline_options(flags);
  set_directories(flags, options);

  std::set<std::string> wanted;
  if (stage == "all") {
    wanted = known;
    util::log_info("Fetching all " + std::to_string(wanted.size()) + " artifacts");
  } else {
    wanted = topology.inbound_artifacts(stage);
    if (wanted.empty()) {
      util::log_info("Stage '" + stage + "' has no inbound artifacts");
      return 0;
    }
    util::log_info("Stage '" + stage + "' needs " + std::to_string(wanted.size())
                   + " artifacts: " + joined(wanted));
  }
  if (request.generic_only) {
    util::log_info("Using generic (host) artifacts only");
  }
  const auto families = layout::manager_requested_families(request);
  util::log_info("Target families: " + util::join(families, ", "));
  if (!excluded_artifacts.empty()) {
    util::log_info("Excluding artifacts: " + joined(excluded_artifacts));
    for (const auto& name : excluded_artifacts) {
      wanted.erase(name);
    }
    if (wanted.empty()) {
      util::log_info("No artifacts remain after exclusions");
      return 0;
    }
  }

  std::optional<cache::Cache> cache = open_cache(flags.cache);
  runs::SessionOptions session_options;
  session_options.s3 = flags.s3;
  session_options.offline = flags.offline;
  runs::Session session(
      process_env, github::run_process, session_options, cache ? &*cache : nullptr);
  const runs::Run run = stage_run(flags, session, request);
  std::vector<runs::RunFile> listing;
  if (const auto staging = local_staging_dir(flags.local_staging_dir)) {
    options.local_root = fs::path(*staging) / run.prefix;
    util::log_info("Using backend: " + options.local_root.string());
    listing = list_local_run(*staging, run);
  } else {
    util::log_info("Using backend: " + run.uri() + "/");
    listing = session.catalog().files(run);
  }
  const auto archive_count = std::count_if(listing.begin(), listing.end(), [](const auto& file) {
    return layout::is_archive_candidate(file.name);
  });
  util::log_info("Found " + std::to_string(archive_count) + " artifacts in backend");
  if (!excluded_components.empty()) {
    util::log_info("Excluding artifact components: " + joined(excluded_components));
  }
  const auto archives = fetch::plan_stage_fetch(listing, {wanted, excluded_components, families});
  if (archives.empty()) {
    util::log_info("No matching artifacts found to download");
    print_json(flags, run, wanted, archives, options, nullptr);
    return 0;
  }
  if (flags.dry_run) {
    for (const auto& archive : archives) {
      if (!flags.json) {
        print_out(run.uri() + "/" + archive.name + "\n");
      }
    }
    util::log_info("--dry-run: skipping the download of " + std::to_string(archives.size())
                   + " artifacts");
    print_json(flags, run, wanted, archives, options, nullptr);
    return 0;
  }
  util::log_info("");
  util::log_info("Downloading " + std::to_string(archives.size()) + " artifacts...");
  const auto summary = run_pipeline(context, session, run, archives, options);
  // An archive that arrived but would not extract is an extraction failure;
  // every other failure is a download failure.
  const std::size_t total = archives.size();
  std::size_t extract_failures = 0;
  for (const auto& outcome : summary.archives) {
    extract_failures += fetch::failed_with<ArchiveError>(outcome) ? 1 : 0;
  }
  const std::size_t downloaded = total - summary.failures() + extract_failures;
  const std::size_t extracted = total - summary.failures();
  const bool extracting = options.mode != fetch::Mode::no_extract;
  util::log_info("");
  util::log_info("Downloaded " + std::to_string(downloaded) + " artifacts, extracted "
                 + std::to_string(extracting ? extracted : 0));
  print_json(flags, run, wanted, archives, options, &summary);
  report_fetch_to_actions(actions, run, fetch_totals(options.output_dir, summary));
  if (downloaded < total) {
    util::log_error("Only downloaded " + std::to_string(downloaded) + "/" + std::to_string(total)
                    + " artifacts - " + std::to_string(total - downloaded) + " failed");
    return fetch::exit_code_of(summary);
  }
  if (extracting && extracted < downloaded) {
    util::log_error("Only extracted " + std::to_string(extracted) + "/" + std::to_string(downloaded)
                    + " artifacts - " + std::to_string(downloaded - extracted) + " failed");
    return static_cast<int>(ExitCode::not_found);
  }
  return 0;
}

void add_stage_flags(CLI::App& command, StageFlags& flags) {
  command.add_option("--stage",
                     flags.stage,
                     "Fetch what build stage S consumes (its inbound artifacts from "
                     "BUILD_TOPOLOGY.toml), or every artifact with 'all'; the run defaults "
                     "to this CI run, its bucket from the environment");
  command.add_flag("--bootstrap",
                   flags.bootstrap,
                   "With --stage: members into {out}/{R}/ and an empty {out}/{R}.prebuilt "
                   "marker per stage directory R (the build then skips R)");
  command.add_option("--amdgpu-families",
                     flags.amdgpu_families,
                     "With --stage: GPU families, ';'-separated (generic is always included)");
  command.add_flag("--generic-only", flags.generic_only, "With --stage: generic archives only");
  command.add_flag("--expand-family-to-targets",
                   flags.expand_family_to_targets,
                   "With --stage: also each family's per-target archives");
  command.add_option(
      "--exclude-components",
      flags.exclude_components,
      "With --stage: components to skip (lib, run, dev, dbg, doc, test; ',' or ';')");
  command.add_option("--exclude-artifacts",
                     flags.exclude_artifacts,
                     "With --stage: artifact names to skip (',' or ';')");
  command.add_option("--download-cache-dir",
                     flags.download_cache_dir,
                     "With --stage: keep the archives in this shared directory (reused when "
                     "they verify); rockart's cache is used as well");
  command.add_option(
      "--topology", flags.topology, "BUILD_TOPOLOGY.toml (default: found in . or a parent)");
}

} // namespace rockart::cli
