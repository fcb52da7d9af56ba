// SPDX-License-Identifier: MIT
// The bisect driver loop against fakes of its own interfaces (resolver, tree
// materialiser, prefetcher, test runner, CI dispatcher).
#include <rockart/bisect/driver.hpp>
#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace rockart::bisect {
namespace {

// The driver logs every step at info; thousands of simulated sessions would
// bury the test report, so only warnings and errors are shown here.
const bool k_quiet_logs = [] {
  util::set_log_level(util::LogLevel::warn);
  return true;
}();

std::string sha_of(std::size_t n) {
  std::string hex = std::to_string(n);
  return std::string(40 - hex.size(), 'a') + hex;
}

// `count` commits after the good one; commits >= culprit are bad.
Session make_session(std::size_t count) {
  Session s;
  s.repo = "ROCm/rocm-systems";
  s.good = std::string(40, 'f');
  s.artifact_group = "gfx94X-dcgpu";
  s.platform = "linux";
  s.command = {"test-cmd"};
  for (std::size_t i = 0; i < count; ++i) {
    s.commits.push_back({sha_of(i), "change " + std::to_string(i), "dev", {}, "", {}, ""});
  }
  s.bad = s.commits.back().sha;
  return s;
}

std::size_t index_of(const std::string& sha) {
  return std::stoul(sha.substr(sha.find_first_not_of('a')));
}

struct FakeResolver final : CommitResolver {
  std::set<std::size_t> missing;
  std::vector<std::size_t> calls;

  ResolvedCommit resolve(const SessionCommit& commit) override {
    const auto n = index_of(commit.sha);
    calls.push_back(n);
    if (missing.count(n) != 0) {
      return {false, "no run of therock-ci.yml", std::nullopt, ""};
    }
    return {true, "", static_cast<std::int64_t>(1000 + n), "https://runs/" + std::to_string(n)};
  }
};

struct FakeTrees final : TreeMaterializer {
  std::vector<std::size_t> built;

  MaterializedTree materialize(const SessionCommit& commit) override {
    built.push_back(index_of(commit.sha));
    return {"/trees/" + commit.sha, 100};
  }
};

struct FakePrefetcher final : Prefetcher {
  std::vector<std::vector<std::size_t>> rounds;
  std::vector<std::string> retained;

  void prefetch(const std::vector<SessionCommit>& commits) override {
    rounds.emplace_back();
    for (const auto& c : commits) {
      rounds.back().push_back(index_of(c.sha));
    }
  }

  void retain(const std::vector<std::string>& shas) override { retained = shas; }

  std::uint64_t take_bytes() override { return 7; }
};

// Exit code per commit: `culprit` and later fail; overrides win, then `script`
// (commit, attempt) when set. Only the first attempt of a commit is in `tested`.
struct FakeRunner final : TestRunner {
  std::size_t culprit = 0;
  std::map<std::size_t, ProcessStatus> overrides;
  std::function<std::optional<ProcessStatus>(std::size_t, std::size_t)> script;
  std::vector<std::size_t> tested;
  std::vector<Environment> envs;
  std::map<std::size_t, std::size_t> attempts; // commit -> its last attempt

  ProcessStatus run(const TestRequest& request) override {
    EXPECT_EQ(request.argv, std::vector<std::string>{"test-cmd"});
    const auto n = index_of(request.env.at("ROCKART_COMMIT"));
    EXPECT_EQ(request.commit.sha, sha_of(n));
    EXPECT_EQ(request.tree, "/trees/" + sha_of(n));
    if (request.attempt == 1) {
      tested.push_back(n);
      envs.push_back(request.env);
    } else {
      EXPECT_EQ(request.attempt, attempts[n] + 1);
    }
    attempts[n] = request.attempt;
    if (const auto it = overrides.find(n); it != overrides.end()) {
      return it->second;
    }
    if (script) {
      if (auto status = script(n, request.attempt)) {
        return *status;
      }
    }
    ProcessStatus status;
    status.exit_code = n >= culprit ? 1 : 0;
    return status;
  }
};

struct Harness {
  FakeResolver resolver;
  FakeTrees trees;
  FakeRunner runner;
  FakePrefetcher prefetcher;
  std::vector<Session> saves;
  DriverServices services{resolver, trees, runner, nullptr, nullptr, {{"PATH", "/usr/bin"}}, {}};

