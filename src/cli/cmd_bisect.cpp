// SPDX-License-Identifier: MIT
// `rockart bisect start|good|bad|skip|status|log|reset|run|report|replay`
// (issue 8): the session lives in {cache}/bisect/session.json so it survives a
// crash and resumes with `status` / `run`.
#include "cache_options.hpp"
#include "cli.hpp"
#include "find_common.hpp"
#include "s3_options.hpp"

#include <rockart/bisect/artifact_source.hpp>
#include <rockart/bisect/ci_dispatcher.hpp>
#include <rockart/bisect/driver.hpp>
#include <rockart/bisect/git_range.hpp>
#include <rockart/bisect/report.hpp>
#include <rockart/bisect/session.hpp>
#include <rockart/error.hpp>
#include <rockart/github/compare.hpp>
#include <rockart/util/log.hpp>

#include <memory>

extern char** environ;

namespace rockart::cli {

namespace {

namespace fs = std::filesystem;

struct BisectFlags {
  std::string repo;
  std::string good;
  std::string bad;
  std::string group;
  std::string workflow;
  std::string platform = "linux";
  std::vector<std::string> includes;
  std::string git_dir;              // start --git-dir: the range from a local clone
  std::string sha;                  // good|bad|skip [SHA]
  std::vector<std::string> command; // run -- CMD ARGS
  std::size_t prefetch = 2;
  std::string strategy = "local";           // run --strategy local|ci
  std::string dispatch_workflow;            // ci: workflow to dispatch
  std::string dispatch_repo;                // ci: its repository (default: the session's)
  std::string ref;                          // ci: ref, "{sha}" = candidate
  std::vector<std::string> dispatch_inputs; // ci: NAME=VALUE, "{sha}" = candidate
  std::size_t parallel = 3;
  double poll_interval = 15;
  std::string replay_file;
  bool json = false;
  CacheOptions cache;
  S3Options s3;
};

fs::path session_path(const BisectFlags& flags) {
  return cache_location(flags.cache).dir / "bisect" / "session.json";
}

bisect::Session load(const BisectFlags& flags) {
  try {
    return bisect::load_session(session_path(flags));
  } catch (const NotFoundError&) {
    throw UsageError("no bisect session in " + session_path(flags).string(),
                     "start one with `rockart bisect start --repo R --good G --bad B "
                     "--artifact-group F`");
  }
}

FindFlags find_flags(const bisect::Session& session, const BisectFlags& flags) {
  FindFlags find;
  find.repo = session.repo;
  find.workflow = session.workflow;
  find.platform = session.platform;
  find.groups = {session.artifact_group};
  find.s3 = flags.s3;
  // Bisect asks about the same commits again and again: completed runs and
  // their listings come from the cache.
  find.cache = flags.cache;
  return find;
}

std::chrono::sys_seconds wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

int start(BisectFlags& flags) {
  bisect::Session session;
  session.repo = flags.repo;
  session.artifact_group = flags.group;
  session.workflow = flags.workflow;
  session.platform = flags.platform;
  session.includes = flags.includes;
  session.started_at = wall_now();
  std::vector<github::CompareCommit> range;
  if (!flags.git_dir.empty()) {
    session.good = bisect::git_resolve(flags.git_dir, flags.good, run_git);
    session.bad = bisect::git_resolve(flags.git_dir, flags.bad, run_git);
    range = bisect::git_commit_range(flags.git_dir, session.good, session.bad, run_git);
  } else {
    FindSession find(find_flags(session, flags));
    session.good = github::resolve_commit(flags.good, flags.repo, find.github(), run_git);
    session.bad = github::resolve_commit(flags.bad, flags.repo, find.github(), run_git);
    range = github::compare_commits(find.github(), flags.repo, session.good, session.bad);
  }
  for (const auto& c : range) {
    bisect::SessionCommit commit;
    commit.sha = c.sha;
    commit.subject = c.subject;
    commit.author = c.author;
    session.commits.push_back(commit);
  }
  bisect::validate_session(session);
  bisect::save_session(session, session_path(flags));
  util::log_info("bisect: " + std::to_string(session.commits.size()) + " commit(s) in ("
                 + session.good.substr(0, 12) + ", " + session.bad.substr(0, 12) + "]; about "
                 + std::to_string(bisect::estimated_steps(session.commits.size() - 1))
                 + " test(s)");
  return 0;
}

int mark(BisectFlags& flags, bisect::Verdict verdict) {
  auto session = load(flags);
  std::string sha = flags.sha;
  if (sha.empty()) {
    const auto action = bisect::next_action(session);
    if (action.kind != bisect::Action::Kind::test) {
      throw UsageError("the search is over; name the commit to mark: rockart bisect "
                       + std::string(bisect::to_string(verdict)) + " SHA");
    }
    sha = session.commits[action.commit].sha;
  }
  bisect::VerdictRecord record;
  record.sha = sha;
  record.verdict = verdict;
  record.time = wall_now();
  record.reason = "marked by user";
  record_verdict(session, record);
  bisect::save_session(session, session_path(flags));
  print_out(bisect::render_report_text(session));
  return 0;
}

void print_report(const BisectFlags& flags, const bisect::Session& session) {
  if (flags.json) {
    print_out(bisect::render_report_json(session).dump(2) + "\n");
  } else {
    print_out(bisect::render_report_text(session));
  }
}

bisect::CiDispatchConfig ci_config(const BisectFlags& flags, const bisect::Session& session) {
  if (flags.dispatch_workflow.empty() || flags.ref.empty()) {
    throw UsageError("--strategy ci needs --dispatch-workflow FILE and --ref REF",
                     "e.g. --dispatch-workflow therock-ci.yml --ref 'bisect/rocm-systems-{sha}' "
                     "({sha} is replaced by each candidate commit)");
  }
  bisect::CiDispatchConfig config;
  config.repo = flags.dispatch_repo.empty() ? session.repo : flags.dispatch_repo;
  config.workflow = flags.dispatch_workflow;
  config.ref = flags.ref;
  for (const auto& input : flags.dispatch_inputs) {
    const auto eq = input.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("--dispatch-input '" + input + "' is not NAME=VALUE",
                       "e.g. --dispatch-input 'commit={sha}'");
    }
    config.inputs[input.substr(0, eq)] = input.substr(eq + 1);
  }
  return config;
}

int run_ci(BisectFlags& flags) {
  auto session = load(flags);
  if (flags.parallel == 0) {
    throw UsageError("--parallel must be at least 1");
  }
  FindSession find(find_flags(session, flags));
  if (!find.github().authenticated()) {
    throw ConfigError("--strategy ci dispatches workflows, which needs a GitHub token",
                      "set GITHUB_TOKEN to a token with actions:write on the workflow's "
                      "repository");
  }
  bisect::GithubCiDispatcher dispatcher(find.github(), ci_config(flags, session));
  bisect::CiOptions options;
  options.parallel = flags.parallel;
  options.poll_interval = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::max(0.0, flags.poll_interval) * 1000));
  const auto path = session_path(flags);
  bisect::run_ci(
      session, dispatcher, [&path](const bisect::Session& s) { save_session(s, path); }, options);
  print_report(flags, session);
  return 0;
}

