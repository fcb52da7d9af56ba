// SPDX-License-Identifier: MIT
#include "actions_output.hpp"

#include "environment.hpp"

#include <rockart/util/format.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/redact.hpp>
#include <rockart/util/strings.hpp>

#include <array>
#include <cstdio>
#include <set>

namespace rockart::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Secrets a message could in theory carry. rockart never puts them in its
// errors; masking them again costs nothing and the job log is public.
constexpr std::array<const char*, 5> k_secret_variables = {"GITHUB_TOKEN",
                                                           "GH_TOKEN",
                                                           "AWS_SECRET_ACCESS_KEY",
                                                           "AWS_SESSION_TOKEN",
                                                           "ACTIONS_RUNTIME_TOKEN"};

constexpr std::size_t k_min_secret_size = 8;

std::string text_of(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  return value.is_null() ? std::string() : value.dump();
}

std::string code(const std::string& text) {
  return text.empty() ? std::string() : "`" + text + "`";
}

std::string link(const std::string& text, const std::string& url) {
  return url.empty() ? text : "[" + text + "](" + url + ")";
}

std::string seconds_text(double seconds) {
  return util::format_fixed1(seconds) + " s";
}

std::string github_run_url(const runs::Run& run) {
  if (!run.html_url.empty()) {
    return run.html_url;
  }
  // GitHub's run pages have this one form; a run read with --bucket was never
  // looked up, but the repository it was asked under is known.
  return run.repo.empty() || run.id == 0
             ? std::string()
             : "https://github.com/" + run.repo + "/actions/runs/" + std::to_string(run.id);
}

// The string at `key` of `object` ("" when absent or null; numbers as JSON text).
std::string field(const json& object, const std::string& key) {
  return text_of(object.value(key, json()));
}

// One row per find result: group, run, status, S3 root and artifact count.
std::string find_results_table(const json& results) {
  std::vector<std::vector<std::string>> table;
  for (const auto& result : results) {
    std::string status = field(result, "workflow_run_status");
    if (const auto conclusion = field(result, "workflow_run_conclusion"); !conclusion.empty()) {
      status += " (" + conclusion + ")";
    }
    table.push_back({field(result, "artifact_group"),
                     link(field(result, "workflow_run_id"), field(result, "workflow_run_html_url")),
                     status,
                     link(code(field(result, "s3_uri")), field(result, "s3_index_url")),
                     std::to_string(result.value("artifact_filenames", json::array()).size())});
  }
  return storage::markdown_table({"Artifact group", "Workflow run", "Status", "S3", "Artifacts"},
                                 table);
}

// The bisect report's culprit object: {sha, subject, author, commit_url, run_id, run_url}.
void report_culprit(ActionsReport& actions, const json& culprit) {
  const std::string sha = field(culprit, "sha");
  const std::string url = field(culprit, "commit_url");
  const std::string run_url = field(culprit, "run_url");
  actions.output("culprit", sha);
  actions.output("culprit_url", url);
  if (!run_url.empty()) {
    actions.output("culprit_run_url", run_url);
  }
  actions.heading("culprit " + sha.substr(0, 12));
  actions.row("Culprit", link(code(sha), url));
  actions.row("Subject", field(culprit, "subject"));
  actions.row("Author", field(culprit, "author"));
  if (!run_url.empty()) {
    actions.row("Run", link(field(culprit, "run_id"), run_url));
  }
}

// The commits a culprit could not be told apart from (untestable neighbours).
void report_culprit_range(ActionsReport& actions, const json& range) {
  std::vector<std::string> shas;
  std::vector<std::vector<std::string>> table;
  for (const auto& entry : range) {
    const std::string sha = field(entry, "sha");
    shas.push_back(sha);
    table.push_back({link(code(sha.substr(0, 12)), field(entry, "commit_url")),
                     field(entry, "subject"),
                     field(entry, "why")});
  }
  actions.output("range", util::join(shas, "\n"));
  actions.heading("the culprit is one of " + std::to_string(shas.size()) + " commits");
  actions.block(storage::markdown_table({"Commit", "Subject", "Why untestable"}, table));
}

