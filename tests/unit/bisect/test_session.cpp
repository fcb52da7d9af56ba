// SPDX-License-Identifier: MIT
// Session bookkeeping, JSON round trip, schema version and atomic save.
#include "support/support.hpp"

#include <rockart/bisect/session.hpp>
#include <rockart/error.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace rockart::bisect {
namespace {

using namespace std::chrono_literals;

// The first commits of the real rocm-systems case (behaviours.md §8.5).
Session sample_session() {
  Session s;
  s.repo = "ROCm/rocm-systems";
  s.good = "2789ea429a8f0f32ff68e21858a21f4b04be9e82";
  s.bad = "11d9472e5fae5b5efc3703eca4a4db3b4a75d6dd";
  s.artifact_group = "gfx94X-dcgpu";
  s.workflow = "therock-ci.yml";
  s.platform = "linux";
  s.includes = {"core-hip", "base"};
  s.strategy = Strategy::ci;
  s.parallel = 3;
  s.command = {"sh", "-c", "rocminfo | grep gfx942"};
  s.rules.timeout = std::chrono::minutes(10);
  s.rules.timeout_verdict = TestOutcome::skip;
  s.rules.crash_verdict = TestOutcome::abort;
  s.rules.times = 3;
  s.rules.flaky = FlakyPolicy::majority;
  s.rules.skip_if = "no GPU found";
  s.rules.bad_if = "mismatch \\d+";
  s.rules.good_if = "^PASSED$";
  s.started_at = std::chrono::sys_days{std::chrono::January / 9 / 2026} + 10h;
  s.total_seconds = 812.5;
  s.total_bytes = 123456789012;
  s.commits = {
      {"3568e0df02c7f8d203de29b9e175ac87f7da337f",
       "Fix catch tests failures on Windows (#2097)",
       "A. Dev",
       Availability::available,
       "",
       20723767265,
       "https://github.com/ROCm/rocm-systems/actions/runs/20723767265"},
      {"0f0504d79dae96269631a21af3636bfe00044894",
       "Fix soft hang in hipMemVmm_Uncached (#2223)",
       "B. Dev",
       Availability::unavailable,
       "no run of therock-ci.yml",
       std::nullopt,
       ""},
      {"88f4bb19883f04524c32564792bb411a7050b440",
       "fix hipSetValidDevices_with_hipMemcpyPeer",
       "C. Dev",
       Availability::unknown,
       "",
       std::nullopt,
       ""},
      {"7871f53563e7747daaca113d3d2a08b3fcaaf087",
       "gfx950 support in ValuPipeIssueUtil counter",
       "D. Dev",
       Availability::available,
       "",
       20723700001,
       ""},
      {"11d9472e5fae5b5efc3703eca4a4db3b4a75d6dd",
       "Bump TheRock SHA for CI 20251230 (#2466)",
       "E. Dev",
       Availability::available,
       "",
       20723700002,
       ""},
  };
  s.log = {{"3568e0df02c7f8d203de29b9e175ac87f7da337f",
            Verdict::bad,
            s.started_at + 60s,
            "CMD exited with 1",
            20723767265,
            42.25,
            1000,
            RunCounts{3, 2, 1, 0}},
           {"3568e0df02c7f8d203de29b9e175ac87f7da337f",
            Verdict::good,
            s.started_at + 120s,
            "marked by user",
            std::nullopt,
            0,
            0,
            {}}};
  return s;
}

TEST(BisectSession, PositionsUseLatestVerdict) {
  const auto p = positions(sample_session());
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].verdict, Verdict::good);
  EXPECT_EQ(p[1].availability, Availability::unavailable);
  EXPECT_FALSE(p[2].verdict);
  const Action action = next_action(sample_session());
  ASSERT_EQ(action.kind, Action::Kind::test);
  EXPECT_EQ(action.commit, 2u); // midpoint of (0, 4], routed past nothing
}

