// SPDX-License-Identifier: MIT
// The real CiDispatcher of the CI strategy: one
// workflow_dispatch run per candidate commit, followed through the runs API.
#pragma once

#include <rockart/bisect/driver.hpp>
#include <rockart/github/dispatch.hpp>

#include <map>
#include <string>
#include <vector>

namespace rockart::bisect {

// Where and how candidates are dispatched. In `ref` and every input value,
// "{sha}" stands for the candidate's full SHA (e.g. ref
// "bisect/rocm-systems-{sha}", or an input "commit={sha}").
struct CiDispatchConfig {
  std::string repo;     // owner/repo hosting the workflow
  std::string workflow; // workflow file name or id
  std::string ref;
  std::map<std::string, std::string> inputs;
};

// The workflow inputs of `NAME=VALUE` words (`VALUE` may hold "{sha}"). Throws
// UsageError naming a word without '=' or with an empty name.
std::map<std::string, std::string> parse_dispatch_inputs(const std::vector<std::string>& words);

// The dispatch request for candidate `sha` ({sha} substituted).
github::DispatchRequest dispatch_request_for(const CiDispatchConfig& config,
                                             const std::string& sha);

// Dispatches through `client` (which must hold a token with actions:write).
class GithubCiDispatcher final : public CiDispatcher {
public:
  // `client` must outlive the dispatcher.
  GithubCiDispatcher(github::Client& client, CiDispatchConfig config);

  DispatchedRun dispatch(const SessionCommit& commit) override;
  std::optional<std::string> conclusion(std::int64_t run_id) override;

private:
  github::Client& m_client;
  CiDispatchConfig m_config;
};

} // namespace rockart::bisect
