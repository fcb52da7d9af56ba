// SPDX-License-Identifier: MIT
#include "find_common.hpp"

#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/github/command.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <iostream>

namespace rockart::cli {

namespace {

github::FindOptions find_options(FindFlags& flags) {
  if (flags.platform.empty()) {
    flags.platform = host_ci_platform();
  }
  github::FindOptions options;
  options.platform = flags.platform;
  options.groups = flags.groups;
  options.targets = flags.targets;
  options.required_patterns = flags.required;
  options.require_single_run = flags.single_run;
  options.require_successful_run = flags.successful_run;
  github::validate_find_options(options);
  return options;
}

github::FindOptions with_bucket_inputs(github::FindOptions options,
                                       const runs::Session& session,
                                       const FindFlags& flags) {
  layout::BucketOverrides overrides;
  overrides.repository = flags.repo;
  overrides.bucket = flags.bucket;
  options.bucket_inputs = session.bucket_inputs(overrides);
  return options;
}

runs::SessionOptions session_options(const FindFlags& flags) {
  runs::SessionOptions options;
  options.s3 = flags.s3;
  options.offline = flags.offline;
  options.wait_on_rate_limit = flags.wait_on_rate_limit;
  return options;
}

} // namespace

void add_find_flags(CLI::App& c, FindFlags& f) {
  c.add_option("--repo", f.repo, "Repository whose runs are queried (owner/repo)")
      ->capture_default_str();
  c.add_option("--workflow",
               f.workflow,
               "Workflow file (default per repository; ROCm/TheRock: multi_arch_ci.yml, then "
               "ci.yml when it has no runs)");
  c.add_option("--platform", f.platform, "linux or windows (default: the host)");
  c.add_option("--artifact-group", f.groups, "One or more artifact groups, e.g. gfx94X-dcgpu")
      ->required()
      ->expected(1, -1);
  c.add_option("--amdgpu-target", f.targets, "Extra target (repeatable; one group only)");
  c.add_option("--require-artifact", f.required, "Regex that must match a selected archive");
  c.add_flag("--require-single-run", f.single_run, "All groups must come from one run");
  c.add_flag("--require-successful-run",
             f.successful_run,
             "Only inspect runs that completed with success");
  c.add_option("--bucket", f.bucket, "Read from this bucket (bypasses bucket selection)");
  c.add_flag("--json", f.json, "JSON on stdout");
  c.add_flag("--stats", f.stats, "Print the number of GitHub and S3 requests to stderr");
  c.add_flag("--wait-on-rate-limit",
             f.wait_on_rate_limit,
             "Sleep until a GitHub rate limit resets instead of failing");
  add_s3_options(c, f.s3);
  add_cache_options(c, f.cache);
  c.add_flag("--offline",
             f.offline,
             "Answer from the cache alone (no GitHub or S3 request); fail naming what is "
             "missing");
  add_github_output_flag(c,
                         f.github_output,
                         "found, run_id, run_url, bucket, s3_uri, s3_index_url, commit, "
                         "commit_url, workflow, platform, missing_groups and json");
}

FindSession::FindSession(FindFlags flags, ActionsReport* actions)
    : m_flags(std::move(flags)), m_options(find_options(m_flags)),
      m_cache(open_cache(m_flags.cache)), m_session(process_env,
                                                    github::run_process,
                                                    session_options(m_flags),
                                                    m_cache ? &*m_cache : nullptr),
      m_search(m_session.catalog().search(m_session.github(),
                                          m_flags.repo,
                                          m_flags.workflow,
                                          with_bucket_inputs(m_options, m_session, m_flags))),
      m_actions(actions) {}

void FindSession::print_stats() const {
  if (m_flags.stats) {
    std::cerr << "rockart: stats: github requests: " << m_session.github_requests()
              << ", s3 requests: " << m_session.s3_requests() << "\n";
  }
}

int FindSession::report(const github::CommitSearch& found, const std::string& scope) {
  for (const auto& warning : found.outcome.warnings) {
    util::log_warn(warning);
  }
  if (found.outcome.results.empty()) {
    const std::string message = "no matching artifacts found for " + scope + " (platform "
                                + m_flags.platform + ", artifact groups "
                                + util::join(m_flags.groups, ", ") + ")";
    util::log_error(message);
    for (const auto& line : found.outcome.rejections) {
      util::log_info("  " + line);
    }
    if (m_actions != nullptr) {
      m_actions->output("found", "false");
      m_actions->heading("nothing found for " + scope);
      m_actions->row("Repository", m_flags.repo);
      m_actions->row("Platform", m_flags.platform);
      m_actions->row("Artifact groups", util::join(m_flags.groups, ", "));
      m_actions->error("not found", message);
    }
    return static_cast<int>(ExitCode::not_found);
  }
  if (!found.outcome.missing_groups.empty()) {
    util::log_warn("no artifacts found for group(s) "
                   + util::join(found.outcome.missing_groups, ", ") + " of " + scope);
  }
  const github::ReportContext context{
      m_flags.repo, found.sha, m_flags.platform, found.workflow, m_flags.targets, m_flags.required};
  const auto doc = github::report_json(found.outcome, context);
  if (m_flags.json) {
    print_out(doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              + "\n"); // find_artifacts_for_commit.py's keys exactly: no schema_version
  } else {
    print_out(github::format_human(found.outcome, context));
  }
  if (m_actions != nullptr) {
    report_find(*m_actions, doc);
  }
  return static_cast<int>(ExitCode::success);
}

} // namespace rockart::cli
