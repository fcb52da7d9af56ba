// SPDX-License-Identifier: MIT
#include "find_common.hpp"

#include "environment.hpp"

#include <rockart/error.hpp>
#include <rockart/github/auth.hpp>
#include <rockart/s3/errors.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/redact.hpp>
#include <rockart/util/strings.hpp>

#include <atomic>
#include <iostream>

namespace rockart::cli {

namespace {

layout::BucketInputs bucket_inputs(const FindFlags& flags) {
  layout::BucketOverrides overrides;
  overrides.repository = flags.repo;
  overrides.bucket = flags.bucket;
  // Each run's own facts replace this placeholder (no env fork detection).
  overrides.run = layout::WorkflowRunFacts{};
  return layout::bucket_inputs_from_environment(overrides, process_env, read_whole_file);
}

} // namespace

// Counts GitHub requests on their way to the real transport (--stats).
struct FindSession::CountingTransport final : http::Transport {
  explicit CountingTransport(http::Transport& wrapped) : inner(wrapped) {}

  http::Response perform(const http::Request& request) override {
    ++count;
    return inner.perform(request);
  }

  http::Transport& inner;
  std::atomic<std::uint64_t> count{0};
};

// Refuses every request: with --offline nothing may reach GitHub. A usage
// error, so the client neither retries nor waits.
struct FindSession::OfflineTransport final : http::Transport {
  http::Response perform(const http::Request& request) override {
    throw UsageError("offline: this needs GitHub (" + request.method + " "
                         + util::redact_url(request.url) + "), which --offline forbids",
                     "run it without --offline (abbreviated SHAs, refs and branch searches "
                     "always ask GitHub)");
  }
};

github::CommandResult run_git(const std::vector<std::string>& argv) {
  return github::run_command(argv);
}

void add_find_flags(CLI::App& c, FindFlags& f) {
  c.add_option("--repo", f.repo, "Repository whose runs are queried (owner/repo)")
      ->capture_default_str();
  c.add_option("--workflow",
               f.workflow,
               "Workflow file (default per repository; ROCm/TheRock: multi_arch_ci.yml, then "
               "ci.yml when it has no runs)");
  c.add_option("--platform", f.platform, "linux or windows (default: the host)");
  c.add_option("--artifact-group", f.groups, "One or more artifact groups, e.g. gfx94X-dcgpu")
      ->required()
      ->expected(1, -1);
  c.add_option("--amdgpu-target", f.targets, "Extra target (repeatable; one group only)");
  c.add_option("--require-artifact", f.required, "Regex that must match a selected archive");
  c.add_flag("--require-single-run", f.single_run, "All groups must come from one run");
  c.add_flag("--require-successful-run",
             f.successful_run,
             "Only inspect runs that completed with success");
  c.add_option("--bucket", f.bucket, "Read from this bucket (bypasses bucket selection)");
  c.add_flag("--json", f.json, "JSON on stdout");
  c.add_flag("--stats", f.stats, "Print the number of GitHub and S3 requests to stderr");
  c.add_flag("--wait-on-rate-limit",
             f.wait_on_rate_limit,
             "Sleep until a GitHub rate limit resets instead of failing");
  add_s3_options(c, f.s3);
  f.run_store = true;
  add_cache_options(c, f.cache);
  c.add_flag("--offline",
             f.offline,
             "Answer from the cache alone (no GitHub or S3 request); fail naming what is "
             "missing");
}

FindSession::FindSession(FindFlags flags, cache::Cache* shared_cache) : m_flags(std::move(flags)) {
  if (m_flags.platform.empty()) {
    m_flags.platform = host_ci_platform();
  }
  github::FindOptions options;
  options.platform = m_flags.platform;
  options.groups = m_flags.groups;
  options.targets = m_flags.targets;
  options.required_patterns = m_flags.required;
  options.require_single_run = m_flags.single_run;
  options.require_successful_run = m_flags.successful_run;
  options.bucket_inputs = bucket_inputs(m_flags);
  github::validate_find_options(options);

  make_github_client();
  m_s3 = std::make_unique<S3Session>(m_flags.s3);
  open_run_store(shared_cache);
  m_search =
      std::make_unique<github::ArtifactSearch>(*m_github,
                                               m_flags.repo,
                                               m_flags.workflow,
                                               options,
                                               make_run_lister(*m_s3, m_cache, m_flags.offline),
                                               m_runs.get());
}

void FindSession::make_github_client() {
  github::ClientOptions client_options;
  client_options.base_url =
      process_env("GITHUB_API_URL").value_or(std::string(github::k_default_api_url));
  client_options.user_agent = std::string("therock-ci-outputs/") + ROCKART_VERSION;
  client_options.wait_on_rate_limit = m_flags.wait_on_rate_limit;
  if (m_flags.offline) {
    m_base = std::make_unique<OfflineTransport>();
  } else {
    const auto auth = github::resolve_auth(process_env, [](const std::vector<std::string>& argv) {
      return github::run_command(argv);
    });
    if (!auth.authenticated()) {
      util::log_warn(github::unauthenticated_warning());
    } else {
      util::log_debug("GitHub token from " + auth.source);
    }
    client_options.token = auth.token;
    m_base = std::make_unique<http::CurlTransport>();
  }
  m_counting = std::make_unique<CountingTransport>(*m_base);
  m_github = std::make_unique<github::Client>(*m_counting, m_sleeper, client_options);
}

// Issue 6: runs, commit answers and listings through the cache index.
void FindSession::open_run_store(cache::Cache* shared_cache) {
  if (!m_flags.run_store) {
    return;
  }
  if (m_flags.offline && m_flags.cache.no_cache) {
    throw UsageError("--offline needs the cache; drop --no-cache");
  }
  if (shared_cache != nullptr) {
    m_cache = shared_cache;
  } else if ((m_own_cache = open_cache(m_flags.cache))) {
    m_cache = &*m_own_cache;
  }
  if (m_cache == nullptr) {
    return; // --no-cache: straight to the API
  }
  m_store = std::make_unique<IndexRunStore>(m_cache->index());
  m_api_runs = std::make_unique<github::ApiRunSource>(*m_github);
  m_runs = std::make_unique<github::StoreFirstRunSource>(
      *m_store, m_flags.offline ? nullptr : m_api_runs.get());
}

FindSession::~FindSession() = default;

void FindSession::print_stats() const {
  if (m_flags.stats) {
    std::cerr << "rockart: stats: github requests: " << m_counting->count.load()
              << ", s3 requests: " << m_s3->requests() << "\n";
  }
}

int FindSession::report(const github::CommitSearch& found, const std::string& scope) {
  for (const auto& warning : found.outcome.warnings) {
    util::log_warn(warning);
  }
  if (found.outcome.results.empty()) {
    util::log_error("no matching artifacts found for " + scope + " (platform " + m_flags.platform
                    + ", artifact groups " + util::join(m_flags.groups, ", ") + ")");
    for (const auto& line : found.outcome.rejections) {
      util::log_info("  " + line);
    }
    return static_cast<int>(ExitCode::not_found);
  }
  if (!found.outcome.missing_groups.empty()) {
    util::log_warn("no artifacts found for group(s) "
                   + util::join(found.outcome.missing_groups, ", ") + " of " + scope);
  }
  const github::ReportContext context{
      m_flags.repo, found.sha, m_flags.platform, found.workflow, m_flags.targets, m_flags.required};
  if (m_flags.json) {
    print_out(github::report_json(found.outcome, context).dump(2) + "\n");
  } else {
    print_out(github::format_human(found.outcome, context));
  }
  return static_cast<int>(ExitCode::success);
}

} // namespace rockart::cli