  explicit Harness(bool prefetch) {
    services.prefetcher = prefetch ? &prefetcher : nullptr;
    services.save = [this](const Session& s) {
      saves.push_back(s);
    };
  }
};

TEST(BisectDriver, FindsTheCulpritAndSavesAfterEveryTest) {
  Harness h(false);
  h.runner.culprit = 37;
  h.resolver.missing = {5, 21, 22, 48};
  auto session = make_session(64);
  const auto outcome = run_local(session, h.services, {0});
  EXPECT_FALSE(outcome.aborted);
  EXPECT_EQ(outcome.exit_code(), 0);
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  EXPECT_EQ(outcome.action.commit, 37u);
  EXPECT_LE(h.runner.tested.size(), 6u + 2u);
  EXPECT_EQ(h.trees.built, h.runner.tested);
  EXPECT_EQ(session.log.size(), h.runner.tested.size());
  EXPECT_GE(h.saves.size(), h.runner.tested.size());
  EXPECT_EQ(h.saves.back().log.size(), session.log.size());
  EXPECT_EQ(session.total_bytes, 100u * h.runner.tested.size());
  // The environment CMD saw for its commit.
  const auto& env = h.runner.envs.front();
  const auto first = h.runner.tested.front();
  EXPECT_EQ(env.at("ROCKART_RUN_ID"), std::to_string(1000 + first));
  EXPECT_EQ(env.at("ROCKART_ARTIFACTS_DIR"), "/trees/" + sha_of(first));
  EXPECT_EQ(env.at("PATH"), "/trees/" + sha_of(first) + "/bin:/usr/bin");
}

TEST(BisectDriver, CulpritNextToAGapIsARange) {
  Harness h(false);
  h.runner.culprit = 36;
  h.resolver.missing = {35};
  auto session = make_session(64);
  const auto outcome = run_local(session, h.services, {0});
  ASSERT_EQ(outcome.action.kind, Action::Kind::range);
  EXPECT_EQ(outcome.action.range, (std::vector<std::size_t>{35, 36}));
  EXPECT_EQ(session.commits[35].availability, Availability::unavailable);
  EXPECT_EQ(session.commits[35].unavailable_reason, "no run of therock-ci.yml");
}

TEST(BisectDriver, Exit125SkipsTheCommit) {
  Harness h(false);
  h.runner.culprit = 40;
  auto session = make_session(64);
  ProcessStatus skip;
  skip.exit_code = 125;
  h.runner.overrides[31] = skip; // the first midpoint
  const auto outcome = run_local(session, h.services, {0});
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  EXPECT_EQ(outcome.action.commit, 40u);
  EXPECT_EQ(h.runner.tested.front(), 31u);
  EXPECT_EQ(session.log.front().verdict, Verdict::skip);
  EXPECT_EQ(session.log.front().reason, "CMD exited with 125");
}

TEST(BisectDriver, ExitAbove127AbortsWithTheSessionIntact) {
  Harness h(false);
  h.runner.culprit = 40;
  auto session = make_session(64);
  ProcessStatus abort;
  abort.exit_code = 200;
  h.runner.overrides[47] = abort; // the second midpoint (31 is good)
  const auto outcome = run_local(session, h.services, {0});
  EXPECT_TRUE(outcome.aborted);
  EXPECT_FALSE(outcome.interrupted);
  EXPECT_EQ(outcome.exit_code(), 2);
  EXPECT_EQ(outcome.abort_reason, "CMD exited with 200");
  ASSERT_EQ(session.log.size(), 1u);
  EXPECT_EQ(h.saves.back().log.size(), 1u);
  // Resuming with a working CMD finishes the search.
  h.runner.overrides.clear();
  const auto resumed = run_local(session, h.services, {0});
  ASSERT_EQ(resumed.action.kind, Action::Kind::culprit);
  EXPECT_EQ(resumed.action.commit, 40u);
}

TEST(BisectDriver, InterruptExitsWith130) {
  Harness h(false);
  auto session = make_session(8);
  ProcessStatus interrupted;
  interrupted.signal = 2;
  interrupted.interrupted = true;
  h.runner.overrides[3] = interrupted;
  const auto outcome = run_local(session, h.services, {0});
  EXPECT_TRUE(outcome.aborted);
  EXPECT_EQ(outcome.exit_code(), 130);
  EXPECT_TRUE(session.log.empty());
}

ProcessStatus exit_status(int code) {
  ProcessStatus status;
  status.exit_code = code;
  return status;
}

TEST(BisectDriver, CrashSignalIsBadAndTimeoutFollowsItsRule) {
  Harness h(false);
  h.runner.culprit = 44;
  auto session = make_session(64);
  session.rules.timeout_verdict = TestOutcome::skip;
  ProcessStatus segv;
  segv.signal = SIGSEGV;
  h.runner.overrides[47] = segv; // 31 is good, so 47 is next
  ProcessStatus hung;
  hung.signal = SIGTERM;
  hung.timed_out = std::chrono::milliseconds(1000);
  h.runner.overrides[39] = hung;
  const auto outcome = run_local(session, h.services, {0});
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  EXPECT_EQ(outcome.action.commit, 44u);
  ASSERT_GE(session.log.size(), 3u);
  EXPECT_EQ(session.log[1].verdict, Verdict::bad);
  EXPECT_EQ(session.log[1].reason, "CMD was killed by signal 11 (SIGSEGV)");
  EXPECT_EQ(session.log[2].verdict, Verdict::skip);
  EXPECT_EQ(session.log[2].reason, "CMD timed out after 1s (its process group was killed)");
  EXPECT_FALSE(session.log[0].runs); // one run per commit: no counts
}

TEST(BisectDriver, TimesRunsEachCommitAndRecordsThePassCounts) {
  Harness h(false);
  h.runner.culprit = 37;
  // Bad commits fail only their third run.
  h.runner.script = [&h](std::size_t n, std::size_t attempt) -> std::optional<ProcessStatus> {
    return exit_status(n >= h.runner.culprit && attempt == 3 ? 1 : 0);
  };
  auto session = make_session(64);
  session.rules.times = 3;
  const auto outcome = run_local(session, h.services, {0});
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  EXPECT_EQ(outcome.action.commit, 37u);
  for (const auto& record : session.log) {
    const auto n = index_of(record.sha);
    EXPECT_EQ(h.runner.attempts[n], 3u) << n;
    ASSERT_TRUE(record.runs) << n;
    EXPECT_EQ(record.runs->runs, 3u);
    if (n >= 37) {
      EXPECT_EQ(record.verdict, Verdict::bad);
      EXPECT_EQ(record.runs->passed, 2u);
      EXPECT_EQ(record.runs->failed, 1u);
      EXPECT_EQ(record.reason, "attempt 3 of 3: CMD exited with 1 (--flaky bad-if-any)");
    } else {
      EXPECT_EQ(record.verdict, Verdict::good);
      EXPECT_EQ(record.runs->passed, 3u);
      EXPECT_EQ(record.reason, "attempt 1 of 3: CMD exited with 0 (--flaky bad-if-any)");
    }
  }
  // With one run per commit the same test misses the regression.
  Harness once(false);
  once.runner.script = h.runner.script;
  once.runner.culprit = 37;
  auto missed = make_session(64);
  const auto wrong = run_local(missed, once.services, {0});
  ASSERT_EQ(wrong.action.kind, Action::Kind::culprit);
  EXPECT_EQ(wrong.action.commit, 63u);
}

TEST(BisectDriver, TimesStopsEarlyOnceTheVerdictIsSettled) {
  Harness h(false);
  h.runner.culprit = 37;
  auto session = make_session(64);
  session.rules.times = 5;
  session.rules.flaky = FlakyPolicy::majority;
  const auto outcome = run_local(session, h.services, {0});
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  EXPECT_EQ(outcome.action.commit, 37u);
  for (const auto& record : session.log) {
    ASSERT_TRUE(record.runs);
    EXPECT_EQ(record.runs->runs, 3u); // 3 of 5 is a majority
    EXPECT_EQ(h.runner.attempts[index_of(record.sha)], 3u);
  }
}

TEST(BisectDriver, AnAbortInAnyRunAbortsWithoutAVerdict) {
  Harness h(false);
  h.runner.culprit = 40;
  h.runner.script = [](std::size_t n, std::size_t attempt) -> std::optional<ProcessStatus> {
    if (n == 31 && attempt == 2) {
      return exit_status(200);
    }
    return std::nullopt;
  };
  auto session = make_session(64);
  session.rules.times = 3;
  const auto outcome = run_local(session, h.services, {0});
  EXPECT_TRUE(outcome.aborted);
  EXPECT_EQ(outcome.exit_code(), 2);
  EXPECT_EQ(outcome.abort_reason, "CMD exited with 200");
  EXPECT_TRUE(session.log.empty());
  // --crash-verdict skip turns exit >= 128 into a skipped run instead, and
  // with good-if-all 2 good runs and a skipped one are a skip.
  session.rules.crash_verdict = TestOutcome::skip;
  session.rules.flaky = FlakyPolicy::good_if_all;
  h.runner.attempts.clear();
  const auto resumed = run_local(session, h.services, {0});
  ASSERT_EQ(resumed.action.kind, Action::Kind::culprit);
  EXPECT_EQ(resumed.action.commit, 40u);
  EXPECT_EQ(session.log.front().verdict, Verdict::skip);
  EXPECT_EQ(session.log.front().reason,
            "attempt 2 of 3: CMD exited with 200 (--crash-verdict skip) (--flaky good-if-all)");
  ASSERT_TRUE(session.log.front().runs);
  EXPECT_EQ(session.log.front().runs->skipped, 1u);
  EXPECT_EQ(session.log.front().runs->passed, 2u);
}

// The prompt as the session's test: answers from a script of lines, the culprit
// decided by the answers; quitting and resuming.
TEST(BisectDriver, PromptAsksForEachCandidateAndQuitsResumably) {
  Harness h(false);
  auto session = make_session(8);
  session.command.clear();
  session.prompt = true;
  session.rules.times = 3; // the prompt asks once per commit anyway
  session.commits[3].run_url = "https://runs/3";
  std::istringstream first("maybe\ng\nq\n"); // 3 good, then quit at 5
  std::ostringstream shown;
  PromptTestRunner prompt(first, shown);
  h.saves.clear();
  DriverServices with_prompt{h.resolver, h.trees, prompt, nullptr, h.services.save, {}, {}};
  const auto quit = run_local(session, with_prompt, {0});
  EXPECT_TRUE(quit.aborted);
  EXPECT_TRUE(quit.quit);
  EXPECT_EQ(quit.exit_code(), 0);
  EXPECT_EQ(quit.abort_reason, "quit at the prompt");
  ASSERT_EQ(session.log.size(), 1u);
  EXPECT_EQ(session.log[0].sha, sha_of(3));
  EXPECT_EQ(session.log[0].verdict, Verdict::good);
  EXPECT_EQ(session.log[0].reason, "answered good at the prompt");
  EXPECT_FALSE(session.log[0].runs);
  EXPECT_EQ(h.saves.back().log.size(), 1u);
  const std::string text = shown.str();
  EXPECT_NE(text.find("bisect: test commit " + sha_of(3)
                      + "\n  subject: change 3\n  run:     "
                        "https://runs/3\n  tree:    /trees/"
                      + sha_of(3) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("please answer g (good), b (bad), s (skip) or q (quit)"), std::string::npos);
  EXPECT_NE(text.find("ROCM_PATH=/trees/" + sha_of(3)), std::string::npos);
  EXPECT_NE(text.find("bisect: test commit " + sha_of(5)), std::string::npos);
  // Resumed: 5 bad (upper case and spaces are fine), then the input ends at 4.
  std::istringstream second(" BAD\n");
  PromptTestRunner again(second, shown);
  DriverServices resumed_services{h.resolver, h.trees, again, nullptr, h.services.save, {}, {}};
  const auto ended = run_local(session, resumed_services, {0});
  EXPECT_TRUE(ended.quit); // the end of the input is a quit
  ASSERT_EQ(session.log.size(), 2u);
  EXPECT_EQ(session.log[1].sha, sha_of(5));
  EXPECT_EQ(session.log[1].verdict, Verdict::bad);
  std::istringstream third("bad\n");
  PromptTestRunner last(third, shown);
  DriverServices last_services{h.resolver, h.trees, last, nullptr, h.services.save, {}, {}};
  const auto done = run_local(session, last_services, {0});
  EXPECT_FALSE(done.aborted);
  ASSERT_EQ(done.action.kind, Action::Kind::culprit);
  EXPECT_EQ(done.action.commit, 4u); // 3 good, 4 bad
  ASSERT_EQ(session.log.size(), 3u);
  EXPECT_EQ(h.trees.built, (std::vector<std::size_t>{3, 5, 5, 4, 4}));
  EXPECT_TRUE(h.runner.tested.empty());
}

TEST(BisectDriver, ContradictoryVerdictsAreAUsageError) {
  Harness h(false);
  auto session = make_session(8);
  record_verdict(session, {sha_of(2), Verdict::bad, {}, "marked by user", {}, 0, 0, {}});
  record_verdict(session, {sha_of(5), Verdict::good, {}, "marked by user", {}, 0, 0, {}});
  EXPECT_THROW(run_local(session, h.services, {0}), UsageError);
}

TEST(BisectDriver, PrefetchesBothNextCandidatesAndTheNextTestWasPrefetched) {
  Harness h(true);
  h.runner.culprit = 37;
  h.resolver.missing = {5, 21, 22, 48};
  auto session = make_session(64);
  const auto outcome = run_local(session, h.services, {2});
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  EXPECT_EQ(outcome.action.commit, 37u);
  ASSERT_FALSE(h.prefetcher.rounds.empty());
  EXPECT_EQ(h.prefetcher.rounds.front(), (std::vector<std::size_t>{47, 15}));
  for (std::size_t i = 1; i < h.runner.tested.size(); ++i) {
    const auto& earlier = h.prefetcher.rounds[i - 1];
    EXPECT_NE(std::find(earlier.begin(), earlier.end(), h.runner.tested[i]), earlier.end())
        << "test " << i << " of commit " << h.runner.tested[i] << " was not prefetched";
  }
  std::size_t prefetched = 0;
  for (const auto& round : h.prefetcher.rounds) {
    EXPECT_LE(round.size(), 2u);
    prefetched += round.size();
  }
  EXPECT_LE(prefetched, 2 * h.runner.tested.size());
  // Only the final culprit stays reachable (pinned).
  EXPECT_EQ(h.prefetcher.retained, std::vector<std::string>{sha_of(37)});
}

TEST(BisectDriver, PrefetchLimitFourLooksTwoLevelsAhead) {
  Harness h(true);
  auto session = make_session(64);
  const auto picked = prefetch_positions(session, 31, 6, h.resolver);
  EXPECT_EQ(picked, (std::vector<std::size_t>{47, 15, 55, 39, 23, 7}));
}

struct FakeDispatcher final : CiDispatcher {
  std::size_t culprit = 0;
  std::int64_t next_id = 1;
  std::map<std::int64_t, std::size_t> runs;
  std::map<std::int64_t, int> polls;
  std::vector<std::size_t> dispatched;

  DispatchedRun dispatch(const SessionCommit& commit) override {
    const auto n = index_of(commit.sha);
    dispatched.push_back(n);
    runs[next_id] = n;
    return {next_id, "https://runs/" + std::to_string(next_id++)};
  }

  std::optional<std::string> conclusion(std::int64_t run_id) override {
    if (++polls[run_id] < 2) {
      return std::nullopt; // still running at the first poll
    }
    return runs.at(run_id) >= culprit ? "failure" : "success";
  }
};

TEST(BisectDriver, CiStrategyDispatchesThreeAtOnceAndFindsTheCulprit) {
  FakeDispatcher dispatcher;
  dispatcher.culprit = 37;
  auto session = make_session(64);
  int saves = 0;
  int sleeps = 0;
  CiOptions options;
  options.parallel = 3;
  options.sleep = [&](std::chrono::milliseconds) {
    ++sleeps;
  };
  const auto action = run_ci(
      session, dispatcher, [&](const Session&) { ++saves; }, options);
  ASSERT_EQ(action.kind, Action::Kind::culprit);
  EXPECT_EQ(action.commit, 37u);
  // log4(64) = 3 rounds of at most 3 runs.
  EXPECT_LE(dispatcher.dispatched.size(), 9u);
  EXPECT_EQ(sleeps, 3);
  EXPECT_EQ(session.log.size(), dispatcher.dispatched.size());
  EXPECT_EQ(session.log.front().reason, "CI run 1 concluded success");
  EXPECT_GE(saves, static_cast<int>(session.log.size()));
}

TEST(BisectDriver, VerdictFromConclusion) {
  EXPECT_EQ(verdict_from_conclusion("success"), Verdict::good);
  EXPECT_EQ(verdict_from_conclusion("failure"), Verdict::bad);
  EXPECT_EQ(verdict_from_conclusion("cancelled"), Verdict::skip);
  EXPECT_EQ(verdict_from_conclusion("timed_out"), Verdict::skip);
}

// Random histories: the driver's answer matches a brute-force scan.
TEST(BisectDriver, RandomHistoriesMatchBruteForce) {
  std::mt19937 rng(8);
  for (int round = 0; round < 300; ++round) {
    const std::size_t count = 2 + rng() % 40;
    Harness h(round % 2 == 0);
    h.runner.culprit = rng() % count;
    for (std::size_t i = 0; i + 1 < count; ++i) {
      if (rng() % 5 == 0 && i != h.runner.culprit) {
        h.resolver.missing.insert(i);
      }
    }
    auto session = make_session(count);
    const auto outcome = run_local(session, h.services, {2});
    // Brute force: the first bad commit, widened over unavailable neighbours.
    std::size_t lo = h.runner.culprit;
    while (lo > 0 && h.resolver.missing.count(lo - 1) != 0) {
      --lo;
    }
    if (lo == h.runner.culprit) {
      ASSERT_EQ(outcome.action.kind, Action::Kind::culprit) << "round " << round;
      EXPECT_EQ(outcome.action.commit, h.runner.culprit);
    } else {
      ASSERT_EQ(outcome.action.kind, Action::Kind::range) << "round " << round;
      EXPECT_EQ(outcome.action.range.front(), lo);
      EXPECT_EQ(outcome.action.range.back(), h.runner.culprit);
    }
    const auto bound = static_cast<std::size_t>(std::ceil(std::log2(count))) + 2;
    EXPECT_LE(h.runner.tested.size(), bound + h.resolver.missing.size());
  }
}

} // namespace
} // namespace rockart::bisect

