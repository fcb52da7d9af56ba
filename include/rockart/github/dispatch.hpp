// SPDX-License-Identifier: MIT
// Triggering a workflow_dispatch run and watching it,
// the GitHub half of the CI-orchestrated bisect strategy.
#pragma once

#include <rockart/github/client.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace rockart::github {

// One POST …/actions/workflows/{workflow}/dispatches.
struct DispatchRequest {
  std::string repo;                          // owner/repo hosting the workflow
  std::string workflow;                      // file name (e.g. therock-ci.yml) or numeric id
  std::string ref;                           // branch or tag the run starts from
  std::map<std::string, std::string> inputs; // workflow_dispatch inputs (strings)
};

// The run GitHub created for a dispatch.
struct DispatchedWorkflowRun {
  std::uint64_t run_id = 0;
  std::string html_url; // "" when GitHub did not say
};

// The request body: {"ref", "inputs", "return_run_details": true}.
nlohmann::json dispatch_body(const DispatchRequest& request);

// Sends the dispatch (never retried) and returns the new run from GitHub's
// 200 answer. Throws GitHub's errors (422 names the bad ref or input), or
// RemoteError when the answer has no workflow_run_id (a 204 from a server
// without return_run_details).
DispatchedWorkflowRun dispatch_workflow(Client& client, const DispatchRequest& request);

// The conclusion of run `run_id` once it is completed ("success", "failure",
// "cancelled", …), nullopt while queued or in progress. One GET of the run.
std::optional<std::string>
run_conclusion(Client& client, const std::string& repo, std::uint64_t run_id);

} // namespace rockart::github
