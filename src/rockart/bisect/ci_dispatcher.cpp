// SPDX-License-Identifier: MIT
#include <rockart/bisect/ci_dispatcher.hpp>
#include <rockart/error.hpp>

namespace rockart::bisect {

namespace {

std::string substitute_sha(std::string text, const std::string& sha) {
  static const std::string k_placeholder = "{sha}";
  for (auto pos = text.find(k_placeholder); pos != std::string::npos;
       pos = text.find(k_placeholder, pos + sha.size())) {
    text.replace(pos, k_placeholder.size(), sha);
  }
  return text;
}

} // namespace

std::map<std::string, std::string> parse_dispatch_inputs(const std::vector<std::string>& words) {
  std::map<std::string, std::string> inputs;
  for (const auto& word : words) {
    const auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UsageError("--dispatch-input '" + word + "' is not NAME=VALUE",
                       "e.g. --dispatch-input 'commit={sha}'");
    }
    inputs[word.substr(0, eq)] = word.substr(eq + 1);
  }
  return inputs;
}

github::DispatchRequest dispatch_request_for(const CiDispatchConfig& config,
                                             const std::string& sha) {
  github::DispatchRequest request;
  request.repo = config.repo;
  request.workflow = config.workflow;
  request.ref = substitute_sha(config.ref, sha);
  for (const auto& [name, value] : config.inputs) {
    request.inputs[name] = substitute_sha(value, sha);
  }
  return request;
}

GithubCiDispatcher::GithubCiDispatcher(github::Client& client, CiDispatchConfig config)
    : m_client(client), m_config(std::move(config)) {}

DispatchedRun GithubCiDispatcher::dispatch(const SessionCommit& commit) {
  const auto run = github::dispatch_workflow(m_client, dispatch_request_for(m_config, commit.sha));
  return {static_cast<std::int64_t>(run.run_id), run.html_url};
}

std::optional<std::string> GithubCiDispatcher::conclusion(std::int64_t run_id) {
  return github::run_conclusion(m_client, m_config.repo, static_cast<std::uint64_t>(run_id));
}

} // namespace rockart::bisect
