// SPDX-License-Identifier: MIT
// How one run of the test becomes a verdict: the rules `bisect run` applies
// (--timeout, --crash-verdict, --skip-if/--bad-if/--good-if, --times with
// --flaky) and the pure functions that apply them. No I/O: the process runner
// (or the prompt) fills a ProcessStatus, judge() decides, combine_runs()
// merges the runs of one commit.
#pragma once

#include <rockart/bisect/state.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace rockart::bisect {

// The first output line that matched each pattern of the rules (nullopt: none).
struct OutputMatches {
  std::optional<std::string> skip_if;
  std::optional<std::string> bad_if;
  std::optional<std::string> good_if;
};

// How a test run ended.
struct ProcessStatus {
  std::optional<int> exit_code; // set when it exited normally
  std::optional<int> signal;    // set when a signal killed it
  bool interrupted = false;     // rockart got SIGINT/SIGTERM/SIGHUP while it ran
  // Set (to the limit) when it ran out of time and its process group was killed.
  std::optional<std::chrono::milliseconds> timed_out;
  OutputMatches matches;         // filled when the rules have output patterns
  std::optional<Verdict> answer; // --prompt: what the user answered
  bool quit = false;             // --prompt: the user quit (q, or the end of input)
};

// What the session does with a test result.
enum class TestOutcome { good, bad, skip, abort };

// How the N runs of --times combine into one verdict.
enum class FlakyPolicy {
  bad_if_any,  // any bad run: bad; else any good run: good; else (all skipped) skip
  good_if_all, // good only when every run is good; any bad run: bad; else skip
  majority,    // more good than bad runs: good; more bad: bad; a tie: skip (skips don't vote)
};

// The verdict rules of `bisect run`, saved in the session so that a resumed
// run judges the same way.
struct TestRules {
  std::optional<std::chrono::milliseconds> timeout; // per run; nullopt: none
  TestOutcome timeout_verdict = TestOutcome::bad;   // bad or skip
  // Crash signals (SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGFPE): bad, skip or abort.
  // When set it also applies to an exit status >= 128; unset, those abort.
  std::optional<TestOutcome> crash_verdict;
  std::size_t times = 1; // runs per commit
  FlakyPolicy flaky = FlakyPolicy::bad_if_any;
  std::string skip_if; // ECMAScript regexes searched in each output line; empty: none
  std::string bad_if;
  std::string good_if;

  bool has_output_patterns() const {
    return !skip_if.empty() || !bad_if.empty() || !good_if.empty();
  }
};

// A run's outcome and why.
struct Judgement {
  TestOutcome outcome = TestOutcome::abort;
  std::string reason; // for the verdict log, e.g. "CMD exited with 1"
};

// Short text for logs and the verdict reason: "CMD exited with 125",
// "CMD was killed by signal 9 (SIGKILL)", "CMD timed out after 90s (its
// process group was killed)", "answered bad at the prompt", with
// " (rockart was interrupted)" appended after an interrupt.
std::string describe_status(const ProcessStatus& status);

// True for SIGSEGV, SIGABRT, SIGBUS, SIGILL and SIGFPE.
bool is_crash_signal(int signo);

// The outcome of one run under `rules`, first rule that applies winning:
//  1. rockart interrupted (or the prompt quit): abort
//  2. a --prompt answer: that verdict
//  3. an output line matched --skip-if: skip; 4. --bad-if: bad; 5. --good-if: good
//  6. timed out: rules.timeout_verdict
//  7. killed by a crash signal: rules.crash_verdict (default bad); any other signal: abort
//  8. exit 0 good, 125 skip, 1–127 bad; >= 128 (or none): rules.crash_verdict if set, else abort
Judgement judge(const ProcessStatus& status, const TestRules& rules);

// Runs of one commit so far.
struct RunCounts {
  std::size_t runs = 0;
  std::size_t passed = 0; // good
  std::size_t failed = 0; // bad
  std::size_t skipped = 0;

  // Counts `outcome` (good, bad or skip; abort is not counted).
  void add(TestOutcome outcome);
};

// The verdict of `counts` under `policy` (see FlakyPolicy); skip when there
// are no runs.
Verdict combine_runs(FlakyPolicy policy, const RunCounts& counts);

// True when `remaining` more runs cannot change combine_runs (the runs stop early).
bool runs_decided(FlakyPolicy policy, const RunCounts& counts, std::size_t remaining);

// "90s", "10m", "1h", "1500ms": the shortest exact form.
std::string format_timeout(std::chrono::milliseconds duration);

// Parses a --timeout: a number with a unit ms, s, m or h (a bare number is
// seconds), e.g. "90s", "1.5m"; "0" means no timeout (nullopt). Throws
// UsageError otherwise.
std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text);

// "good" / "bad" / "skip" / "abort", and the inverse (nullopt for anything else).
const char* to_string(TestOutcome outcome);
std::optional<TestOutcome> parse_outcome(std::string_view text);

// "bad-if-any" / "good-if-all" / "majority", and the inverse.
const char* to_string(FlakyPolicy policy);
std::optional<FlakyPolicy> parse_flaky_policy(std::string_view text);

inline constexpr std::size_t k_max_times = 1000;

// Checks the rules a session or the command line gives: the regexes compile,
// 1 <= times <= k_max_times, the timeout verdict is bad or skip and the crash verdict is not
// good. Throws UsageError naming the flag.
void validate_rules(const TestRules& rules);

// Finds the first line of a test's output that matches each pattern of the
// rules. Output arrives in chunks; lines end at '\n' (a trailing '\r' is
// dropped) and lines longer than k_max_line are matched in pieces of that size.
class OutputMatcher {
public:
  static constexpr std::size_t k_max_line = 4096;

  // Compiles the patterns; throws UsageError for an invalid one.
  explicit OutputMatcher(const TestRules& rules);

  void feed(std::string_view chunk);

  // Matches the last line when the output did not end with '\n'.
  void finish();

  const OutputMatches& matches() const { return m_matches; }

private:
  void match_line(std::string_view line);

  std::optional<std::regex> m_skip_if;
  std::optional<std::regex> m_bad_if;
  std::optional<std::regex> m_good_if;
  std::string m_line;
  OutputMatches m_matches;
};

} // namespace rockart::bisect
