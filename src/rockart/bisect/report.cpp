// SPDX-License-Identifier: MIT
#include <rockart/bisect/bounds.hpp>
#include <rockart/bisect/report.hpp>
#include <rockart/cache/location.hpp>
#include <rockart/util/format.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace rockart::bisect {
namespace {

using nlohmann::json;

std::string short_sha(const std::string& sha) {
  return sha.substr(0, 12);
}

std::string commit_url(const Session& s, const SessionCommit& c, const ReportOptions& o) {
  return o.github_url + "/" + s.repo + "/commit/" + c.sha;
}

std::string run_url(const Session& s, const SessionCommit& c, const ReportOptions& o) {
  if (!c.run_url.empty()) {
    return c.run_url;
  }
  return c.run_id ? o.github_url + "/" + s.repo + "/actions/runs/" + std::to_string(*c.run_id)
                  : std::string();
}

// Why a commit of a range result could not be told apart from its neighbours.
std::string untestable_reason(const Session& s, std::size_t position) {
  const SessionCommit& c = s.commits[position];
  if (c.availability == Availability::unavailable) {
    return "no artifacts" + (c.unavailable_reason.empty() ? "" : ": " + c.unavailable_reason);
  }
  for (auto it = s.log.rbegin(); it != s.log.rend(); ++it) {
    if (it->sha == c.sha) {
      return it->verdict == Verdict::skip ? "skipped: " + it->reason : to_string(it->verdict);
    }
  }
  return c.sha == s.bad ? "bad (given)" : "untested";
}

std::string status_name(Action::Kind kind) {
  switch (kind) {
  case Action::Kind::test:
    return "in-progress";
  case Action::Kind::culprit:
    return "culprit";
  case Action::Kind::range:
    return "range";
  case Action::Kind::inconsistent:
    return "inconsistent";
  }
  return "?";
}

json commit_json(const Session& s, std::size_t position, const ReportOptions& o) {
  const SessionCommit& c = s.commits[position];
  return {{"sha", c.sha},
          {"subject", c.subject},
          {"author", c.author},
          {"commit_url", commit_url(s, c, o)},
          {"run_id", c.run_id ? json(*c.run_id) : json(nullptr)},
          {"run_url", run_url(s, c, o)}};
}

// "2/3 passed" for a commit tested with --times, else empty.
std::string pass_counts(const VerdictRecord& r) {
  if (!r.runs) {
    return "";
  }
  std::string text =
      std::to_string(r.runs->passed) + "/" + std::to_string(r.runs->runs) + " passed";
  if (r.runs->skipped > 0) {
    text += ", " + std::to_string(r.runs->skipped) + " skipped";
  }
  return text;
}

json tested_json(const Session& s) {
  json tested = json::array();
  for (const auto& r : s.log) {
    json runs = nullptr;
    if (r.runs) {
      runs = {{"total", r.runs->runs},
              {"passed", r.runs->passed},
              {"failed", r.runs->failed},
              {"skipped", r.runs->skipped}};
    }
    tested.push_back({{"sha", r.sha},
                      {"verdict", to_string(r.verdict)},
                      {"run_id", r.run_id ? json(*r.run_id) : json(nullptr)},
                      {"reason", r.reason},
                      {"time", util::format_iso8601(r.time)},
                      {"seconds", r.seconds},
                      {"bytes", r.bytes},
                      {"runs", std::move(runs)}});
  }
  return tested;
}

// Commits that could not be tested: no artifacts, or a test said skip.
json skipped_json(const Session& s, const std::vector<Position>& positions) {
  json skipped = json::array();
  for (std::size_t i = 0; i < s.commits.size(); ++i) {
    if (s.commits[i].availability == Availability::unavailable
        || positions[i].verdict == Verdict::skip) {
      skipped.push_back({{"sha", s.commits[i].sha}, {"reason", untestable_reason(s, i)}});
    }
  }
  return skipped;
}

void append_result_text(std::ostringstream& out,
                        const Session& s,
                        const Action& action,
                        const ReportOptions& o) {
  switch (action.kind) {
  case Action::Kind::culprit: {
    const SessionCommit& c = s.commits[action.commit];
    out << "culprit: " << c.sha << "\n  subject: " << c.subject << "\n  author:  " << c.author
        << "\n  commit:  " << commit_url(s, c, o) << "\n";
    if (const auto url = run_url(s, c, o); !url.empty()) {
      out << "  run:     " << url << "\n";
    }
    break;
  }
  case Action::Kind::range:
    out << "culprit: one of " << action.range.size()
        << " commits that cannot be told apart (neighbours without usable artifacts or "
           "skipped):\n";
    for (const auto i : action.range) {
      out << "  " << short_sha(s.commits[i].sha) << "  " << s.commits[i].subject << "  ("
          << untestable_reason(s, i) << ")\n";
    }
    break;
  case Action::Kind::test:
    out << "in progress: next test " << short_sha(s.commits[action.commit].sha) << ", "
        << action.candidates << " candidates left (about " << estimated_steps(action.candidates)
        << " steps)\n";
    break;
  case Action::Kind::inconsistent:
    out << describe_inconsistency(s, action) << "\n";
    break;
  }
}

} // namespace