namespace rockart::bisect {
namespace {

// Without a good commit: the window of 64 commits before the bad one and it.
Session make_lookback_session(std::size_t window) {
  Session s = make_session(window + 1);
  s.good.clear();
  s.lookback = window;
  return s;
}

TEST(BisectDriverLookback, FindsAGoodBoundByDoublingThenBisectsToTheCulprit) {
  Harness h(false);
  h.runner.culprit = 50; // commits 0..49 pass
  h.resolver.missing = {48};
  auto session = make_lookback_session(64);
  const auto outcome = run_local(session, h.services, {0});
  ASSERT_EQ(outcome.action.kind, Action::Kind::culprit);
  // Probes 63, 62, 60, 56, then 48 has no artifacts: 47 passes and is the bound.
  ASSERT_GE(h.runner.tested.size(), 5u);
  EXPECT_EQ(std::vector<std::size_t>(h.runner.tested.begin(), h.runner.tested.begin() + 5),
            (std::vector<std::size_t>{63, 62, 60, 56, 47}));
  EXPECT_EQ(session.good, sha_of(47));
  EXPECT_EQ(session.lookback, 0u);
  EXPECT_EQ(session.commits.front().sha, sha_of(48));
  EXPECT_EQ(session.commits[outcome.action.commit].sha, sha_of(50));
  EXPECT_NE(session.good_reason.find("looking back"), std::string::npos);
  // The bad probes stay in the log; each commit was tested once.
  std::set<std::size_t> once(h.runner.tested.begin(), h.runner.tested.end());
  EXPECT_EQ(once.size(), h.runner.tested.size());
  validate_session(session);
}

TEST(BisectDriverLookback, NoPassingCommitInReachIsNotFound) {
  Harness h(false);
  h.runner.culprit = 0; // everything fails
  auto session = make_lookback_session(20);
  EXPECT_THROW(run_local(session, h.services, {0}), NotFoundError);
  EXPECT_LE(h.runner.tested.size(), 7u);   // 19, 18, 16, 12, 4, 0 (the window's oldest)
  EXPECT_EQ(h.saves.back().lookback, 20u); // still resumable / inspectable
}

TEST(BisectDriverLookback, AMarkedGoodCommitSettlesTheBound) {
  auto session = make_lookback_session(10);
  const auto first = mark_commit(session, "", Verdict::bad, {});
  EXPECT_EQ(first, sha_of(9)); // the first probe: one back from the bad end
  mark_commit(session, sha_of(8), Verdict::good, {});
  EXPECT_EQ(session.lookback, 0u);
  EXPECT_EQ(session.good, sha_of(8));
  ASSERT_EQ(session.commits.size(), 2u);
  const auto action = next_action(session);
  EXPECT_EQ(action.kind, Action::Kind::culprit);
  EXPECT_EQ(session.commits[action.commit].sha, sha_of(9));
}

} // namespace
} // namespace rockart::bisect
