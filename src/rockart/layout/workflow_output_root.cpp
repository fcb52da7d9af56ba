// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

namespace rockart::layout {

namespace {

constexpr std::string_view k_local_bucket = "local";

// Names of the single-segment inputs of the path templates, used in messages.
constexpr std::string_view k_group = "artifact group";
constexpr std::string_view k_family = "GPU family";
constexpr std::string_view k_stage = "build stage";

void validate_ci_platform(std::string_view platform) {
  if (platform != "linux" && platform != "windows") {
    throw UsageError("invalid platform '" + std::string(platform)
                     + "': must be 'linux' or 'windows' (lower case) for CI roots");
  }
}

StorageLocation make_root(const std::string& bucket,
                          const std::string& external_repo,
                          const std::string& run_id,
                          const std::string& platform,
                          bool ci) {
  validate_bucket_name(bucket);
  validate_external_repo(external_repo);
  validate_segment(run_id, "run id");
  if (ci) {
    validate_ci_platform(platform);
  }
  validate_segment(platform, "platform");
  return StorageLocation(bucket, external_repo + run_id + "-" + platform);
}

} // namespace

Framework parse_framework(std::string_view text) {
  if (text == "torch") {
    return Framework::torch;
  }
  if (text == "jax") {
    return Framework::jax;
  }
  throw UsageError("invalid framework '" + std::string(text) + "': must be 'torch' or 'jax'");
}

std::string_view framework_name(Framework framework) {
  return framework == Framework::torch ? "torch" : "jax";
}

void validate_external_repo(std::string_view external_repo) {
  if (external_repo.empty()) {
    return;
  }
  const auto fail = [&](std::string_view why) {
    throw UsageError("invalid external repo prefix '" + std::string(external_repo)
                     + "': must be empty or '{owner}-{repo}/' " + std::string(why));
  };
  if (external_repo.back() != '/') {
    fail("(missing the trailing '/')");
  }
  const std::string_view body = external_repo.substr(0, external_repo.size() - 1);
  if (body.find('/') != std::string_view::npos) {
    fail("with exactly one '/', at the end");
  }
  // Owner and repo may themselves contain '-', so any inner '-' can be the joint.
  const std::size_t dash = body.find('-', 1);
  if (dash == std::string_view::npos || dash + 1 >= body.size()) {
    fail("with a non-empty owner and repo joined by '-'");
  }
  validate_segment(body, "external repo prefix");
}

void validate_package_type(std::string_view pkg) {
  if (pkg != "deb" && pkg != "rpm") {
    throw UsageError("invalid package type '" + std::string(pkg) + "': must be 'deb' or 'rpm'");
  }
}

WorkflowOutputRoot::WorkflowOutputRoot(std::string bucket,
                                       std::string external_repo,
                                       std::string run_id,
                                       std::string platform)
    : m_bucket(std::move(bucket)), m_external_repo(std::move(external_repo)),
      m_run_id(std::move(run_id)), m_platform(std::move(platform)),
      m_root(make_root(m_bucket, m_external_repo, m_run_id, m_platform, /*ci=*/true)) {}

WorkflowOutputRoot::WorkflowOutputRoot(LocalTag, std::string run_id, std::string platform)
    : m_bucket(k_local_bucket), m_run_id(std::move(run_id)), m_platform(std::move(platform)),
      m_root(make_root(m_bucket, m_external_repo, m_run_id, m_platform, /*ci=*/false)) {}

WorkflowOutputRoot WorkflowOutputRoot::local(std::string_view run_id, std::string_view platform) {
  return WorkflowOutputRoot(LocalTag{}, std::string(run_id), util::to_lower(platform));
}

void WorkflowOutputRoot::require_linux(std::string_view what) const {
  if (m_platform != "linux") {
    throw UsageError("the " + std::string(what) + " exists only under linux run prefixes, not '"
                     + prefix() + "'");
  }
}

StorageLocation WorkflowOutputRoot::artifact(std::string_view file) const {
  return m_root.child_segment(file, "artifact file name");
}

StorageLocation WorkflowOutputRoot::artifact_checksum(std::string_view archive_file) const {
  validate_segment(archive_file, "artifact file name");
  return m_root.child_segment(std::string(archive_file) + ".sha256sum", "artifact file name");
}

StorageLocation WorkflowOutputRoot::run_index() const {
  return m_root.child("index.html");
}

StorageLocation WorkflowOutputRoot::legacy_group_index(std::string_view group) const {
  validate_segment(group, k_group);
  return m_root.child("index-" + std::string(group) + ".html");
}

StorageLocation WorkflowOutputRoot::logs_root() const {
  return m_root.child("logs");
}

StorageLocation WorkflowOutputRoot::logs_index() const {
  return logs_root().child("index.html");
}

StorageLocation WorkflowOutputRoot::log_dir(std::string_view group) const {
  return logs_root().child_segment(group, k_group);
}

StorageLocation WorkflowOutputRoot::log_file(std::string_view group, std::string_view file) const {
  return log_dir(group).child_segment(file, "log file name");
}

StorageLocation WorkflowOutputRoot::ninja_log_archive(std::string_view group) const {
  return log_dir(group).child("ninja_logs.tar.gz");
}

StorageLocation WorkflowOutputRoot::ccache_log_archive(std::string_view group) const {
  return log_dir(group).child("ccache_logs.tar.zst");
}

StorageLocation WorkflowOutputRoot::group_log_index(std::string_view group) const {
  return log_dir(group).child("index.html");
}

StorageLocation WorkflowOutputRoot::build_observability_report(std::string_view group) const {
  return log_dir(group).child("build_observability.html");
}

StorageLocation WorkflowOutputRoot::resource_profiling_dir(std::string_view group) const {
  return log_dir(group).child("therock-build-prof");
}

StorageLocation WorkflowOutputRoot::comp_summary_html(std::string_view group) const {
  return log_dir(group).child("comp-summary.html");
}

StorageLocation WorkflowOutputRoot::comp_summary_md(std::string_view group) const {
  return log_dir(group).child("comp-summary.md");
}

StorageLocation WorkflowOutputRoot::test_report_dir(std::string_view subfolder) const {
  validate_relative_path(subfolder, "test report subfolder");
  return logs_root().child(subfolder);
}

StorageLocation WorkflowOutputRoot::legacy_test_report_dir(std::string_view log_destination) const {
  validate_relative_path(log_destination, "test report log destination");
  return m_root.child(log_destination);
}

StorageLocation WorkflowOutputRoot::manifest_diff_report() const {
  require_linux("manifest-diff report");
  return logs_root().child("manifest-diff/index.html");
}

StorageLocation WorkflowOutputRoot::stage_log_dir(std::string_view stage,
                                                  std::string_view family) const {
  StorageLocation dir = logs_root().child_segment(stage, k_stage);
  return family.empty() ? dir : dir.child_segment(family, k_family);
}

StorageLocation WorkflowOutputRoot::packaging_log_dir(std::string_view pkg) const {
  validate_package_type(pkg);
  return logs_root().child("packaging").child(pkg);
}

StorageLocation WorkflowOutputRoot::packaging_log_index(std::string_view pkg) const {
  return packaging_log_dir(pkg).child("index.html");
}

StorageLocation WorkflowOutputRoot::manifests_dir() const {
  return m_root.child("manifests");
}

StorageLocation WorkflowOutputRoot::manifests_index() const {
  return manifests_dir().child("index.html");
}

StorageLocation WorkflowOutputRoot::workflow_manifest() const {
  return manifests_dir().child("therock_manifest.json");
}

StorageLocation WorkflowOutputRoot::group_manifest_dir(std::string_view group) const {
  return manifests_dir().child_segment(group, k_group);
}

StorageLocation WorkflowOutputRoot::group_manifest(std::string_view group) const {
  return group_manifest_dir(group).child("therock_manifest.json");
}

StorageLocation WorkflowOutputRoot::framework_manifest(Framework framework,
                                                       std::string_view family,
                                                       std::string_view python_version,
                                                       std::string_view track) const {
  std::string_view version = python_version;
  if (version.starts_with("py")) {
    version.remove_prefix(2);
  }
  validate_segment(version, "python version");
  if (track.empty()) {
    throw UsageError("invalid framework track '': must not be empty");
  }
  std::string flat_track(track);
  std::replace(flat_track.begin(), flat_track.end(), '/', '-');
  validate_segment(flat_track, "framework track");
  const std::string file = "therock-manifest_" + std::string(framework_name(framework)) + "_py"
                           + std::string(version) + "_" + flat_track + ".json";
  return manifests_dir().child_segment(family, k_family).child_segment(file, "manifest file name");
}

StorageLocation WorkflowOutputRoot::python_dir(std::string_view group) const {
  StorageLocation dir = m_root.child("python");
  return group.empty() ? dir : dir.child_segment(group, k_group);
}

StorageLocation WorkflowOutputRoot::python_index(std::string_view group) const {
  return python_dir(group).child("index.html");
}

StorageLocation WorkflowOutputRoot::package_repo(std::string_view pkg) const {
  validate_package_type(pkg);
  require_linux(std::string(pkg) + " repository");
  return m_root.child("packages").child(pkg);
}

StorageLocation WorkflowOutputRoot::tarballs_dir() const {
  return m_root.child("tarballs");
}

StorageLocation WorkflowOutputRoot::tarball(std::string_view file) const {
  return tarballs_dir().child_segment(file, "tarball file name");
}

} // namespace rockart::layout
