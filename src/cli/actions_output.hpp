// SPDX-License-Identifier: MIT
// GitHub Actions reporting of the reading commands (find, latest, fetch,
// install, bisect report, bucket): inside a workflow (GITHUB_ACTIONS=true) or
// with --github-output, a command appends its key results to $GITHUB_OUTPUT,
// a short Markdown table to $GITHUB_STEP_SUMMARY, and repeats every failure as
// an `::error` line on stderr so the runner annotates the job with it. The
// formatting rules live in storage/github_actions.hpp; this is the glue.
#pragma once

#include <rockart/error.hpp>
#include <rockart/fetch/types.hpp>
#include <rockart/install/state.hpp>
#include <rockart/runs/run.hpp>
#include <rockart/storage/github_actions.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rockart::cli {

// Adds --github-output to `command`, storing into `flag`; `outputs` lists the
// step outputs the command writes, for its help.
void add_github_output_flag(CLI::App& command, bool& flag, const std::string& outputs);

// Whether a command reports to GitHub Actions: `requested` (--github-output),
// or GITHUB_ACTIONS is true in this process's environment (a value that is not
// a boolean word is a warning and counts as false: it must not break the command).
bool actions_reporting(bool requested);

// What one command run tells GitHub Actions. Disabled (neither the flag nor
// GITHUB_ACTIONS), every method does nothing, so commands call them freely.
// Known secrets of the environment (tokens, AWS keys) are masked in every
// value, message and summary line.
class ActionsReport {
public:
  // `command` ("find", "bisect report") names the command in `::error`
  // titles and the summary heading.
  ActionsReport(std::string command, bool requested);

  bool enabled() const { return m_enabled; }

  // Queues the step output `key` = `value` (a multi-line value is fine).
  void output(const std::string& key, const std::string& value);

  // The summary heading after "rockart {command}: ", e.g. "run 123 of ROCm/TheRock".
  void heading(const std::string& text);

  // A row of the summary's Field/Value table; Markdown in `value` is kept.
  void row(const std::string& label, const std::string& value);

  // A Markdown block after the table (a second table, a code block).
  void block(const std::string& markdown);

  // Prints `::error title=rockart {command}: {title}::{message}` on stderr now
  // and lists the failure in the summary.
  void error(const std::string& title, const std::string& message);

  // Writes the queued outputs and the summary, once (later calls do nothing).
  // A non-zero `exit_code` with no error() recorded still gets one `::error`
  // line, so no failing step goes unannotated.
  void finish(int exit_code);

  // Runs `body` (which returns the exit code) and finish()es with its result.
  // A thrown error becomes an `::error` line (its kind, message and hint) and
  // the summary is written before the exception goes on to main().
  template <typename Body>
  int run(Body&& body) {
    try {
      const int code = body();
      finish(code);
      return code;
    } catch (const Error& e) {
      failed(e.kind(), e.what(), e.hint(), static_cast<int>(e.exit_code()));
      throw;
    } catch (const std::exception& e) {
      failed("internal", e.what(), "", static_cast<int>(ExitCode::error));
      throw;
    }
  }

private:
  void failed(const std::string& kind,
              const std::string& message,
              const std::string& hint,
              int exit_code);
  std::string summary(int exit_code) const;
  std::string masked(std::string text) const;

  std::string m_command;
  bool m_enabled = false;
  bool m_finished = false;
  std::vector<std::string> m_secrets;
  storage::StepOutputs m_outputs;
  std::string m_heading;
  std::vector<std::vector<std::string>> m_rows;
  std::vector<std::string> m_blocks;
  std::vector<std::vector<std::string>> m_errors; // {title, message}
};

// The outputs and summary rows every run-reading command shares: run_id,
// run_url (the run's page, else GitHub's URL form for `run.repo`), bucket,
// s3_uri (with the trailing '/') and, when known, commit.
void report_run(ActionsReport& actions, const runs::Run& run);

// The outputs and summary of `rockart find` / `rockart latest` from their
// --json document `doc` (github::report_json): found=true, run_id, run_url,
// bucket, s3_uri, s3_index_url, commit, commit_url, workflow, platform of the
// first result, missing_groups, json (the document on one line), and a table
// row per result.
void report_find(ActionsReport& actions, const nlohmann::json& doc);

// The outputs and summary of `rockart bisect report` from its --json
// document `doc` (bisect::render_report_json): status, culprit (SHA),
// culprit_url, culprit_run_url (when known), next (in progress), range (one
// SHA per line), and the report's key lines as a table plus the reproduce command.
void report_bisect(ActionsReport& actions, const nlohmann::json& doc);

// An archive that could not be fetched or installed.
struct FailedArchive {
  std::string name;
  std::string message;
};

// What a fetch into a directory did, for report_fetch_to_actions().
struct FetchTotals {
  std::filesystem::path output_dir; // --output-dir
  std::size_t archives = 0;         // archives fetched and processed
  std::uint64_t bytes = 0;          // bytes downloaded
  double seconds = 0;               // wall time of the transfers
  std::vector<FailedArchive> failures;
};

// The totals of `summary` (fetch::fetch_archives / fetch_and_place) into `output_dir`.
FetchTotals fetch_totals(const std::filesystem::path& output_dir,
                         const fetch::FetchSummary& summary);

// `rockart fetch`'s report: report_run() outputs plus artifacts_dir (absolute),
// archives, bytes; a summary table (run, S3, directory, archives, size, time)
// and one `::error` per failed archive.
void report_fetch_to_actions(ActionsReport& actions,
                             const runs::Run& run,
                             const FetchTotals& totals);

// What an install did, for report_install().
struct InstallTotals {
  std::filesystem::path install_dir; // --output-dir
  std::string plan;                  // install::plan_line()
  std::vector<std::string> archives; // archives the tree holds now
  std::size_t applied = 0;           // archives fetched and placed by this install
  std::uint64_t bytes = 0;           // bytes downloaded
  double seconds = 0;                // wall time of the transfers
  bool dry_run = false;              // nothing was changed
  std::vector<FailedArchive> failures;
};

// `rockart install`'s report: for a run, report_run() outputs; for a release
// tarball, bucket and s3_uri (the tarball's); then install_dir (absolute),
// archives (count), archive_names (one per line), bytes; a summary table
// (source, plan, sizes, time) and one `::error` per failed archive. `run` is
// the run or the tarball root; nullptr for an input directory.
void report_install(ActionsReport& actions,
                    const install::InstallSource& source,
                    const runs::Run* run,
                    const InstallTotals& totals);

} // namespace rockart::cli
