// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/search.hpp>
#include <rockart/layout/ci_environment.hpp>
#include <rockart/runs/session.hpp>
#include <rockart/util/file.hpp>

namespace rockart::runs {

Session::Session(const util::EnvLookup& env,
                 const github::CommandRunner& run,
                 const SessionOptions& options,
                 cache::Cache* cache)
    : m_env(env), m_run(run), m_github(env, run, {options.offline, options.wait_on_rate_limit}),
      m_s3(env, options.s3, options.s3_client), m_objects(m_s3.client()), m_api(m_github.client()),
      m_catalog({m_api, m_objects, cache, options.offline}) {}

layout::BucketInputs Session::bucket_inputs(layout::BucketOverrides overrides) const {
  // Each run's own facts replace this placeholder, so the environment's fork
  // signals (which describe the current job, not the run asked about) are not read.
  overrides.run = layout::WorkflowRunFacts{};
  return layout::bucket_inputs_from_environment(overrides, m_env, util::read_file);
}

Run Session::resolve(const RunQuestion& question) {
  if (!question.run_id && !question.group) {
    throw UsageError("--commit needs --artifact-group (the group whose run is looked up)");
  }
  auto overrides = question.overrides;
  if (!overrides.repository) {
    overrides.repository = question.repo;
  }
  auto inputs = bucket_inputs(std::move(overrides));
  if (question.run_id) {
    return m_catalog.by_id({question.repo, *question.run_id, question.platform, std::move(inputs)});
  }
  return resolve_by_commit(question, std::move(inputs));
}

Run Session::resolve_by_commit(const RunQuestion& question, layout::BucketInputs inputs) {
  github::FindOptions options;
  options.platform = question.platform;
  options.groups = {*question.group};
  options.targets = question.targets;
  options.bucket_inputs = std::move(inputs);
  auto search = m_catalog.search(github(), question.repo, question.workflow, options);
  const auto sha = github::resolve_commit(question.commit, question.repo, github(), m_run);
  std::string why_not;
  if (auto run = run_for_commit(search, sha, why_not)) {
    return *run;
  }
  throw NotFoundError("no run of " + question.repo + " for commit " + sha
                          + " holds artifacts of group " + *question.group + " (platform "
                          + question.platform + ")" + (why_not.empty() ? "" : ": " + why_not),
                      "the nearest ancestor that has them: `rockart find --commit " + sha
                          + " --artifact-group " + *question.group
                          + " --fallback-ancestors 20`; another workflow: --workflow W; a "
                            "rocm-libraries or rocm-systems run: --run-github-repo");
}

} // namespace rockart::runs
