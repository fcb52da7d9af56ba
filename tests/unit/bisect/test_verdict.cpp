// SPDX-License-Identifier: MIT
// How a run becomes a verdict: judge() over exit codes, every signal,
// timeouts, output patterns (their precedence) and prompt answers; the
// --flaky combinations; --timeout parsing; the output line matcher.
#include "support/support.hpp"

#include <rockart/bisect/runner.hpp>
#include <rockart/bisect/verdict.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <set>

namespace rockart::bisect {
namespace {

using namespace std::chrono_literals;

ProcessStatus exited(int code) {
  ProcessStatus status;
  status.exit_code = code;
  return status;
}

ProcessStatus killed(int signo) {
  ProcessStatus status;
  status.signal = signo;
  return status;
}

TestRules crash_rule(std::optional<TestOutcome> verdict) {
  TestRules rules;
  rules.crash_verdict = verdict;
  return rules;
}

struct ExitCase {
  int code;
  std::optional<TestOutcome> crash_verdict; // the rule
  TestOutcome outcome;
  std::string reason;
};

TEST(BisectVerdict, ExitCodesLikeGitBisectRunUnlessCrashVerdictSaysOtherwise) {
  const ExitCase table[] = {
      {0, {}, TestOutcome::good, "CMD exited with 0"},
      {1, {}, TestOutcome::bad, "CMD exited with 1"},
      {2, {}, TestOutcome::bad, "CMD exited with 2"},
      {124, {}, TestOutcome::bad, "CMD exited with 124"},
      {125, {}, TestOutcome::skip, "CMD exited with 125"},
      {126, {}, TestOutcome::bad, "CMD exited with 126"},
      {127, {}, TestOutcome::bad, "CMD exited with 127"},
      {128, {}, TestOutcome::abort, "CMD exited with 128"},
      {130, {}, TestOutcome::abort, "CMD exited with 130"},
      {139, {}, TestOutcome::abort, "CMD exited with 139"},
      {255, {}, TestOutcome::abort, "CMD exited with 255"},
      {-1, {}, TestOutcome::abort, "CMD exited with -1"},
      // --crash-verdict applies to exit >= 128 too, and to nothing below it.
      {128, TestOutcome::bad, TestOutcome::bad, "CMD exited with 128 (--crash-verdict bad)"},
      {139, TestOutcome::skip, TestOutcome::skip, "CMD exited with 139 (--crash-verdict skip)"},
      {255, TestOutcome::abort, TestOutcome::abort, "CMD exited with 255 (--crash-verdict abort)"},
      {0, TestOutcome::skip, TestOutcome::good, "CMD exited with 0"},
      {1, TestOutcome::skip, TestOutcome::bad, "CMD exited with 1"},
      {125, TestOutcome::bad, TestOutcome::skip, "CMD exited with 125"},
      {127, TestOutcome::abort, TestOutcome::bad, "CMD exited with 127"},
  };
  for (const auto& row : table) {
    const auto judged = judge(exited(row.code), crash_rule(row.crash_verdict));
    EXPECT_EQ(judged.outcome, row.outcome) << row.reason;
    EXPECT_EQ(judged.reason, row.reason);
  }
}

TEST(BisectVerdict, EverySignal) {
  const std::set<int> crashes = {SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE};
  for (int signo = 1; signo < SIGRTMAX; ++signo) {
    const bool crash = crashes.count(signo) != 0;
    EXPECT_EQ(is_crash_signal(signo), crash) << signo;
    // Default: a crash is bad, any other signal (SIGKILL, SIGTERM, SIGPIPE...) aborts.
    EXPECT_EQ(judge(killed(signo), {}).outcome, crash ? TestOutcome::bad : TestOutcome::abort)
        << signo;
    for (const auto rule : {TestOutcome::bad, TestOutcome::skip, TestOutcome::abort}) {
      EXPECT_EQ(judge(killed(signo), crash_rule(rule)).outcome, crash ? rule : TestOutcome::abort)
          << signo << " with --crash-verdict " << to_string(rule);
    }
  }
  EXPECT_EQ(judge(killed(SIGSEGV), {}).reason, "CMD was killed by signal 11 (SIGSEGV)");
  EXPECT_EQ(judge(killed(SIGABRT), crash_rule(TestOutcome::skip)).reason,
            "CMD was killed by signal 6 (SIGABRT) (--crash-verdict skip)");
  EXPECT_EQ(judge(killed(SIGKILL), {}).reason, "CMD was killed by signal 9 (SIGKILL)");
  EXPECT_EQ(judge(ProcessStatus{}, {}).outcome, TestOutcome::abort);
  EXPECT_EQ(judge(ProcessStatus{}, {}).reason, "CMD ended without a status");
}

TEST(BisectVerdict, TimeoutVerdict) {
  for (const auto& base : {killed(SIGTERM), killed(SIGKILL), exited(1), exited(0)}) {
    ProcessStatus status = base;
    status.timed_out = 90s;
    EXPECT_EQ(judge(status, {}).outcome, TestOutcome::bad);
    EXPECT_EQ(judge(status, {}).reason, "CMD timed out after 90s (its process group was killed)");
    TestRules skip;
    skip.timeout_verdict = TestOutcome::skip;
    EXPECT_EQ(judge(status, skip).outcome, TestOutcome::skip);
  }
}

TEST(BisectVerdict, AnInterruptAbortsWhateverElseHappened) {
  TestRules rules;
  rules.bad_if = "x";
  ProcessStatus status = exited(0);
  status.interrupted = true;
  status.timed_out = 1s;
  status.matches.bad_if = "x";
  EXPECT_EQ(judge(status, rules).outcome, TestOutcome::abort);
  EXPECT_EQ(judge(status, rules).reason,
            "CMD timed out after 1s (its process group was killed) (rockart was interrupted)");
  ProcessStatus interrupted = killed(SIGINT);
  interrupted.interrupted = true;
  EXPECT_EQ(judge(interrupted, {}).reason,
            "CMD was killed by signal 2 (SIGINT) (rockart was interrupted)");
  // A child that handles the forwarded SIGINT and exits 0 still aborts.
  ProcessStatus handled = exited(0);
  handled.interrupted = true;
  EXPECT_EQ(judge(handled, {}).outcome, TestOutcome::abort);
  EXPECT_EQ(judge(handled, {}).reason, "CMD exited with 0 (rockart was interrupted)");
}

struct PatternCase {
  bool skip_matched, bad_matched, good_matched;
  ProcessStatus status;
  TestOutcome outcome;
};

TEST(BisectVerdict, OutputPatternsBeforeTimeoutBeforeExitStatus) {
  TestRules rules;
  rules.skip_if = "no GPU";
  rules.bad_if = "mismatch";
  rules.good_if = "PASSED";
  ProcessStatus timed_out = killed(SIGTERM);
  timed_out.timed_out = 5s;
  const PatternCase table[] = {
      {true, true, true, exited(0), TestOutcome::skip},
      {true, false, false, exited(1), TestOutcome::skip},
      {false, true, true, exited(0), TestOutcome::bad},
      {false, true, false, exited(0), TestOutcome::bad},
      {false, false, true, exited(1), TestOutcome::good},
      {false, false, true, killed(SIGSEGV), TestOutcome::good},
      {false, false, true, exited(200), TestOutcome::good},
      {false, false, true, timed_out, TestOutcome::good},
      {false, true, false, timed_out, TestOutcome::bad},
      {false, false, false, timed_out, TestOutcome::bad},
      {false, false, false, exited(0), TestOutcome::good},
      {false, false, false, exited(1), TestOutcome::bad},
      {false, false, false, exited(125), TestOutcome::skip},
      {false, false, false, exited(200), TestOutcome::abort},
  };
  for (std::size_t i = 0; i < std::size(table); ++i) {
    const auto& row = table[i];
    ProcessStatus status = row.status;
    if (row.skip_matched) {
      status.matches.skip_if = "no GPU found";
    }
    if (row.bad_matched) {
      status.matches.bad_if = "result mismatch";
    }
    if (row.good_matched) {
      status.matches.good_if = "PASSED";
    }
    EXPECT_EQ(judge(status, rules).outcome, row.outcome) << "row " << i;
  }
  ProcessStatus status = exited(0);
  status.matches.bad_if = "result mismatch at element 3";
  EXPECT_EQ(judge(status, rules).reason,
            "output matched --bad-if 'mismatch': \"result mismatch at element 3\" (CMD exited "
            "with 0)");
  status.matches.bad_if = std::string(300, 'x');
  EXPECT_EQ(judge(status, rules).reason,
            "output matched --bad-if 'mismatch': \"" + std::string(160, 'x')
                + "...\" (CMD exited with 0)");
  // A match of a pattern the rules do not have counts for nothing.
  status.matches.bad_if = "result mismatch";
  EXPECT_EQ(judge(status, {}).outcome, TestOutcome::good);
}

TEST(BisectVerdict, PromptAnswers) {
  for (const auto verdict : {Verdict::good, Verdict::bad, Verdict::skip}) {
    ProcessStatus status;
    status.answer = verdict;
    const auto judged = judge(status, {});
    EXPECT_EQ(verdict_from_outcome(judged.outcome), verdict);
    EXPECT_EQ(judged.reason, std::string("answered ") + to_string(verdict) + " at the prompt");
  }
  ProcessStatus quit;
  quit.quit = true;
  EXPECT_EQ(judge(quit, {}).outcome, TestOutcome::abort);
  EXPECT_EQ(judge(quit, {}).reason, "quit at the prompt");
}

struct FlakyCase {
  std::size_t passed, failed, skipped;
  Verdict bad_if_any, good_if_all, majority;
};

TEST(BisectVerdict, FlakyCombinations) {
  const auto g = Verdict::good;
  const auto b = Verdict::bad;
  const auto s = Verdict::skip;
  const FlakyCase table[] = {
      // passed failed skipped   bad-if-any good-if-all majority
      {0, 0, 0, s, s, s},
      {3, 0, 0, g, g, g},
      {2, 1, 0, b, b, g},
      {1, 2, 0, b, b, b},
      {0, 3, 0, b, b, b},
      {2, 0, 1, g, s, g},
      {0, 0, 3, s, s, s},
      {1, 1, 0, b, b, s},
      {1, 1, 1, b, b, s},
      {0, 1, 2, b, b, b},
      {1, 0, 2, g, s, g},
      {3, 2, 0, b, b, g},
  };
  for (const auto& row : table) {
    RunCounts counts;
    for (std::size_t i = 0; i < row.passed; ++i) {
      counts.add(TestOutcome::good);
    }
    for (std::size_t i = 0; i < row.failed; ++i) {
      counts.add(TestOutcome::bad);
    }
    for (std::size_t i = 0; i < row.skipped; ++i) {
      counts.add(TestOutcome::skip);
    }
    counts.add(TestOutcome::abort); // not a run
    EXPECT_EQ(counts.runs, row.passed + row.failed + row.skipped);
    const std::string name = std::to_string(row.passed) + "/" + std::to_string(row.failed) + "/"
                             + std::to_string(row.skipped);
    EXPECT_EQ(combine_runs(FlakyPolicy::bad_if_any, counts), row.bad_if_any) << name;
    EXPECT_EQ(combine_runs(FlakyPolicy::good_if_all, counts), row.good_if_all) << name;
    EXPECT_EQ(combine_runs(FlakyPolicy::majority, counts), row.majority) << name;
  }
}

TEST(BisectVerdict, RunsStopOnceTheVerdictCannotChange) {
  const auto counts = [](std::size_t passed, std::size_t failed, std::size_t skipped) {
    return RunCounts{passed + failed + skipped, passed, failed, skipped};
  };
  // A bad run settles bad-if-any and good-if-all; good runs never do early.
  EXPECT_TRUE(runs_decided(FlakyPolicy::bad_if_any, counts(0, 1, 0), 2));
  EXPECT_FALSE(runs_decided(FlakyPolicy::bad_if_any, counts(2, 0, 0), 1));
  EXPECT_TRUE(runs_decided(FlakyPolicy::bad_if_any, counts(2, 0, 0), 0));
  EXPECT_TRUE(runs_decided(FlakyPolicy::good_if_all, counts(0, 1, 0), 4));
  EXPECT_FALSE(runs_decided(FlakyPolicy::good_if_all, counts(1, 0, 1), 1)); // a bad would win
  // Majority of 5: settled at 3 of a kind, not at 2.
  EXPECT_TRUE(runs_decided(FlakyPolicy::majority, counts(3, 0, 0), 2));
  EXPECT_TRUE(runs_decided(FlakyPolicy::majority, counts(1, 3, 0), 1));
  EXPECT_FALSE(runs_decided(FlakyPolicy::majority, counts(2, 1, 0), 2));
  EXPECT_FALSE(runs_decided(FlakyPolicy::majority, counts(2, 0, 0), 3));
}

TEST(BisectVerdict, TimeoutsParseAndFormat) {
  EXPECT_EQ(parse_timeout("90s"), std::optional(std::chrono::milliseconds(90'000)));
  EXPECT_EQ(parse_timeout("10m"), std::optional(std::chrono::milliseconds(600'000)));
  EXPECT_EQ(parse_timeout("1h"), std::optional(std::chrono::milliseconds(3'600'000)));
  EXPECT_EQ(parse_timeout("1.5m"), std::optional(std::chrono::milliseconds(90'000)));
  EXPECT_EQ(parse_timeout("250ms"), std::optional(std::chrono::milliseconds(250)));
  EXPECT_EQ(parse_timeout("30"), std::optional(std::chrono::milliseconds(30'000)));
  EXPECT_EQ(parse_timeout(" 2S "), std::optional(std::chrono::milliseconds(2'000)));
  EXPECT_EQ(parse_timeout("0"), std::nullopt);
  EXPECT_EQ(parse_timeout("0s"), std::nullopt);
  for (const char* bad : {"", "s", "ten", "10x", "1..5s", "-5s", "5 m", "1e3s", "99999999999h"}) {
    EXPECT_ERROR(parse_timeout(bad), UsageError, "is not a duration");
  }
  EXPECT_ERROR(parse_timeout("0.1ms"), UsageError, "is shorter than a millisecond");
  EXPECT_EQ(format_timeout(90s), "90s");
  EXPECT_EQ(format_timeout(10min), "10m");
  EXPECT_EQ(format_timeout(2h), "2h");
  EXPECT_EQ(format_timeout(1500ms), "1500ms");
  EXPECT_EQ(format_timeout(0ms), "0s");
}

TEST(BisectVerdict, NamesRoundTrip) {
  for (const auto outcome :
       {TestOutcome::good, TestOutcome::bad, TestOutcome::skip, TestOutcome::abort}) {
    EXPECT_EQ(parse_outcome(to_string(outcome)), outcome);
  }
  for (const auto policy :
       {FlakyPolicy::bad_if_any, FlakyPolicy::good_if_all, FlakyPolicy::majority}) {
    EXPECT_EQ(parse_flaky_policy(to_string(policy)), policy);
  }
  EXPECT_EQ(parse_outcome("Bad"), std::nullopt);
  EXPECT_EQ(parse_flaky_policy("any"), std::nullopt);
}

TEST(BisectVerdict, ValidateRulesNamesTheFlag) {
  TestRules rules;
  EXPECT_NO_THROW(validate_rules(rules));
  rules.bad_if = "result (mismatch";
  EXPECT_ERROR(validate_rules(rules),
               UsageError,
               "--bad-if 'result (mismatch' is not a valid regular expression");
  rules = {};
  rules.skip_if = "[";
  EXPECT_ERROR(validate_rules(rules), UsageError, "--skip-if '[' is not a valid");
  rules = {};
  rules.good_if = "*";
  EXPECT_ERROR(validate_rules(rules), UsageError, "--good-if '*' is not a valid");
  rules = {};
  rules.times = 0;
  EXPECT_ERROR(validate_rules(rules), UsageError, "--times must be between 1 and 1000, not 0");
  rules = {};
  rules.timeout_verdict = TestOutcome::abort;
  EXPECT_ERROR(validate_rules(rules), UsageError, "--timeout-verdict must be bad or skip");
  rules = {};
  rules.crash_verdict = TestOutcome::good;
  EXPECT_ERROR(validate_rules(rules), UsageError, "--crash-verdict must be bad, skip or abort");
}

TEST(BisectVerdict, MatcherFindsTheFirstMatchingLineAcrossChunks) {
  TestRules rules;
  rules.skip_if = "^no GPU";
  rules.bad_if = "mismatch$";
  rules.good_if = "PASS";
  OutputMatcher matcher(rules);
  matcher.feed("running\nresult mis");
  matcher.feed("match\r\nPASS 1\nPASS 2\nsee: no GPU here\n");
  EXPECT_EQ(matcher.matches().bad_if, std::optional<std::string>("result mismatch"));
  EXPECT_EQ(matcher.matches().good_if, std::optional<std::string>("PASS 1"));
  EXPECT_FALSE(matcher.matches().skip_if); // ^ anchors at a line's start
  matcher.feed("no GPU found");            // no newline at the end
  EXPECT_FALSE(matcher.matches().skip_if);
  matcher.finish();
  EXPECT_EQ(matcher.matches().skip_if, std::optional<std::string>("no GPU found"));
}

TEST(BisectVerdict, MatcherCutsVeryLongLines) {
  TestRules rules;
  rules.bad_if = "^FAIL";
  OutputMatcher matcher(rules);
  matcher.feed(std::string(OutputMatcher::k_max_line, 'x'));
  matcher.feed("FAIL\n"); // the start of a new piece
  ASSERT_TRUE(matcher.matches().bad_if);
  EXPECT_EQ(*matcher.matches().bad_if, "FAIL");
  OutputMatcher none(TestRules{});
  none.feed("anything\n");
  none.finish();
  EXPECT_FALSE(none.matches().skip_if || none.matches().bad_if || none.matches().good_if);
  rules.bad_if = "(";
  EXPECT_THROW(OutputMatcher{rules}, UsageError);
}

} // namespace
} // namespace rockart::bisect
