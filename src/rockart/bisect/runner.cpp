// SPDX-License-Identifier: MIT
// The pure half of the test-command contract: CMD's environment and PATH lookup.
#include <rockart/bisect/runner.hpp>
#include <rockart/error.hpp>
#include <rockart/util/strings.hpp>

#include <unistd.h>

extern char** environ; // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace rockart::bisect {
namespace {

std::string prepend_entry(const std::string& entry, const Environment& env, const char* name) {
  const auto it = env.find(name);
  if (it == env.end() || it->second.empty()) {
    // An empty element would mean "the current directory" in PATH.
    return entry;
  }
  return entry + ":" + it->second;
}

} // namespace

std::optional<Verdict> verdict_from_outcome(TestOutcome outcome) {
  switch (outcome) {
  case TestOutcome::good:
    return Verdict::good;
  case TestOutcome::bad:
    return Verdict::bad;
  case TestOutcome::skip:
    return Verdict::skip;
  case TestOutcome::abort:
    break;
  }
  return std::nullopt;
}

Environment parse_environment(const std::vector<std::string>& entries) {
  Environment env;
  for (const auto& entry : entries) {
    const auto eq = entry.find('=');
    if (eq != std::string::npos && eq > 0) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

Environment process_environment() {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    entries.emplace_back(*entry);
  }
  return parse_environment(entries);
}

Environment build_test_environment(const Environment& base, const TestContext& context) {
  Environment env = base;
  const std::string tree = context.artifacts_dir.string();
  env["ROCKART_COMMIT"] = context.commit;
  if (context.run_id) {
    env["ROCKART_RUN_ID"] = std::to_string(*context.run_id);
  } else {
    env.erase("ROCKART_RUN_ID"); // never leak a stale id from the caller's environment
  }
  env["ROCKART_ARTIFACTS_DIR"] = tree;
  env["ROCM_PATH"] = tree;
  env["PATH"] = prepend_entry((context.artifacts_dir / "bin").string(), base, "PATH");
  env["LD_LIBRARY_PATH"] =
      prepend_entry((context.artifacts_dir / "lib").string(), base, "LD_LIBRARY_PATH");
  return env;
}

std::filesystem::path resolve_command(const std::string& command, const std::string& path_value) {
  if (command.empty()) {
    throw UsageError("the test command is empty", "give it after `--`: rockart bisect run -- CMD");
  }
  if (command.find('/') != std::string::npos) {
    return command;
  }
  for (const auto& dir : util::split(path_value, ':')) {
    if (dir.empty()) {
      continue;
    }
    auto candidate = std::filesystem::path(dir) / command;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  throw UsageError("test command '" + command + "' was not found in PATH (" + path_value + ")",
                   "give a path to the program, or check that the artifacts provide it");
}

} // namespace rockart::bisect
