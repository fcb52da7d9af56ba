// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/dispatch.hpp>

namespace rockart::github {

nlohmann::json dispatch_body(const DispatchRequest& request) {
  nlohmann::json inputs = nlohmann::json::object();
  for (const auto& [name, value] : request.inputs) {
    inputs[name] = value;
  }
  return {{"ref", request.ref}, {"inputs", inputs}, {"return_run_details", true}};
}

DispatchedWorkflowRun dispatch_workflow(Client& client, const DispatchRequest& request) {
  const std::string path =
      "/repos/" + request.repo + "/actions/workflows/" + request.workflow + "/dispatches";
  const RequestSubject subject{"workflow '" + request.workflow + "' of repository " + request.repo};
  const auto answer = client.post(path, dispatch_body(request), subject);
  const auto id = answer.find("workflow_run_id");
  if (id == answer.end() || !id->is_number_unsigned()) {
    throw RemoteError("GitHub accepted the dispatch of " + request.workflow + " in " + request.repo
                          + " (ref " + request.ref
                          + ") but returned no workflow_run_id; this server does not support "
                            "return_run_details, so the run cannot be followed",
                      200,
                      "NoRunDetails");
  }
  DispatchedWorkflowRun run;
  run.run_id = id->get<std::uint64_t>();
  run.html_url = answer.value("html_url", std::string());
  return run;
}

std::optional<std::string>
run_conclusion(Client& client, const std::string& repo, std::uint64_t run_id) {
  const WorkflowRun run = client.get_run(repo, run_id);
  if (run.status.value_or("") != "completed") {
    return std::nullopt;
  }
  return run.conclusion.value_or("");
}

} // namespace rockart::github
