// SPDX-License-Identifier: MIT
// `rockart copy`: server-side copy of a run's selected artifacts and their
// .sha256sum companions into another run's prefix (behaviours.md §4), in
// parallel; the bytes never pass through this machine on S3. The source run's
// bucket comes from one GitHub `GET run` (buckets.md §5: the source may be
// another repository or pre-cutover) unless --source-bucket is given; the
// destination is this run, resolved from the environment alone.
#include "cli.hpp"
#include "environment.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

namespace rockart::cli {
namespace {

struct CopyOptions {
  UploadFlags flags;
  std::string source_run_id, artifacts;
  std::optional<std::string> source_repository, source_bucket, run_id, platform, stages, topology;
  std::string families, targets;
  bool generic_only = false, expand = false;
};

std::vector<std::string> split_nonempty(const std::string& text, char sep) {
  std::vector<std::string> out;
  for (const auto& part : util::split(text, sep)) {
    if (!util::trim(part).empty()) {
      out.emplace_back(util::trim(part));
    }
  }
  return out;
}

// Archive names directly in the source root chosen by the flags (§5.3).
std::vector<std::string> select_archives(storage::Store& store,
                                         const layout::WorkflowOutputRoot& source,
                                         const CopyOptions& o,
                                         const std::set<std::string>& artifact_names) {
  std::vector<std::string> names;
  for (const auto& object : store.list(source.root(), "*")) {
    if (object.name.find('/') == std::string::npos) {
      names.push_back(object.name);
    }
  }
  layout::ManagerRequest request;
  request.amdgpu_families = split_nonempty(o.families, ';');
  request.amdgpu_targets = split_nonempty(o.targets, ',');
  request.generic_only = o.generic_only;
  request.expand_family_to_targets = o.expand;
  layout::ManagerFilter filter;
  filter.artifact_names = artifact_names;
  filter.requested_families = layout::manager_requested_families(request);
  return layout::select_for_manager(names, filter);
}

// Copies one archive and, when the source has it, its companion. A missing
// companion (any HEAD error counts as absent) is noted once, never retried.
void copy_one(storage::Store& store,
              const layout::WorkflowOutputRoot& source,
              const layout::WorkflowOutputRoot& dest,
              const std::string& name) {
  util::log_info("++ Copying " + name);
  store.copy(source.artifact(name), dest.artifact(name));
  bool has_companion = false;
  try {
    has_companion = store.exists(source.artifact_checksum(name));
  } catch (const std::exception&) {
    has_companion = false;
  }
  if (has_companion) {
    store.copy(source.artifact_checksum(name), dest.artifact_checksum(name));
  } else {
    util::log_warn("no companion " + layout::companion_name(name) + " in the source; copied " + name
                   + " alone");
  }
}

// The artifact names to copy: the union of what each --stage produces
// (behaviours.md §4.2 step 1, each stage's list logged) and the --artifacts names.
std::set<std::string> requested_names(const CopyOptions& o) {
  std::set<std::string> names;
  for (const auto& name : split_nonempty(o.artifacts, ',')) {
    names.insert(name);
  }
  if (o.stages) {
    const auto topology = load_topology_option(o.topology);
    for (const auto& stage : split_nonempty(*o.stages, ',')) {
      const auto produced = topology.produced_artifacts(stage);
      util::log_info(
          "Stage '" + stage + "' produces: "
          + util::join(std::vector<std::string>(produced.begin(), produced.end()), ", "));
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
  const std::string run_id = current_run_id(o.run_id);
  const std::string platform =
      o.platform ? *o.platform : process_env_or("THEROCK_PLATFORM", platform_or_host(o.platform));
  layout::BucketOverrides source_overrides;
  source_overrides.bucket = o.source_bucket;
  source_overrides.repository = o.source_repository;
  UploadFlags source_flags = o.flags;
  source_flags.lookup_workflow_run = true; // buckets.md §5: the source run is always looked up
  source_flags.run_github_repo.reset(); // §4.1: --run-github-repo is not the source's repository
  const auto source = upload_root(source_flags, o.source_run_id, platform, source_overrides);
  UploadFlags dest_flags = o.flags;
  dest_flags.lookup_workflow_run = false; // the destination is this run (buckets.md §5)
  const auto dest = upload_root(dest_flags, run_id, platform);
  UploadFlags real = o.flags;
  real.dry_run = false; // the dry run is handled here: list, print, stop
  UploadTarget target(real);
  storage::Store& store = target.store();
  util::log_info("Source: " + store.describe(source.root()));
  util::log_info("Dest: " + store.describe(dest.root()));
  const auto names = select_archives(store, source, o, names_wanted);
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
  const auto failures = util::run_parallel(names.size(), o.flags.concurrency, [&](std::size_t i) {
    copy_one(store, source, dest, names[i]);
  });
  std::vector<std::string> failed;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (failures[i]) {
      util::log_error("failed to copy " + names[i] + ": " + util::message_of(failures[i]));
      failed.push_back(names[i]);
    }
  }
  print_out("Copied " + std::to_string(names.size() - failed.size()) + "/"
            + std::to_string(names.size()) + " artifacts\n");
  if (failed.empty()) {
    return 0;
  }
  std::sort(failed.begin(), failed.end());
  util::log_error("failed to copy: " + util::join(failed, ", "));
  return 1;
}

} // namespace

void register_copy(CLI::App& app, Context& context) {
  auto o = std::make_shared<CopyOptions>();
  CLI::App* cmd = app.add_subcommand("copy", "Server-side copy of artifacts between runs (§4)");
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
  cmd->add_flag("--expand-family-to-targets", o->expand, "Also per-target archives");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o, &context] { context.exit_code = run_copy(*o); });
}

} // namespace rockart::cli
