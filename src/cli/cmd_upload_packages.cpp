// SPDX-License-Identifier: MIT
// `rockart upload python|pytorch-manifest|tarballs|test-report`
// (behaviours.md §6.4-§6.7): each builds its destinations with the layout's
// catalogue methods and uploads through the storage layer.
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/glob.hpp>
#include <rockart/storage/index_page.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

// Sorted names of the regular files directly in `dir` matching any of `patterns`.
std::vector<std::string> files_in(const fs::path& dir, const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) {
    return out;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool matches = std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) {
      return storage::fnmatch_match(p, name);
    });
    if (entry.is_regular_file() && !entry.is_symlink() && matches) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A plain link page (pip --find-links, test-report index): one link per href.
std::string link_page(const std::string& title, const std::vector<std::string>& hrefs) {
  std::string html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>"
                     + util::escape_markup(title) + "</title>\n</head>\n<body>\n";
  for (const auto& href : hrefs) {
    html +=
        "<a href=\"" + util::escape_markup(href) + "\">" + util::escape_markup(href) + "</a><br>\n";
  }
  return html + "</body>\n</html>\n";
}

void write_text(const fs::path& path, const std::string& text, bool dry_run) {
  if (dry_run) {
    util::log_info("[DRY RUN] would write " + path.string());
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    throw LocalIoError("cannot write " + path.string());
  }
}

layout::BucketOverrides bucket_override(const std::optional<std::string>& bucket) {
  layout::BucketOverrides overrides;
  overrides.bucket = bucket;
  return overrides;
}

// ---- python (§6.4) ----

struct PythonOptions {
  UploadFlags flags;
  std::string input, group, run_id;
  std::optional<std::string> platform, bucket;
  bool multiarch = false;
};

const std::vector<std::string> k_package_patterns{"*.whl", "*.tar.gz"};

// Non-hidden sub-directories of `dist` (legacy per-family multi-arch mode).
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

void run_python(PythonOptions& o) {
  if (!o.multiarch && o.group.empty()) {
    throw UsageError("upload python needs --artifact-group unless --multiarch");
  }
  const fs::path dist =
      fs::is_directory(fs::path(o.input) / "dist") ? fs::path(o.input) / "dist" : fs::path(o.input);
  if (!fs::is_directory(dist)) {
    throw LocalIoError("package directory " + dist.string() + " does not exist");
  }
  const auto families = o.multiarch ? family_dirs(dist) : std::vector<std::string>{};
  const auto top = files_in(dist, k_package_patterns);
  if (!o.multiarch) {
    write_text(dist / "index.html", link_page("Python packages", top), o.flags.dry_run);
  }
  for (const auto& family : families) {
    std::vector<std::string> hrefs;
    for (const auto& name : files_in(dist / family, k_package_patterns)) {
      hrefs.push_back("./" + name);
    }
    for (const auto& name : top) {
      hrefs.push_back("../" + name);
    }
    write_text(dist / family / "index.html", link_page(family, hrefs), o.flags.dry_run);
  }
  if (top.empty() && files_in(dist, {"index.html"}).empty()) {
    throw LocalIoError("no package files found in " + dist.string() + " (*.whl, *.tar.gz)");
  }
  const auto root =
      upload_root(o.flags, o.run_id, platform_or_host(o.platform), bucket_override(o.bucket));
  UploadTarget target(o.flags);
  const auto dest = root.python_dir(o.multiarch ? "" : o.group);
  storage::upload_directory(target.store(), dist, dest, {}, o.flags.concurrency);
  if (o.flags.output_dir) {
    return;
  }
  const bool legacy = !families.empty();
  const std::string url = legacy ? dest.https_url() : dest.child("index.html").https_url();
  set_ci_output("package_find_links_url", url);
  set_ci_output("kpack_split", o.multiarch && !legacy ? "true" : "false");
  std::string summary = "### Python packages\n\n";
  if (legacy) {
    for (const auto& family : families) {
      summary += "- " + family + ": `pip install --find-links " + url + "/" + family
                 + "/index.html rocm`\n";
    }
  } else {
    summary += "`pip install --find-links " + url + " rocm`";
    if (o.multiarch) {
      summary += " (add the `device-<TARGET>` extra for a GPU target)";
    }
  }
  append_ci_summary(summary);
}

void register_python(CLI::App& upload) {
  auto o = std::make_shared<PythonOptions>();
  CLI::App* cmd =
      upload.add_subcommand("python", "Upload wheels and sdists with their index (§6.4)");
  cmd->add_option("--input-packages-dir", o->input, "Directory with dist/ or the packages")
      ->required();
  cmd->add_option("--artifact-group", o->group, "Artifact group (not with --multiarch)");
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  cmd->add_flag("--multiarch", o->multiarch, "Multi-arch build: upload to python/");
  add_upload_flags(*cmd, o->flags);
  cmd->add_option("--bucket", o->bucket, "Bucket override (not with --output-dir)")
      ->excludes("--output-dir");
  cmd->callback([o] { run_python(*o); });
}

// ---- pytorch-manifest (§6.6) ----

struct ManifestOptions {
  UploadFlags flags;
  std::string dist_dir, run_id, family, python_version, git_ref;
  std::optional<std::string> platform, bucket;
};

void run_pytorch_manifest(ManifestOptions& o) {
  const auto root =
      upload_root(o.flags, o.run_id, platform_or_host(o.platform), bucket_override(o.bucket));
  const auto dest = root.framework_manifest(layout::Framework::torch,
                                            o.family,
                                            std::string(util::trim(o.python_version)),
                                            std::string(util::trim(o.git_ref)));
  const std::string name = dest.relative_path().substr(dest.relative_path().rfind('/') + 1);
  const fs::path src = fs::path(o.dist_dir) / "manifests" / name;
  if (!fs::is_regular_file(src)) {
    throw LocalIoError("framework manifest " + src.string() + " does not exist");
  }
  UploadTarget target(o.flags);
  storage::upload_files(target.store(), {{src, dest}}, 1);
}

void register_pytorch_manifest(CLI::App& upload) {
  auto o = std::make_shared<ManifestOptions>();
  CLI::App* cmd = upload.add_subcommand("pytorch-manifest", "Upload a PyTorch manifest (§6.6)");
  cmd->add_option("--dist-dir", o->dist_dir, "Directory holding manifests/")->required();
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--amdgpu-family", o->family, "GPU family, e.g. gfx94X-dcgpu")->required();
  cmd->add_option("--python-version", o->python_version, "e.g. 3.11 or py3.11")->required();
  cmd->add_option("--pytorch-git-ref", o->git_ref, "e.g. release/2.7")->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  add_upload_flags(*cmd, o->flags);
  cmd->add_option("--bucket", o->bucket, "Bucket override (not with --output-dir)")
      ->excludes("--output-dir");
  cmd->callback([o] { run_pytorch_manifest(*o); });
}

} // namespace

void register_upload_packages(CLI::App& upload, Context& /*context*/) {
  register_python(upload);
  register_pytorch_manifest(upload);
  register_upload_reports(upload);
}

} // namespace rockart::cli
