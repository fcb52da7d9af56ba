// SPDX-License-Identifier: MIT
// The run root of one workflow run on one platform and every output location
// below it. All paths are built with
// StorageLocation::child*, so every result is the root or strictly below it.
#pragma once

#include <rockart/layout/location.hpp>

#include <string>
#include <string_view>

namespace rockart::layout {

// Frameworks with a manifest under `manifests/{family}/`.
enum class Framework { torch, jax };

// Parses "torch" or "jax"; throws UsageError naming the value otherwise.
Framework parse_framework(std::string_view text);

// "torch" or "jax".
std::string_view framework_name(Framework framework);

// Throws UsageError unless `external_repo` is "" or exactly `{owner}-{repo}/`
// with non-empty owner and repo (neither containing `/`).
void validate_external_repo(std::string_view external_repo);

// Throws UsageError unless `pkg` is "deb" or "rpm".
void validate_package_type(std::string_view pkg);

// Root of a workflow run's outputs: bucket plus `P = {external_repo}{run_id}-{platform}`.
class WorkflowOutputRoot {
public:
  // A CI root. Throws UsageError unless the bucket name is valid,
  // `external_repo` is "" or `{owner}-{repo}/`, `run_id` is one non-empty
  // segment and `platform` is "linux" or "windows".
  WorkflowOutputRoot(std::string bucket,
                     std::string external_repo,
                     std::string run_id,
                     std::string platform);

  // A local root (local staging directory): bucket `local`, no external repo, any
  // non-empty single-segment `run_id` (conventionally "local") and the host
  // `platform` name, lower-cased. Throws UsageError on an invalid segment.
  static WorkflowOutputRoot local(std::string_view run_id, std::string_view platform);

  const std::string& bucket() const noexcept { return m_bucket; }

  const std::string& external_repo() const noexcept { return m_external_repo; }

  const std::string& run_id() const noexcept { return m_run_id; }

  const std::string& platform() const noexcept { return m_platform; }

  // The run prefix P, without trailing slash (e.g. `ROCm-TheRock/20384488184-windows`).
  const std::string& prefix() const noexcept { return m_root.relative_path(); }

  // Run root `P`: archives live directly here, not in a sub-directory.
  const StorageLocation& root() const noexcept { return m_root; }

  // `P/{file}`; `file` is one segment (archive naming rules are in artifact.hpp).
  StorageLocation artifact(std::string_view file) const;
  // `P/{archive_file}.sha256sum`.
  StorageLocation artifact_checksum(std::string_view archive_file) const;
  // `P/index.html`, the run index page tools link as "Artifacts".
  StorageLocation run_index() const;
  // `P/index-{group}.html` (only runs before 2026-03-27 have it).
  StorageLocation legacy_group_index(std::string_view group) const;

  // `P/logs` and `P/logs/index.html`.
  StorageLocation logs_root() const;
  StorageLocation logs_index() const;
  // `P/logs/{group}`: the group's log directory.
  StorageLocation log_dir(std::string_view group) const;
  // `P/logs/{group}/{file}`; `file` is one segment.
  StorageLocation log_file(std::string_view group, std::string_view file) const;
  // `P/logs/{group}/ninja_logs.tar.gz` and `…/ccache_logs.tar.zst`.
  StorageLocation ninja_log_archive(std::string_view group) const;
  StorageLocation ccache_log_archive(std::string_view group) const;
  // `P/logs/{group}/index.html`.
  StorageLocation group_log_index(std::string_view group) const;
  // `P/logs/{group}/build_observability.html`.
  StorageLocation build_observability_report(std::string_view group) const;
  // `P/logs/{group}/therock-build-prof`.
  StorageLocation resource_profiling_dir(std::string_view group) const;
  // Flattened copies `P/logs/{group}/comp-summary.html` / `.md`.
  StorageLocation comp_summary_html(std::string_view group) const;
  StorageLocation comp_summary_md(std::string_view group) const;
  // `P/logs/{subfolder}`; `subfolder` may have several segments.
  StorageLocation test_report_dir(std::string_view subfolder) const;
  // Legacy test-report mode `P/{log_destination}` (one or more segments).
  StorageLocation legacy_test_report_dir(std::string_view log_destination) const;
  // `P/logs/manifest-diff/index.html`; throws UsageError unless the platform is linux.
  StorageLocation manifest_diff_report() const;

  // Multi-arch CI: `P/logs/{stage}` when `family` is empty, else `P/logs/{stage}/{family}`.
  StorageLocation stage_log_dir(std::string_view stage, std::string_view family = {}) const;
  // `P/logs/packaging/{pkg}` and its `index.html`; `pkg` is deb or rpm.
  StorageLocation packaging_log_dir(std::string_view pkg) const;
  StorageLocation packaging_log_index(std::string_view pkg) const;

  // `P/manifests`, `P/manifests/index.html`, `P/manifests/therock_manifest.json`.
  StorageLocation manifests_dir() const;
  StorageLocation manifests_index() const;
  StorageLocation workflow_manifest() const;
  // `P/manifests/{group}` and `P/manifests/{group}/therock_manifest.json`.
  StorageLocation group_manifest_dir(std::string_view group) const;
  StorageLocation group_manifest(std::string_view group) const;
  // `P/manifests/{family}/therock-manifest_{fw}_py{X.Y}_{track}.json`:
  // a leading "py" of `python_version` is dropped, every `/` of `track` becomes `-`.
  StorageLocation framework_manifest(Framework framework,
                                     std::string_view family,
                                     std::string_view python_version,
                                     std::string_view track) const;

  // `P/python` when `group` is empty (multi-arch), else `P/python/{group}`.
  StorageLocation python_dir(std::string_view group = {}) const;
  // The pip find-links page `P/python[/{group}]/index.html`.
  StorageLocation python_index(std::string_view group = {}) const;

  // `P/packages/deb` / `P/packages/rpm`; throws UsageError unless linux.
  StorageLocation package_repo(std::string_view pkg) const;

  StorageLocation deb_repo() const { return package_repo("deb"); }

  StorageLocation rpm_repo() const { return package_repo("rpm"); }

  // `P/tarballs` and `P/tarballs/{file}` (`file` is one segment).
  StorageLocation tarballs_dir() const;
  StorageLocation tarball(std::string_view file) const;

  friend bool operator==(const WorkflowOutputRoot&, const WorkflowOutputRoot&) = default;

private:
  struct LocalTag {};

  WorkflowOutputRoot(LocalTag, std::string run_id, std::string platform);
  void require_linux(std::string_view what) const;

  std::string m_bucket;
  std::string m_external_repo;
  std::string m_run_id;
  std::string m_platform;
  StorageLocation m_root;
};

} // namespace rockart::layout
