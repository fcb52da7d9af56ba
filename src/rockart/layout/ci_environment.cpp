// SPDX-License-Identifier: MIT
// Environment adapter for bucket selection: GITHUB_REPOSITORY, RELEASE_TYPE,
// GITHUB_EVENT_NAME/GITHUB_EVENT_PATH and IS_PR_FROM_FORK.
#include <rockart/error.hpp>
#include <rockart/layout/ci_environment.hpp>

#include <nlohmann/json.hpp>

namespace rockart::layout {

namespace {

// Python truthiness of a JSON value, as upstream applies `bool(...)` to the
// parsed payload: null, false, 0, "", [] and {} are false.
bool truthy(const nlohmann::json& value) {
  switch (value.type()) {
  case nlohmann::json::value_t::boolean:
    return value.get<bool>();
  case nlohmann::json::value_t::number_integer:
  case nlohmann::json::value_t::number_unsigned:
    return value.get<long long>() != 0;
  case nlohmann::json::value_t::number_float:
    return value.get<double>() != 0.0;
  case nlohmann::json::value_t::string:
    return !value.get_ref<const std::string&>().empty(); // json::empty() is false for strings
  case nlohmann::json::value_t::array:
  case nlohmann::json::value_t::object:
    return !value.empty();
  default:
    return false;
  }
}

// `pull_request.head.repo.fork` of `payload`; a missing or non-object level
// means "not a fork".
bool payload_says_fork(const nlohmann::json& payload) {
  const nlohmann::json* node = &payload;
  for (const char* key : {"pull_request", "head", "repo", "fork"}) {
    if (!node->is_object() || !node->contains(key)) {
      return false;
    }
    node = &(*node)[key];
  }
  return truthy(*node);
}

nlohmann::json read_event_payload(const std::string& path, const util::FileReader& read_file) {
  const std::string hint = "GITHUB_EVENT_PATH must name the JSON event payload GitHub Actions "
                           "writes; unset it outside CI";
  const auto text = read_file(path);
  if (!text) {
    throw ConfigError("cannot read the GitHub event payload GITHUB_EVENT_PATH=" + path
                          + ": the file is missing or unreadable",
                      hint);
  }
  nlohmann::json payload;
  try {
    payload = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    throw ConfigError("the GitHub event payload GITHUB_EVENT_PATH=" + path
                          + " is not valid JSON: " + e.what(),
                      hint);
  }
  if (!payload.is_object()) {
    throw ConfigError(
        "the GitHub event payload GITHUB_EVENT_PATH=" + path + " is not a JSON object", hint);
  }
  return payload;
}

// Newest upstream signal: only `pull_request` events can be fork PRs.
bool event_payload_fork(const util::EnvLookup& env,
                        const util::FileReader& read_file,
                        std::vector<std::string>& reasons) {
  const auto event = env("GITHUB_EVENT_NAME");
  if (event != "pull_request") {
    reasons.push_back(event ? "GITHUB_EVENT_NAME is " + *event
                                  + ", not pull_request, so the event payload is not consulted."
                            : "GITHUB_EVENT_NAME is unset, so the event payload is not consulted.");
    return false;
  }
  const auto path = env("GITHUB_EVENT_PATH");
  if (!path || path->empty()) {
    reasons.emplace_back("GITHUB_EVENT_NAME is pull_request but GITHUB_EVENT_PATH is unset, so the "
                         "event payload cannot mark a fork.");
    return false;
  }
  const bool fork = payload_says_fork(read_event_payload(*path, read_file));
  reasons.push_back(std::string("The pull_request event payload at ") + *path
                    + (fork ? " has a truthy pull_request.head.repo.fork."
                            : " does not mark the head repository as a fork."));
  return fork;
}

// Legacy signal (workflows set it from the PR's head.repo.fork): exactly the
// string `true`, nothing else.
bool legacy_variable_fork(const util::EnvLookup& env, std::vector<std::string>& reasons) {
  const auto value = env("IS_PR_FROM_FORK");
  const bool fork = value == "true";
  if (value) {
    reasons.push_back("IS_PR_FROM_FORK is '" + *value + "'"
                      + (fork ? ", which marks a fork pull request."
                              : ", which is not exactly 'true', so it does not mark a fork."));
  }
  return fork;
}

std::string resolve_repository(const BucketOverrides& overrides,
                               const util::EnvLookup& env,
                               std::vector<std::string>& provenance) {
  if (overrides.repository) {
    provenance.push_back("The repository " + *overrides.repository + " was given explicitly.");
    return *overrides.repository;
  }
  if (auto value = env("GITHUB_REPOSITORY")) {
    if (!parse_repository(*value)) {
      throw ConfigError("environment variable GITHUB_REPOSITORY: "
                            + invalid_repository_message(*value),
                        "fix or unset GITHUB_REPOSITORY, or pass --repo OWNER/REPO");
    }
    provenance.push_back("The repository " + *value + " comes from GITHUB_REPOSITORY.");
    return *value;
  }
  provenance.emplace_back("GITHUB_REPOSITORY is unset, so the default repository ROCm/TheRock "
                          "applies.");
  return "ROCm/TheRock";
}

std::string resolve_release_type(const BucketOverrides& overrides,
                                 const util::EnvLookup& env,
                                 std::vector<std::string>& provenance) {
  if (overrides.release_type) {
    provenance.push_back("The release type " + *overrides.release_type + " was given explicitly.");
    return *overrides.release_type;
  }
  if (auto value = env("RELEASE_TYPE")) {
    // Set-but-empty is an error, not "ci", as in newest upstream.
    if (!is_release_type(*value)) {
      throw ConfigError("environment variable RELEASE_TYPE: "
                            + invalid_release_type_message(*value),
                        "fix or unset RELEASE_TYPE (unset means ci), or pass --release-type");
    }
    provenance.push_back("The release type " + *value + " comes from RELEASE_TYPE.");
    return *value;
  }
  provenance.emplace_back("RELEASE_TYPE is unset, so the default release type ci applies.");
  return "ci";
}

} // namespace

bool fork_from_environment(const util::EnvLookup& env,
                           const util::FileReader& read_file,
                           std::vector<std::string>& reasons) {
  // Both signals are evaluated; either one suffices (in CI they normally agree).
  const bool from_event = event_payload_fork(env, read_file, reasons);
  const bool from_variable = legacy_variable_fork(env, reasons);
  return from_event || from_variable;
}

BucketInputs bucket_inputs_from_environment(const BucketOverrides& overrides,
                                            const util::EnvLookup& env,
                                            const util::FileReader& read_file) {
  BucketInputs inputs;
  if (overrides.bucket) {
    // An explicit bucket means no environment reads at all.
    inputs.bucket_override = overrides.bucket;
    inputs.repository = overrides.repository.value_or(inputs.repository);
    inputs.release_type = overrides.release_type.value_or(inputs.release_type);
    return inputs;
  }
  inputs.repository = resolve_repository(overrides, env, inputs.provenance);
  inputs.release_type = resolve_release_type(overrides, env, inputs.provenance);
  inputs.run = overrides.run;
  if (inputs.run && overrides.run_head_is_base) {
    inputs.run->head_repository = inputs.repository;
  }
  if (inputs.run) {
    inputs.provenance.emplace_back("A workflow run is in hand, so the fork flag comes from it.");
  } else if (overrides.fork) {
    inputs.fork = *overrides.fork;
    inputs.provenance.push_back(std::string("The fork flag was given explicitly (")
                                + (inputs.fork ? "fork" : "not a fork") + ").");
  } else {
    inputs.fork = fork_from_environment(env, read_file, inputs.provenance);
  }
  return inputs;
}

} // namespace rockart::layout
