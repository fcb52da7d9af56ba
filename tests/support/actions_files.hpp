// SPDX-License-Identifier: MIT
// What a GitHub Actions runner reads back from a step, for the e2e tests of
// --github-output: the $GITHUB_OUTPUT file parsed as the runner parses it,
// the `::error` workflow commands of a stderr decoded as the runner decodes
// them, and a temp directory with the files a runner hands a step.
#pragma once

#include "support/support.hpp"

#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockart::test {

// The (name, value) pairs of a $GITHUB_OUTPUT file in file order: `name=value`
// lines and `name<<DELIMITER` … `DELIMITER` blocks (lines joined by '\n');
// blank lines between entries are skipped, as the runner does. Throws
// std::runtime_error for a line that is neither or an unterminated block.
std::vector<std::pair<std::string, std::string>> parse_github_output(std::string_view text);

// The outputs as a map; throws std::runtime_error when a name repeats (the
// runner would keep the last, hiding a bug).
std::map<std::string, std::string> github_output_map(std::string_view text);

// One `::error` workflow command, with its title and message decoded.
struct WorkflowError {
  std::string title;
  std::string message;

  bool operator==(const WorkflowError&) const = default;
};

// For GoogleTest's messages: `{title} :: {message}`.
void PrintTo(const WorkflowError& error, std::ostream* out);

// Every `::error [props]::message` line of `stderr_text`, decoded (%25 %0D
// %0A, and %3A %2C in properties).
std::vector<WorkflowError> workflow_errors(std::string_view stderr_text);

// The files a runner gives a step: GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and
// RUNNER_TEMP (with its job_summary.md mirror) in one temp directory.
class ActionsFiles {
public:
  // The variables pointing at the files; `github_actions` adds GITHUB_ACTIONS=true.
  std::map<std::string, std::string> env(bool github_actions = true) const;

  std::filesystem::path output_path() const { return m_dir.path() / "github_output"; }

  std::filesystem::path summary_path() const { return m_dir.path() / "step_summary.md"; }

  // The file's content; "" when it was never written.
  std::string output() const;
  std::string summary() const;
  std::string summary_mirror() const;

  // True when none of the three files exists.
  bool untouched() const;

private:
  TempDir m_dir;
};

} // namespace rockart::test
