// SPDX-License-Identifier: MIT
// What TheRock's CI upload scripts put where, as plans of files to upload:
// a single-stage build's artifacts, logs and manifest (`upload build`), a
// multi-arch stage's logs (`upload stage-logs`), Python packages with their
// pip index (`upload python`), dist tarballs and HTML test reports, plus the
// step-summary Markdown the scripts write.
#pragma once

#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/storage/transfer.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::storage {

// The names of the regular files (not symlinks) directly in `dir` matching any
// of the fnmatch `patterns`, sorted; empty when `dir` is not a directory.
std::vector<std::string> matching_files(const std::filesystem::path& dir,
                                        const std::vector<std::string>& patterns);

// Writes `text` to `path` (atomically); with `dry_run` only logs that it would.
void write_text(const std::filesystem::path& path, std::string_view text, bool dry_run);

// `upload build`: the logs below `{build}/logs` (ccache's own directory
// excluded), the build-time profile pages, and the build's
// therock_manifest.json when it exists (`has_manifest`). No archives: those
// go up with `push`, companions included.
struct BuildUpload {
  std::vector<UploadItem> items;
  std::filesystem::path manifest; // where the manifest was looked for
  bool has_manifest = false;
};

BuildUpload plan_build_upload(const std::filesystem::path& build_dir,
                              const layout::WorkflowOutputRoot& root,
                              const std::string& group);

// The step summary of `upload build`: links to the logs, the observability
// report (when the build has one), the artifacts (unless the job failed:
// `job_status` other than "" or "success") and the manifest.
std::string build_summary(const layout::WorkflowOutputRoot& root,
                          const std::string& group,
                          bool has_observability_report,
                          const std::string& job_status);

// `upload stage-logs`: the logs of one multi-arch stage (`family` "" for a
// generic stage) and, for the compiler-runtime stage, the workflow manifest.
std::vector<UploadItem> plan_stage_logs_upload(const std::filesystem::path& build_dir,
                                               const layout::WorkflowOutputRoot& root,
                                               const std::string& stage,
                                               const std::string& family);

// `upload python`: writes the pip --find-links index page(s) of `dist`: one
// `index.html` listing the wheels and sdists, or with `multiarch` one per
// per-family sub-directory (legacy layout) linking its own packages and the
// shared ones. Returns the family directories (empty when not legacy).
// Throws LocalIoError when there are no packages.
std::vector<std::string>
write_python_indexes(const std::filesystem::path& dist, bool multiarch, bool dry_run);

// The step summary of `upload python`: the pip command(s) for `url`.
std::string
python_summary(const std::string& url, const std::vector<std::string>& families, bool multiarch);

// The multiarch dist tarball among `names` ("therock-dist-{platform}-multiarch-*",
// not a -tests- one), whose URL the tarball upload reports; nullopt when none.
std::optional<std::string> multiarch_tarball(const std::vector<std::string>& names,
                                             const std::string& platform);

// The index page of a directory of HTML test reports: a link to each report
// (`*.html*`) except the index itself.
std::string test_report_index(const std::filesystem::path& dir, const std::string& index_name);

} // namespace rockart::storage