TEST(BisectSession, FindCommitByPrefix) {
  const Session s = sample_session();
  EXPECT_EQ(find_commit(s, "7871f53563e7747daaca113d3d2a08b3fcaaf087"), 3u);
  EXPECT_EQ(find_commit(s, "88F4bb"), 2u);
  EXPECT_ERROR(find_commit(s, "2789ea4"),
               UsageError,
               "commit '2789ea4' is the good end of the range, already known good");
  EXPECT_ERROR(find_commit(s, "deadbeef"),
               UsageError,
               "commit 'deadbeef' is not in the bisect range 2789ea429a8f..11d9472e5fae");
  EXPECT_ERROR(
      find_commit(s, "abc"), UsageError, "'abc' is not a commit SHA: expected 4 to 40 hex digits");
  EXPECT_ERROR(find_commit(s, "HEAD~2"), UsageError, "'HEAD~2' is not a commit SHA");
  Session twins = s;
  twins.commits[1].sha = "3568e0df99999999999999999999999999999999";
  EXPECT_ERROR(find_commit(twins, "3568e0d"),
               UsageError,
               "commit '3568e0d' is ambiguous: it matches 2 commits of the range");
}

TEST(BisectSession, RecordVerdictStoresFullSha) {
  Session s = sample_session();
  record_verdict(s, {"7871f535", Verdict::bad, s.started_at, "marked by user", {}, 0, 0, {}});
  EXPECT_EQ(s.log.back().sha, "7871f53563e7747daaca113d3d2a08b3fcaaf087");
  EXPECT_EQ(next_action(s).first_bad, 3u);
  EXPECT_ERROR(record_verdict(s, {"feedface", Verdict::bad, {}, "", {}, 0, 0, {}}),
               UsageError,
               "not in the bisect range");
  EXPECT_EQ(s.log.size(), 3u);
}

TEST(BisectSession, DescribesInconsistentVerdicts) {
  Session s = sample_session();
  record_verdict(s, {"7871f535", Verdict::good, {}, "", {}, 0, 0, {}});
  record_verdict(s, {"88f4bb19", Verdict::bad, {}, "", {}, 0, 0, {}});
  const Action action = next_action(s);
  ASSERT_EQ(action.kind, Action::Kind::inconsistent);
  EXPECT_EQ(describe_inconsistency(s, action),
            "inconsistent verdicts: commit 7871f53563e7 was marked good but the older 88f4bb19883f "
            "was marked bad; a regression must stay bad after it appears; re-mark one of them or "
            "run `rockart bisect reset`");
  Session end = sample_session();
  record_verdict(end, {"11d9472e", Verdict::good, {}, "", {}, 0, 0, {}});
  EXPECT_EQ(describe_inconsistency(end, next_action(end)),
            "inconsistent verdicts: commit 11d9472e5fae is the bad end of the range but was "
            "marked good; mark it bad again or start over with `rockart bisect reset`");
}

TEST(BisectSession, JsonRoundTripAndReplay) {
  const Session s = sample_session();
  const nlohmann::json j = session_to_json(s);
  EXPECT_EQ(j.at("schema"), "rockart-bisect-session");
  EXPECT_EQ(j.at("version"), k_session_schema_version);
  EXPECT_EQ(j.at("started_at"), "2026-01-09T10:00:00Z");
  EXPECT_EQ(j.at("commits").at(1).at("availability"), "unavailable");
  EXPECT_TRUE(j.at("commits").at(1).at("run_id").is_null());
  EXPECT_EQ(j.at("log").at(0).at("verdict"), "bad");
  EXPECT_EQ(j.at("log").at(0).at("time"), "2026-01-09T10:01:00Z");
  const Session back = session_from_json(j);
  EXPECT_EQ(session_to_json(back), j);
  EXPECT_EQ(back.commits[0].run_id, std::optional<std::int64_t>(20723767265));
  EXPECT_EQ(back.total_bytes, 123456789012u);
  EXPECT_EQ(back.strategy, Strategy::ci);
  EXPECT_EQ(back.command, s.command);
  EXPECT_EQ(next_action(back).commit, next_action(s).commit);
  // The verdict rules and run counts (schema version 2).
  EXPECT_EQ(j.at("rules"),
            nlohmann::json({{"timeout_ms", 600000},
                            {"timeout_verdict", "skip"},
                            {"crash_verdict", "abort"},
                            {"times", 3},
                            {"flaky", "majority"},
                            {"skip_if", "no GPU found"},
                            {"bad_if", "mismatch \\d+"},
                            {"good_if", "^PASSED$"}}));
  EXPECT_EQ(j.at("prompt"), false);
  EXPECT_EQ(j.at("log").at(0).at("runs"),
            nlohmann::json({{"total", 3}, {"passed", 2}, {"failed", 1}, {"skipped", 0}}));
  EXPECT_TRUE(j.at("log").at(1).at("runs").is_null());
  EXPECT_EQ(back.rules.timeout, std::optional(std::chrono::milliseconds(600000)));
  EXPECT_EQ(back.rules.crash_verdict, TestOutcome::abort);
  EXPECT_EQ(back.rules.flaky, FlakyPolicy::majority);
  EXPECT_EQ(back.rules.bad_if, "mismatch \\d+");
  ASSERT_TRUE(back.log[0].runs);
  EXPECT_EQ(back.log[0].runs->failed, 1u);
  Session prompting = s;
  prompting.prompt = true;
  prompting.rules = {};
  const Session prompt_back = session_from_json(session_to_json(prompting));
  EXPECT_TRUE(prompt_back.prompt);
  EXPECT_FALSE(prompt_back.rules.timeout);
  EXPECT_FALSE(prompt_back.rules.crash_verdict);
  EXPECT_EQ(session_to_json(prompt_back).at("rules").at("crash_verdict"), nullptr);
}

