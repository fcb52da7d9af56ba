// SPDX-License-Identifier: MIT
// Session <-> JSON and atomic persistence.
#include <rockart/bisect/session.hpp>
#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/time.hpp>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <system_error>

namespace rockart::bisect {
namespace {

using nlohmann::json;

constexpr const char* k_schema_name = "rockart-bisect-session";

json optional_id(const std::optional<std::int64_t>& id) {
  return id ? json(*id) : json(nullptr);
}

std::optional<std::int64_t> read_optional_id(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) {
    return std::nullopt;
  }
  return j.at(key).get<std::int64_t>();
}

std::chrono::sys_seconds read_time(const json& j, const char* key) {
  const auto text = j.at(key).get<std::string>();
  const auto time = util::parse_iso8601(text);
  if (!time) {
    throw ConfigError(std::string("bisect session: '") + key + "' is not an ISO-8601 time: '" + text
                      + "'");
  }
  return *time;
}

json commit_to_json(const SessionCommit& c) {
  return {{"sha", c.sha},
          {"subject", c.subject},
          {"author", c.author},
          {"availability", to_string(c.availability)},
          {"unavailable_reason", c.unavailable_reason},
          {"run_id", optional_id(c.run_id)},
          {"run_url", c.run_url}};
}

SessionCommit commit_from_json(const json& j) {
  SessionCommit c;
  c.sha = j.at("sha").get<std::string>();
  c.subject = j.value("subject", "");
  c.author = j.value("author", "");
  const auto availability = parse_availability(j.at("availability").get<std::string>());
  if (!availability) {
    throw ConfigError("bisect session: commit " + c.sha + " has an unknown availability '"
                      + j.at("availability").get<std::string>() + "'");
  }
  c.availability = *availability;
  c.unavailable_reason = j.value("unavailable_reason", "");
  c.run_id = read_optional_id(j, "run_id");
  c.run_url = j.value("run_url", "");
  return c;
}

json runs_to_json(const std::optional<RunCounts>& runs) {
  if (!runs) {
    return nullptr;
  }
  return {{"total", runs->runs},
          {"passed", runs->passed},
          {"failed", runs->failed},
          {"skipped", runs->skipped}};
}

std::optional<RunCounts> runs_from_json(const json& j) {
  if (!j.contains("runs") || j.at("runs").is_null()) {
    return std::nullopt;
  }
  const json& r = j.at("runs");
  RunCounts counts;
  counts.runs = r.at("total").get<std::size_t>();
  counts.passed = r.value("passed", std::size_t{0});
  counts.failed = r.value("failed", std::size_t{0});
  counts.skipped = r.value("skipped", std::size_t{0});
  return counts;
}

json record_to_json(const VerdictRecord& r) {
  return {{"sha", r.sha},
          {"verdict", to_string(r.verdict)},
          {"time", util::format_iso8601(r.time)},
          {"reason", r.reason},
          {"run_id", optional_id(r.run_id)},
          {"seconds", r.seconds},
          {"bytes", r.bytes},
          {"runs", runs_to_json(r.runs)}};
}

json rules_to_json(const TestRules& r) {
  return {{"timeout_ms", r.timeout ? json(r.timeout->count()) : json(nullptr)},
          {"timeout_verdict", to_string(r.timeout_verdict)},
          {"crash_verdict", r.crash_verdict ? json(to_string(*r.crash_verdict)) : json(nullptr)},
          {"times", r.times},
          {"flaky", to_string(r.flaky)},
          {"skip_if", r.skip_if},
          {"bad_if", r.bad_if},
          {"good_if", r.good_if}};
}

TestOutcome read_outcome(const json& j, const char* key) {
  const auto text = j.at(key).get<std::string>();
  const auto outcome = parse_outcome(text);
  if (!outcome) {
    throw ConfigError(std::string("bisect session: rule '") + key + "' is '" + text
                      + "', expected good, bad, skip or abort");
  }
  return *outcome;
}

// Every field is optional (sessions of schema version 1 have no rules).
TestRules rules_from_json(const json& j) {
  TestRules r;
  if (j.contains("timeout_ms") && !j.at("timeout_ms").is_null()) {
    r.timeout = std::chrono::milliseconds(j.at("timeout_ms").get<std::int64_t>());
  }
  if (j.contains("timeout_verdict")) {
    r.timeout_verdict = read_outcome(j, "timeout_verdict");
  }
  if (j.contains("crash_verdict") && !j.at("crash_verdict").is_null()) {
    r.crash_verdict = read_outcome(j, "crash_verdict");
  }
  r.times = j.value("times", std::size_t{1});
  const auto flaky = j.value("flaky", std::string(to_string(r.flaky)));
  const auto policy = parse_flaky_policy(flaky);
  if (!policy) {
    throw ConfigError("bisect session: rule 'flaky' is '" + flaky
                      + "', expected bad-if-any, good-if-all or majority");
  }
  r.flaky = *policy;
  r.skip_if = j.value("skip_if", "");
  r.bad_if = j.value("bad_if", "");
  r.good_if = j.value("good_if", "");
  try {
    validate_rules(r);
  } catch (const UsageError& e) {
    throw ConfigError(std::string("bisect session has an invalid rule: ") + e.what());
  }
  return r;
}

VerdictRecord record_from_json(const json& j) {
  VerdictRecord r;
  r.sha = j.at("sha").get<std::string>();
  const auto verdict = parse_verdict(j.at("verdict").get<std::string>());
  if (!verdict) {
    throw ConfigError("bisect session: the verdict for " + r.sha + " is '"
                      + j.at("verdict").get<std::string>() + "', expected good, bad or skip");
  }
  r.verdict = *verdict;
  r.time = read_time(j, "time");
  r.reason = j.value("reason", "");
  r.run_id = read_optional_id(j, "run_id");
  r.seconds = j.value("seconds", 0.0);
  r.bytes = j.value("bytes", std::uint64_t{0});
  r.runs = runs_from_json(j);
  return r;
}

void check_version(const json& j) {
  if (!j.is_object() || j.value("schema", "") != k_schema_name) {
    throw ConfigError(R"(not a rockart bisect session (no "schema": ")" + std::string(k_schema_name)
                      + "\")");
  }
  const json version = j.value("version", json());
  if (!version.is_number_integer() || version.get<int>() < k_oldest_session_schema_version
      || version.get<int>() > k_session_schema_version) {
    throw ConfigError("bisect session has schema version " + version.dump()
                          + "; this rockart reads versions "
                          + std::to_string(k_oldest_session_schema_version) + " to "
                          + std::to_string(k_session_schema_version),
                      "finish it with the rockart that started it, or start over with "
                      "`rockart bisect reset`");
  }
}

