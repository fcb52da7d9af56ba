// SPDX-License-Identifier: MIT
// The bisect driver: the loop that acts on the pure
// state machine. It resolves a candidate's availability, materialises its
// tree, runs CMD in it (while the next candidates are prefetched), records the
// verdict and saves the session after every step. All I/O goes through the
// interfaces below, so the loop is unit-testable with fakes.
#pragma once

#include <rockart/bisect/runner.hpp>
#include <rockart/bisect/session.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rockart::bisect {

// What `find` said about one commit.
struct ResolvedCommit {
  bool available = false;
  std::string reason; // why there are no usable artifacts (when !available)
  std::optional<std::int64_t> run_id;
  std::string run_url;
};

// "Which run of commit X has usable artifacts" (find through the run store).
class CommitResolver {
public:
  virtual ~CommitResolver() = default;
  // Throws rockart::Error for GitHub/S3 failures (the session then aborts;
  // during prefetch planning, which runs on a background thread while CMD
  // runs, the failure only skips that prefetch).
  virtual ResolvedCommit resolve(const SessionCommit& commit) = 0;
};

// A commit's tree, ready for CMD.
struct MaterializedTree {
  std::filesystem::path dir;
  std::uint64_t bytes = 0; // bytes downloaded to build it (0 when all cached)
};

// "Materialise the tree of commit X" (fetch flatten from the cache).
class TreeMaterializer {
public:
  virtual ~TreeMaterializer() = default;
  // `commit` is available (resolved). Throws rockart::Error on failure.
  virtual MaterializedTree materialize(const SessionCommit& commit) = 0;
};

// "Download commit X into the cache in the background".
class Prefetcher {
public:
  virtual ~Prefetcher() = default;
  // Queues `commits` (available ones) for background download; returns at once.
  // Called from the driver's planning thread.
  virtual void prefetch(const std::vector<SessionCommit>& commits) = 0;
  // Releases (unpins) everything prefetched for commits not in `reachable_shas`.
  virtual void retain(const std::vector<std::string>& reachable_shas) = 0;
  // Bytes downloaded in the background since the last call.
  virtual std::uint64_t take_bytes() = 0;
};

// One run of the test for the commit under test.
struct TestRequest {
  std::vector<std::string> argv; // session.command (empty with --prompt)
  Environment env;               // build_test_environment for the commit
  SessionCommit commit;
  std::filesystem::path tree; // the commit's materialised tree
  std::size_t attempt = 1;    // 1-based, of `attempts` (--times)
  std::size_t attempts = 1;
};

// Runs the test once (the real ones: ProcessTestRunner, PromptTestRunner).
class TestRunner {
public:
  virtual ~TestRunner() = default;
  virtual ProcessStatus run(const TestRequest& request) = 0;
};

// Runs CMD with run_test_command under `rules`: their timeout (process group
// killed, SIGKILL `kill_grace` after SIGTERM) and, when they have output
// patterns, CMD's output copied to stderr and matched (status.matches).
class ProcessTestRunner final : public TestRunner {
public:
  explicit ProcessTestRunner(TestRules rules,
                             std::chrono::milliseconds kill_grace = k_default_kill_grace);
  ProcessStatus run(const TestRequest& request) override;

private:
  TestRules m_rules;
  std::chrono::milliseconds m_kill_grace;
};

// `bisect run --prompt`: shows the commit, its run and where its tree is on
// `out`, then asks "good/bad/skip/quit [g/b/s/q]? " and reads the answer
// from `in` (a line: g, b, s, q or the word; asked again otherwise). The end
// of `in` is a quit.
class PromptTestRunner final : public TestRunner {
public:
  PromptTestRunner(std::istream& in, std::ostream& out) : m_in(in), m_out(out) {}

  ProcessStatus run(const TestRequest& request) override;

private:
  std::istream& m_in;
  std::ostream& m_out;
};

// What the driver works with. `prefetcher` may be null (prefetch off).
struct DriverServices {
  CommitResolver& resolver;
  TreeMaterializer& trees;
  TestRunner& runner;
  Prefetcher* prefetcher = nullptr;
  std::function<void(const Session&)> save;                     // persists the session (atomic)
  Environment base_env;                                         // CMD's environment before ours
  std::function<std::chrono::steady_clock::time_point()> clock; // nullptr: steady_clock
};

struct DriverOptions {
  std::size_t prefetch = 2; // candidate commits downloaded ahead (0 = off)
};

// How `bisect run` ended.
struct RunOutcome {
  Action action;        // the final action (or the one being tested when aborted)
  bool aborted = false; // stopped before the end: see judge() for what aborts
  bool interrupted = false;
  bool quit = false; // the user quit at the prompt
  std::string abort_reason;

  // 0 when the search ended or the user quit, 130 when interrupted, 2 for other aborts.
  int exit_code() const;
};

// Resolves `commit` (position in session) when its availability is unknown,
// records the answer in the session and returns whether it is now available.
bool ensure_resolved(Session& session, std::size_t position, CommitResolver& resolver);

// Commits the search may test after `current`, breadth-first over both
// hypothetical outcomes, at most `limit`, each resolved (so unavailable ones are
// routed around). Never contains `current`.
std::vector<std::size_t> prefetch_positions(Session& session,
                                            std::size_t current,
                                            std::size_t limit,
                                            CommitResolver& resolver);

// SHAs of the commits still in play: strictly after the last good commit and
// up to the first bad one (which may be the culprit).
std::vector<std::string> reachable_shas(const Session& session);

// The `bisect run` loop with session.command as CMD (or the prompt when
// session.prompt). Resolves, materialises, tests and records until
// next_action() is no longer `test`, saving after every step. Each commit is
// run session.rules.times times (once with the prompt), judged by judge() and
// combined by combine_runs(), stopping early once runs_decided(); an abort of
// any run aborts the session without a verdict for that commit. Throws
// UsageError(describe_inconsistency) for contradictory verdicts.
RunOutcome run_local(Session& session, DriverServices& services, const DriverOptions& options);

// One dispatched CI run of the CI strategy.
struct DispatchedRun {
  std::int64_t run_id = 0;
  std::string run_url;
};

// Triggers and watches CI runs (CI strategy: workflow_dispatch, then polling).
class CiDispatcher {
public:
  virtual ~CiDispatcher() = default;
  // Starts a run that tests `commit`. Throws rockart::Error.
  virtual DispatchedRun dispatch(const SessionCommit& commit) = 0;
  // The run's conclusion once completed ("success", "failure", ...), else nullopt.
  virtual std::optional<std::string> conclusion(std::int64_t run_id) = 0;
};

struct CiOptions {
  std::size_t parallel = 3;                             // k candidates per round
  std::chrono::milliseconds poll_interval{5000};        // between status polls
  std::function<void(std::chrono::milliseconds)> sleep; // nullptr: this_thread::sleep_for
};

// The CI conclusion's verdict: success good, failure bad, anything else skip.
Verdict verdict_from_conclusion(const std::string& conclusion);

// The CI strategy loop: each round dispatches choose_batch(k) candidates (no
// artifacts needed: CI builds them), polls until all conclude, records the
// verdicts and saves. Returns the final action. Throws like run_local.
Action run_ci(Session& session,
              CiDispatcher& dispatcher,
              const std::function<void(const Session&)>& save,
              const CiOptions& options);

} // namespace rockart::bisect
