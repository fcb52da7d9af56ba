// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/find.hpp>
#include <rockart/layout/artifact_pattern.hpp>
#include <rockart/layout/artifact_select.hpp>
#include <rockart/layout/bucket.hpp>
#include <rockart/util/strings.hpp>

#include <map>

namespace rockart::github {

namespace {

std::string describe_run(const WorkflowRun& run) {
  std::string text = "run " + std::to_string(run.id) + " (" + run.status.value_or("unknown");
  if (run.conclusion) {
    text += "/" + *run.conclusion;
  }
  return text + ")";
}

// Lists a run, turning a vanished legacy bucket (retention may have deleted it)
// into "no artifacts"; any other storage error propagates.
std::vector<std::string> list_or_warn(const RunStorage& storage,
                                      const WorkflowRun& run,
                                      const ListRunFiles& list,
                                      FindOutcome& outcome) {
  try {
    return list(storage);
  } catch (const NoSuchBucketError&) {
    if (!storage.legacy) {
      throw;
    }
    outcome.warnings.push_back("legacy bucket " + storage.bucket + " of run "
                               + std::to_string(run.id)
                               + " does not exist (legacy buckets may have been deleted by "
                                 "retention); treating the run as having no artifacts");
    return {};
  }
}

using GroupResults = std::map<std::string, FindResult, std::less<>>;

// Evaluates every still-needed group against one run's listing; appends why
// groups were rejected to `why`.
GroupResults evaluate_run(const WorkflowRun& run,
                          const RunStorage& storage,
                          const std::vector<std::string>& files,
                          const std::vector<std::string>& groups,
                          const FindOptions& options,
                          const std::vector<layout::ArtifactPattern>& patterns,
                          std::vector<std::string>& why) {
  GroupResults found;
  for (const auto& group : groups) {
    const auto eval = layout::evaluate_group_for_find(files, {group, options.targets}, patterns);
    if (eval.present) {
      found[group] = FindResult{group, run, storage, eval.selected};
    } else if (!eval.missing_patterns.empty()) {
      why.push_back(group + " lacks required " + util::join(eval.missing_patterns, ", "));
    } else {
      why.push_back(group + " absent");
    }
  }
  return found;
}

} // namespace

void validate_find_options(const FindOptions& options) {
  if (options.platform != "linux" && options.platform != "windows") {
    throw UsageError("invalid platform '" + options.platform + "': expected linux or windows");
  }
  layout::validate_find_groups(options.groups, options.targets);
  layout::compile_patterns(options.required_patterns, "required artifact pattern");
}

RunStorage storage_for_run(const WorkflowRun& run, const FindOptions& options) {
  auto inputs = options.bucket_inputs;
  inputs.run = layout::WorkflowRunFacts{run.head_repository, run.updated_at};
  const auto decision = layout::select_bucket(inputs);
  RunStorage storage;
  storage.bucket = decision.bucket;
  storage.external_repo = decision.external_repo;
  storage.path = decision.external_repo + std::to_string(run.id) + "-" + options.platform + "/";
  storage.legacy = decision.legacy;
  storage.run_completed = run.status == "completed";
  storage.warnings = decision.warnings;
  return storage;
}

FindOutcome find_in_runs(const std::vector<WorkflowRun>& runs_newest_first,
                         const FindOptions& options,
                         const ListRunFiles& list) {
  validate_find_options(options);
  const auto groups = layout::validate_find_groups(options.groups, options.targets);
  const auto patterns =
      layout::compile_patterns(options.required_patterns, "required artifact pattern");
  FindOutcome outcome;
  GroupResults found;
  for (const auto& run : runs_newest_first) {
    // The successful-run filter applies before any storage access.
    if (options.require_successful_run && !run.successful()) {
      outcome.rejections.push_back(describe_run(run) + ": skipped, not completed with success");
      continue;
    }
    const auto storage = storage_for_run(run, options);
    outcome.warnings.insert(
        outcome.warnings.end(), storage.warnings.begin(), storage.warnings.end());
    const auto files = list_or_warn(storage, run, list, outcome);
    ++outcome.runs_listed;
    std::vector<std::string> needed;
    for (const auto& group : groups) {
      // Accumulating mode: a newer run's result is never replaced.
      if (options.require_single_run || found.find(group) == found.end()) {
        needed.push_back(group);
      }
    }
    std::vector<std::string> why;
    auto here = evaluate_run(run, storage, files, needed, options, patterns, why);
    if (!why.empty()) {
      outcome.rejections.push_back(describe_run(run) + " at s3://" + storage.bucket + "/"
                                   + storage.path + ": " + util::join(why, "; "));
    }
    if (options.require_single_run) {
      if (here.size() == groups.size()) {
        found = std::move(here);
        break;
      }
      continue;
    }
    found.merge(here);
    if (found.size() == groups.size()) {
      break;
    }
  }
  for (const auto& group : options.groups) {
    if (const auto it = found.find(group); it != found.end()) {
      outcome.results.push_back(it->second);
    }
  }
  for (const auto& group : groups) {
    if (found.find(group) == found.end()) {
      outcome.missing_groups.push_back(group);
    }
  }
  return outcome;
}

std::vector<std::string> default_workflows(std::string_view typed) {
  const std::string repo = layout::canonical_repository(typed);
  if (repo == "ROCm/TheRock") {
    return {"multi_arch_ci.yml", "ci.yml"};
  }
  if (repo == "ROCm/rocm-libraries" || repo == "ROCm/rocm-systems") {
    return {"therock-ci.yml"};
  }
  return {"multi_arch_ci.yml"};
}

} // namespace rockart::github