std::string shell_quote(std::string_view text) {
  const bool safe = !text.empty()
                    && text.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_./=:,+@%")
                           == std::string_view::npos;
  if (safe) {
    return std::string(text);
  }
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

std::string reproduce_command(const Session& s, std::size_t position, const ReportOptions& o) {
  const SessionCommit& c = s.commits.at(position);
  const std::string dir = shell_quote(o.output_dir);
  // `rockart fetch` has no --workflow: a session with its own workflow names
  // the run it tested instead of letting fetch's find pick one.
  std::string cmd = "rockart fetch";
  if (!s.workflow.empty() && c.run_id) {
    cmd += " --run-id " + std::to_string(*c.run_id);
  } else {
    cmd += " --commit " + c.sha;
  }
  cmd += " --run-github-repo " + shell_quote(s.repo) + " --platform " + shell_quote(s.platform)
         + " --artifact-group " + shell_quote(s.artifact_group) + " --flatten --output-dir " + dir;
  if (!s.amdgpu_targets.empty()) {
    cmd += " --amdgpu-targets " + shell_quote(util::join(s.amdgpu_targets, ","));
  }
  if (!s.includes.empty()) {
    cmd += " --"; // include regexes are positional and may start with '-'
    for (const auto& include : s.includes) {
      cmd += " " + shell_quote(include);
    }
  }
  if (s.command.empty()) {
    return cmd;
  }
  // The same variables `bisect run` sets (build_test_environment), in sh syntax.
  cmd += " && ROCKART_COMMIT=" + c.sha;
  if (c.run_id) {
    cmd += " ROCKART_RUN_ID=" + std::to_string(*c.run_id);
  }
  cmd += " ROCKART_ARTIFACTS_DIR=" + dir + " ROCM_PATH=" + dir + " PATH=" + dir
         + "/bin\"${PATH:+:$PATH}\" LD_LIBRARY_PATH=" + dir
         + "/lib\"${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\"";
  for (const auto& arg : s.command) {
    cmd += " " + shell_quote(arg);
  }
  return cmd;
}

std::string format_duration(double seconds) {
  if (seconds < 60) {
    return util::format_fixed1(seconds) + " s";
  }
  const auto total = static_cast<long long>(std::llround(seconds));
  std::array<char, 48> text{};
  if (total < 3600) {
    (void)std::snprintf(text.data(), text.size(), "%lldm %02llds", total / 60, total % 60);
  } else {
    (void)std::snprintf(text.data(),
                        text.size(),
                        "%lldh %02lldm %02llds",
                        total / 3600,
                        total / 60 % 60,
                        total % 60);
  }
  return text.data();
}

// The commit the look-back tests next, as a SHA; empty when it is over.
std::string next_lookback_sha(const Session& s) {
  const auto step = next_lookback_step(positions(s));
  return step.kind == LookbackStep::Kind::probe ? s.commits[step.position].sha : std::string();
}

std::string render_report_text(const Session& s, const ReportOptions& o) {
  const auto pos = positions(s);
  const Action action = next_action(pos);
  std::ostringstream out;
  if (s.lookback > 0) {
    const std::string next = next_lookback_sha(s);
    out << "status: looking back from " << short_sha(s.bad) << " for a good commit ("
        << s.commits.size() - 1 << " older commits in reach)\n";
    out << (next.empty() ? std::string("no commit left to test: none passed\n")
                         : "next: " + short_sha(next) + "\n");
  } else {
    append_result_text(out, s, action, o);
    out << "range: " << short_sha(s.good) << ".." << short_sha(s.bad) << " in " << s.repo << " ("
        << s.commits.size() << " commits after the good one)\n";
    if (!s.good_reason.empty()) {
      out << "good: " << short_sha(s.good) << " " << s.good_reason << "\n";
    }
  }
  out << "tested: " << s.log.size() << "\n";
  for (const auto& r : s.log) {
    const std::string counts = pass_counts(r);
    out << "  " << short_sha(r.sha) << "  " << to_string(r.verdict)
        << (counts.empty() ? "" : "  " + counts) << "  run "
        << (r.run_id ? std::to_string(*r.run_id) : std::string("-")) << "  " << r.reason << "  "
        << format_duration(r.seconds) << "\n";
  }
  const json skipped = skipped_json(s, pos);
  out << "skipped: " << skipped.size() << "\n";
  for (const auto& entry : skipped) {
    out << "  " << short_sha(entry.at("sha").get<std::string>()) << "  "
        << entry.at("reason").get<std::string>() << "\n";
  }
  if (action.kind == Action::Kind::culprit) {
    out << "reproduce:\n  " << reproduce_command(s, action.commit, o) << "\n";
  }
  out << "total: " << format_duration(s.total_seconds) << ", " << util::format_bytes(s.total_bytes)
      << " downloaded\n";
  return out.str();
}

json render_report_json(const Session& s, const ReportOptions& o) {
  const auto pos = positions(s);
  const Action action = next_action(pos);
  json j = {{"status", status_name(action.kind)},
            {"repo", s.repo},
            {"good", s.good},
            {"bad", s.bad},
            {"commits", s.commits.size()},
            {"culprit", nullptr},
            {"range", json::array()},
            {"next", nullptr},
            {"tested", tested_json(s)},
            {"skipped", skipped_json(s, pos)},
            {"reproduce", nullptr},
            {"total_seconds", s.total_seconds},
            {"total_bytes", s.total_bytes}};
  if (!s.good_reason.empty()) {
    j["good_reason"] = s.good_reason;
  }
  if (s.lookback > 0) {
    j["status"] = "looking-back";
    const std::string next = next_lookback_sha(s);
    j["next"] = next.empty() ? json(nullptr) : json(next);
    return j;
  }
  if (action.kind == Action::Kind::culprit) {
    j["culprit"] = commit_json(s, action.commit, o);
    j["reproduce"] = reproduce_command(s, action.commit, o);
  } else if (action.kind == Action::Kind::range) {
    for (const auto i : action.range) {
      json entry = commit_json(s, i, o);
      entry["why"] = untestable_reason(s, i);
      j["range"].push_back(std::move(entry));
    }
  } else if (action.kind == Action::Kind::test) {
    j["next"] = s.commits[action.commit].sha;
  } else {
    j["error"] = describe_inconsistency(s, action);
  }
  return j;
}

} // namespace rockart::bisect
