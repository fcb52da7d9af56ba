// SPDX-License-Identifier: MIT
// `rockart latest` (= TheRock's find_latest_artifacts.py): the newest commit
// of a branch (or one ref, or one run) whose runs hold every group.
#include "cli.hpp"
#include "find_common.hpp"

#include <rockart/error.hpp>
#include <rockart/util/log.hpp>

#include <memory>

namespace rockart::cli {

namespace {

struct LatestCommand {
  FindFlags flags;
  std::string branch = "main";
  std::optional<std::string> ref;
  int max_commits = 50;
};

int search_branch(FindSession& session, const LatestCommand& command) {
  const std::string scope = "last " + std::to_string(command.max_commits) + " commits on "
                            + command.flags.repo + "/" + command.branch;
  const auto found = session.search().latest_on_branch(command.branch, command.max_commits);
  return session.report(found.value_or(github::CommitSearch{}), scope);
}

int run_latest(LatestCommand& command, ActionsReport& actions) {
  FindSession session(command.flags, &actions);
  return session.run_with_stats([&] {
    if (command.flags.run_id) {
      const auto found = session.search().run(*command.flags.run_id);
      return session.report(found, "workflow run " + std::to_string(*command.flags.run_id));
    }
    if (command.ref) {
      return session.report(session.search().at_ref(*command.ref), "ref " + *command.ref);
    }
    return search_branch(session, command);
  });
}

} // namespace

void register_latest(CLI::App& app, Context& context) {
  auto command = std::make_shared<LatestCommand>();
  auto* sub = app.add_subcommand(
      "latest",
      "Find the newest commit of a branch whose runs hold artifacts of every given "
      "group (find_latest_artifacts.py). Exit 0 found, 1 not found, 2 error.");
  auto* branch =
      sub->add_option("--branch", command->branch, "Branch to search")->capture_default_str();
  auto* ref = sub->add_option("--ref", command->ref, "Inspect only this ref (branch, tag, SHA)");
  auto* run_id = sub->add_option("--run-id", command->flags.run_id, "Inspect exactly this run");
  branch->excludes(ref)->excludes(run_id);
  ref->excludes(run_id);
  sub->add_option("--max-commits", command->max_commits, "Commits of the branch to inspect")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  add_find_flags(*sub, command->flags);
  sub->callback([command, &context] {
    ActionsReport actions("latest", command->flags.github_output);
    context.exit_code = actions.run([&] { return run_latest(*command, actions); });
  });
}

} // namespace rockart::cli