int run(BisectFlags& flags) {
  if (flags.strategy == "ci") {
    return run_ci(flags);
  }
  auto session = load(flags);
  if (!flags.command.empty()) {
    session.command = flags.command;
  }
  FindSession find(find_flags(session, flags));
  bisect::SourceConfig config;
  config.cache_dir = cache_location(flags.cache).dir;
  config.repo = session.repo;
  config.platform = session.platform;
  config.group = session.artifact_group;
  config.includes = session.includes;
  config.pin_owner = "bisect:" + session.repo + ":" + session.good + "..." + session.bad;
  bisect::CacheArtifactSource source(
      find.search(), find.session().catalog(), find.session().s3(), config);
  bisect::ProcessTestRunner runner;
  std::vector<std::string> env_entries;
  for (char** e = environ; *e != nullptr; ++e) {
    env_entries.emplace_back(*e);
  }
  const auto path = session_path(flags);
  bisect::DriverServices services{source,
                                  source,
                                  runner,
                                  flags.prefetch > 0 ? &source : nullptr,
                                  [&path](const bisect::Session& s) { save_session(s, path); },
                                  bisect::parse_environment(env_entries),
                                  nullptr};
  const auto outcome = bisect::run_local(session, services, {flags.prefetch});
  if (outcome.aborted) {
    util::log_error("bisect: aborted: " + outcome.abort_reason
                    + "; the session is saved, resume with `rockart bisect run`");
    return outcome.exit_code();
  }
  print_report(flags, session);
  return 0;
}

int report(BisectFlags& flags, const bisect::Session& session) {
  if (flags.json) {
    print_out(bisect::render_report_json(session).dump(2) + "\n");
  } else {
    print_out(bisect::render_report_text(session));
  }
  return 0;
}

int log_cmd(BisectFlags& flags) {
  print_out(bisect::session_to_json(load(flags)).dump(2) + "\n");
  return 0;
}

int reset(BisectFlags& flags) {
  const auto path = session_path(flags);
  if (!fs::exists(path)) {
    util::log_info("bisect: no session to reset");
    return 0;
  }
  const auto session = load(flags);
  auto cache = open_cache(flags.cache);
  if (cache) {
    cache->index().unpin_owner("bisect:" + session.repo + ":" + session.good + "..." + session.bad);
  }
  fs::remove(path);
  util::log_info("bisect: session reset (cached artifacts stay until evicted)");
  return 0;
}

void add_common(CLI::App* sub, BisectFlags& flags) {
  add_cache_options(*sub, flags.cache, false);
  add_s3_options(*sub, flags.s3);
}

} // namespace

