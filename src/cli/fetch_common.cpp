// SPDX-License-Identifier: MIT
// What both forms of `rockart fetch` share: pipeline options, running the
// pipeline with its progress, and the run of a local staging tree.
#include "environment.hpp"
#include "fetch_flags.hpp"
#include "fetch_progress.hpp"
#include "upload_common.hpp"

#include <rockart/error.hpp>
#include <rockart/fetch/bandwidth.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/util/log.hpp>

#include <unistd.h>

#include <charconv>
#include <filesystem>

namespace rockart::cli {

namespace fs = std::filesystem;

fetch::FetchOptions pipeline_options(const FetchFlags& flags) {
  if (flags.download_concurrency < 1 || flags.extract_concurrency < 0) {
    throw UsageError("--download-concurrency must be >= 1 and --extract-concurrency >= 1");
  }
  fetch::FetchOptions options;
  if (flags.no_extract) {
    options.mode = fetch::Mode::no_extract;
  } else if (flags.stage.bootstrap) {
    options.mode = fetch::Mode::bootstrap;
  } else {
    options.mode = flags.flatten ? fetch::Mode::flatten : fetch::Mode::extract;
  }
  options.download_concurrency = flags.download_concurrency;
  options.adaptive_flows = !flags.pinned_flows;
  options.extract_concurrency = flags.extract_concurrency;
  if (flags.max_bandwidth) {
    options.max_bandwidth = fetch::parse_bandwidth(*flags.max_bandwidth);
  }
  options.delete_after_extract = flags.delete_after_extract;
  options.allow_unverified = flags.allow_unverified;
  return options;
}

void report_disk_full(const fetch::FetchSummary& summary, const std::filesystem::path& dir) {
  std::error_code error;
  const auto space = std::filesystem::space(dir, error);
  if (const auto line = fetch::disk_full_line(summary, dir, error ? 0 : space.available)) {
    util::log_error(*line);
  }
}

fetch::FetchSummary run_pipeline(const Context& context,
                                 runs::Session& session,
                                 const runs::Run& run,
                                 const std::vector<fetch::PlannedArchive>& archives,
                                 const fetch::FetchOptions& options,
                                 std::optional<cache::LinkMode> link) {
  std::uint64_t total = 0;
  for (const auto& archive : archives) {
    total += archive.size;
  }
  fetch::FetchSummary summary;
  {
    FetchProgress progress(total, archives.size(), progress_style(context));
    if (link) {
      fetch::Placement placement;
      summary = fetch::fetch_and_place(
          session.s3(), session.catalog(), run, archives, options, *link, placement, &progress);
      util::log_info(std::to_string(placement.files.files) + " files placed from the cache ("
                     + std::to_string(placement.files.reflinked) + " reflinked, "
                     + std::to_string(placement.files.hardlinked) + " hard-linked, "
                     + std::to_string(placement.files.copied) + " copied)");
    } else {
      summary =
          fetch::fetch_archives(session.s3(), session.catalog(), run, archives, options, &progress);
    }
  }
  if (session.catalog().cache() != nullptr) {
    session.catalog().cache()->gc(); // the size cap, least recently used first
  }
  util::log_info(fetch::summary_line(summary));
  report_disk_full(summary, options.output_dir);
  return summary;
}

runs::Run environment_run(const std::string& repo,
                          const std::string& run_id,
                          const std::string& platform,
                          const std::optional<std::string>& bucket) {
  layout::BucketOverrides overrides;
  overrides.repository = repo;
  overrides.bucket = bucket;
  const auto root = upload_root(UploadFlags{}, run_id, platform, overrides);
  runs::Run run;
  run.repo = repo;
  std::from_chars(run_id.data(), run_id.data() + run_id.size(), run.id); // 0 for "local"
  run.platform = platform;
  run.bucket = root.bucket();
  run.external_repo = root.external_repo();
  run.prefix = root.root().prefix();
  run.completed = false; // in progress, or a local tree: what it holds can still change
  return run;
}

std::vector<runs::RunFile> list_local_run(const std::string& staging, const runs::Run& run) {
  const fs::path dir = fs::path(staging) / run.prefix;
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    throw NotFoundError("the local staging directory has no " + dir.string() + " for run "
                            + run.prefix.substr(0, run.prefix.size() - 1),
                        "check --run-id and --platform, or the directory the upload "
                        "commands wrote with --output-dir");
  }
  std::vector<runs::RunFile> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file(error)) {
      files.push_back({entry.path().filename().string(), entry.file_size(error), ""});
    }
  }
  std::sort(
      files.begin(), files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return files;
}

} // namespace rockart::cli
