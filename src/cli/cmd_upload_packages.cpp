// SPDX-License-Identifier: MIT
// `rockart upload python|pytorch-manifest|tarballs|test-report`: each builds its destinations with
// the layout's catalogue methods and uploads through the storage layer.
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/ci_uploads.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

layout::BucketOverrides bucket_override(const std::optional<std::string>& bucket) {
  layout::BucketOverrides overrides;
  overrides.bucket = bucket;
  return overrides;
}

// ---- python ----

struct PythonOptions {
  UploadFlags flags;
  std::string input, group, run_id;
  std::optional<std::string> platform, bucket;
  bool multiarch = false;
};

void run_python(PythonOptions& o) {
  if (!o.multiarch && o.group.empty()) {
    throw UsageError("upload python needs --artifact-group unless --multiarch");
  }
  const fs::path dist =
      fs::is_directory(fs::path(o.input) / "dist") ? fs::path(o.input) / "dist" : fs::path(o.input);
  if (!fs::is_directory(dist)) {
    throw LocalIoError("package directory " + dist.string() + " does not exist");
  }
  const auto families = storage::write_python_indexes(dist, o.multiarch, o.flags.dry_run);
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
  append_ci_summary(storage::python_summary(url, families, o.multiarch));
}

void register_python(CLI::App& upload) {
  auto o = std::make_shared<PythonOptions>();
  CLI::App* cmd = upload.add_subcommand("python", "Upload wheels and sdists with their index");
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

// ---- pytorch-manifest ----

struct ManifestOptions {
  UploadFlags flags;
  std::string dist_dir, run_id, family, python_version, git_ref;
  std::optional<std::string> platform, bucket;
};

// Uploads {dist}/manifests/therock-manifest_{framework}_py{V}_{ref}.json to
// the run's manifests/{family}/; the name is built by the layout's rule for
// child locations (version without "py", "/" in the ref as "-").
void run_framework_manifest(const ManifestOptions& o, layout::Framework framework) {
  const auto root =
      upload_root(o.flags, o.run_id, platform_or_host(o.platform), bucket_override(o.bucket));
  const auto dest = root.framework_manifest(framework,
                                            o.family,
                                            std::string(util::trim(o.python_version)),
                                            std::string(util::trim(o.git_ref)));
  const std::string name = dest.relative_path().substr(dest.relative_path().rfind('/') + 1);
  const fs::path src = fs::path(o.dist_dir) / "manifests" / name;
  const std::string where = fs::absolute(src).lexically_normal().string();
  util::log_info("Manifest expected at: " + where);
  if (!fs::is_regular_file(src)) {
    throw LocalIoError("framework manifest " + where + " does not exist",
                       "build the wheels first (they write it), or check --dist-dir, "
                       "--python-version and the git ref");
  }
  UploadTarget target(o.flags);
  storage::upload_files(target.store(), {{src, dest}}, 1);
}

void register_framework_manifest(CLI::App& upload,
                                 layout::Framework framework,
                                 const std::string& command,
                                 const std::string& title,
                                 const std::string& ref_flag,
                                 const std::string& ref_example) {
  auto o = std::make_shared<ManifestOptions>();
  CLI::App* cmd = upload.add_subcommand(command, "Upload a " + title + " manifest");
  cmd->add_option("--dist-dir", o->dist_dir, "Directory holding manifests/")->required();
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--amdgpu-family", o->family, "GPU family, e.g. gfx94X-dcgpu")->required();
  cmd->add_option("--python-version", o->python_version, "e.g. 3.12 or py3.12")->required();
  cmd->add_option(ref_flag, o->git_ref, "e.g. " + ref_example)->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  add_upload_flags(*cmd, o->flags);
  cmd->add_option("--bucket", o->bucket, "Bucket override (no effect on an --output-dir tree)");
  const std::string example = "  rockart upload " + command
                              + " --dist-dir dist --run-id 123 --amdgpu-family gfx94X-dcgpu "
                                "--python-version 3.12 "
                              + ref_flag + " " + ref_example;
  cmd->footer("Examples:\n" + example + "\n" + example
              + " --output-dir staging --dry-run\nExit status: 0 uploaded, 2 error (missing "
                "manifest, usage, S3).");
  cmd->callback([o, framework] { run_framework_manifest(*o, framework); });
}

} // namespace

void register_upload_packages(CLI::App& upload, Context& /*context*/) {
  register_python(upload);
  register_framework_manifest(upload,
                              layout::Framework::torch,
                              "pytorch-manifest",
                              "PyTorch",
                              "--pytorch-git-ref",
                              "release/2.7");
  register_framework_manifest(
      upload, layout::Framework::jax, "jax-manifest", "JAX", "--jax-git-ref", "release/0.4.28");
  register_upload_reports(upload);
}

} // namespace rockart::cli
