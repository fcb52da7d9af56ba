// SPDX-License-Identifier: MIT
// The run root of one workflow run on one platform and every output location
// below it (spec/layout.md §1-§2). All paths are built with
// StorageLocation::child*, so every result is the root or strictly below it.
#pragma once

#include <rockart/layout/location.hpp>

#include <string>
#include <string_view>

namespace rockart::layout {

// Frameworks with a manifest under `manifests/{family}/` (layout.md §2.4).
enum class Framework { torch, jax };

// Parses "torch" or "jax"; throws UsageError naming the value otherwise.
Framework parse_framework(std::string_view text);

// "torch" or "jax".
std::string_view framework_name(Framework framework);

// Throws UsageError unless `external_repo` is "" or exactly `{owner}-{repo}/`
// with non-empty owner and repo (layout.md §4 rule 6).
void validate_external_repo(std::string_view external_repo);

// Throws UsageError unless `pkg` is "deb" or "rpm" (layout.md §4 rule 5).
void validate_package_type(std::string_view pkg);

// Root of a workflow run's outputs: bucket plus `P = {external_repo}{run_id}-{platform}`.
class WorkflowOutputRoot {
public:
  // A CI root. Throws UsageError unless the bucket is valid (§4 rule 7),
  // `external_repo` has the §4 rule 6 shape, `run_id` is one non-empty
  // segment and `platform` is "linux" or "windows" (§4 rule 5).
  WorkflowOutputRoot(std::string bucket,
                     std::string external_repo,
                     std::string run_id,
                     std::string platform);

  // A local root (layout.md §6): bucket `local`, no external repo, any
  // non-empty single-segment `run_id` (conventionally "local") and the host
  // `platform` name, lower-cased. Throws UsageError on an invalid segment.
  static WorkflowOutputRoot local(std::string_view run_id, std::string_view platform);

  const std::string& bucket() const noexcept { return m_bucket; }

  const std::string& external_repo() const noexcept { return m_external_repo; }

  const std::string& run_id() const noexcept { return m_run_id; }

  const std::string& platform() const noexcept { return m_platform; }

  // The run prefix P, without trailing slash (e.g. `ROCm-TheRock/20384488184-windows`).
  const std::string& prefix() const noexcept { return m_root.relative_path(); }

  // §2.1 run root `P`: archives live directly here.
  const StorageLocation& root() const noexcept { return m_root; }

  // §2.1 `P/{file}`; `file` is one segment (naming rules are artifacts.md's).
  StorageLocation artifact(std::string_view file) const;
  // §2.1 `P/{archive_file}.sha256sum`.
  StorageLocation artifact_checksum(std::string_view archive_file) const;
  // §2.1 `P/index.html`, the run index page tools link as "Artifacts".
  StorageLocation run_index() const;
  // §2.1 `P/index-{group}.html` (only runs before 2026-03-27 have it).
  StorageLocation legacy_group_index(std::string_view group) const;

  // §2.2 `P/logs` and `P/logs/index.html`.
  StorageLocation logs_root() const;
  StorageLocation logs_index() const;
  // §2.2 `P/logs/{group}`: the group's log directory.
  StorageLocation log_dir(std::string_view group) const;
  // §2.2 `P/logs/{group}/{file}`; `file` is one segment.
  StorageLocation log_file(std::string_view group, std::string_view file) const;
  // §2.2 `P/logs/{group}/ninja_logs.tar.gz` and `…/ccache_logs.tar.zst`.
  StorageLocation ninja_log_archive(std::string_view group) const;
  StorageLocation ccache_log_archive(std::string_view group) const;
  // §2.2 `P/logs/{group}/index.html`.
  StorageLocation group_log_index(std::string_view group) const;
  // §2.2 `P/logs/{group}/build_observability.html`.
  StorageLocation build_observability_report(std::string_view group) const;
  // §2.2 `P/logs/{group}/therock-build-prof`.
  StorageLocation resource_profiling_dir(std::string_view group) const;
  // §2.2 flattened copies `P/logs/{group}/comp-summary.html` / `.md`.
  StorageLocation comp_summary_html(std::string_view group) const;
  StorageLocation comp_summary_md(std::string_view group) const;
  // §2.2 `P/logs/{subfolder}`; `subfolder` may have several segments.
  StorageLocation test_report_dir(std::string_view subfolder) const;
  // §2.2 legacy test-report mode `P/{log_destination}` (one or more segments).
  StorageLocation legacy_test_report_dir(std::string_view log_destination) const;
  // §2.2 `P/logs/manifest-diff/index.html`; throws UsageError unless the platform is linux.
  StorageLocation manifest_diff_report() const;

  // §2.3 `P/logs/{stage}` when `family` is empty, else `P/logs/{stage}/{family}`.
  StorageLocation stage_log_dir(std::string_view stage, std::string_view family = {}) const;
  // §2.3 `P/logs/packaging/{pkg}` and its `index.html`; `pkg` is deb or rpm.
  StorageLocation packaging_log_dir(std::string_view pkg) const;
  StorageLocation packaging_log_index(std::string_view pkg) const;

  // §2.4 `P/manifests`, `P/manifests/index.html`, `P/manifests/therock_manifest.json`.
  StorageLocation manifests_dir() const;
  StorageLocation manifests_index() const;
  StorageLocation workflow_manifest() const;
  // §2.4 `P/manifests/{group}` and `P/manifests/{group}/therock_manifest.json`.
  StorageLocation group_manifest_dir(std::string_view group) const;
  StorageLocation group_manifest(std::string_view group) const;
  // §2.4 `P/manifests/{family}/therock-manifest_{fw}_py{X.Y}_{track}.json`:
  // a leading "py" of `python_version` is dropped, every `/` of `track` becomes `-`.
  StorageLocation framework_manifest(Framework framework,
                                     std::string_view family,
                                     std::string_view python_version,
                                     std::string_view track) const;

  // §2.5 `P/python` when `group` is empty (multi-arch), else `P/python/{group}`.
  StorageLocation python_dir(std::string_view group = {}) const;
  // §2.5 the pip find-links page `P/python[/{group}]/index.html`.
  StorageLocation python_index(std::string_view group = {}) const;

  // §2.6 `P/packages/deb` / `P/packages/rpm`; throws UsageError unless linux.
  StorageLocation package_repo(std::string_view pkg) const;

  StorageLocation deb_repo() const { return package_repo("deb"); }

  StorageLocation rpm_repo() const { return package_repo("rpm"); }

  // §2.7 `P/tarballs` and `P/tarballs/{file}` (`file` is one segment).
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