void report_failures(ActionsReport& actions, const std::vector<FailedArchive>& failures) {
  for (const auto& failure : failures) {
    actions.error("archive failed", failure.name + ": " + failure.message);
  }
}

} // namespace

void add_github_output_flag(CLI::App& command, bool& flag, const std::string& outputs) {
  command.add_flag("--github-output",
                   flag,
                   "Also write " + outputs
                       + " to $GITHUB_OUTPUT, a summary table to $GITHUB_STEP_SUMMARY and each "
                         "failure as an ::error line on stderr (default when GITHUB_ACTIONS=true)");
}

bool actions_reporting(bool requested) {
  if (requested) {
    return true;
  }
  try {
    return storage::parse_env_bool("GITHUB_ACTIONS", process_env("GITHUB_ACTIONS"));
  } catch (const ConfigError& e) {
    util::log_warn(std::string(e.what()) + "; not reporting to GitHub Actions (pass "
                   + "--github-output to force it)");
    return false;
  }
}

ActionsReport::ActionsReport(std::string command, bool requested)
    : m_command(std::move(command)), m_enabled(actions_reporting(requested)) {
  if (!m_enabled) {
    return;
  }
  for (const char* name : k_secret_variables) {
    // Real tokens and keys are 20-40+ characters; masking a short placeholder
    // ("testing") would only garble ordinary words.
    if (auto value = process_env(name); value && value->size() >= k_min_secret_size) {
      m_secrets.push_back(*value);
    }
  }
}

std::string ActionsReport::masked(std::string text) const {
  for (const auto& secret : m_secrets) {
    text = util::redact_secret(std::move(text), secret);
  }
  return text;
}

void ActionsReport::output(const std::string& key, const std::string& value) {
  if (m_enabled) {
    m_outputs.emplace_back(key, masked(value));
  }
}

void ActionsReport::heading(const std::string& text) {
  m_heading = text;
}

void ActionsReport::row(const std::string& label, const std::string& value) {
  if (m_enabled) {
    m_rows.push_back({label, masked(value)});
  }
}

void ActionsReport::block(const std::string& markdown) {
  if (m_enabled) {
    m_blocks.push_back(masked(markdown));
  }
}

void ActionsReport::error(const std::string& title, const std::string& message) {
  if (!m_enabled) {
    return;
  }
  const std::string full_title = "rockart " + m_command + ": " + title;
  const std::string text = masked(message);
  const std::string line = storage::error_command(full_title, text);
  (void)std::fwrite(line.data(), 1, line.size(), stderr);
  (void)std::fflush(stderr);
  m_errors.push_back({title, text});
}

void ActionsReport::failed(const std::string& kind,
                           const std::string& message,
                           const std::string& hint,
                           int exit_code) {
  error(kind == "not-found" ? "not found" : kind + " error",
        hint.empty() ? message : message + "\nhint: " + hint);
  finish(exit_code);
}

void ActionsReport::finish(int exit_code) {
  if (!m_enabled || m_finished) {
    return;
  }
  m_finished = true;
  if (exit_code != 0 && m_errors.empty()) {
    error("failed", "exit code " + std::to_string(exit_code) + "; the log above says why");
  }
  if (!m_outputs.empty()) {
    storage::write_github_outputs(process_env, m_outputs);
  }
  storage::append_job_summary(process_env, summary(exit_code));
}

