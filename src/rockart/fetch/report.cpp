// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/fetch/report.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <array>
#include <cstdio>

namespace rockart::fetch {

namespace {

// Where the archive's bytes came from: one that already sat verified in the
// output (or download) directory, the cache, or the network.
const char* source_of(const ArchiveOutcome& outcome) {
  if (outcome.cached) {
    return "output_dir";
  }
  return outcome.from_cache ? "cache" : "download";
}

nlohmann::json archive_json(const PlannedArchive& archive, const ArchiveOutcome* outcome) {
  nlohmann::json entry = {{"name", archive.name}, {"size", archive.size}};
  if (outcome != nullptr) {
    entry.update({{"ok", outcome->ok},
                  {"source", source_of(*outcome)},
                  {"verified", outcome->verified},
                  {"sha256", outcome->sha256},
                  {"downloaded_bytes", outcome->bytes},
                  {"files", outcome->files},
                  {"destination", outcome->destination.string()}});
    if (!outcome->ok) {
      entry["error"] = {{"kind", outcome->error_kind}, {"message", outcome->error}};
    }
  }
  return entry;
}

} // namespace

std::string mode_name(Mode mode) {
  switch (mode) {
  case Mode::no_extract:
    return "no-extract";
  case Mode::flatten:
    return "flatten";
  case Mode::bootstrap:
    return "bootstrap";
  case Mode::cache_only:
    return "cache-only";
  case Mode::store:
    return "store";
  case Mode::extract:
    break;
  }
  return "extract";
}

bool check_plan(const FetchPlan& plan, const runs::Run& run, const PlanChecks& checks) {
  const std::string id = std::to_string(run.id);
  if (plan.all) {
    util::log_info("No --artifact-group or --amdgpu-targets given: downloading all artifacts");
  } else {
    util::log_info("Requested families: " + util::join(plan.requested_families, ", "));
  }
  if (plan.gpu_selected == 0) {
    util::log_error(plan.all
                        ? "found no artifacts at " + run.uri()
                        : "found no artifacts matching " + util::join(plan.requested_families, ", ")
                              + " at " + run.uri());
    util::log_error("No matching artifacts for " + id + " exist. Exiting...");
    return false;
  }
  if (plan.host_only) {
    std::vector<std::string> asked(plan.requested_families.begin() + 1,
                                   plan.requested_families.end()); // without "generic"
    const std::string message =
        "no archive for " + util::join(asked, ", ") + " at " + run.uri()
        + ": only generic (host) archives match, the tree would have no device code; the run has "
        + (plan.run_families.empty() ? std::string("generic archives only")
                                     : "archives for " + util::join(plan.run_families, ", "));
    if (!checks.allow_generic_only) {
      util::log_error(message
                      + " (pick one of those with --artifact-group / --amdgpu-targets, or "
                        "pass --allow-generic-only to take the generic archives alone)");
      return false;
    }
    util::log_warn(message);
  }
  if (plan.archives.empty()) {
    util::log_error("Filtering artifacts for " + id + " resulted in an empty set. Exiting...");
    if (!plan.unmatched_includes.empty()) {
      util::log_error("no archive of the " + std::to_string(plan.gpu_selected)
                      + " selected for the GPU request matches include pattern(s) "
                      + util::join(plan.unmatched_includes, ", ")
                      + " (regexes searched in archive file names; `rockart s3 ls " + run.uri()
                      + "/` shows them)");
    } else {
      util::log_error("the --exclude pattern(s) removed all " + std::to_string(plan.gpu_selected)
                      + " archives the GPU request selected");
    }
    return false;
  }
  if (!plan.unmatched_includes.empty()) {
    const std::string message = "include pattern(s) matched no archive of run " + id + ": "
                                + util::join(plan.unmatched_includes, ", ");
    if (!checks.allow_missing) {
      util::log_error(message + " (pass --allow-missing to fetch the others anyway)");
      return false;
    }
    if (checks.missing_is_expected) {
      util::log_info(message);
    } else {
      util::log_warn(message);
    }
  }
  return true;
}

nlohmann::json report_json(const ReportInput& input) {
  nlohmann::json doc = {{"schema_version", 1},
                        {"status", "ok"},
                        {"run_id", std::to_string(input.run.id)},
                        {"bucket", input.run.bucket},
                        {"prefix", input.run.prefix},
                        {"mode", mode_name(input.mode)},
                        {"output_dir", input.output_dir.string()},
                        {"dry_run", input.dry_run},
                        {"unmatched_includes", input.plan.unmatched_includes}};
  nlohmann::json archives = nlohmann::json::array();
  for (std::size_t i = 0; i < input.plan.archives.size(); ++i) {
    archives.push_back(archive_json(
        input.plan.archives[i], input.summary != nullptr ? &input.summary->archives[i] : nullptr));
  }
  doc["archives"] = archives;
  if (input.summary != nullptr) {
    doc["downloaded_bytes"] = input.summary->bytes;
    doc["seconds"] = input.summary->seconds;
    doc["failures"] = input.summary->failures();
    if (input.summary->failures() > 0) {
      doc["status"] = "error";
    }
  }
  return doc;
}

std::string summary_line(const FetchSummary& summary) {
  const double seconds = std::max(summary.seconds, 1e-3);
  const double rate = static_cast<double>(summary.bytes) / (1024.0 * 1024.0) / seconds;
  const std::uint64_t reused = summary.reused_bytes();
  std::string line = "fetched " + std::to_string(summary.archives.size() - summary.failures())
                     + " of " + std::to_string(summary.archives.size()) + " archives, ";
  if (reused == 0) {
    line += util::format_bytes(summary.bytes) + " in " + util::format_fixed1(summary.seconds)
            + " s (" + util::format_fixed1(rate) + " MiB/s)";
  } else {
    // What the cache provided counts as fetched; the rate is the network's alone.
    line += util::format_bytes(summary.bytes + reused) + " in "
            + util::format_fixed1(summary.seconds) + " s (" + util::format_bytes(reused)
            + " from the cache, " + util::format_bytes(summary.bytes) + " downloaded at "
            + util::format_fixed1(rate) + " MiB/s)";
  }
  if (summary.failures() > 0) {
    line += ", " + std::to_string(summary.failures()) + " failed";
  }
  return line;
}

std::optional<std::string> disk_full_line(const FetchSummary& summary,
                                          const std::filesystem::path& dir,
                                          std::uint64_t free_bytes) {
  std::uint64_t missing = 0;
  std::size_t archives = 0;
  bool full = false;
  for (const auto& outcome : summary.archives) {
    if (!outcome.ok) {
      missing += outcome.size;
      ++archives;
      full = full || failed_with<DiskFullError>(outcome);
    }
  }
  if (!full) {
    return std::nullopt;
  }
  return "the disk is full: " + std::to_string(archives) + " archive(s) did not land in "
         + dir.string() + "; they need at least " + util::format_bytes(missing)
         + " (compressed), and " + util::format_bytes(free_bytes)
         + " is free. Free space or pick another output directory, then re-run the same command "
           "(what landed is kept)";
}

int exit_code_of(const FetchSummary& summary) {
  int code = 0;
  for (const auto& outcome : summary.archives) {
    if (outcome.ok) {
      continue;
    }
    // Each error class carries its exit code; anything else is an error.
    ExitCode failed = ExitCode::error;
    try {
      if (outcome.failure) {
        std::rethrow_exception(outcome.failure);
      }
    } catch (const Error& e) {
      failed = e.exit_code();
    } catch (...) {
    }
    code = std::max(code, static_cast<int>(failed));
  }
  return code;
}

} // namespace rockart::fetch