Session fields_from_json(const json& j) {
  Session s;
  s.repo = j.at("repo").get<std::string>();
  s.good = j.at("good").get<std::string>();
  s.bad = j.at("bad").get<std::string>();
  s.artifact_group = j.at("artifact_group").get<std::string>();
  s.workflow = j.value("workflow", "");
  s.platform = j.at("platform").get<std::string>();
  s.includes = j.value("includes", std::vector<std::string>{});
  s.amdgpu_targets = j.value("amdgpu_targets", std::vector<std::string>{});
  s.expand_family = j.value("expand_family", true);
  s.lookback = j.value("lookback", std::size_t{0});
  s.good_reason = j.value("good_reason", "");
  const auto strategy = parse_strategy(j.at("strategy").get<std::string>());
  if (!strategy) {
    throw ConfigError("bisect session: unknown strategy '" + j.at("strategy").get<std::string>()
                      + "', expected local or ci");
  }
  s.strategy = *strategy;
  s.parallel = j.value("parallel", std::size_t{1});
  s.command = j.value("command", std::vector<std::string>{});
  s.prompt = j.value("prompt", false);
  if (j.contains("rules")) {
    s.rules = rules_from_json(j.at("rules"));
  }
  s.started_at = read_time(j, "started_at");
  s.total_seconds = j.value("total_seconds", 0.0);
  s.total_bytes = j.value("total_bytes", std::uint64_t{0});
  for (const auto& c : j.at("commits")) {
    s.commits.push_back(commit_from_json(c));
  }
  for (const auto& r : j.at("log")) {
    s.log.push_back(record_from_json(r));
  }
  return s;
}

