// SPDX-License-Identifier: MIT
// `rockart upload tarballs` (behaviours.md §6.5) and `rockart upload
// test-report` (§6.7, through the storage layer instead of `aws s3 cp`).
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

std::vector<fs::path> direct_files(const fs::path& dir, const std::string& pattern) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && !entry.is_symlink()
        && storage::fnmatch_match(pattern, entry.path().filename().string())) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// ---- tarballs (§6.5) ----

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
  const auto tarballs = direct_files(dir, "*.tar.gz");
  if (tarballs.empty()) {
    throw LocalIoError("no *.tar.gz tarballs in " + dir.string());
  }
  for (const auto& tarball : tarballs) {
    util::log_info("  " + tarball.filename().string() + " ("
                   + std::to_string(fs::file_size(tarball) / 1'000'000) + " MB)");
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
  const std::string prefix = "therock-dist-" + platform + "-multiarch-";
  std::optional<std::string> url;
  for (const auto& tarball : tarballs) {
    const std::string name = tarball.filename().string();
    if (name.find("-tests-") == std::string::npos && name.rfind(prefix, 0) == 0) {
      url = root.tarball(name).https_url();
      break;
    }
  }
  if (!url) {
    throw NotFoundError("no multiarch tarball URL was produced (no " + prefix + "* tarball in "
                        + dir.string() + ")");
  }
  set_ci_output("tarball_urls", nlohmann::json{{"multiarch", *url}}.dump());
}

void register_tarballs(CLI::App& upload) {
  auto o = std::make_shared<TarballOptions>();
  CLI::App* cmd = upload.add_subcommand("tarballs", "Upload dist tarballs (§6.5)");
  cmd->add_option("--input-tarballs-dir", o->input, "Directory with *.tar.gz")->required();
  cmd->add_option("--run-id", o->run_id, "GitHub Actions run id")->required();
  cmd->add_option("--platform", o->platform, "linux or windows (default: host)");
  cmd->add_option("--release-type", o->release_type, "Release type (default ci)");
  add_upload_flags(*cmd, o->flags);
  cmd->callback([o] { run_tarballs(*o); });
}

// ---- test-report (§6.7) ----

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
  std::string html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>"
                     "Test reports</title>\n</head>\n<body>\n";
  for (const auto& report : direct_files(dir, "*.html*")) {
    const std::string name = report.filename().string();
    if (name != o.index_file_name) {
      html += "<a href=\"" + util::escape_markup(name) + "\">" + util::escape_markup(name)
              + "</a><br>\n";
    }
  }
  html += "</body>\n</html>\n";
  if (o.flags.dry_run) {
    util::log_info("[DRY RUN] would write " + (dir / o.index_file_name).string());
  } else {
    std::ofstream(dir / o.index_file_name, std::ios::binary | std::ios::trunc) << html;
  }
  UploadTarget target(o.flags);
  storage::upload_directory(target.store(), dir, dest, {{"*.html"}, {}}, o.flags.concurrency);
  append_ci_summary("[Test report](" + index_location.https_url() + ")");
}

void register_test_report(CLI::App& upload) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = upload.add_subcommand("test-report", "Upload HTML test reports (§6.7)");
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
