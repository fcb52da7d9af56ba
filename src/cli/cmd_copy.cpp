// SPDX-License-Identifier: MIT
// `rockart copy`: server-side copy of a run's selected artifacts and their
// .sha256sum companions into another run's root (storage::copy_archives). The
// source run's bucket comes from its GitHub run object, through the run
// catalog, unless --source-bucket is given: the source may be another
// repository's run or one from before the bucket cutover. The destination is
// this run, resolved from the environment alone.
#include "cli.hpp"
#include "environment.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/families.hpp>
#include <rockart/storage/copy.hpp>
#include <rockart/storage/push.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

namespace rockart::cli {
namespace {

struct CopyOptions {
  UploadFlags flags;
  std::string source_run_id, artifacts;
  std::optional<std::string> source_repository, source_bucket, run_id, platform, stages, topology;
  std::optional<std::string> local_staging_dir;
  std::string families, targets;
  bool generic_only = false, expand = false, no_expand = false;
};

// The artifact names to copy: the union of what each --stage produces (each
// stage's list logged) and the --artifacts names.
std::set<std::string> requested_names(const CopyOptions& o) {
  std::set<std::string> names;
  for (const auto& name : layout::split_list(o.artifacts, ',')) {
    names.insert(name);
  }
  if (o.stages) {
    const auto topology = storage::load_topology(o.topology);
    for (const auto& stage : layout::split_list(*o.stages, ',')) {
      const auto produced = storage::produced_names(topology, stage);
      names.insert(produced.begin(), produced.end());
    }
  }
  return names;
}

int run_copy(CopyOptions& o) {
  if (!o.stages && o.artifacts.empty()) {
    throw UsageError("copy needs --stage S1,S2,... (or --artifacts a,b,...)");
  }
  const auto names_wanted = requested_names(o);
  if (names_wanted.empty()) {
    util::log_info("The selected stages produce no artifacts; nothing to copy");
    return 0;
  }
  // A local staging tree holds both runs: copies stay inside it, and the
  // source's bucket (no lookup) does not matter there.
  const std::string staging = local_staging_dir(o.local_staging_dir).value_or("");
  if (!staging.empty()) {
    if (o.flags.output_dir && *o.flags.output_dir != staging) {
      throw UsageError("--output-dir and the local staging directory name different trees",
                       "give one of them");
    }
    o.flags.output_dir = staging;
  }
  const std::string run_id = current_run_id(o.run_id);
  const std::string platform =
      o.platform ? *o.platform : process_env_or("THEROCK_PLATFORM", platform_or_host(o.platform));
  layout::BucketOverrides source_overrides;
  source_overrides.bucket = o.source_bucket;
  source_overrides.repository = o.source_repository;
  UploadFlags source_flags = o.flags;
  // The source's bucket depends on its run's facts (not in a staging tree).
  source_flags.lookup_workflow_run = staging.empty();
  source_flags.run_github_repo.reset(); // names this run's repository, not the source's
  const auto source = upload_root(source_flags, o.source_run_id, platform, source_overrides);
  UploadFlags dest_flags = o.flags;
  dest_flags.lookup_workflow_run = false; // the destination is this run: the environment says all
  const auto dest = upload_root(dest_flags, run_id, platform);
  UploadFlags real = o.flags;
  real.dry_run = false; // the dry run is handled here: list, print, stop
  UploadTarget target(real);
  storage::Store& store = target.store();
  util::log_info("Source: " + store.describe(source.root()));
  util::log_info("Dest: " + store.describe(dest.root()));
  layout::ManagerRequest request;
  for (const auto& family : layout::split_list(o.families, ';')) {
    request.amdgpu_families.push_back(layout::canonical_group(family));
  }
  for (const auto& gfx : layout::split_list(o.targets, ',')) {
    request.amdgpu_targets.push_back(layout::canonical_target(gfx));
  }
  request.generic_only = o.generic_only;
  // A family's per-target (kpack-split) archives are part of it unless the
  // targets are given or the literal set is asked for.
  request.expand_family_to_targets = o.expand || (!o.no_expand && request.amdgpu_targets.empty());
  const auto names = storage::select_archives(store, source, names_wanted, request);
  if (names.empty()) {
    util::log_info("No matching artifacts found to copy");
    return 0;
  }
  if (o.flags.dry_run) {
    print_out("would copy " + std::to_string(names.size()) + " artifacts\n");
    for (const auto& name : names) {
      print_out("  " + name + "\n");
    }
    return 0;
  }
  const auto result = storage::copy_archives(store, source, dest, names, o.flags.concurrency);
  print_out("Copied " + std::to_string(result.copied) + "/" + std::to_string(names.size())
            + " artifacts\n");
  if (result.failed.empty()) {
    return 0;
  }
  util::log_error("failed to copy: " + util::join(result.failed, ", "));
  return 1;
}

} // namespace

void register_copy(CLI::App& app, Context& context) {
  auto o = std::make_shared<CopyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "copy", "Server-side copy of artifacts between runs (artifact_manager.py copy)");
  cmd->add_option("--source-run-id", o->source_run_id, "Run to copy from")->required();
  cmd->add_option("--source-repository", o->source_repository, "Repository of the source run");
  cmd->add_option("--source-bucket", o->source_bucket, "Bucket of the source run (override)");
  cmd->add_option(
      "--run-id", o->run_id, "Destination run (default $THEROCK_RUN_ID, $GITHUB_RUN_ID)");
  cmd->add_option("--platform", o->platform, "linux or windows (both sides)");
  cmd->add_option("--stage", o->stages, "Comma-separated stages whose produced artifacts to copy");
  cmd->add_option("--topology", o->topology, "BUILD_TOPOLOGY.toml (default: found in . or up)");
  cmd->add_option("--artifacts",
                  o->artifacts,
                  "Comma-separated artifact names (with or instead "
                  "of --stage)");
  cmd->add_option("--amdgpu-families", o->families, "Families, ';'-separated");
  cmd->add_option("--amdgpu-targets", o->targets, "Targets, ','-separated");
  cmd->add_flag("--generic-only", o->generic_only, "Only generic artifacts");
  auto* expand = cmd->add_flag("--expand-family-to-targets",
                               o->expand,
                               "Also the targets' archives (the default without --amdgpu-targets)");
  cmd->add_flag("--no-expand-family", o->no_expand, "Only generic and family-named archives")
      ->excludes(expand);
  cmd->add_option("--local-staging-dir",
                  o->local_staging_dir,
                  "Copy between the runs of this local staging tree instead of S3 "
                  "(default $THEROCK_LOCAL_STAGING_DIR)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o, &context] { context.exit_code = run_copy(*o); });
}

} // namespace rockart::cli
