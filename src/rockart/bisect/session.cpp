// SPDX-License-Identifier: MIT
#include <rockart/bisect/bounds.hpp>
#include <rockart/bisect/session.hpp>
#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <set>

namespace rockart::bisect {
namespace {

std::string short_sha(const std::string& sha) {
  return sha.substr(0, 12);
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

} // namespace

void validate_session(const Session& session) {
  if (session.commits.empty()) {
    throw ConfigError("bisect session has no commits: the range (good, bad] is empty",
                      "start a new session with `rockart bisect start`");
  }
  if (session.commits.back().sha != session.bad) {
    throw ConfigError("bisect session is inconsistent: the newest commit "
                      + short_sha(session.commits.back().sha) + " is not the bad commit "
                      + short_sha(session.bad));
  }
  if (session.good.empty() && session.lookback == 0) {
    throw ConfigError("bisect session has no good commit and is not looking back for one",
                      "start a new session with `rockart bisect start`");
  }
  std::set<std::string> seen;
  for (const auto& commit : session.commits) {
    if (!session.good.empty() && commit.sha == session.good) {
      throw ConfigError("bisect session is inconsistent: the good commit " + short_sha(session.good)
                        + " is listed in the range (good, bad]");
    }
    if (!seen.insert(commit.sha).second) {
      throw ConfigError("bisect session is inconsistent: commit " + short_sha(commit.sha)
                        + " is listed twice");
    }
  }
  for (const auto& record : session.log) {
    if (!seen.count(record.sha)) {
      throw ConfigError("bisect session log has a verdict for " + short_sha(record.sha)
                        + ", which is not in the range (good, bad]");
    }
  }
}

void settle_good_bound(Session& session, std::size_t position) {
  const SessionCommit good = session.commits.at(position);
  session.commits.erase(session.commits.begin(),
                        session.commits.begin() + static_cast<std::ptrdiff_t>(position) + 1);
  std::set<std::string> kept;
  for (const auto& commit : session.commits) {
    kept.insert(commit.sha);
  }
  std::erase_if(session.log, [&](const VerdictRecord& r) { return kept.count(r.sha) == 0; });
  session.good = good.sha;
  session.lookback = 0;
  session.good_reason = "tested good looking back from the bad commit";
  validate_session(session);
}

std::vector<Position> positions(const Session& session) {
  std::vector<Position> result(session.commits.size());
  for (std::size_t i = 0; i < session.commits.size(); ++i) {
    result[i].availability = session.commits[i].availability;
  }
  for (const auto& record : session.log) {
    const auto it = std::find_if(session.commits.begin(),
                                 session.commits.end(),
                                 [&](const SessionCommit& c) { return c.sha == record.sha; });
    if (it != session.commits.end()) {
      result[static_cast<std::size_t>(it - session.commits.begin())].verdict = record.verdict;
    }
  }
  return result;
}

Action next_action(const Session& session) {
  return next_action(positions(session));
}

std::size_t find_commit(const Session& session, std::string_view sha_or_prefix) {
  const std::string wanted = util::to_lower(sha_or_prefix);
  if (wanted.size() < 4 || wanted.size() > 40 || !is_hex(wanted)) {
    throw UsageError("'" + std::string(sha_or_prefix)
                     + "' is not a commit SHA: expected 4 to 40 hex digits");
  }
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < session.commits.size(); ++i) {
    if (session.commits[i].sha.starts_with(wanted)) {
      matches.push_back(i);
    }
  }
  if (matches.size() == 1) {
    return matches.front();
  }
  if (matches.size() > 1) {
    throw UsageError("commit '" + wanted + "' is ambiguous: it matches "
                         + std::to_string(matches.size()) + " commits of the range",
                     "give more digits of the SHA");
  }
  if (session.good.starts_with(wanted)) {
    throw UsageError("commit '" + wanted + "' is the good end of the range, already known good",
                     "verdicts apply to commits after the good one, up to the bad one");
  }
  throw UsageError("commit '" + wanted + "' is not in the bisect range " + short_sha(session.good)
                       + ".." + short_sha(session.bad),
                   "run `rockart bisect log` to list the commits of the range");
}

void record_verdict(Session& session, VerdictRecord record) {
  const std::size_t position = find_commit(session, record.sha);
  record.sha = session.commits[position].sha;
  session.log.push_back(std::move(record));
}

std::string describe_inconsistency(const Session& session, const Action& action) {
  const auto& good = session.commits.at(action.commit);
  const auto& bad = session.commits.at(action.first_bad);
  if (action.commit == action.first_bad) {
    // One verdict per commit, so this is the bad end marked good.
    return "inconsistent verdicts: commit " + short_sha(good.sha)
           + " is the bad end of the range but was marked good; mark it bad again or start over "
             "with `rockart bisect reset`";
  }
  return "inconsistent verdicts: commit " + short_sha(good.sha) + " was marked good but the older "
         + short_sha(bad.sha) + (bad.sha == session.bad ? " is the bad end" : " was marked bad")
         + "; a regression must stay bad after it appears; re-mark one of them or run "
           "`rockart bisect reset`";
}

const char* to_string(Strategy strategy) {
  return strategy == Strategy::ci ? "ci" : "local";
}

std::optional<Strategy> parse_strategy(std::string_view text) {
  if (text == "local") {
    return Strategy::local;
  }
  if (text == "ci") {
    return Strategy::ci;
  }
  return std::nullopt;
}

std::string mark_commit(Session& session,
                        const std::string& sha_or_prefix,
                        Verdict verdict,
                        std::chrono::sys_seconds now) {
  std::string sha = sha_or_prefix;
  if (sha.empty() && session.lookback > 0) {
    const auto step = next_lookback_step(positions(session));
    if (step.kind != LookbackStep::Kind::probe) {
      throw UsageError("no commit is waiting for a verdict; name the commit to mark: rockart "
                       "bisect "
                       + std::string(to_string(verdict)) + " SHA");
    }
    sha = session.commits[step.position].sha;
  } else if (sha.empty()) {
    const auto action = next_action(session);
    if (action.kind != Action::Kind::test) {
      throw UsageError("the search is over; name the commit to mark: rockart bisect "
                       + std::string(to_string(verdict)) + " SHA");
    }
    sha = session.commits[action.commit].sha;
  }
  VerdictRecord record;
  record.sha = sha;
  record.verdict = verdict;
  record.time = now;
  record.reason = "marked by user";
  record_verdict(session, record);
  const std::string marked = session.log.back().sha;
  if (session.lookback > 0) {
    // A good commit marked while looking back is the good bound.
    const auto step = next_lookback_step(positions(session));
    if (step.kind == LookbackStep::Kind::found) {
      settle_good_bound(session, step.position);
    }
  }
  return marked;
}

std::string pin_owner(const Session& session) {
  return "bisect:" + session.repo + ":" + session.good + "..." + session.bad;
}

std::string describe_range(const Session& session) {
  const std::size_t count = session.commits.size();
  if (session.lookback > 0) {
    return "bisect: no good commit given; `bisect run` looks back from " + session.bad.substr(0, 12)
           + " over up to " + std::to_string(count - 1)
           + " older commit(s) (1, 2, 4, 8 ... back) for one that passes";
  }
  return "bisect: " + std::to_string(count) + " commit(s) in (" + session.good.substr(0, 12) + ", "
         + session.bad.substr(0, 12) + "]; about "
         + std::to_string(estimated_steps(count == 0 ? 0 : count - 1)) + " test(s)";
}

} // namespace rockart::bisect