[[noreturn]] void throw_io(const std::string& what, const std::filesystem::path& path, int err) {
  throw LocalIoError("cannot " + what + " bisect session " + path.string() + ": "
                     + std::generic_category().message(err));
}

} // namespace

nlohmann::json session_to_json(const Session& s) {
  json commits = json::array();
  for (const auto& c : s.commits) {
    commits.push_back(commit_to_json(c));
  }
  json log = json::array();
  for (const auto& r : s.log) {
    log.push_back(record_to_json(r));
  }
  return {{"schema", k_schema_name},
          {"version", k_session_schema_version},
          {"repo", s.repo},
          {"good", s.good},
          {"bad", s.bad},
          {"artifact_group", s.artifact_group},
          {"workflow", s.workflow},
          {"platform", s.platform},
          {"includes", s.includes},
          {"amdgpu_targets", s.amdgpu_targets},
          {"expand_family", s.expand_family},
          {"lookback", s.lookback},
          {"good_reason", s.good_reason},
          {"strategy", to_string(s.strategy)},
          {"parallel", s.parallel},
          {"command", s.command},
          {"prompt", s.prompt},
          {"rules", rules_to_json(s.rules)},
          {"started_at", util::format_iso8601(s.started_at)},
          {"total_seconds", s.total_seconds},
          {"total_bytes", s.total_bytes},
          {"commits", std::move(commits)},
          {"log", std::move(log)}};
}

Session session_from_json(const nlohmann::json& j) {
  check_version(j);
  Session session;
  try {
    session = fields_from_json(j);
  } catch (const json::exception& e) {
    throw ConfigError(std::string("bisect session is malformed: ") + e.what(),
                      "start over with `rockart bisect reset`");
  }
  validate_session(session);
  return session;
}

void save_session(const Session& session, const std::filesystem::path& path) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      throw_io("create the directory of", path, ec.value());
    }
  }
  // fsynced: after a crash the file is either the old or the new session.
  util::write_file_atomic(path, session_to_json(session).dump(2) + "\n", util::Durability::fsync);
}

Session load_session(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    const int err = errno;
    if (!std::filesystem::exists(path)) {
      throw NotFoundError("no bisect session at " + path.string(),
                          "start one with `rockart bisect start`");
    }
    throw_io("read", path, err);
  }
  std::ostringstream text;
  text << in.rdbuf();
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw ConfigError("bisect session " + path.string() + " is not valid JSON: " + e.what(),
                      "start over with `rockart bisect reset`");
  }
  return session_from_json(j);
}

SessionFile::SessionFile(const std::filesystem::path& cache_dir)
    : m_path(cache_dir / "bisect" / "session.json") {}

bool SessionFile::exists() const {
  std::error_code ec;
  return std::filesystem::exists(m_path, ec);
}

Session SessionFile::load() const {
  try {
    return load_session(m_path);
  } catch (const NotFoundError&) {
    throw UsageError("no bisect session in " + m_path.string(),
                     "start one with `rockart bisect start --repo R --good G --bad B "
                     "--artifact-group F`");
  }
}

bool SessionFile::remove() const {
  std::error_code ec;
  const bool removed = std::filesystem::remove(m_path, ec);
  if (ec) {
    throw_io("remove", m_path, ec.value());
  }
  return removed;
}

} // namespace rockart::bisect
