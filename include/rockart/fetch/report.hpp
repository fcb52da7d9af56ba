// SPDX-License-Identifier: MIT
// What `rockart fetch` says about a plan and its outcome: the checks that end a
// fetch with "not found" before anything is downloaded (in the words of
// TheRock's fetch_artifacts.py, which CI logs are searched for), the JSON
// summary of --json and the closing summary line.
#pragma once

#include <rockart/fetch/plan.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/runs/run.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace rockart::fetch {

// "no-extract", "extract", "flatten" or "cache-only".
std::string mode_name(Mode mode);

// What check_plan() lets through.
struct PlanChecks {
  bool allow_missing = false;       // an unmatched include is only a warning
  bool missing_is_expected = false; // with allow_missing: logged at info (install's table
                                    // names archives some platforms do not have)
  bool allow_generic_only = false;  // a host-only selection is only a warning
};

// Logs what the plan selects and returns false, after logging why at error,
// when it holds nothing to fetch: no archive of the requested families, a
// GPU request that matched only generic archives (naming the families the run
// has), an empty set after include/exclude, or an include pattern that
// matched nothing.
bool check_plan(const FetchPlan& plan, const runs::Run& run, const PlanChecks& checks);

// What the --json summary describes.
struct ReportInput {
  const runs::Run& run;
  Mode mode;
  std::filesystem::path output_dir;
  bool dry_run = false;
  const FetchPlan& plan;
  const FetchSummary* summary = nullptr; // nullptr: nothing was fetched (dry run, not found)
};

// {schema_version, status, run_id, bucket, prefix, mode, output_dir, dry_run,
// unmatched_includes, archives: [{name, size, ok, source (download | cache |
// output_dir), verified, sha256, downloaded_bytes, files, destination,
// error?}], downloaded_bytes, seconds, failures}.
nlohmann::json report_json(const ReportInput& input);

// "fetched N of M archives, X in S s (R MiB/s)" plus ", F failed" when some failed.
std::string summary_line(const FetchSummary& summary);

// When archives failed because the disk is full: one line saying so, with
// the space still needed (the compressed size of what did not land: a lower
// bound, as extracting takes more) against the `free_bytes` of `dir`.
std::optional<std::string> disk_full_line(const FetchSummary& summary,
                                          const std::filesystem::path& dir,
                                          std::uint64_t free_bytes);

// The exit code of a fetch: 0 when every archive landed, 1 when the only
// failures are archives that are not there (gone from the run, not in the
// cache offline), 2 when any failed otherwise (integrity, network, S3, disk).
int exit_code_of(const FetchSummary& summary);

} // namespace rockart::fetch
