// SPDX-License-Identifier: MIT
#include <rockart/bisect/bounds.hpp>
#include <rockart/bisect/driver.hpp>
#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>
#include <deque>
#include <future>
#include <thread>

namespace rockart::bisect {

namespace {

using SteadyClock = std::chrono::steady_clock;

SteadyClock::time_point now(const DriverServices& services) {
  return services.clock ? services.clock() : SteadyClock::now();
}

double seconds_between(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::chrono::sys_seconds wall_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string short_sha(const std::string& sha) {
  return sha.substr(0, 12);
}

std::uint64_t take_prefetched(DriverServices& services) {
  return services.prefetcher != nullptr ? services.prefetcher->take_bytes() : 0;
}

// Plans and starts the background downloads of the commits tested after
// `current` on another thread, so CMD starts at once: the candidates are
// resolved there on a copy of the session (the main thread only waits for CMD
// meanwhile). The future yields the copy's commits with their resolutions.
std::future<std::vector<SessionCommit>> start_prefetch(const Session& session,
                                                       std::size_t current,
                                                       DriverServices& services,
                                                       const DriverOptions& options) {
  if (services.prefetcher == nullptr || options.prefetch == 0) {
    return {};
  }
  return std::async(
      std::launch::async, [copy = session, current, &services, limit = options.prefetch]() mutable {
        std::vector<SessionCommit> commits;
        try {
          for (const auto position : prefetch_positions(copy, current, limit, services.resolver)) {
            commits.push_back(copy.commits[position]);
          }
          if (!commits.empty()) {
            services.prefetcher->prefetch(commits);
          }
        } catch (const Error& e) { // prefetch is an optimisation: the search goes on
          util::log_warn(std::string("bisect: prefetch skipped: ") + e.what());
        }
        return std::move(copy.commits);
      });
}

// Copies the background resolutions into `session` (commits still unknown there).
void merge_resolutions(Session& session, std::future<std::vector<SessionCommit>>& planned) {
  if (!planned.valid()) {
    return;
  }
  const auto resolved = planned.get();
  for (std::size_t i = 0; i < resolved.size() && i < session.commits.size(); ++i) {
    auto& commit = session.commits[i];
    if (commit.availability == Availability::unknown && resolved[i].sha == commit.sha) {
      commit.availability = resolved[i].availability;
      commit.unavailable_reason = resolved[i].unavailable_reason;
      commit.run_id = resolved[i].run_id;
      commit.run_url = resolved[i].run_url;
    }
  }
}

// The verdict reason of a commit: the single run's reason, or with --times
// the first run that agrees with the verdict and the policy that combined them.
std::string combined_reason(const std::vector<Judgement>& judged,
                            std::size_t attempts,
                            FlakyPolicy policy,
                            Verdict verdict) {
  if (attempts == 1) {
    return judged.front().reason;
  }
  std::size_t cited = judged.size() - 1;
  for (std::size_t i = 0; i < judged.size(); ++i) {
    if (verdict_from_outcome(judged[i].outcome) == verdict) {
      cited = i;
      break;
    }
  }
  return "attempt " + std::to_string(cited + 1) + " of " + std::to_string(attempts) + ": "
         + judged[cited].reason + " (--flaky " + to_string(policy) + ")";
}

// Tests the commit at `position`; returns the abort outcome, if any.
std::optional<RunOutcome> test_one(Session& session,
                                   const Action& action,
                                   DriverServices& services,
                                   const DriverOptions& options) {
  const auto started = now(services);
  const SessionCommit commit = session.commits[action.commit];
  const auto tree = services.trees.materialize(commit);
  auto planned = start_prefetch(session, action.commit, services, options);
  util::log_info("bisect: testing " + short_sha(commit.sha) + " " + commit.subject + " ("
                 + (session.lookback > 0
                        ? std::string("looking back for a good commit")
                        : std::to_string(action.candidates) + " candidate(s) left, about "
                              + std::to_string(estimated_steps(action.candidates)) + " step(s)")
                 + ")");
  const TestContext context{commit.sha, commit.run_id, tree.dir};
  const TestRules& rules = session.rules;
  TestRequest request;
  request.argv = session.command;
  request.env = build_test_environment(services.base_env, context);
  request.commit = commit;
  request.tree = tree.dir;
  request.attempts = session.prompt ? 1 : std::max<std::size_t>(1, rules.times);
  RunCounts counts;
  std::vector<Judgement> judged;
  std::optional<RunOutcome> aborted;
  for (request.attempt = 1; request.attempt <= request.attempts; ++request.attempt) {
    const auto status = services.runner.run(request);
    auto judgement = judge(status, rules);
    if (judgement.outcome == TestOutcome::abort) {
      aborted = RunOutcome{action, true, status.interrupted, status.quit, judgement.reason};
      break;
    }
    if (request.attempts > 1) {
      util::log_info("bisect: run " + std::to_string(request.attempt) + "/"
                     + std::to_string(request.attempts) + " of " + short_sha(commit.sha) + ": "
                     + to_string(judgement.outcome) + " (" + judgement.reason + ")");
    }
    counts.add(judgement.outcome);
    judged.push_back(std::move(judgement));
    if (runs_decided(rules.flaky, counts, request.attempts - request.attempt)) {
      break;
    }
  }
  const double seconds = seconds_between(started, now(services));
  merge_resolutions(session, planned); // waits for the planning, not the downloads
  session.total_bytes += tree.bytes + take_prefetched(services);
  if (aborted) {
    services.save(session);
    return aborted;
  }
  VerdictRecord record;
  record.sha = commit.sha;
  record.verdict = combine_runs(rules.flaky, counts);
  record.time = wall_now();
  record.reason = combined_reason(judged, request.attempts, rules.flaky, record.verdict);
  record.run_id = commit.run_id;
  record.seconds = seconds;
  record.bytes = tree.bytes;
  if (request.attempts > 1) {
    record.runs = counts;
  }
  record_verdict(session, record);
  util::log_info("bisect: " + short_sha(commit.sha) + " is " + to_string(record.verdict) + " ("
                 + record.reason + ")");
  return std::nullopt;
}

// Looks back from the bad commit for one that passes (session.lookback):
// tests what next_lookback_step picks until it finds a good bound, which
// settles the range. Returns the abort outcome, if any; throws NotFoundError
// when every probe of the window failed.
std::optional<RunOutcome> find_good_bound(Session& session, DriverServices& services) {
  const DriverOptions no_prefetch{.prefetch = 0}; // the bisect's candidates are not known yet
  for (;;) {
    const auto step = next_lookback_step(positions(session));
    if (step.kind == LookbackStep::Kind::found) {
      const std::string good = session.commits[step.position].sha;
      const std::size_t window = session.commits.size() - 1;
      settle_good_bound(session, step.position);
      services.save(session);
      util::log_info("bisect: " + short_sha(good) + " passes: it is the good bound, "
                     + std::to_string(session.commits.size()) + " commit(s) to bisect of the "
                     + std::to_string(window) + " looked back over");
      return std::nullopt;
    }
    if (step.kind == LookbackStep::Kind::exhausted) {
      services.save(session);
      throw NotFoundError("no commit with artifacts passes the test in the "
                              + std::to_string(session.commits.size() - 1) + " commits before "
                              + short_sha(session.bad),
                          "look further back (bisect start --max-lookback N) or give --good");
    }
    if (!ensure_resolved(session, step.position, services.resolver)) {
      services.save(session);
      continue;
    }
    Action probe;
    probe.commit = step.position;
    probe.first_bad = session.commits.size() - 1;
    auto aborted = test_one(session, probe, services, no_prefetch);
    services.save(session);
    if (aborted) {
      return aborted;
    }
  }
}

} // namespace

ProcessTestRunner::ProcessTestRunner(TestRules rules, std::chrono::milliseconds kill_grace)
    : m_rules(std::move(rules)), m_kill_grace(kill_grace) {
  validate_rules(m_rules);
}

ProcessStatus ProcessTestRunner::run(const TestRequest& request) {
  RunOptions options;
  options.timeout = m_rules.timeout;
  options.kill_grace = m_kill_grace;
  if (!m_rules.has_output_patterns()) {
    return run_test_command(request.argv, request.env, options);
  }
  OutputMatcher matcher(m_rules);
  options.on_output = [&matcher](std::string_view chunk) {
    matcher.feed(chunk);
  };
  auto status = run_test_command(request.argv, request.env, options);
  matcher.finish();
  status.matches = matcher.matches();
  return status;
}

int RunOutcome::exit_code() const {
  if (!aborted || quit) {
    return 0;
  }
  return interrupted ? static_cast<int>(ExitCode::interrupted) : static_cast<int>(ExitCode::error);
}

bool ensure_resolved(Session& session, std::size_t position, CommitResolver& resolver) {
  auto& commit = session.commits.at(position);
  if (commit.availability != Availability::unknown) {
    return commit.availability == Availability::available;
  }
  const auto resolved = resolver.resolve(commit);
  commit.availability = resolved.available ? Availability::available : Availability::unavailable;
  commit.unavailable_reason = resolved.available ? "" : resolved.reason;
  commit.run_id = resolved.run_id;
  commit.run_url = resolved.run_url;
  if (!resolved.available) {
    util::log_info("bisect: " + short_sha(commit.sha) + " has no usable artifacts ("
                   + resolved.reason + "); skipping it");
  }
  return resolved.available;
}

std::vector<std::size_t> prefetch_positions(Session& session,
                                            std::size_t current,
                                            std::size_t limit,
                                            CommitResolver& resolver) {
  // Breadth-first over hypothetical verdicts, starting with both of `current`.
  using Assumption = std::vector<std::pair<std::size_t, Verdict>>;
  std::deque<Assumption> queue{{{current, Verdict::good}}, {{current, Verdict::bad}}};
  std::vector<std::size_t> picked;
  while (!queue.empty() && picked.size() < limit) {
    const Assumption assumed = queue.front();
    queue.pop_front();
    std::optional<std::size_t> next;
    for (;;) { // resolve until the hypothetical next test is an available commit
      const auto action = next_action(apply_verdicts(positions(session), assumed));
      if (action.kind != Action::Kind::test) {
        break;
      }
      if (ensure_resolved(session, action.commit, resolver)) {
        next = action.commit;
        break;
      }
    }
    if (!next) {
      continue;
    }
    if (*next != current && std::find(picked.begin(), picked.end(), *next) == picked.end()) {
      picked.push_back(*next);
    }
    for (const auto verdict : {Verdict::good, Verdict::bad}) {
      Assumption child = assumed;
      child.emplace_back(*next, verdict);
      queue.push_back(std::move(child));
    }
  }
  return picked;
}

std::vector<std::string> reachable_shas(const Session& session) {
  const auto action = next_action(session);
  const std::size_t from = action.last_good ? *action.last_good + 1 : 0;
  std::vector<std::string> shas;
  for (std::size_t i = from; i <= action.first_bad && i < session.commits.size(); ++i) {
    shas.push_back(session.commits[i].sha);
  }
  return shas;
}

RunOutcome run_local(Session& session, DriverServices& services, const DriverOptions& options) {
  if (session.command.empty() && !session.prompt) {
    throw UsageError("the session has no test command; run `rockart bisect run -- CMD ARGS...`",
                     "or answer for each commit yourself with `rockart bisect run --prompt`");
  }
  const auto started = now(services);
  const double before = session.total_seconds;
  if (session.lookback > 0) {
    if (auto aborted = find_good_bound(session, services)) {
      session.total_seconds = before + seconds_between(started, now(services));
      services.save(session);
      return *aborted;
    }
  }
  for (;;) {
    const auto action = next_action(session);
    if (action.kind == Action::Kind::inconsistent) {
      throw UsageError(describe_inconsistency(session, action));
    }
    if (action.kind != Action::Kind::test) {
      if (services.prefetcher != nullptr) {
        services.prefetcher->retain(reachable_shas(session));
      }
      session.total_bytes += take_prefetched(services);
      session.total_seconds = before + seconds_between(started, now(services));
      services.save(session);
      RunOutcome done;
      done.action = action;
      return done;
    }
    if (!ensure_resolved(session, action.commit, services.resolver)) {
      services.save(session);
      continue;
    }
    auto aborted = test_one(session, action, services, options);
    session.total_seconds = before + seconds_between(started, now(services));
    if (aborted) {
      services.save(session);
      return *aborted;
    }
    if (services.prefetcher != nullptr) {
      services.prefetcher->retain(reachable_shas(session));
    }
    services.save(session);
  }
}

Verdict verdict_from_conclusion(const std::string& conclusion) {
  if (conclusion == "success") {
    return Verdict::good;
  }
  return conclusion == "failure" ? Verdict::bad : Verdict::skip;
}

Action run_ci(Session& session,
              CiDispatcher& dispatcher,
              const std::function<void(const Session&)>& save,
              const CiOptions& options) {
  if (session.lookback > 0) {
    throw UsageError("the CI strategy needs a good commit, and this session is still looking "
                     "back for one",
                     "run `rockart bisect run -- CMD` (local) first, or start with --good");
  }
  const auto sleep = options.sleep ? options.sleep : [](std::chrono::milliseconds d) {
    std::this_thread::sleep_for(d);
  };
  for (;;) {
    auto action = next_action(session);
    if (action.kind == Action::Kind::inconsistent) {
      throw UsageError(describe_inconsistency(session, action));
    }
    if (action.kind != Action::Kind::test) {
      return action;
    }
    const auto batch = choose_batch(positions(session), std::max<std::size_t>(1, options.parallel));
    const auto round_start = SteadyClock::now();
    std::vector<std::pair<std::size_t, DispatchedRun>> runs;
    for (const auto position : batch) {
      auto& commit = session.commits[position];
      const auto run = dispatcher.dispatch(commit);
      util::log_info("bisect: dispatched run " + std::to_string(run.run_id) + " for "
                     + short_sha(commit.sha) + " " + run.run_url);
      runs.emplace_back(position, run);
    }
    std::vector<bool> done(runs.size(), false);
    std::size_t remaining = runs.size();
    while (remaining > 0) {
      for (std::size_t i = 0; i < runs.size(); ++i) {
        if (done[i]) {
          continue;
        }
        const auto conclusion = dispatcher.conclusion(runs[i].second.run_id);
        if (!conclusion) {
          continue;
        }
        done[i] = true;
        --remaining;
        VerdictRecord record;
        record.sha = session.commits[runs[i].first].sha;
        record.verdict = verdict_from_conclusion(*conclusion);
        record.time = wall_now();
        record.reason =
            "CI run " + std::to_string(runs[i].second.run_id) + " concluded " + *conclusion;
        record.run_id = runs[i].second.run_id;
        record.seconds = seconds_between(round_start, SteadyClock::now());
        record_verdict(session, record);
        session.commits[runs[i].first].run_url = runs[i].second.run_url;
        save(session);
      }
      if (remaining > 0) {
        sleep(options.poll_interval);
      }
    }
    session.total_seconds += seconds_between(round_start, SteadyClock::now());
    save(session);
  }
}

} // namespace rockart::bisect
