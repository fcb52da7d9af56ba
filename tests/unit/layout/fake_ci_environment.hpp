// SPDX-License-Identifier: MIT
// A fake environment and file system for the layout bucket tests: records every
// variable and file read so tests can assert that nothing was read.
#pragma once

#include <rockart/layout/bucket.hpp>
#include <rockart/layout/ci_environment.hpp>
#include <rockart/util/env.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rockart::layout::fakes {

using Env = std::map<std::string, std::string>;
using Files = std::map<std::string, std::string>;

inline constexpr const char* k_event = "/fake/event.json";
inline constexpr const char* k_fork_payload = R"({"pull_request":{"head":{"repo":{"fork":true}}}})";
inline constexpr const char* k_same_payload =
    R"({"pull_request":{"head":{"repo":{"fork":false}}}})";

// Fakes that record what was read, so tests can assert "nothing was read".
struct FakeSystem {
  Env env;
  Files files;
  std::vector<std::string> env_reads;
  std::vector<std::string> file_reads;

  util::EnvLookup lookup() {
    return [this](std::string_view name) -> std::optional<std::string> {
      env_reads.emplace_back(name);
      const auto it = env.find(std::string(name));
      return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  util::FileReader reader() {
    return [this](const std::string& path) -> std::optional<std::string> {
      file_reads.push_back(path);
      const auto it = files.find(path);
      return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }

  BucketDecision select(const BucketOverrides& overrides = {}) {
    return select_bucket(bucket_inputs_from_environment(overrides, lookup(), reader()));
  }
};

inline Env pr_env(const char* repo) {
  return {{"GITHUB_REPOSITORY", repo},
          {"GITHUB_EVENT_NAME", "pull_request"},
          {"GITHUB_EVENT_PATH", k_event}};
}

inline Env with(Env env, const std::string& key, const std::string& value) {
  env[key] = value;
  return env;
}

inline BucketOverrides run(const char* repo,
                           std::optional<std::string> head,
                           std::optional<std::string> updated_at,
                           const char* type = "ci") {
  BucketOverrides o;
  o.repository = repo;
  o.release_type = type;
  o.run = WorkflowRunFacts{std::move(head), std::move(updated_at)};
  return o;
}

} // namespace rockart::layout::fakes
