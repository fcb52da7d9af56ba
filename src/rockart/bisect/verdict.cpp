// SPDX-License-Identifier: MIT
// The verdict rules: one run's outcome, the runs of a commit combined, the
// output patterns.
#include <rockart/bisect/verdict.hpp>
#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <string.h> // NOLINT(modernize-deprecated-headers): sigabbrev_np (glibc)

#include <charconv>
#include <cmath>
#include <csignal>

namespace rockart::bisect {
namespace {

constexpr int k_skip_exit_code = 125;      // `git bisect run`'s "cannot test this commit"
constexpr std::size_t k_quoted_line = 160; // longest output line quoted in a reason

std::string quote_line(const std::string& line) {
  if (line.size() <= k_quoted_line) {
    return "\"" + line + "\"";
  }
  return "\"" + line.substr(0, k_quoted_line) + "...\"";
}

std::string matched(const char* flag, const std::string& pattern, const std::string& line) {
  return std::string("output matched ") + flag + " '" + pattern + "': " + quote_line(line);
}

// The outcome of an exit status or a signal (steps 7 and 8 of judge).
Judgement judge_exit(const ProcessStatus& status, const TestRules& rules) {
  const std::string text = describe_status(status);
  const auto by_crash_rule = [&](TestOutcome fallback) {
    if (!rules.crash_verdict) {
      return Judgement{fallback, text};
    }
    return Judgement{*rules.crash_verdict,
                     text + " (--crash-verdict " + to_string(*rules.crash_verdict) + ")"};
  };
  if (status.signal) {
    if (is_crash_signal(*status.signal)) {
      return by_crash_rule(TestOutcome::bad);
    }
    return {TestOutcome::abort, text};
  }
  if (!status.exit_code) {
    return {TestOutcome::abort, text};
  }
  const int code = *status.exit_code;
  if (code == 0) {
    return {TestOutcome::good, text};
  }
  if (code == k_skip_exit_code) {
    return {TestOutcome::skip, text};
  }
  if (code >= 1 && code <= 127) {
    return {TestOutcome::bad, text};
  }
  return by_crash_rule(TestOutcome::abort);
}

// Whether some split of `remaining` more runs changes the verdict of `counts`.
bool can_change(FlakyPolicy policy, const RunCounts& counts, std::size_t remaining) {
  const Verdict now = combine_runs(policy, counts);
  for (std::size_t good = 0; good <= remaining; ++good) {
    for (std::size_t bad = 0; good + bad <= remaining; ++bad) {
      RunCounts more = counts;
      more.runs += remaining;
      more.passed += good;
      more.failed += bad;
      more.skipped += remaining - good - bad;
      if (combine_runs(policy, more) != now) {
        return true;
      }
    }
  }
  return false;
}

void check_regex(const char* flag, const std::string& pattern) {
  if (pattern.empty()) {
    return;
  }
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw UsageError(std::string(flag) + " '" + pattern
                         + "' is not a valid regular expression: " + e.what(),
                     "the patterns are ECMAScript regexes searched in each line of CMD's output");
  }
}

std::optional<std::regex> compile(const std::string& pattern) {
  if (pattern.empty()) {
    return std::nullopt;
  }
  return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
}

} // namespace

bool is_crash_signal(int signo) {
  return signo == SIGSEGV || signo == SIGABRT || signo == SIGBUS || signo == SIGILL
         || signo == SIGFPE;
}

std::string describe_status(const ProcessStatus& status) {
  std::string text;
  if (status.answer) {
    text = std::string("answered ") + to_string(*status.answer) + " at the prompt";
  } else if (status.quit) {
    text = "quit at the prompt";
  } else if (status.timed_out) {
    text = "CMD timed out after " + format_timeout(*status.timed_out)
           + " (its process group was killed)";
  } else if (status.signal) {
    const char* name = sigabbrev_np(*status.signal);
    text = "CMD was killed by signal " + std::to_string(*status.signal)
           + (name ? std::string(" (SIG") + name + ")" : std::string());
  } else if (status.exit_code) {
    text = "CMD exited with " + std::to_string(*status.exit_code);
  } else {
    text = "CMD ended without a status";
  }
  if (status.interrupted) {
    text += " (rockart was interrupted)";
  }
  return text;
}

