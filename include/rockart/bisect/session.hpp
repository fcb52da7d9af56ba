// SPDX-License-Identifier: MIT
// A bisect session: the inputs, the ordered commits
// of (good, bad] with their runs and availability, and the append-only verdict
// log. The bisect state is a pure function of a session, so a saved session
// resumes after a crash and `rockart bisect replay FILE` recomputes it.
#pragma once

#include <rockart/bisect/state.hpp>
#include <rockart/bisect/verdict.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::bisect {

// Version of the session JSON written by this build (2 added the verdict
// rules, --prompt and run counts); it also reads versions from
// k_oldest_session_schema_version on, and refuses any other.
inline constexpr int k_session_schema_version = 2;
inline constexpr int k_oldest_session_schema_version = 1;

// How candidates are tested: here (one at a time) or by CI runs (k at once).
enum class Strategy { local, ci };

// One commit of the range and what is known about its CI outputs.
struct SessionCommit {
  std::string sha; // full 40-hex SHA
  std::string subject;
  std::string author;
  Availability availability = Availability::unknown;
  std::string unavailable_reason; // why there are no usable artifacts, for the report
  std::optional<std::int64_t> run_id;
  std::string run_url; // the run's html_url when known
};

// One verdict, as logged. The latest verdict for a commit wins.
struct VerdictRecord {
  std::string sha; // full SHA of a commit of the range
  Verdict verdict = Verdict::skip;
  std::chrono::sys_seconds time{};
  std::string reason; // e.g. "marked by user", "CMD exited with 125"
  std::optional<std::int64_t> run_id;
  double seconds = 0;            // time spent testing this commit (fetch + CMD)
  std::uint64_t bytes = 0;       // bytes downloaded for this commit
  std::optional<RunCounts> runs; // `bisect run --times N` (N > 1): the runs of CMD
};

struct Session {
  std::string repo; // owner/repo whose commits are bisected
  std::string good; // full SHA, excluded from `commits`; empty while `lookback` searches it
  std::string bad;  // full SHA, the last of `commits`
  std::string artifact_group;
  std::vector<std::string> amdgpu_targets; // explicit targets; empty: the group's own
  bool expand_family = true; // false: only generic and group-named archives (--no-expand-family)
  std::string workflow;      // empty: the default workflow for `repo`
  std::string platform;
  std::vector<std::string> includes; // artifact include regexes
  Strategy strategy = Strategy::local;
  std::size_t parallel = 1;         // CI strategy: candidates dispatched per round
  std::vector<std::string> command; // `bisect run` CMD and ARGS (empty when manual)
  bool prompt = false;              // `bisect run --prompt`: ask the user instead of CMD
  TestRules rules;                  // how `bisect run` turns CMD's runs into verdicts
  std::chrono::sys_seconds started_at{};
  double total_seconds = 0;           // wall time of the whole session so far
  std::uint64_t total_bytes = 0;      // every byte downloaded, prefetch included
  std::vector<SessionCommit> commits; // (good, bad], oldest first
  std::vector<VerdictRecord> log;     // in the order the verdicts were given
  // Started without a good commit: `commits` is the window of this many
  // commits before the bad one (and the bad one), searched back from the bad
  // end (next_lookback_step) before bisecting; 0 once the good bound is known.
  std::size_t lookback = 0;
  std::string good_reason; // how the good bound was chosen, when not given ("tested good ...")
};

// Checks the invariants a loaded or new session must meet (commits non-empty,
// unique, the last one `bad`, `good` not among them, every log SHA in range).
// Throws ConfigError naming the first violation.
void validate_session(const Session& session);

// Ends a look-back: the commit at `position` (tested good) becomes the good
// bound; it and the older commits leave the range with their verdicts.
void settle_good_bound(Session& session, std::size_t position);

// The state-machine view of `session`: availability per commit and the latest
// logged verdict for each.
std::vector<Position> positions(const Session& session);

// next_action(positions(session)).
Action next_action(const Session& session);

// Position of the commit `sha_or_prefix` names (full SHA or an unambiguous
// prefix of at least 4 hex digits). Throws UsageError when it names no commit
// of the range (saying so if it is the good commit) or more than one.
std::size_t find_commit(const Session& session, std::string_view sha_or_prefix);

// Appends `record` to the log after resolving its SHA with find_commit (the
// stored SHA is the full one). Throws like find_commit.
void record_verdict(Session& session, VerdictRecord record);

// Records the user's `verdict` on `sha_or_prefix`, or on the commit under
// test when it is empty, at `now`; returns the full SHA marked. Throws
// UsageError when no commit is under test (the search is over) or like
// find_commit.
std::string mark_commit(Session& session,
                        const std::string& sha_or_prefix,
                        Verdict verdict,
                        std::chrono::sys_seconds now);

// The owner of the session's cache pins: one per (repository, good, bad), so
// that `bisect reset` releases exactly this session's archives.
std::string pin_owner(const Session& session);

// "bisect: 63 commit(s) in (8d5f2b1c0e6a, 77f0cb2112d1]; about 6 test(s)".
std::string describe_range(const Session& session);

// The user-facing message for an `inconsistent` action: both commits and
// their verdicts, and what to do about it.
std::string describe_inconsistency(const Session& session, const Action& action);

// "local" / "ci", and the inverse (nullopt for anything else).
const char* to_string(Strategy strategy);
std::optional<Strategy> parse_strategy(std::string_view text);

// The session as JSON, with "schema" and "version" keys.
nlohmann::json session_to_json(const Session& session);

// Parses and validates a session. Throws ConfigError on a missing or wrong
// "version", a missing field, a bad value, or a failed validate_session.
Session session_from_json(const nlohmann::json& json);

// Writes `session` to `path` atomically (temp file in the same directory,
// flushed, renamed over `path`); creates parent directories. Throws LocalIoError.
void save_session(const Session& session, const std::filesystem::path& path);

// Reads a session saved by save_session. Throws NotFoundError if `path` does
// not exist, LocalIoError if it cannot be read, ConfigError if it is invalid.
Session load_session(const std::filesystem::path& path);

// The user's session in a cache directory, {cache_dir}/bisect/session.json:
// it outlives the process, so a crashed or interrupted `bisect run` resumes.
class SessionFile {
public:
  explicit SessionFile(const std::filesystem::path& cache_dir);

  const std::filesystem::path& path() const { return m_path; }

  bool exists() const;

  // Like load_session, but a missing session is a UsageError saying how to start one.
  Session load() const;

  void save(const Session& session) const { save_session(session, m_path); }

  // Removes the file; false when there was none. Throws LocalIoError.
  bool remove() const;

private:
  std::filesystem::path m_path;
};

} // namespace rockart::bisect
