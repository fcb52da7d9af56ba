// SPDX-License-Identifier: MIT
#include <rockart/github/report.hpp>
#include <rockart/util/strings.hpp>

namespace rockart::github {

namespace {

std::string s3_index_url(const RunStorage& storage) {
  return "https://" + storage.bucket + ".s3.amazonaws.com/" + storage.path + "index.html";
}

// "  {label}:" padded so that the value starts in column 24.
void line(std::string& out, std::string_view label, std::string_view value) {
  std::string head = "  " + std::string(label) + ":";
  head.resize(std::max<size_t>(head.size() + 1, 23), ' ');
  out += head + std::string(value) + "\n";
}

} // namespace

nlohmann::json result_json(const FindResult& r, const ReportContext& c) {
  nlohmann::json j;
  j["amdgpu_targets"] = c.targets;
  j["artifact_filenames"] = r.artifacts;
  j["artifact_group"] = r.group;
  j["external_repo"] = r.storage.external_repo;
  j["git_commit_sha"] = c.commit_sha;
  j["git_commit_url"] = "https://github.com/" + c.repository + "/commit/" + c.commit_sha;
  j["github_repository_name"] = c.repository;
  // Always empty for a reported result: a missing pattern rejects the run.
  j["missing_required_artifact_patterns"] = nlohmann::json::array();
  j["platform"] = c.platform;
  j["required_artifact_patterns"] = c.required_patterns;
  j["s3_bucket"] = r.storage.bucket;
  j["s3_index_url"] = s3_index_url(r.storage);
  j["s3_path"] = r.storage.path;
  j["s3_uri"] = "s3://" + r.storage.bucket + "/" + r.storage.path;
  j["workflow_file_name"] = c.workflow;
  j["workflow_run_attempt"] =
      r.run.run_attempt ? nlohmann::json(*r.run.run_attempt) : nlohmann::json(nullptr);
  j["workflow_run_conclusion"] =
      r.run.conclusion ? nlohmann::json(*r.run.conclusion) : nlohmann::json(nullptr);
  j["workflow_run_html_url"] = r.run.html_url;
  j["workflow_run_id"] = std::to_string(r.run.id);
  j["workflow_run_status"] = r.run.status.value_or("unknown");
  return j;
}

nlohmann::json report_json(const FindOutcome& outcome, const ReportContext& context) {
  nlohmann::json doc;
  doc["missing_artifact_groups"] = outcome.missing_groups;
  doc["results"] = nlohmann::json::array();
  for (const auto& result : outcome.results) {
    doc["results"].push_back(result_json(result, context));
  }
  doc["status"] = "found";
  return doc;
}

std::string format_human(const FindOutcome& outcome, const ReportContext& c) {
  std::string out;
  for (const auto& r : outcome.results) {
    out += "Artifact info:\n";
    line(out, "Git repository", c.repository);
    line(out, "Git commit", c.commit_sha);
    line(out, "Git commit URL", "https://github.com/" + c.repository + "/commit/" + c.commit_sha);
    line(out, "Platform", c.platform);
    line(out, "Artifact group", r.group);
    if (!c.targets.empty()) {
      line(out, "AMDGPU targets", util::join(c.targets, ", "));
    }
    line(out, "Workflow name", c.workflow);
    line(out, "Workflow run ID", std::to_string(r.run.id));
    line(out, "Workflow run URL", r.run.html_url);
    const std::string status = r.run.status.value_or("unknown");
    line(out,
         "Workflow run status",
         r.run.conclusion ? status + " (" + *r.run.conclusion + ")" : status);
    line(out, "S3 Bucket", r.storage.bucket);
    line(out, "S3 Path", r.storage.path);
    line(out, "S3 Index", s3_index_url(r.storage));
    line(out, "Artifact count", std::to_string(r.artifacts.size()));
    if (!r.artifacts.empty()) {
      out += "  Artifacts:\n";
      for (const auto& name : r.artifacts) {
        out += "    " + name + "\n";
      }
    }
    out += "\n";
  }
  return out;
}

} // namespace rockart::github
