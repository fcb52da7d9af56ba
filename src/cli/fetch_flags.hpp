// SPDX-License-Identifier: MIT
// The flags of `rockart fetch`, shared by its two forms: a run's artifacts
// selected by GPU and regexes (cmd_fetch.cpp, as fetch_artifacts.py), and a
// build stage's inbound artifacts (cmd_fetch_stage.cpp, as
// artifact_manager.py fetch --stage).
#pragma once

#include "actions_output.hpp"
#include "cache_options.hpp"
#include "cli.hpp"
#include "gpu_flags.hpp"
#include "s3_options.hpp"

#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/runs/session.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rockart::cli {

// The stage form's own flags.
struct StageFlags {
  std::optional<std::string> stage; // --stage S|all: set selects the stage form
  bool bootstrap = false;           // {out}/{R}/... with {out}/{R}.prebuilt markers
  std::string amdgpu_families;      // --amdgpu-families "F1;F2"
  bool generic_only = false;
  bool expand_family_to_targets = false;
  std::string exclude_components; // comma/semicolon list
  std::string exclude_artifacts;  // comma/semicolon list
  std::optional<std::string> download_cache_dir;
  std::optional<std::string> topology;
};

struct FetchFlags {
  std::string commit;
  std::optional<std::string> run_id; // a number; any word ("local") for a local staging tree
  std::string repo;
  std::string workflow;
  std::string platform;
  GpuFlags gpu;
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  std::optional<std::string> bucket;
  std::string output_dir = "build/artifacts";
  bool output_dir_given = false;
  std::optional<std::string> local_staging_dir; // --local-staging-dir / THEROCK_LOCAL_STAGING_DIR
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
  bool github_output = false; // --github-output (also on when GITHUB_ACTIONS=true)
  S3Options s3;
  CacheOptions cache;
  StageFlags stage;
};

// The pipeline options of `flags` (mode, concurrency, bandwidth); the caller
// sets the directories. Throws UsageError for a bad number.
fetch::FetchOptions pipeline_options(const FetchFlags& flags);

// Downloads, verifies and places `archives` of `run` per `options` (with
// `link`: flattened through the cache's trees), with the progress display,
// the cache's size cap applied after and the summary line (each failure was
// printed once as it happened).
fetch::FetchSummary run_pipeline(const Context& context,
                                 runs::Session& session,
                                 const runs::Run& run,
                                 const std::vector<fetch::PlannedArchive>& archives,
                                 const fetch::FetchOptions& options,
                                 std::optional<cache::LinkMode> link = std::nullopt);

// When archives failed on a full disk, the one error line saying how much is
// needed against what `dir` has free.
void report_disk_full(const fetch::FetchSummary& summary, const std::filesystem::path& dir);

// The run `run_id` of `repo` on `platform` where the environment says this
// CI's outputs go (the bucket rules of the uploaders; `bucket` overrides), no
// GitHub lookup: the run is the one in progress, or its outputs are in a
// local staging tree. Logs the bucket decision.
runs::Run environment_run(const std::string& repo,
                          const std::string& run_id,
                          const std::string& platform,
                          const std::optional<std::string>& bucket);

// The files directly in the run's directory of the local staging tree
// `staging` (`{staging}/{run.prefix}`), as a listing. Throws NotFoundError
// when that directory does not exist.
std::vector<runs::RunFile> list_local_run(const std::string& staging, const runs::Run& run);

// `rockart fetch --stage S`: the stage's inbound artifacts (cmd_fetch_stage.cpp),
// reported to `actions`.
int run_stage_fetch(FetchFlags& flags, const Context& context, ActionsReport& actions);

// Adds --stage and the flags only the stage form takes.
void add_stage_flags(CLI::App& command, StageFlags& flags);

} // namespace rockart::cli
