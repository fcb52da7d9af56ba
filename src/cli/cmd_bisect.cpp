// SPDX-License-Identifier: MIT
// `rockart bisect start|good|bad|skip|status|log|reset|run|report|replay`:
// the session lives in the cache directory (bisect::SessionFile), so it
// survives a crash and resumes with `status` / `run`.
#include "actions_output.hpp"
#include "cache_options.hpp"
#include "cli.hpp"
#include "find_common.hpp"
#include "gpu_flags.hpp"
#include "s3_options.hpp"

#include <rockart/bisect/artifact_source.hpp>
#include <rockart/bisect/bounds.hpp>
#include <rockart/bisect/ci_dispatcher.hpp>
#include <rockart/bisect/driver.hpp>
#include <rockart/bisect/git_range.hpp>
#include <rockart/bisect/report.hpp>
#include <rockart/bisect/session.hpp>
#include <rockart/error.hpp>
#include <rockart/github/command.hpp>
#include <rockart/github/compare.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/families.hpp>
#include <rockart/util/log.hpp>

#include <iostream>
#include <memory>

namespace rockart::cli {

namespace {

struct BisectFlags {
  std::string repo;
  std::string good;
  std::string bad;
  std::string good_date;         // start --good-date: the branch's last commit of that time
  std::string bad_date;          // start --bad-date
  std::string branch;            // start: the branch dates are read on (empty: the default)
  std::size_t max_lookback = 64; // start without a good bound: commits looked back over
  GpuFlags gpu;                  // start: --artifact-group, --amdgpu-targets, --no-expand-family
  std::string workflow;
  std::string platform = "linux";
  std::vector<std::string> includes;
  std::string git_dir;              // start --git-dir: the range from a local clone
  std::string sha;                  // good|bad|skip [SHA]
  std::vector<std::string> command; // run -- CMD ARGS
  std::size_t prefetch = 2;
  // run: the verdict rules (saved in the session; `given` says which were on
  // this command line) and --prompt.
  std::string timeout;
  std::string timeout_verdict;
  std::string crash_verdict;
  std::size_t times = 1;
  std::string flaky;
  std::string skip_if;
  std::string bad_if;
  std::string good_if;
  bool prompt = false;
  std::vector<CLI::Option*> rule_options;
  std::string strategy = "local";           // run --strategy local|ci
  std::string dispatch_workflow;            // ci: workflow to dispatch
  std::string dispatch_repo;                // ci: its repository (default: the session's)
  std::string ref;                          // ci: ref, "{sha}" = candidate
  std::vector<std::string> dispatch_inputs; // ci: NAME=VALUE, "{sha}" = candidate
  std::size_t parallel = 3;
  double poll_interval = 15;
  std::string replay_file;
  bool json = false;
  bool github_output = false; // report --github-output
  CacheOptions cache;
  S3Options s3;
};

bisect::SessionFile session_file(const BisectFlags& flags) {
  return bisect::SessionFile(cache_location(flags.cache).dir);
}

FindFlags find_flags(const bisect::Session& session, const BisectFlags& flags) {
  FindFlags find;
  find.repo = session.repo;
  find.workflow = session.workflow;
  find.platform = session.platform;
  find.groups = {session.artifact_group};
  find.targets = session.amdgpu_targets;
  find.s3 = flags.s3;
  // Bisect asks about the same commits again and again: completed runs and
  // their listings come from the cache.
  find.cache = flags.cache;
  return find;
}

std::chrono::sys_seconds wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// `sha`, the commit `date` stands for, logged so the user sees the bound.
std::string said_date(const std::string& date, std::string sha) {
  util::log_info("bisect: " + date + " is " + sha.substr(0, 12));
  return sha;
}

int start(BisectFlags& flags) {
  bisect::Session session;
  session.repo = flags.repo;
  canonicalize(flags.gpu);                     // "did you mean" for a mistyped group or target
  const auto request = gpu_request(flags.gpu); // logs the family's expansion, as fetch does
  session.artifact_group = *flags.gpu.group;
  session.amdgpu_targets = request.targets;
  session.expand_family = request.expand_family;
  session.workflow = flags.workflow;
  session.platform = flags.platform;
  session.includes = flags.includes;
  session.started_at = wall_now();
  if (flags.bad.empty() == flags.bad_date.empty()) {
    throw UsageError("give the bad end as --bad COMMIT or as --bad-date DATE (one of them)");
  }
  if (!flags.good.empty() && !flags.good_date.empty()) {
    throw UsageError("give the good end as --good COMMIT or as --good-date DATE, not both",
                     "or neither: rockart then looks back from the bad end for a good commit");
  }
  const bool lookback = flags.good.empty() && flags.good_date.empty();
  std::vector<github::CompareCommit> range;
  if (!flags.git_dir.empty()) {
    const auto resolve = [&](const std::string& rev, const std::string& date) {
      return date.empty() ? bisect::git_resolve(flags.git_dir, rev, github::run_process)
                          : said_date(date,
                                      bisect::git_commit_before(flags.git_dir,
                                                                flags.branch,
                                                                bisect::until_timestamp(date),
                                                                github::run_process));
    };
    session.bad = resolve(flags.bad, flags.bad_date);
    if (lookback) {
      range = bisect::git_lookback_window(
          flags.git_dir, session.bad, flags.max_lookback, github::run_process);
    } else {
      session.good = resolve(flags.good, flags.good_date);
      range =
          bisect::git_commit_range(flags.git_dir, session.good, session.bad, github::run_process);
    }
  } else {
    FindSession find(find_flags(session, flags));
    const auto resolve = [&](const std::string& rev, const std::string& date) {
      return date.empty()
                 ? github::resolve_commit(rev, flags.repo, find.github(), github::run_process)
                 : said_date(
                     date,
                     bisect::github_commit_before(
                         find.github(), flags.repo, flags.branch, bisect::until_timestamp(date)));
    };
    session.bad = resolve(flags.bad, flags.bad_date);
    if (lookback) {
      range = bisect::github_lookback_window(
          find.github(), flags.repo, session.bad, flags.max_lookback);
    } else {
      session.good = resolve(flags.good, flags.good_date);
      range = github::compare_commits(find.github(), flags.repo, session.good, session.bad);
    }
  }
  session.commits = bisect::session_commits(range);
  if (lookback) {
    if (session.commits.size() < 2) {
      throw UsageError(session.bad.substr(0, 12) + " has no older commit to look back to",
                       "give --good");
    }
    session.lookback = session.commits.size() - 1;
  }
  bisect::validate_session(session);
  session_file(flags).save(session);
  util::log_info(bisect::describe_range(session));
  return 0;
}

int mark(BisectFlags& flags, bisect::Verdict verdict) {
  auto session = session_file(flags).load();
  bisect::mark_commit(session, flags.sha, verdict, wall_now());
  session_file(flags).save(session);
  print_out(bisect::render_report_text(session));
  return 0;
}

int report(const BisectFlags& flags, const bisect::Session& session) {
  if (flags.json) {
    print_out(json_text(bisect::render_report_json(session)));
  } else {
    print_out(bisect::render_report_text(session));
  }
  return 0;
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
  config.inputs = bisect::parse_dispatch_inputs(flags.dispatch_inputs);
  return config;
}

int run_ci(BisectFlags& flags) {
  auto session = session_file(flags).load();
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
  const auto file = session_file(flags);
  bisect::run_ci(
      session, dispatcher, [&file](const bisect::Session& s) { file.save(s); }, options);
  return report(flags, session);
}

bool given(const BisectFlags& flags, const std::string& name) {
  for (const CLI::Option* option : flags.rule_options) {
    if (option->check_name(name) && option->count() > 0) {
      return true;
    }
  }
  return false;
}

bool any_rule_given(const BisectFlags& flags) {
  for (const CLI::Option* option : flags.rule_options) {
    if (option->count() > 0) {
      return true;
    }
  }
  return false;
}

// `rules` (the session's) with the flags given on this command line
// replacing theirs. Throws UsageError for an invalid one.
bisect::TestRules merged_rules(bisect::TestRules rules, const BisectFlags& flags) {
  if (given(flags, "--timeout")) {
    rules.timeout = bisect::parse_timeout(flags.timeout);
  }
  if (given(flags, "--timeout-verdict")) {
    rules.timeout_verdict = *bisect::parse_outcome(flags.timeout_verdict);
  }
  if (given(flags, "--crash-verdict")) {
    rules.crash_verdict = *bisect::parse_outcome(flags.crash_verdict);
  }
  if (given(flags, "--times")) {
    rules.times = flags.times;
  }
  if (given(flags, "--flaky")) {
    rules.flaky = *bisect::parse_flaky_policy(flags.flaky);
  }
  if (given(flags, "--skip-if")) {
    rules.skip_if = flags.skip_if;
  }
  if (given(flags, "--bad-if")) {
    rules.bad_if = flags.bad_if;
  }
  if (given(flags, "--good-if")) {
    rules.good_if = flags.good_if;
  }
  bisect::validate_rules(rules);
  return rules;
}

int run(BisectFlags& flags) {
  const bool rule_flags = any_rule_given(flags);
  if (flags.strategy == "ci") {
    if (rule_flags || flags.prompt) {
      throw UsageError("the verdict rules and --prompt are for --strategy local",
                       "with --strategy ci the CI run's conclusion is the verdict");
    }
    return run_ci(flags);
  }
  if (flags.prompt && !flags.command.empty()) {
    throw UsageError("--prompt asks you for each verdict instead of running CMD; give one of them");
  }
  (void)merged_rules({}, flags); // invalid flags fail before anything runs
  auto session = session_file(flags).load();
  if (!flags.command.empty()) {
    session.command = flags.command;
    session.prompt = false;
  }
  if (flags.prompt) {
    session.prompt = true;
  }
  if (session.prompt && rule_flags) {
    throw UsageError("the verdict rules apply to CMD's runs, not to answers at the prompt",
                     "give `-- CMD ARGS...` with them, or drop them");
  }
  session.rules = merged_rules(session.rules, flags);
  FindSession find(find_flags(session, flags));
  bisect::SourceConfig config;
  config.cache_dir = cache_location(flags.cache).dir;
  config.repo = session.repo;
  config.platform = session.platform;
  config.group = session.artifact_group;
  config.targets = session.amdgpu_targets;
  config.expand_family = session.expand_family;
  config.includes = session.includes;
  config.pin_owner = bisect::pin_owner(session);
  bisect::CacheArtifactSource source(
      find.search(), find.session().catalog(), find.session().s3(), config);
  std::unique_ptr<bisect::TestRunner> runner;
  if (session.prompt) {
    runner = std::make_unique<bisect::PromptTestRunner>(std::cin, std::cerr);
  } else {
    runner = std::make_unique<bisect::ProcessTestRunner>(session.rules);
  }
  const auto file = session_file(flags);
  bisect::DriverServices services{source,
                                  source,
                                  *runner,
                                  flags.prefetch > 0 ? &source : nullptr,
                                  [&file](const bisect::Session& s) { file.save(s); },
                                  bisect::process_environment(),
                                  nullptr};
  const auto outcome = bisect::run_local(session, services, {flags.prefetch});
  if (outcome.quit) {
    util::log_info("bisect: stopped at the prompt; the session is saved, resume with `rockart "
                   "bisect run`");
    return report(flags, session);
  }
  if (outcome.aborted) {
    util::log_error("bisect: aborted: " + outcome.abort_reason
                    + "; the session is saved, resume with `rockart bisect run`");
    return outcome.exit_code();
  }
  return report(flags, session);
}

int log_cmd(BisectFlags& flags) {
  print_out(bisect::session_to_json(session_file(flags).load()).dump(2) + "\n");
  return 0;
}

int reset(BisectFlags& flags) {
  const auto file = session_file(flags);
  if (!file.exists()) {
    util::log_info("bisect: no session to reset");
    return 0;
  }
  const auto session = file.load();
  if (auto cache = open_cache(flags.cache)) {
    cache->index().unpin_owner(bisect::pin_owner(session));
  }
  file.remove();
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
  start_cmd->add_option("--good",
                        flags->good,
                        "A commit without the regression (none: look back from the bad one "
                        "1, 2, 4, 8 ... commits for one that passes)");
  start_cmd->add_option("--bad", flags->bad, "A commit with the regression");
  start_cmd->add_option("--good-date",
                        flags->good_date,
                        "Instead of --good: the branch's last commit of that day "
                        "(2026-02-03) or time (2026-02-03T12:00:00Z, UTC)");
  start_cmd->add_option("--bad-date", flags->bad_date, "Instead of --bad: likewise");
  start_cmd->add_option("--branch",
                        flags->branch,
                        "The branch dates are read on (default: the "
                        "repository's default branch; HEAD with --git-dir)");
  start_cmd
      ->add_option("--max-lookback",
                   flags->max_lookback,
                   "Without a good end: commits before the bad one to look back over")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
      ->capture_default_str();
  start_cmd
      ->add_option("--artifact-group",
                   flags->gpu.group,
                   "Artifact group, e.g. gfx94X-dcgpu (any case); without --amdgpu-targets its "
                   "targets' archives are tested too")
      ->required();
  start_cmd->add_option("--amdgpu-targets",
                        flags->gpu.targets,
                        "Comma-separated targets, e.g. gfx942, instead of the group's own");
  start_cmd->add_flag("--no-expand-family",
                      flags->gpu.no_expand_family,
                      "Test only generic and group-named archives, not the group's targets'");
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
  auto& rule_options = flags->rule_options;
  const auto rule = [&rule_options](CLI::Option* option) {
    rule_options.push_back(option);
    return option;
  };
  rule(run_cmd->add_option("--timeout",
                           flags->timeout,
                           "Longest run of CMD, e.g. 90s, 10m, 1h (0 = none); then its whole "
                           "process group gets SIGTERM, and SIGKILL 5 s later"))
      ->type_name("DURATION");
  rule(run_cmd->add_option(
           "--timeout-verdict", flags->timeout_verdict, "A run that timed out is bad|skip"))
      ->check(CLI::IsMember({"bad", "skip"}))
      ->default_str("bad");
  rule(run_cmd->add_option("--crash-verdict",
                           flags->crash_verdict,
                           "A run killed by SIGSEGV, SIGABRT, SIGBUS, SIGILL or SIGFPE is "
                           "bad|skip|abort; when given, so is an exit status >= 128 (else that "
                           "aborts)"))
      ->check(CLI::IsMember({"bad", "skip", "abort"}))
      ->default_str("bad");
  rule(run_cmd->add_option("--times",
                           flags->times,
                           "Runs of CMD per commit, for a flaky test (stops early once the "
                           "verdict cannot change)"))
      ->type_name("N")
      ->check(CLI::Range(std::size_t{1}, bisect::k_max_times))
      ->capture_default_str();
  rule(run_cmd->add_option("--flaky",
                           flags->flaky,
                           "How --times runs combine: bad-if-any (bad if any run is bad, else "
                           "good if any is), good-if-all (good only if every run is; bad if any "
                           "is; else skip), majority (more good or more bad runs; a tie skips); "
                           "all skipped: skip"))
      ->check(CLI::IsMember({"bad-if-any", "good-if-all", "majority"}))
      ->default_str("bad-if-any");
  rule(run_cmd->add_option(
           "--skip-if",
           flags->skip_if,
           "Skip when a line of CMD's output (stdout and stderr) matches; checked first"))
      ->type_name("REGEX");
  rule(run_cmd->add_option(
           "--bad-if", flags->bad_if, "Bad when a line of the output matches; checked second"))
      ->type_name("REGEX");
  rule(run_cmd->add_option("--good-if",
                           flags->good_if,
                           "Good when a line of the output matches; checked third, then the "
                           "exit status decides"))
      ->type_name("REGEX");
  run_cmd->add_flag("--prompt",
                    flags->prompt,
                    "No CMD: show each candidate (commit, run, tree) and ask good/bad/skip/quit");
  run_cmd->add_option("command", flags->command, "-- CMD ARGS...");
  add_common(run_cmd, *flags);
  run_cmd->callback([flags, &context] { context.exit_code = run(*flags); });

  auto* status = bisect->add_subcommand("status", "Where the search stands");
  add_common(status, *flags);
  status->callback(
      [flags, &context] { context.exit_code = report(*flags, session_file(*flags).load()); });

  auto* report_cmd = bisect->add_subcommand("report", "The report (culprit, tests, skips)");
  report_cmd->add_flag("--json", flags->json, "JSON on stdout");
  add_github_output_flag(*report_cmd,
                         flags->github_output,
                         "status, culprit, culprit_url, culprit_run_url, next and range");
  add_common(report_cmd, *flags);
  report_cmd->callback([flags, &context] {
    context.json = flags->json;
    ActionsReport actions("bisect report", flags->github_output);
    context.exit_code = actions.run([&] {
      const auto session = session_file(*flags).load();
      const int code = report(*flags, session);
      report_bisect(actions, bisect::render_report_json(session));
      return code;
    });
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
