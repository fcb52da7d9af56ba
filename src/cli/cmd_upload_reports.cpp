// SPDX-License-Identifier: MIT
// `rockart upload tarballs` and `rockart upload test-report` (through the
// storage layer instead of `aws s3 cp`).
#include "cli.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/ci_uploads.hpp>
#include <rockart/storage/transfer.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

namespace rockart::cli {
namespace {

namespace fs = std::filesystem;

// ---- tarballs ----

struct TarballOptions {
  UploadFlags flags;
  std::string input, run_id;
  std::optional<std::string> platform, release_type;
};

void run_tarballs(TarballOptions& o) {
  const fs::path dir = o.input;
  if (!fs::is_directory(dir)) {
    throw LocalIoError("tarball directory " + dir.string() + " does not exist");
  }
  const auto tarballs = storage::matching_files(dir, {"*.tar.gz"});
  if (tarballs.empty()) {
    throw LocalIoError("no *.tar.gz tarballs in " + dir.string());
  }
  for (const auto& tarball : tarballs) {
    util::log_info("  " + tarball + " (" + std::to_string(fs::file_size(dir / tarball) / 1'000'000)
                   + " MB)");
  }
  const std::string platform = platform_or_host(o.platform);
  layout::BucketOverrides overrides;
  std::string release = o.release_type.value_or("ci");
  if (release.empty()) {
    release = process_env_or("RELEASE_TYPE", "ci");
  }
  overrides.release_type = release;
  const auto root = upload_root(o.flags, o.run_id, platform, overrides);
  UploadTarget target(o.flags);
  storage::upload_directory(
      target.store(), dir, root.tarballs_dir(), {{"*.tar.gz"}, {}}, o.flags.concurrency);
  const auto multiarch = storage::multiarch_tarball(tarballs, platform);
  if (!multiarch) {
    throw NotFoundError("no multiarch tarball URL was produced (no therock-dist-" + platform
                        + "-multiarch-* tarball in " + dir.string() + ")");
  }
  const std::string url = root.tarball(*multiarch).https_url();
  set_ci_output("tarball_urls", nlohmann::json{{"multiarch", url}}.dump());
}

void register_tarballs(CLI::App& upload) {
  auto o = std::make_shared<TarballOptions>();
  CLI::App* cmd = upload.add_subcommand("tarballs", "Upload dist tarballs");
  cmd->add_option("--input-tarballs-dir", o->input, "Directory with *.tar.gz")->required();
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  cmd->add_option("--release-type", o->release_type, "Release type (default ci)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o] { run_tarballs(*o); });
}

// ---- test-report ----

struct ReportOptions {
  UploadFlags flags;
  std::string report_path, run_id, index_file_name = "index.html";
  std::optional<std::string> platform, subfolder, log_destination;
};

void run_test_report(ReportOptions& o) {
  const fs::path dir = o.report_path;
  if (!fs::is_directory(dir)) {
    util::log_error("report directory " + dir.string() + " does not exist; nothing uploaded");
    throw LocalIoError("report directory " + dir.string() + " does not exist");
  }
  const auto root = upload_root(o.flags, o.run_id, platform_or_host(o.platform));
  const auto dest = o.subfolder ? root.test_report_dir(*o.subfolder)
                                : root.legacy_test_report_dir(*o.log_destination);
  const auto index_location = dest.child_segment(o.index_file_name, "index file name");
  storage::write_text(
      dir / o.index_file_name, storage::test_report_index(dir, o.index_file_name), o.flags.dry_run);
  UploadTarget target(o.flags);
  storage::upload_directory(target.store(), dir, dest, {{"*.html"}, {}}, o.flags.concurrency);
  append_ci_summary("[Test report](" + index_location.https_url() + ")");
}

void register_test_report(CLI::App& upload) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = upload.add_subcommand("test-report", "Upload HTML test reports");
  cmd->add_option("--report-path", o->report_path, "Directory with *.html reports")->required();
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  auto* sub = cmd->add_option("--subfolder", o->subfolder, "Upload to logs/{subfolder}");
  auto* legacy = cmd->add_option("--log-destination", o->log_destination, "Legacy: P/{dest}");
  sub->excludes(legacy);
  cmd->add_option("--index-file-name", o->index_file_name, "Index page name (default index.html)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o] {
    if (!o->subfolder && !o->log_destination) {
      throw UsageError("upload test-report needs --subfolder (or legacy --log-destination)");
    }
    run_test_report(*o);
  });
}

} // namespace

void register_upload_reports(CLI::App& upload) {
  register_tarballs(upload);
  register_test_report(upload);
}

} // namespace rockart::cli