std::string ActionsReport::summary(int exit_code) const {
  std::vector<std::string> parts;
  parts.push_back("### rockart " + m_command + (m_heading.empty() ? "" : ": " + masked(m_heading)));
  std::vector<std::vector<std::string>> rows = m_rows;
  rows.push_back({"Result",
                  exit_code == 0 ? std::string("success")
                                 : "**failed** (exit code " + std::to_string(exit_code) + ")"});
  parts.push_back(storage::markdown_table({"Field", "Value"}, rows));
  parts.insert(parts.end(), m_blocks.begin(), m_blocks.end());
  if (!m_errors.empty()) {
    parts.push_back(storage::markdown_table({"Error", "Message"}, m_errors));
  }
  // Paragraphs one blank line apart; append_job_summary() adds the blank line after the last.
  std::string text;
  for (auto& part : parts) {
    while (part.ends_with('\n')) {
      part.pop_back();
    }
    text += (text.empty() ? "" : "\n\n") + part;
  }
  return text;
}

void report_run(ActionsReport& actions, const runs::Run& run) {
  const std::string url = github_run_url(run);
  const std::string uri = run.uri() + "/";
  actions.output("run_id", std::to_string(run.id));
  actions.output("run_url", url);
  actions.output("bucket", run.bucket);
  actions.output("s3_uri", uri);
  if (!run.head_sha.empty()) {
    actions.output("commit", run.head_sha);
  }
  actions.row("Workflow run",
              link(std::to_string(run.id), url) + (run.repo.empty() ? "" : " of " + run.repo));
  if (!run.head_sha.empty()) {
    actions.row("Commit", code(run.head_sha));
  }
  actions.row("S3", code(uri));
}

void report_find(ActionsReport& actions, const json& doc) {
  const json& results = doc.at("results");
  if (results.empty()) {
    actions.output("found", "false");
    return;
  }
  const json& first = results.at(0);
  actions.output("found", "true");
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"run_id", "workflow_run_id"},
      {"run_url", "workflow_run_html_url"},
      {"bucket", "s3_bucket"},
      {"s3_uri", "s3_uri"},
      {"s3_index_url", "s3_index_url"},
      {"commit", "git_commit_sha"},
      {"commit_url", "git_commit_url"},
      {"workflow", "workflow_file_name"},
      {"platform", "platform"}};
  for (const auto& [output, key] : keys) {
    actions.output(output, field(first, key));
  }
  std::vector<std::string> missing_groups;
  for (const auto& group : doc.value("missing_artifact_groups", json::array())) {
    missing_groups.push_back(text_of(group));
  }
  actions.output("missing_groups", util::join(missing_groups, ","));
  actions.output("json", doc.dump());

  std::set<std::string> runs;
  for (const auto& result : results) {
    runs.insert(field(result, "workflow_run_id"));
  }
  const std::string sha = field(first, "git_commit_sha");
  actions.heading(
      (runs.size() == 1 ? "run " + *runs.begin() : std::to_string(runs.size()) + " runs")
      + " for commit " + sha.substr(0, 12));
  actions.row("Repository", field(first, "github_repository_name"));
  actions.row("Commit", link(code(sha), field(first, "git_commit_url")));
  actions.row("Workflow", code(field(first, "workflow_file_name")));
  actions.row("Platform", field(first, "platform"));
  if (!missing_groups.empty()) {
    actions.row("Missing artifact groups", util::join(missing_groups, ", "));
  }
  actions.block(find_results_table(results));
}