void register_bisect(CLI::App& app, Context& context) {
  auto flags = std::make_shared<BisectFlags>();
  auto* bisect = app.add_subcommand(
      "bisect", "Find the commit that broke a test using CI-built artifacts (git bisect-like)");
  bisect->require_subcommand(1);

  auto* start_cmd = bisect->add_subcommand("start", "Start a session over (good, bad]");
  start_cmd->add_option("--repo", flags->repo, "Repository (owner/repo)")->required();
  start_cmd->add_option("--good", flags->good, "A commit without the regression")->required();
  start_cmd->add_option("--bad", flags->bad, "A commit with the regression")->required();
  start_cmd->add_option("--artifact-group", flags->group, "Artifact group, e.g. gfx94X-dcgpu")
      ->required();
  start_cmd->add_option("--workflow", flags->workflow, "Workflow file (default per repository)");
  start_cmd->add_option("--platform", flags->platform, "linux or windows")->capture_default_str();
  start_cmd->add_option("--include", flags->includes, "Archive include regex (repeatable)");
  start_cmd->add_option("--git-dir",
                        flags->git_dir,
                        "Local clone to read the commit range from (first-parent "
                        "good..bad) instead of GitHub's compare API");
  add_common(start_cmd, *flags);
  start_cmd->callback([flags, &context] { context.exit_code = start(*flags); });

  for (const auto verdict : {bisect::Verdict::good, bisect::Verdict::bad, bisect::Verdict::skip}) {
    auto* sub = bisect->add_subcommand(bisect::to_string(verdict),
                                       std::string("Mark a commit (default: the current one) ")
                                           + bisect::to_string(verdict));
    sub->add_option("sha", flags->sha, "Commit (full SHA or unique prefix)");
    add_common(sub, *flags);
    sub->callback([flags, &context, verdict] { context.exit_code = mark(*flags, verdict); });
  }

  auto* run_cmd =
      bisect->add_subcommand("run", "Test candidates with CMD until the culprit is found");
  run_cmd->add_option("--prefetch", flags->prefetch, "Candidates downloaded ahead (0 = off)")
      ->capture_default_str();
  run_cmd->add_flag("--json", flags->json, "JSON report on stdout");
  run_cmd
      ->add_option("--strategy",
                   flags->strategy,
                   "local: CMD on this machine; ci: workflow_dispatch runs on CI")
      ->check(CLI::IsMember({"local", "ci"}))
      ->capture_default_str();
  run_cmd->add_option(
      "--dispatch-workflow", flags->dispatch_workflow, "ci: workflow file to dispatch");
  run_cmd->add_option("--dispatch-repo",
                      flags->dispatch_repo,
                      "ci: repository of that workflow (default: the session's)");
  run_cmd->add_option("--ref", flags->ref, "ci: ref to dispatch on; {sha} = the candidate");
  run_cmd->add_option("--dispatch-input",
                      flags->dispatch_inputs,
                      "ci: NAME=VALUE workflow input (repeatable); {sha} = the candidate");
  run_cmd->add_option("--parallel", flags->parallel, "ci: candidates dispatched per round")
      ->capture_default_str();
  run_cmd->add_option("--poll-interval", flags->poll_interval, "ci: seconds between run polls")
      ->capture_default_str();
  run_cmd->add_option("command", flags->command, "-- CMD ARGS...");
  add_common(run_cmd, *flags);
  run_cmd->callback([flags, &context] { context.exit_code = run(*flags); });

  auto* status = bisect->add_subcommand("status", "Where the search stands");
  add_common(status, *flags);
  status->callback([flags, &context] { context.exit_code = report(*flags, load(*flags)); });

  auto* report_cmd = bisect->add_subcommand("report", "The report (culprit, tests, skips)");
  report_cmd->add_flag("--json", flags->json, "JSON on stdout");
  add_common(report_cmd, *flags);
  report_cmd->callback([flags, &context] {
    context.json = flags->json;
    context.exit_code = report(*flags, load(*flags));
  });

  auto* log = bisect->add_subcommand("log", "The session with its verdict log (replayable JSON)");
  add_common(log, *flags);
  log->callback([flags, &context] { context.exit_code = log_cmd(*flags); });

  auto* replay = bisect->add_subcommand("replay", "Recompute the result of a saved log");
  replay->add_option("file", flags->replay_file, "A file written by `rockart bisect log`")
      ->required();
  replay->add_flag("--json", flags->json, "JSON on stdout");
  replay->callback([flags, &context] {
    context.exit_code = report(*flags, bisect::load_session(flags->replay_file));
  });

  auto* reset_cmd = bisect->add_subcommand("reset", "End the session and release its pins");
  add_common(reset_cmd, *flags);
  reset_cmd->callback([flags, &context] { context.exit_code = reset(*flags); });
}

} // namespace rockart::cli
