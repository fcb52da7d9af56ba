// SPDX-License-Identifier: MIT
// The human and JSON forms of a find answer, as upstream's find tools print them.
#pragma once

#include <rockart/github/find.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace rockart::github {

// Facts every result block repeats.
struct ReportContext {
  std::string repository;
  std::string commit_sha;
  std::string platform;
  std::string workflow;
  std::vector<std::string> targets;
  std::vector<std::string> required_patterns;
};

// One JSON result object (all upstream keys plus workflow_run_attempt).
nlohmann::json result_json(const FindResult& result, const ReportContext& context);

// The JSON document: {missing_artifact_groups, results, status: "found"}.
nlohmann::json report_json(const FindOutcome& outcome, const ReportContext& context);

// "Artifact info:" blocks, each followed by one empty line; values start in column 24.
std::string format_human(const FindOutcome& outcome, const ReportContext& context);

} // namespace rockart::github