void report_bisect(ActionsReport& actions, const json& doc) {
  const std::string status = field(doc, "status");
  actions.output("status", status);
  actions.row("Repository", field(doc, "repo"));
  actions.row("Range",
              code(field(doc, "good").substr(0, 12) + ".." + field(doc, "bad").substr(0, 12)) + " ("
                  + field(doc, "commits") + " commits after the good one)");
  if (const json culprit = doc.value("culprit", json()); culprit.is_object()) {
    report_culprit(actions, culprit);
  } else if (status == "range") {
    report_culprit_range(actions, doc.value("range", json::array()));
  } else if (status == "in-progress") {
    actions.output("next", field(doc, "next"));
    actions.heading("in progress");
    actions.row("Next test", code(field(doc, "next")));
  } else {
    actions.heading(status);
    actions.row("Inconsistent", field(doc, "error"));
  }
  actions.row("Tested", std::to_string(doc.value("tested", json::array()).size()));
  actions.row("Skipped", std::to_string(doc.value("skipped", json::array()).size()));
  actions.row("Total",
              seconds_text(doc.value("total_seconds", 0.0)) + ", "
                  + util::format_bytes(doc.value("total_bytes", std::uint64_t{0})) + " downloaded");
  if (const json reproduce = doc.value("reproduce", json()); reproduce.is_string()) {
    actions.block("Reproduce:\n\n```sh\n" + reproduce.get<std::string>() + "\n```");
  }
}

FetchTotals fetch_totals(const fs::path& output_dir, const fetch::FetchSummary& summary) {
  FetchTotals totals;
  totals.output_dir = output_dir;
  totals.bytes = summary.bytes;
  totals.seconds = summary.seconds;
  for (const auto& outcome : summary.archives) {
    if (outcome.ok) {
      ++totals.archives;
    } else {
      totals.failures.push_back({outcome.name, outcome.error});
    }
  }
  return totals;
}

void report_fetch_to_actions(ActionsReport& actions,
                             const runs::Run& run,
                             const FetchTotals& totals) {
  const std::string dir = fs::absolute(totals.output_dir).lexically_normal().string();
  report_run(actions, run);
  actions.output("artifacts_dir", dir);
  actions.output("archives", std::to_string(totals.archives));
  actions.output("bytes", std::to_string(totals.bytes));
  actions.heading("run " + std::to_string(run.id) + (run.repo.empty() ? "" : " of " + run.repo));
  actions.row("Artifacts directory", code(dir));
  actions.row("Archives",
              std::to_string(totals.archives) + " fetched"
                  + (totals.failures.empty()
                         ? std::string()
                         : ", " + std::to_string(totals.failures.size()) + " failed"));
  actions.row("Downloaded", util::format_bytes(totals.bytes));
  actions.row("Time", seconds_text(totals.seconds));
  report_failures(actions, totals.failures);
}

void report_install(ActionsReport& actions,
                    const install::InstallSource& source,
                    const runs::Run* run,
                    const InstallTotals& totals) {
  const std::string dir = fs::absolute(totals.install_dir).lexically_normal().string();
  if (source.kind == "run" && run != nullptr) {
    report_run(actions, *run);
    actions.heading((totals.dry_run ? "would install from run " : "installed from run ")
                    + std::to_string(run->id) + (run->repo.empty() ? "" : " of " + run->repo));
  } else {
    if (run != nullptr) {
      actions.output("bucket", run->bucket);
      actions.output("s3_uri", source.uri);
    }
    actions.heading((totals.dry_run ? "would install " : "installed ") + source.kind + " "
                    + source.uri);
    actions.row("Source", code(source.uri));
  }
  actions.output("install_dir", dir);
  actions.output("archives", std::to_string(totals.archives.size()));
  actions.output("archive_names", util::join(totals.archives, "\n"));
  actions.output("bytes", std::to_string(totals.bytes));
  actions.row("Install directory", code(dir));
  if (!totals.plan.empty()) {
    actions.row("Plan", totals.plan + (totals.dry_run ? " (dry run: nothing changed)" : ""));
  }
  actions.row("Archives",
              std::to_string(totals.archives.size()) + " in the tree, "
                  + std::to_string(totals.applied) + " fetched by this install"
                  + (totals.failures.empty()
                         ? std::string()
                         : ", " + std::to_string(totals.failures.size()) + " failed"));
  actions.row("Downloaded", util::format_bytes(totals.bytes));
  actions.row("Time", seconds_text(totals.seconds));
  report_failures(actions, totals.failures);
}

} // namespace rockart::cli