Judgement judge(const ProcessStatus& status, const TestRules& rules) {
  if (status.interrupted || status.quit) {
    return {TestOutcome::abort, describe_status(status)};
  }
  if (status.answer) {
    switch (*status.answer) {
    case Verdict::good:
      return {TestOutcome::good, describe_status(status)};
    case Verdict::bad:
      return {TestOutcome::bad, describe_status(status)};
    case Verdict::skip:
      return {TestOutcome::skip, describe_status(status)};
    }
  }
  const auto& m = status.matches;
  const std::string ended = " (" + describe_status(status) + ")";
  if (!rules.skip_if.empty() && m.skip_if) {
    return {TestOutcome::skip, matched("--skip-if", rules.skip_if, *m.skip_if) + ended};
  }
  if (!rules.bad_if.empty() && m.bad_if) {
    return {TestOutcome::bad, matched("--bad-if", rules.bad_if, *m.bad_if) + ended};
  }
  if (!rules.good_if.empty() && m.good_if) {
    return {TestOutcome::good, matched("--good-if", rules.good_if, *m.good_if) + ended};
  }
  if (status.timed_out) {
    return {rules.timeout_verdict, describe_status(status)};
  }
  return judge_exit(status, rules);
}

void RunCounts::add(TestOutcome outcome) {
  switch (outcome) {
  case TestOutcome::good:
    ++passed;
    break;
  case TestOutcome::bad:
    ++failed;
    break;
  case TestOutcome::skip:
    ++skipped;
    break;
  case TestOutcome::abort:
    return;
  }
  ++runs;
}

Verdict combine_runs(FlakyPolicy policy, const RunCounts& counts) {
  switch (policy) {
  case FlakyPolicy::bad_if_any:
    if (counts.failed > 0) {
      return Verdict::bad;
    }
    return counts.passed > 0 ? Verdict::good : Verdict::skip;
  case FlakyPolicy::good_if_all:
    if (counts.failed > 0) {
      return Verdict::bad;
    }
    return counts.passed > 0 && counts.skipped == 0 ? Verdict::good : Verdict::skip;
  case FlakyPolicy::majority:
    if (counts.passed > counts.failed) {
      return Verdict::good;
    }
    return counts.failed > counts.passed ? Verdict::bad : Verdict::skip;
  }
  return Verdict::skip;
}

bool runs_decided(FlakyPolicy policy, const RunCounts& counts, std::size_t remaining) {
  return remaining == 0 || !can_change(policy, counts, remaining);
}

std::string format_timeout(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms != 0 && ms % 3'600'000 == 0) {
    return std::to_string(ms / 3'600'000) + "h";
  }
  if (ms != 0 && ms % 60'000 == 0) {
    return std::to_string(ms / 60'000) + "m";
  }
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + "s";
  }
  return std::to_string(ms) + "ms";
}

std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text) {
  const std::string_view trimmed = util::trim(text);
  std::size_t digits = 0;
  while (digits < trimmed.size()
         && ((trimmed[digits] >= '0' && trimmed[digits] <= '9') || trimmed[digits] == '.')) {
    ++digits;
  }
  const std::string_view number = trimmed.substr(0, digits);
  const std::string unit = util::to_lower(trimmed.substr(digits));
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  double scale = -1;
  if (unit.empty() || unit == "s") {
    scale = 1000;
  } else if (unit == "ms") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60'000;
  } else if (unit == "h") {
    scale = 3'600'000;
  }
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || scale < 0
      || !std::isfinite(value) || value * scale > 1e12) {
    throw UsageError("--timeout '" + std::string(text) + "' is not a duration",
                     "give a number with a unit: 500ms, 90s, 10m, 1h (0 = no timeout)");
  }
  const auto ms = static_cast<std::int64_t>(std::llround(value * scale));
  if (ms == 0) {
    if (value != 0) {
      throw UsageError("--timeout '" + std::string(text) + "' is shorter than a millisecond");
    }
    return std::nullopt;
  }
  return std::chrono::milliseconds(ms);
}

