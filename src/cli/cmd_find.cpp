// SPDX-License-Identifier: MIT
// `rockart find` (= find_artifacts_for_commit.py): which
// workflow runs built a commit and hold the requested groups' artifacts; with
// --fallback-ancestors, the nearest first-parent ancestor that has them all.
#include "cli.hpp"
#include "find_common.hpp"

#include <rockart/error.hpp>
#include <rockart/github/command.hpp>
#include <rockart/util/log.hpp>

#include <memory>

namespace rockart::cli {

namespace {

struct FindCommand {
  FindFlags flags;
  std::string commit;
  std::optional<int> fallback_ancestors;
};

// Baseline mode: X, then first-parent ancestors until one has every group.
int run_baseline(FindSession& session,
                 const std::string& sha,
                 int max_ancestors,
                 ActionsReport& actions) {
  std::vector<github::CommitSearch> rejected;
  auto found = session.search().with_ancestors(sha, max_ancestors, rejected);
  if (!found) {
    for (const auto& r : rejected) {
      util::log_info("  " + r.sha.substr(0, 12) + ": " + r.rejection());
    }
    const std::string message = "no commit among " + sha + " and its "
                                + std::to_string(max_ancestors)
                                + " first-parent ancestor(s) has artifacts for every requested "
                                  "group";
    util::log_error(message);
    actions.output("found", "false");
    actions.error("not found", message);
    return static_cast<int>(ExitCode::not_found);
  }
  if (!rejected.empty()) {
    util::log_warn("fell back from commit " + sha + " to its first-parent ancestor " + found->sha
                   + " (" + std::to_string(rejected.size()) + " commit(s) back); closer commits "
                   + "were rejected:");
    for (const auto& r : rejected) {
      util::log_warn("  " + r.sha + ": " + r.rejection());
    }
  }
  return session.report(*found, "commit " + found->sha);
}

int run_find(FindCommand& command, ActionsReport& actions) {
  FindSession session(command.flags, &actions);
  return session.run_with_stats([&] {
    if (command.flags.run_id) {
      const auto found = session.search().run(*command.flags.run_id);
      return session.report(found, "run " + std::to_string(*command.flags.run_id));
    }
    const auto sha = github::resolve_commit(
        command.commit, command.flags.repo, session.github(), github::run_process);
    if (command.fallback_ancestors) {
      return run_baseline(session, sha, *command.fallback_ancestors, actions);
    }
    return session.report(session.search().commit(sha), "commit " + sha);
  });
}

} // namespace

void register_find(CLI::App& app, Context& context) {
  auto command = std::make_shared<FindCommand>();
  auto* sub = app.add_subcommand(
      "find",
      "Find the workflow runs of a commit that hold artifacts of the given groups "
      "(find_artifacts_for_commit.py). Exit 0 found, 1 not found, 2 error.");
  auto* commit = sub->add_option(
      "--commit", command->commit, "Commit SHA (full or abbreviated) or ref to inspect");
  auto* run_id = sub->add_option("--run-id", command->flags.run_id, "Inspect exactly this run");
  commit->excludes(run_id);
  sub->add_option("--fallback-ancestors",
                  command->fallback_ancestors,
                  "If the commit lacks any group, walk up to N first-parent ancestors")
      ->check(CLI::Range(1, 1000))
      ->excludes(run_id);
  add_find_flags(*sub, command->flags);
  sub->callback([command, &context, commit, run_id] {
    if (commit->count() == 0 && run_id->count() == 0) {
      throw UsageError("one of --commit or --run-id is required");
    }
    ActionsReport actions("find", command->flags.github_output);
    context.exit_code = actions.run([&] { return run_find(*command, actions); });
  });
}

} // namespace rockart::cli
