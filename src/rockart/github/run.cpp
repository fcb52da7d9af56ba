// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/run.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace rockart::github {

namespace {

using nlohmann::json;

[[noreturn]] void malformed(std::string_view source, const std::string& what) {
  throw RemoteError(
      "malformed GitHub API data from " + std::string(source) + ": " + what, 200, "MalformedData");
}

std::optional<std::string> opt_string(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::string string_or_empty(const json& object, const char* key) {
  return opt_string(object, key).value_or("");
}

// `object[key].full_name`, nullopt when the member is null or missing.
std::optional<std::string> full_name(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_object()) {
    return std::nullopt;
  }
  return opt_string(*it, "full_name");
}

} // namespace

bool WorkflowRun::successful() const {
  return status == "completed" && conclusion == "success";
}

WorkflowRun parse_workflow_run(const json& object, std::string_view source) {
  if (!object.is_object()) {
    malformed(source, "a workflow run is not a JSON object");
  }
  const auto id = object.find("id");
  if (id == object.end() || !id->is_number_unsigned() || id->get<std::uint64_t>() == 0) {
    malformed(source, "a workflow run has no numeric `id`");
  }
  WorkflowRun run;
  run.id = id->get<std::uint64_t>();
  if (const auto attempt = object.find("run_attempt");
      attempt != object.end() && attempt->is_number_integer()) {
    run.run_attempt = attempt->get<std::int64_t>();
  }
  run.head_sha = string_or_empty(object, "head_sha");
  run.head_branch = opt_string(object, "head_branch");
  run.head_repository = full_name(object, "head_repository");
  run.repository = full_name(object, "repository");
  run.status = opt_string(object, "status");
  run.conclusion = opt_string(object, "conclusion");
  run.html_url = string_or_empty(object, "html_url");
  run.path = string_or_empty(object, "path");
  run.name = string_or_empty(object, "name");
  run.event = string_or_empty(object, "event");
  run.created_at = opt_string(object, "created_at");
  run.updated_at = opt_string(object, "updated_at");
  run.run_started_at = opt_string(object, "run_started_at");
  return run;
}

json workflow_run_to_json(const WorkflowRun& run) {
  const auto optional = [](const std::optional<std::string>& value) {
    return value ? json(*value) : json(nullptr);
  };
  const auto named = [](const std::optional<std::string>& full_name) {
    return full_name ? json{{"full_name", *full_name}} : json(nullptr);
  };
  json object = {{"id", run.id},
                 {"run_attempt", run.run_attempt ? json(*run.run_attempt) : json(nullptr)},
                 {"head_sha", run.head_sha},
                 {"head_branch", optional(run.head_branch)},
                 {"head_repository", named(run.head_repository)},
                 {"repository", named(run.repository)},
                 {"status", optional(run.status)},
                 {"conclusion", optional(run.conclusion)},
                 {"html_url", run.html_url},
                 {"path", run.path},
                 {"name", run.name},
                 {"event", run.event},
                 {"created_at", optional(run.created_at)},
                 {"updated_at", optional(run.updated_at)},
                 {"run_started_at", optional(run.run_started_at)}};
  return object;
}

std::vector<WorkflowRun> parse_workflow_runs(const json& object, std::string_view source) {
  if (!object.is_object() || !object.contains("workflow_runs")
      || !object["workflow_runs"].is_array()) {
    malformed(source, "the response has no `workflow_runs` array");
  }
  const json& runs = object["workflow_runs"];
  std::vector<WorkflowRun> result;
  result.reserve(runs.size());
  for (const json& run : runs) {
    result.push_back(parse_workflow_run(run, source));
  }
  return result;
}

Commit parse_commit(const json& object, std::string_view source) {
  const auto sha = object.is_object() ? opt_string(object, "sha") : std::nullopt;
  if (!sha || sha->empty()) {
    malformed(source, "a commit has no `sha`");
  }
  Commit commit{*sha, {}};
  if (object.contains("parents") && object["parents"].is_array()) {
    const json& parents = object["parents"];
    for (const json& parent : parents) {
      if (parent.is_object()) {
        if (auto parent_sha = opt_string(parent, "sha")) {
          commit.parents.push_back(*parent_sha);
        }
      }
    }
  }
  return commit;
}

void sort_newest_first(std::vector<WorkflowRun>& runs) {
  // ISO-8601 UTC strings of one format sort lexicographically.
  std::stable_sort(runs.begin(), runs.end(), [](const WorkflowRun& a, const WorkflowRun& b) {
    if (a.created_at.has_value() != b.created_at.has_value()) {
      return a.created_at.has_value();
    }
    if (a.created_at && *a.created_at != *b.created_at) {
      return *a.created_at > *b.created_at;
    }
    return a.id > b.id;
  });
}

bool is_full_sha(std::string_view text) {
  return text.size() == 40 && std::all_of(text.begin(), text.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) != 0;
         });
}

} // namespace rockart::github