const char* to_string(TestOutcome outcome) {
  switch (outcome) {
  case TestOutcome::good:
    return "good";
  case TestOutcome::bad:
    return "bad";
  case TestOutcome::skip:
    return "skip";
  case TestOutcome::abort:
    return "abort";
  }
  return "?";
}

std::optional<TestOutcome> parse_outcome(std::string_view text) {
  for (const auto outcome :
       {TestOutcome::good, TestOutcome::bad, TestOutcome::skip, TestOutcome::abort}) {
    if (text == to_string(outcome)) {
      return outcome;
    }
  }
  return std::nullopt;
}

const char* to_string(FlakyPolicy policy) {
  switch (policy) {
  case FlakyPolicy::bad_if_any:
    return "bad-if-any";
  case FlakyPolicy::good_if_all:
    return "good-if-all";
  case FlakyPolicy::majority:
    return "majority";
  }
  return "?";
}

std::optional<FlakyPolicy> parse_flaky_policy(std::string_view text) {
  for (const auto policy :
       {FlakyPolicy::bad_if_any, FlakyPolicy::good_if_all, FlakyPolicy::majority}) {
    if (text == to_string(policy)) {
      return policy;
    }
  }
  return std::nullopt;
}

void validate_rules(const TestRules& rules) {
  if (rules.times == 0 || rules.times > k_max_times) {
    throw UsageError("--times must be between 1 and " + std::to_string(k_max_times) + ", not "
                     + std::to_string(rules.times));
  }
  if (rules.timeout_verdict != TestOutcome::bad && rules.timeout_verdict != TestOutcome::skip) {
    throw UsageError(std::string("--timeout-verdict must be bad or skip, not ")
                     + to_string(rules.timeout_verdict));
  }
  if (rules.crash_verdict == TestOutcome::good) {
    throw UsageError("--crash-verdict must be bad, skip or abort, not good");
  }
  check_regex("--skip-if", rules.skip_if);
  check_regex("--bad-if", rules.bad_if);
  check_regex("--good-if", rules.good_if);
}

OutputMatcher::OutputMatcher(const TestRules& rules) {
  validate_rules(rules);
  m_skip_if = compile(rules.skip_if);
  m_bad_if = compile(rules.bad_if);
  m_good_if = compile(rules.good_if);
}

void OutputMatcher::feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    const auto room = k_max_line - m_line.size();
    if (newline == std::string_view::npos || newline > room) {
      const auto take = std::min(chunk.size(), room);
      m_line.append(chunk.substr(0, take));
      chunk.remove_prefix(take);
      if (m_line.size() == k_max_line) {
        match_line(m_line);
        m_line.clear();
      }
      continue;
    }
    m_line.append(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
    match_line(m_line);
    m_line.clear();
  }
}

void OutputMatcher::finish() {
  if (!m_line.empty()) {
    match_line(m_line);
    m_line.clear();
  }
}

void OutputMatcher::match_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  const auto check = [line](const std::optional<std::regex>& re, std::optional<std::string>& out) {
    if (re && !out && std::regex_search(line.begin(), line.end(), *re)) {
      out = std::string(line);
    }
  };
  check(m_skip_if, m_matches.skip_if);
  check(m_bad_if, m_matches.bad_if);
  check(m_good_if, m_matches.good_if);
}

} // namespace rockart::bisect