// A session saved before the verdict rules (schema version 1) still loads:
// no rules (the defaults), no --prompt, no run counts.
TEST(BisectSession, LoadsAVersionOneSessionWithoutTheNewFields) {
  const auto j = nlohmann::json::parse(R"({
    "schema": "rockart-bisect-session", "version": 1,
    "repo": "ROCm/rocm-systems",
    "good": "2789ea429a8f0f32ff68e21858a21f4b04be9e82",
    "bad": "11d9472e5fae5b5efc3703eca4a4db3b4a75d6dd",
    "artifact_group": "gfx94X-dcgpu", "workflow": "", "platform": "linux",
    "includes": [], "amdgpu_targets": [], "strategy": "local", "parallel": 1,
    "command": ["./check.sh"], "started_at": "2026-01-09T10:00:00Z",
    "total_seconds": 1.5, "total_bytes": 10,
    "commits": [{"sha": "3568e0df02c7f8d203de29b9e175ac87f7da337f", "subject": "a",
                 "author": "x", "availability": "available", "unavailable_reason": "",
                 "run_id": 1, "run_url": ""},
                {"sha": "11d9472e5fae5b5efc3703eca4a4db3b4a75d6dd", "subject": "b",
                 "author": "y", "availability": "unknown", "unavailable_reason": "",
                 "run_id": null, "run_url": ""}],
    "log": [{"sha": "3568e0df02c7f8d203de29b9e175ac87f7da337f", "verdict": "good",
             "time": "2026-01-09T10:01:00Z", "reason": "CMD exited with 0", "run_id": 1,
             "seconds": 2.0, "bytes": 5}]})");
  const Session s = session_from_json(j);
  EXPECT_EQ(s.command, std::vector<std::string>{"./check.sh"});
  EXPECT_FALSE(s.prompt);
  EXPECT_FALSE(s.rules.timeout);
  EXPECT_EQ(s.rules.timeout_verdict, TestOutcome::bad);
  EXPECT_FALSE(s.rules.crash_verdict);
  EXPECT_EQ(s.rules.times, 1u);
  EXPECT_EQ(s.rules.flaky, FlakyPolicy::bad_if_any);
  EXPECT_TRUE(s.rules.bad_if.empty());
  ASSERT_EQ(s.log.size(), 1u);
  EXPECT_FALSE(s.log[0].runs);
  // Saved again, it is a version 2 session.
  const auto again = session_to_json(s);
  EXPECT_EQ(again.at("version"), 2);
  EXPECT_EQ(session_to_json(session_from_json(again)), again);
}

