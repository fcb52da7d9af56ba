// SPDX-License-Identifier: MIT
#include <rockart/archive/tar_writer.hpp>
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/storage/ci_uploads.hpp>
#include <rockart/storage/glob.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

namespace rockart::storage {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> k_package_patterns{"*.whl", "*.tar.gz"};

// Where the build writes TheRock's manifest of what it built.
fs::path manifest_of(const fs::path& build_dir) {
  return build_dir / "base/aux-overlay/build/therock_manifest.json";
}

// A plain page of links (pip --find-links, test-report index).
std::string link_page(std::string_view title, const std::vector<std::string>& hrefs) {
  std::string html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>"
                     + util::escape_markup(title) + "</title>\n</head>\n<body>\n";
  for (const auto& href : hrefs) {
    html +=
        "<a href=\"" + util::escape_markup(href) + "\">" + util::escape_markup(href) + "</a><br>\n";
  }
  return html + "</body>\n</html>\n";
}

// Non-hidden sub-directories of `dist` (the legacy per-family multi-arch layout).
std::vector<std::string> family_dirs(const fs::path& dist) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dist)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && !entry.is_symlink() && name.front() != '.') {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The logs of a build below `dest`; ccache's working files are not uploaded.
std::vector<UploadItem> log_items(const fs::path& build_dir, const layout::StorageLocation& dest) {
  if (!fs::is_directory(build_dir / "logs")) {
    util::log_info("no " + (build_dir / "logs").string() + " directory; no logs to upload");
    return {};
  }
  return plan_directory_upload(build_dir / "logs", dest, {{"*"}, {"ccache/**/*"}});
}

} // namespace

std::vector<std::string> matching_files(const fs::path& dir,
                                        const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return out;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool matches = std::any_of(
        patterns.begin(), patterns.end(), [&](const auto& p) { return fnmatch_match(p, name); });
    if (entry.is_regular_file() && !entry.is_symlink() && matches) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

void write_text(const fs::path& path, std::string_view text, bool dry_run) {
  if (dry_run) {
    util::log_info("[DRY RUN] would write " + path.string());
    return;
  }
  util::write_file_atomic(path, text);
}

BuildUpload plan_build_upload(const fs::path& build_dir,
                              const layout::WorkflowOutputRoot& root,
                              const std::string& group) {
  // Archives are not uploaded here: `push` uploads them with their companions
  // (the post-build step stopped uploading them when CI moved to the artifact
  // manager, which also handles .tar.zst).
  BuildUpload upload;
  const auto logs = log_items(build_dir, root.log_dir(group));
  upload.items.insert(upload.items.end(), logs.begin(), logs.end());
  const fs::path prof = build_dir / "logs" / "therock-build-prof";
  if (fs::is_regular_file(prof / "comp-summary.html")) {
    upload.items.push_back({prof / "comp-summary.html", root.comp_summary_html(group)});
  }
  if (fs::is_regular_file(prof / "comp-summary.md")) {
    upload.items.push_back({prof / "comp-summary.md", root.comp_summary_md(group)});
  }
  upload.manifest = manifest_of(build_dir);
  upload.has_manifest = fs::is_regular_file(upload.manifest);
  if (upload.has_manifest) {
    upload.items.push_back({upload.manifest, root.group_manifest(group)});
  }
  return upload;
}

std::string build_summary(const layout::WorkflowOutputRoot& root,
                          const std::string& group,
                          bool has_observability_report,
                          const std::string& job_status) {
  std::string summary = "[Build Logs](" + root.group_log_index(group).https_url() + ")";
  if (has_observability_report) {
    summary +=
        "\n[Build Observability](" + root.build_observability_report(group).https_url() + ")";
  }
  if (job_status.empty() || job_status == "success") {
    summary += "\n[Artifacts](" + root.run_index().https_url() + ")";
  }
  return summary + "\n[TheRock Manifest](" + root.group_manifest(group).https_url() + ")";
}

std::vector<UploadItem> plan_stage_logs_upload(const fs::path& build_dir,
                                               const layout::WorkflowOutputRoot& root,
                                               const std::string& stage,
                                               const std::string& family) {
  auto items = log_items(build_dir, root.stage_log_dir(stage, family));
  // The compiler-runtime stage builds first; its manifest describes the workflow.
  if (stage == "compiler-runtime") {
    if (fs::is_regular_file(manifest_of(build_dir))) {
      items.push_back({manifest_of(build_dir), root.workflow_manifest()});
    } else {
      util::log_info("no " + manifest_of(build_dir).string()
                     + "; not uploading the workflow manifest");
    }
  }
  return items;
}

std::vector<std::string> write_python_indexes(const fs::path& dist, bool multiarch, bool dry_run) {
  const auto families = multiarch ? family_dirs(dist) : std::vector<std::string>{};
  const auto top = matching_files(dist, k_package_patterns);
  if (!multiarch) {
    write_text(dist / "index.html", link_page("Python packages", top), dry_run);
  }
  for (const auto& family : families) {
    std::vector<std::string> hrefs;
    for (const auto& name : matching_files(dist / family, k_package_patterns)) {
      hrefs.push_back("./" + name);
    }
    for (const auto& name : top) {
      hrefs.push_back("../" + name);
    }
    write_text(dist / family / "index.html", link_page(family, hrefs), dry_run);
  }
  if (top.empty() && matching_files(dist, {"index.html"}).empty()) {
    throw LocalIoError("no package files found in " + dist.string() + " (*.whl, *.tar.gz)");
  }
  return families;
}

std::string
python_summary(const std::string& url, const std::vector<std::string>& families, bool multiarch) {
  std::string summary = "### Python packages\n\n";
  if (!families.empty()) {
    for (const auto& family : families) {
      summary += "- " + family + ": `pip install --find-links " + url + "/" + family
                 + "/index.html rocm`\n";
    }
    return summary;
  }
  summary += "`pip install --find-links " + url + " rocm`";
  if (multiarch) {
    summary += " (add the `device-<TARGET>` extra for a GPU target)";
  }
  return summary;
}

std::optional<std::string> multiarch_tarball(const std::vector<std::string>& names,
                                             const std::string& platform) {
  const std::string prefix = "therock-dist-" + platform + "-multiarch-";
  for (const auto& name : names) {
    if (name.find("-tests-") == std::string::npos && name.starts_with(prefix)) {
      return name;
    }
  }
  return std::nullopt;
}

std::string test_report_index(const fs::path& dir, const std::string& index_name) {
  std::vector<std::string> reports;
  for (const auto& name : matching_files(dir, {"*.html*"})) {
    if (name != index_name) {
      reports.push_back(name);
    }
  }
  return link_page("Test reports", reports);
}

} // namespace rockart::storage
