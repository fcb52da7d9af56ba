// SPDX-License-Identifier: MIT
// `rockart install` (= TheRock's install_rocm_from_artifacts.py, the test jobs'
// set-up step): the archives a test needs, by component, flattened into one
// tree, from a CI run (--run-id, --commit), a nightly or dev release tarball
// (--release, --latest-release) or a local directory (--input-dir).
// Unlike upstream it never wipes the tree blindly: the previous install's
// record (install/state.hpp) makes a re-install touch only what changed.
#include "actions_output.hpp"
#include "cache_options.hpp"
#include "cli.hpp"
#include "environment.hpp"
#include "fetch_flags.hpp"
#include "fetch_progress.hpp"
#include "gpu_flags.hpp"
#include "s3_options.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/bandwidth.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/github/command.hpp>
#include <rockart/install/install.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/install_components.hpp>
#include <rockart/layout/release_tarball.hpp>
#include <rockart/runs/session.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <unistd.h>

#include <map>
#include <memory>

namespace rockart::cli {

namespace {

namespace fs = std::filesystem;

struct InstallFlags {
  GpuFlags gpu;
  std::optional<std::uint64_t> run_id;
  std::string commit;
  std::string release;
  bool latest_release = false;
  std::string input_dir;
  std::string output_dir = "./therock-build";
  std::string repo;
  std::string workflow;
  std::string platform;
  std::optional<std::string> bucket;
  std::map<std::string, bool> components; // flag -> on
  bool tests = false;
  bool base_only = false;
  bool dry_run = false;
  bool clean = false;
  bool json = false;
  bool offline = false;
  bool github_output = false;
  int download_concurrency = 16;
  bool pinned_flows = false;
  std::optional<std::string> max_bandwidth;
  std::string link_mode = "auto";
  S3Options s3;
  CacheOptions cache;
};

layout::InstallSelection selection_of(const InstallFlags& flags) {
  layout::InstallSelection selection;
  for (const auto& [flag, on] : flags.components) {
    if (on) {
      selection.components.push_back(flag);
    }
  }
  selection.tests = flags.tests;
  selection.base_only = flags.base_only;
  return selection;
}

// What the install directory holds before we start: the previous record, an
// empty one, or a refusal for someone else's files.
install::InstallState prepare_output(const fs::path& out, const InstallFlags& flags) {
  const install::TargetKind kind = install::target_kind(out);
  if (flags.clean) {
    if (!flags.dry_run && kind != install::TargetKind::fresh) {
      util::log_info("--clean: removing everything in '" + out.string() + "'");
      install::wipe(out);
    }
    return {};
  }
  if (kind == install::TargetKind::foreign) {
    throw UsageError("--output-dir '" + out.string()
                         + "' is not empty and holds no rockart install record ("
                         + install::state_path(out).string() + ")",
                     "pass --clean to wipe it and install afresh (what "
                     "install_rocm_from_artifacts.py always does), or choose another --output-dir");
  }
  if (kind == install::TargetKind::installed) {
    return *install::read_state(out);
  }
  return {};
}

fetch::FetchOptions pipeline_options(const InstallFlags& flags) {
  if (flags.download_concurrency < 1) {
    throw UsageError("--download-concurrency must be >= 1");
  }
  fetch::FetchOptions options;
  options.download_concurrency = flags.download_concurrency;
  options.adaptive_flows = !flags.pinned_flows;
  if (flags.max_bandwidth) {
    options.max_bandwidth = fetch::parse_bandwidth(*flags.max_bandwidth);
  }
  return options;
}

nlohmann::json plan_json(const install::InstallPlan& plan) {
  return {{"keep", plan.keep},
          {"add", plan.add},
          {"update", plan.update},
          {"remove", plan.remove},
          {"restore", plan.restore}};
}

nlohmann::json source_json(const install::InstallSource& source) {
  return {{"kind", source.kind},
          {"repo", source.repo},
          {"run_id", source.run_id},
          {"commit", source.commit},
          {"platform", source.platform},
          {"uri", source.uri}};
}

// One install from a listed source: plan against the record, apply, report.
struct Installation {
  install::InstallSource source;
  std::vector<std::string> patterns;
  std::vector<fetch::PlannedArchive> archives;
};

// The archives the tree holds once `plan` is applied.
std::vector<std::string> planned_tree(const install::InstallPlan& plan) {
  std::vector<std::string> names = plan.keep;
  for (const auto* part : {&plan.add, &plan.update, &plan.restore}) {
    names.insert(names.end(), part->begin(), part->end());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// What the tree holds after an install: the archives recorded complete.
std::vector<std::string> installed_tree(const install::InstallState& state) {
  std::vector<std::string> names;
  for (const auto& archive : state.archives) {
    if (archive.complete) {
      names.push_back(archive.name);
    }
  }
  return names;
}

int apply_installation(const InstallFlags& flags,
                       const Context& context,
                       runs::Session& session,
                       const runs::Run& run,
                       const Installation& installation,
                       install::InstallState state,
                       ActionsReport& actions) {
  const fs::path out = flags.output_dir;
  const auto options = pipeline_options(flags);
  const auto wanted = install::wanted_archives(
      session.catalog(), run, installation.archives, options.download_concurrency);
  const auto plan = install::plan_install(state, wanted);
  util::log_info(install::plan_line(plan));
  std::uint64_t total = 0;
  std::map<std::string, std::uint64_t> sizes;
  for (const auto& archive : installation.archives) {
    sizes[archive.name] = archive.size;
  }
  for (const auto& name : plan.apply_order()) {
    total += sizes[name];
    util::log_info("  " + run.uri() + "/" + name);
  }
  nlohmann::json doc = {{"schema_version", 1},
                        {"status", "ok"},
                        {"source", source_json(installation.source)},
                        {"output_dir", out.string()},
                        {"dry_run", flags.dry_run},
                        {"patterns", installation.patterns},
                        {"plan", plan_json(plan)}};
  if (flags.dry_run) {
    util::log_info("--dry-run: " + std::to_string(plan.apply_order().size()) + " archive(s) ("
                   + util::format_bytes(total) + ") would be installed into '" + out.string()
                   + "'; nothing changed");
    if (flags.json) {
      print_out(json_text(doc));
    }
    report_install(actions,
                   installation.source,
                   &run,
                   {out, install::plan_line(plan), planned_tree(plan), 0, 0, 0, true, {}});
    return 0;
  }

  state.source = installation.source;
  state.group = flags.gpu.group.value_or("");
  state.targets = layout::split_list(flags.gpu.targets, ',');
  state.patterns = installation.patterns;
  std::error_code error;
  fs::create_directories(out, error);
  if (error) {
    throw LocalIoError("cannot create " + out.string() + ": " + error.message());
  }
  // With a cache, archives are extracted once into its tree store and placed
  // from there: a warm install into any directory links instead of extracting.
  std::optional<cache::LinkMode> link;
  if (session.catalog().cache() != nullptr) {
    link = cache::parse_link_mode(flags.link_mode);
  }
  install::InstallResult result;
  {
    const auto to_apply = plan.apply_order();
    FetchProgress progress(total, to_apply.size(), progress_style(context));
    result = install::apply_plan(session.s3(),
                                 session.catalog(),
                                 run,
                                 installation.archives,
                                 wanted,
                                 plan,
                                 state,
                                 out,
                                 options,
                                 link,
                                 &progress);
  }
  if (auto* cache = session.catalog().cache()) {
    // A tarball without a companion is known by its ETag from now on: the
    // next install verifies it and finds it in the cache.
    for (const auto& archive : installation.archives) {
      const auto outcome = std::find_if(
          result.summary.archives.begin(),
          result.summary.archives.end(),
          [&](const fetch::ArchiveOutcome& o) { return o.name == archive.name && o.ok; });
      if (outcome != result.summary.archives.end() && !archive.companion && !archive.etag.empty()) {
        cache->index().put_object_blob(
            run.bucket, run.prefix + archive.name, archive.etag, outcome->sha256);
      }
    }
    cache->gc(); // the size cap, least recently used first
  }
  nlohmann::json applied = nlohmann::json::array();
  std::vector<FailedArchive> failures;
  for (const auto& outcome : result.summary.archives) {
    nlohmann::json entry = {{"name", outcome.name},
                            {"ok", outcome.ok},
                            {"from_cache", outcome.from_cache},
                            {"verified", outcome.verified},
                            {"bytes", outcome.bytes},
                            {"files", outcome.files}};
    if (!outcome.ok) {
      failures.push_back({outcome.name, outcome.error});
      entry["error"] = {{"kind", outcome.error_kind}, {"message", outcome.error}};
    }
    applied.push_back(entry);
  }
  if (!result.summary.archives.empty()) {
    util::log_info(fetch::summary_line(result.summary));
  }
  report_disk_full(result.summary, out);
  std::string placed;
  if (link && result.placed.files > 0) {
    placed = ", " + std::to_string(result.placed.files) + " files placed from the cache ("
             + std::to_string(result.placed.reflinked) + " reflinked, "
             + std::to_string(result.placed.hardlinked) + " hard-linked, "
             + std::to_string(result.placed.copied) + " copied)";
  }
  util::log_info("Installed " + std::to_string(state.archives.size()) + " archive(s) into '"
                 + fs::absolute(out).string() + "' (" + std::to_string(result.deleted)
                 + " path(s) removed" + placed + ")");
  doc["archives"] = applied;
  doc["bytes"] = result.summary.bytes;
  doc["seconds"] = result.summary.seconds;
  doc["deleted"] = result.deleted;
  doc["link_mode"] = link ? cache::to_string(*link) : "none";
  doc["placed"] = {{"files", result.placed.files},
                   {"reflinked", result.placed.reflinked},
                   {"hardlinked", result.placed.hardlinked},
                   {"copied", result.placed.copied}};
  if (!result.ok) {
    doc["status"] = "error";
  }
  if (flags.json) {
    print_out(json_text(doc));
  }
  report_install(actions,
                 installation.source,
                 &run,
                 {out,
                  install::plan_line(plan),
                  installed_tree(state),
                  result.summary.archives.size() - failures.size(),
                  result.summary.bytes,
                  result.summary.seconds,
                  false,
                  failures});
  return result.ok ? 0 : static_cast<int>(ExitCode::error);
}

int install_from_run(InstallFlags& flags,
                     const Context& context,
                     install::InstallState state,
                     ActionsReport& actions) {
  std::optional<cache::Cache> cache = open_cache(flags.cache);
  runs::SessionOptions session_options;
  session_options.s3 = flags.s3;
  session_options.offline = flags.offline;
  runs::Session session(
      process_env, github::run_process, session_options, cache ? &*cache : nullptr);
  const runs::Run run = session.resolve(run_question(flags.repo,
                                                     flags.platform,
                                                     flags.run_id,
                                                     flags.commit,
                                                     flags.gpu,
                                                     flags.bucket,
                                                     flags.workflow));
  if (!flags.run_id) {
    util::log_info("Resolved commit " + flags.commit + " -> run " + std::to_string(run.id)
                   + (run.html_url.empty() ? "" : " (" + run.html_url + ")"));
  }
  util::log_info("Retrieving artifacts for run ID " + std::to_string(run.id) + " from '" + run.uri()
                 + "'");

  Installation installation;
  installation.patterns = layout::install_patterns(selection_of(flags));
  fetch::PlanRequest request;
  request.gpu = gpu_request(flags.gpu);
  request.includes = installation.patterns;
  const auto plan = fetch::plan_fetch(session.catalog().files(run), request);
  // A component pattern may match nothing (some exist on one platform only):
  // only a warning, as upstream.
  if (!fetch::check_plan(plan,
                         run,
                         {.allow_missing = true,
                          .missing_is_expected = true,
                          .allow_generic_only = flags.gpu.allow_generic_only})) {
    report_run(actions, run);
    actions.error("nothing to install",
                  "run " + std::to_string(run.id) + " (" + run.uri()
                      + "/) has no archive to install for " + flags.gpu.group.value_or("")
                      + "; the log says which selection matched nothing");
    return static_cast<int>(ExitCode::not_found);
  }
  installation.archives = plan.archives;
  installation.source = {"run",
                         run.repo,
                         run.id,
                         flags.run_id ? std::string() : run.head_sha,
                         "",
                         run.platform,
                         run.uri()};
  return apply_installation(flags, context, session, run, installation, std::move(state), actions);
}

// The run-like root of the release tarballs: a bucket and the v4/tarball/
// prefix, listed afresh every time (a new nightly may appear any day).
runs::Run tarball_root(std::string_view bucket, const std::string& platform) {
  runs::Run root;
  root.platform = platform;
  root.bucket = std::string(bucket);
  root.prefix = std::string(layout::k_tarball_prefix);
  root.completed = false;
  return root;
}

int install_from_release(InstallFlags& flags,
                         const Context& context,
                         install::InstallState state,
                         ActionsReport& actions) {
  if (flags.offline) {
    throw UsageError("--offline is not supported with --release / --latest-release",
                     "the tarball bucket is listed to find the asset");
  }
  std::optional<cache::Cache> cache = open_cache(flags.cache);
  runs::SessionOptions session_options;
  session_options.s3 = flags.s3;
  runs::Session session(
      process_env, github::run_process, session_options, cache ? &*cache : nullptr);
  const std::string& group = *flags.gpu.group;
  std::string version = flags.release;
  layout::ReleaseKind kind = layout::ReleaseKind::nightly;
  if (flags.latest_release) {
    util::log_info("Finding latest nightly release for " + group + "...");
    const std::string bucket(layout::k_nightly_tarball_bucket);
    std::vector<layout::TarballListingEntry> listing;
    for (const auto& object :
         session.s3().list(bucket, layout::tarball_listing_prefix(flags.platform))) {
      listing.push_back({object.key, object.last_modified, object.size});
    }
    const auto pick = layout::pick_latest_tarball(listing, flags.platform, group);
    for (const auto& warning : pick.warnings) {
      util::log_warn(warning);
    }
    if (!pick.latest) {
      std::string available;
      for (const auto& name : layout::available_tarball_groups(listing, flags.platform)) {
        available += "\n  - " + name;
      }
      throw NotFoundError("no nightly release found for '" + group + "' in s3://" + bucket + "/"
                              + std::string(layout::k_tarball_prefix),
                          available.empty()
                              ? "the bucket holds no " + flags.platform + " tarball at all"
                              : "available GPU families in the multi-arch nightly bucket:"
                                    + available);
    }
    version = pick.latest->asset.version;
    util::log_info("Found latest release: " + version);
  } else {
    kind = layout::require_installable_release(version);
  }
  const runs::Run root = tarball_root(layout::tarball_bucket(kind), flags.platform);
  const std::string asset = layout::tarball_asset_name(flags.platform, group, version);
  util::log_info("Retrieving " + std::string(kind == layout::ReleaseKind::dev ? "dev" : "nightly")
                 + " multi-arch artifacts from " + root.uri() + "/");

  // One listing of the asset's own key finds the tarball and its companion.
  fetch::PlannedArchive tarball;
  tarball.name = asset;
  tarball.tarball = true;
  bool found = false;
  for (const auto& object : session.s3().list(root.bucket, root.prefix + asset)) {
    const std::string name = object.key.substr(root.prefix.size());
    if (name == asset) {
      tarball.size = object.size;
      tarball.etag = object.etag;
      found = true;
    } else if (name == layout::companion_name(asset)) {
      tarball.companion = runs::RunFile{name, object.size, object.etag};
    }
  }
  if (!found) {
    throw NotFoundError("no release tarball " + root.uri() + "/" + asset,
                        "check the version and group at "
                            + std::string(kind == layout::ReleaseKind::dev
                                              ? layout::k_dev_tarball_index_url
                                              : layout::k_nightly_tarball_index_url));
  }
  if (!tarball.companion && cache) {
    tarball.known_sha256 =
        cache->index().get_object_blob(root.bucket, root.prefix + asset, tarball.etag);
  }
  if (!tarball.companion && !tarball.known_sha256) {
    util::log_warn("no " + layout::companion_name(asset) + " next to " + asset
                   + ": the tarball is installed unverified (its digest is remembered for the "
                     "next install)");
  }
  Installation installation;
  installation.archives = {tarball};
  installation.source = {"release", "", 0, "", "", flags.platform, root.uri() + "/" + asset};
  return apply_installation(flags, context, session, root, installation, std::move(state), actions);
}

// rsync's rule, which upstream's `rsync -azP {in} {out}` follows: "dir/"
// copies the content of dir, "dir" copies dir itself into {out}/dir.
int install_from_input_dir(const InstallFlags& flags,
                           install::InstallState state,
                           ActionsReport& actions) {
  const fs::path in = flags.input_dir;
  util::log_info("Retrieving artifacts from input dir " + flags.input_dir);
  std::error_code error;
  if (!fs::is_directory(in, error)) {
    throw UsageError("--input-dir '" + flags.input_dir + "' is not a directory");
  }
  const bool contents = flags.input_dir.ends_with('/');
  const fs::path out = flags.output_dir;
  const fs::path dest = contents ? out : out / in.filename();
  install::InstallSource source{
      "input-dir", "", 0, "", "", flags.platform, fs::absolute(in).string()};
  if (flags.dry_run) {
    util::log_info("[DRY RUN] Would copy " + flags.input_dir + " to " + dest.string());
    report_install(actions, source, nullptr, {out, "", {}, 0, 0, 0, true, {}});
    return 0;
  }
  fs::create_directories(dest, error);
  fs::copy(in,
           dest,
           fs::copy_options::recursive | fs::copy_options::copy_symlinks
               | fs::copy_options::overwrite_existing,
           error);
  if (error) {
    util::log_error("cannot copy " + flags.input_dir + " to " + dest.string() + ": "
                    + error.message());
    actions.error("copy failed",
                  "cannot copy " + flags.input_dir + " to " + dest.string() + ": "
                      + error.message());
    return static_cast<int>(ExitCode::error);
  }
  state.source = source;
  state.group = flags.gpu.group.value_or("");
  install::write_state(out, state);
  util::log_info("Retrieved artifacts from input dir " + flags.input_dir + " to " + dest.string());
  report_install(actions, source, nullptr, {out, "", {}, 0, 0, 0, false, {}});
  return 0;
}

int run_install(InstallFlags& flags, const Context& context, ActionsReport& actions) {
  util::log_info("### Installing TheRock using artifacts ###");
  if (!flags.gpu.group || util::trim(*flags.gpu.group).empty()) {
    throw UsageError("Either --amdgpu-family or --artifact-group must be specified");
  }
  canonicalize(flags.gpu);
  if (flags.repo.empty()) {
    flags.repo = process_env("GITHUB_REPOSITORY").value_or("ROCm/TheRock");
  }
  if (flags.platform.empty()) {
    flags.platform = host_ci_platform();
  }
  // Everything that can be refused is refused before the tree is touched.
  (void)layout::install_patterns(selection_of(flags));
  if (!flags.release.empty()) {
    layout::require_installable_release(flags.release);
  }
  install::InstallState state = prepare_output(flags.output_dir, flags);
  if (!flags.input_dir.empty()) {
    return install_from_input_dir(flags, std::move(state), actions);
  }
  if (!flags.release.empty() || flags.latest_release) {
    return install_from_release(flags, context, std::move(state), actions);
  }
  return install_from_run(flags, context, std::move(state), actions);
}

constexpr const char* k_examples = R"(Examples:
  # What a rocBLAS test job installs (base + blas libraries and tests):
  rockart install --run-id 20723767265 --artifact-group gfx94X-dcgpu --blas --tests
  # The run that built a commit, narrowed to one GPU:
  rockart install --commit 3f2a9c1 --artifact-group gfx94X-dcgpu --amdgpu-targets gfx942 --miopen
  # The newest nightly tarball:
  rockart install --latest-release --artifact-group gfx110X-all --output-dir /opt/rocm
Re-running with another selection changes only the archives that differ; --clean wipes first.
Exit status: 0 installed (or dry run), 1 no such run, release or matching archive,
2 error (usage, a non-rockart --output-dir, network, integrity, archive, local I/O).)";

} // namespace

void register_install(CLI::App& app, Context& context) {
  auto flags = std::make_shared<InstallFlags>();
  auto* sub = app.add_subcommand(
      "install",
      "Install a run's (or a release's) ROCm components into one directory, as the test jobs' "
      "install_rocm_from_artifacts.py, incrementally");
  sub->footer(k_examples);
  auto* run_id = sub->add_option("--run-id", flags->run_id, "CI workflow run to install from");
  auto* commit = sub->add_option(
      "--commit", flags->commit, "Install from the newest run that built this commit");
  auto* release = sub->add_option(
      "--release", flags->release, "Nightly (7.11.0a20260119) or dev (7.11.0.dev0+<hex>) version");
  auto* latest =
      sub->add_flag("--latest-release", flags->latest_release, "The newest nightly tarball");
  auto* input_dir = sub->add_option(
      "--input-dir", flags->input_dir, "Copy this directory (DIR/: its content) instead");
  const std::vector<CLI::Option*> sources = {run_id, commit, release, latest, input_dir};
  for (auto* a : sources) {
    for (auto* b : sources) {
      if (a != b) {
        a->excludes(b);
      }
    }
  }
  add_gpu_flags(*sub, flags->gpu, "--artifact-group,--amdgpu-family");
  sub->add_option("--output-dir", flags->output_dir, "Install root")->capture_default_str();
  add_run_flags(*sub, flags->repo, flags->workflow, commit);
  sub->add_option("--platform", flags->platform, "linux or windows (default: the host)");
  sub->add_option("--bucket", flags->bucket, "Read the run from this bucket (no GitHub lookup)");
  for (const auto& component : layout::install_components()) {
    const std::string flag(component.flag);
    flags->components[flag] = false;
    sub->add_flag(
           "--" + flag + ",!--no-" + flag, flags->components[flag], std::string(component.help))
        ->group("Components (base libraries always; none given: every archive)");
  }
  sub->add_flag("--tests,!--no-tests", flags->tests, "Also each component's test archives")
      ->group("Components (base libraries always; none given: every archive)");
  sub->add_flag("--base-only", flags->base_only, "Only the base libraries (overrides components)")
      ->group("Components (base libraries always; none given: every archive)");
  sub->add_flag("--dry-run", flags->dry_run, "Print the install plan; change nothing");
  sub->add_flag("--clean",
                flags->clean,
                "Wipe --output-dir first (upstream's behaviour), also one rockart did not make");
  sub->add_option("--download-concurrency",
                  flags->download_concurrency,
                  "Flows (GETs in flight); given, it is pinned, else adapted")
      ->each([f = flags.get()](const std::string&) { f->pinned_flows = true; });
  sub->add_option("--max-bandwidth", flags->max_bandwidth, "Cap on all downloads, e.g. 10MB/s");
  sub->add_option("--link-mode",
                  flags->link_mode,
                  "How files come from the cache's extracted trees: auto (reflink, else hard "
                  "link, else copy), reflink, hardlink or copy; hard-linked files are read-only")
      ->check(CLI::IsMember({"auto", "reflink", "hardlink", "copy"}))
      ->capture_default_str();
  sub->add_flag("--json", flags->json, "JSON summary on stdout");
  sub->add_flag("--offline", flags->offline, "Answer from the cache alone (CI runs only)");
  add_github_output_flag(*sub,
                         flags->github_output,
                         "run_id, run_url, bucket, s3_uri, commit, install_dir, archives, "
                         "archive_names and bytes");
  add_s3_options(*sub, flags->s3);
  add_cache_options(*sub, flags->cache);
  sub->callback([flags, &context, sources] {
    if (std::none_of(sources.begin(), sources.end(), [](auto* o) { return o->count() > 0; })) {
      throw UsageError("one of --run-id, --commit, --release, --latest-release or --input-dir "
                       "is required");
    }
    context.json = flags->json;
    ActionsReport actions("install", flags->github_output);
    context.exit_code = actions.run([&] { return run_install(*flags, context, actions); });
  });
}

} // namespace rockart::cli