TEST(BisectSession, RejectsInvalidRules) {
  nlohmann::json j = session_to_json(sample_session());
  j["rules"]["bad_if"] = "(";
  EXPECT_ERROR(session_from_json(j),
               ConfigError,
               "bisect session has an invalid rule: --bad-if '(' is not a valid regular "
               "expression");
  j = session_to_json(sample_session());
  j["rules"]["flaky"] = "sometimes";
  EXPECT_ERROR(session_from_json(j), ConfigError, "rule 'flaky' is 'sometimes'");
  j = session_to_json(sample_session());
  j["rules"]["crash_verdict"] = "maybe";
  EXPECT_ERROR(session_from_json(j), ConfigError, "rule 'crash_verdict' is 'maybe'");
  j = session_to_json(sample_session());
  j["rules"]["times"] = 0;
  EXPECT_ERROR(session_from_json(j), ConfigError, "--times must be between 1 and 1000");
}

TEST(BisectSession, RejectsOtherSchemaVersions) {
  nlohmann::json j = session_to_json(sample_session());
  j["version"] = 3;
  EXPECT_ERROR(session_from_json(j),
               ConfigError,
               "bisect session has schema version 3; this rockart reads versions 1 to 2");
  j["version"] = 0;
  EXPECT_ERROR(session_from_json(j), ConfigError, "bisect session has schema version 0");
  j.erase("version");
  EXPECT_ERROR(session_from_json(j), ConfigError, "bisect session has schema version null");
  j = session_to_json(sample_session());
  j["schema"] = "something-else";
  EXPECT_ERROR(session_from_json(j),
               ConfigError,
               "not a rockart bisect session (no \"schema\": \"rockart-bisect-session\")");
}

TEST(BisectSession, RejectsMalformedSessions) {
  nlohmann::json j = session_to_json(sample_session());
  j.erase("repo");
  EXPECT_ERROR(session_from_json(j), ConfigError, "bisect session is malformed: ");
  j = session_to_json(sample_session());
  j["log"][0]["verdict"] = "maybe";
  EXPECT_ERROR(session_from_json(j),
               ConfigError,
               "the verdict for 3568e0df02c7f8d203de29b9e175ac87f7da337f is 'maybe', expected "
               "good, bad or skip");
  j = session_to_json(sample_session());
  j["log"][0]["sha"] = "2789ea429a8f0f32ff68e21858a21f4b04be9e82";
  EXPECT_ERROR(session_from_json(j),
               ConfigError,
               "bisect session log has a verdict for 2789ea429a8f, which is not in the range");
  j = session_to_json(sample_session());
  j["bad"] = "88f4bb19883f04524c32564792bb411a7050b440";
  EXPECT_ERROR(session_from_json(j),
               ConfigError,
               "the newest commit 11d9472e5fae is not the bad commit 88f4bb19883f");
  j = session_to_json(sample_session());
  j["commits"] = nlohmann::json::array();
  EXPECT_ERROR(session_from_json(j), ConfigError, "bisect session has no commits");
  j = session_to_json(sample_session());
  j["commits"][2]["sha"] = j["commits"][0]["sha"];
  EXPECT_ERROR(session_from_json(j), ConfigError, "commit 3568e0df02c7 is listed twice");
}

TEST(BisectSession, SaveIsAtomicAndLoadsBack) {
  test::TempDir dir;
  const auto path = dir.path() / "bisect" / "ROCm-rocm-systems" / "session.json";
  Session s = sample_session();
  save_session(s, path);
  record_verdict(
      s, {"88f4bb19", Verdict::skip, s.started_at + 300s, "CMD exited with 125", {}, 1, 2, {}});
  save_session(s, path); // replaces the previous file
  const Session loaded = load_session(path);
  EXPECT_EQ(session_to_json(loaded), session_to_json(s));
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(path.parent_path())) {
    EXPECT_EQ(entry.path().filename(), "session.json"); // no temp file left behind
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

TEST(BisectSession, LoadErrors) {
  test::TempDir dir;
  EXPECT_ERROR(load_session(dir.path() / "missing.json"), NotFoundError, "no bisect session at ");
  const auto bad = dir.path() / "bad.json";
  std::ofstream(bad) << "{ not json";
  EXPECT_ERROR(load_session(bad), ConfigError, "bad.json is not valid JSON");
  EXPECT_ERROR(save_session(sample_session(), bad / "under-a-file.json"),
               LocalIoError,
               "cannot create the directory of bisect session");
}

} // namespace
} // namespace rockart::bisect
