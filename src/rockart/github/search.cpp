// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/github/search.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace rockart::github {

namespace {

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// True when one of the current directory's git remotes is `repo`.
bool cwd_is_clone_of(std::string_view repo, const CommandRunner& git) {
  const auto remotes = git({"git", "config", "--get-regexp", R"(^remote\..*\.url$)"});
  if (!remotes.started || remotes.exit_code != 0) {
    return false;
  }
  for (const auto& entry : util::split(remotes.out, '\n')) {
    const auto space = entry.find(' ');
    if (space != std::string::npos && remote_url_matches(entry.substr(space + 1), repo)) {
      return true;
    }
  }
  return false;
}

// Local resolution of an abbreviation; nullopt when git cannot tell.
std::optional<std::string>
resolve_locally(const std::string& abbrev, std::string_view repo, const CommandRunner& git) {
  if (!cwd_is_clone_of(repo, git)) {
    return std::nullopt;
  }
  const auto result = git({"git", "rev-parse", "--verify", abbrev + "^{commit}"});
  const auto sha = util::to_lower(util::trim(result.out));
  if (result.started && result.exit_code == 0 && is_full_sha(sha)) {
    return sha;
  }
  if (result.err.find("ambiguous") != std::string::npos) {
    std::string candidates;
    for (const auto& l : util::split(result.err, '\n')) {
      if (l.starts_with("hint:   ")) {
        candidates += "\n  " + std::string(util::trim(l.substr(5)));
      }
    }
    throw UsageError("commit abbreviation '" + abbrev + "' is ambiguous in the local clone of "
                         + std::string(repo) + (candidates.empty() ? "" : "; candidates:")
                         + candidates,
                     "give more characters of the SHA");
  }
  return std::nullopt;
}

std::string workflow_basename(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

bool remote_url_matches(std::string_view url, std::string_view repo) {
  std::string text = util::to_lower(util::trim(url));
  if (text.ends_with(".git")) {
    text.resize(text.size() - 4);
  }
  while (!text.empty() && text.back() == '/') {
    text.pop_back();
  }
  const std::string want = util::to_lower(repo);
  if (!text.ends_with(want) || text.size() == want.size()) {
    return false;
  }
  const char before = text[text.size() - want.size() - 1];
  return before == '/' || before == ':';
}

std::string resolve_commit(std::string_view input,
                           std::string_view repo,
                           Client& client,
                           const CommandRunner& git) {
  const std::string c(util::trim(input));
  if (is_full_sha(c)) {
    return util::to_lower(c);
  }
  if (c.size() >= 4 && c.size() < 40 && is_hex(c)) {
    if (auto sha = resolve_locally(c, repo, git)) {
      return *sha;
    }
  }
  try {
    auto sha = util::to_lower(client.get_commit(repo, c).sha);
    util::log_info("resolved '" + c + "' to commit " + sha + " of " + std::string(repo));
    return sha;
  } catch (const RemoteError& e) {
    const bool ambiguous =
        e.status() == 409
        || (e.status() == 422 && util::to_lower(e.what()).find("ambiguous") != std::string::npos);
    if (ambiguous) {
      throw UsageError("commit abbreviation '" + c + "' is ambiguous in " + std::string(repo) + ": "
                           + e.what(),
                       "give more characters of the SHA");
    }
    if (e.status() == 404 || e.status() == 422) {
      throw UsageError("unknown commit or ref '" + c + "' in " + std::string(repo) + ": "
                           + e.what(),
                       "check the SHA, branch or tag and the --repo value");
    }
    throw;
  }
}

std::string CommitSearch::rejection() const {
  if (complete()) {
    return "";
  }
  if (runs_found == 0) {
    return "no runs of " + (workflows_asked.empty() ? workflow : util::join(workflows_asked, ", "));
  }
  std::string why = "missing " + util::join(outcome.missing_groups, ", ");
  if (!outcome.rejections.empty()) {
    why += " (" + util::join(outcome.rejections, "; ") + ")";
  }
  return why;
}

ArtifactSearch::ArtifactSearch(Client& client,
                               std::string repo,
                               std::string workflow,
                               FindOptions options,
                               ListRunFiles list,
                               RunSource* runs)
    : m_client(client), m_repo(std::move(repo)), m_workflow(std::move(workflow)),
      m_options(std::move(options)), m_list(std::move(list)), m_runs(runs) {
  validate_find_options(m_options);
  if (m_runs == nullptr) {
    m_api = std::make_unique<ApiRunSource>(m_client);
    m_runs = m_api.get();
  }
}

CommitSearch ArtifactSearch::commit(const std::string& sha) {
  const auto workflows =
      m_workflow.empty() ? default_workflows(m_repo) : std::vector<std::string>{m_workflow};
  CommitSearch search;
  search.sha = sha;
  std::vector<WorkflowRun> runs;
  std::vector<std::string> unanswered;
  for (const auto& workflow : workflows) {
    search.workflow = workflow;
    search.workflows_asked.push_back(workflow);
    std::optional<std::vector<WorkflowRun>> answer;
    try {
      answer = m_runs->runs_for_commit(m_repo, workflow, sha);
    } catch (const RemoteError& e) {
      // A repository need not have every default workflow (a fork, a fixture,
      // one renamed): a missing one is skipped; one the user named is an error.
      if (e.status() != 404 || !m_workflow.empty()) {
        throw;
      }
      util::log_info(m_repo + " has no workflow " + workflow + " (404); trying the next default");
      continue;
    }
    if (!answer) {
      unanswered.push_back(workflow);
      continue;
    }
    runs = std::move(*answer);
    // The next default is queried only when this one has no runs.
    if (!runs.empty()) {
      break;
    }
  }
  if (runs.empty() && !unanswered.empty()) {
    throw NotFoundError("offline: no cached runs of " + util::join(unanswered, ", ")
                            + " for commit " + sha + " of " + m_repo,
                        "run the same command once without --offline to fill the cache");
  }
  search.runs_found = static_cast<int>(runs.size());
  search.outcome = find_in_runs(runs, m_options, m_list);
  return search;
}

CommitSearch ArtifactSearch::run(std::uint64_t run_id) {
  const auto found = m_runs->get_run(m_repo, run_id);
  CommitSearch search;
  search.sha = found.head_sha;
  const auto basename = workflow_basename(found.path);
  const auto defaults = default_workflows(m_repo);
  search.workflow = !m_workflow.empty() ? m_workflow
                    : std::find(defaults.begin(), defaults.end(), basename) != defaults.end()
                        ? basename
                        : defaults.front();
  if (!basename.empty() && basename != search.workflow) {
    util::log_warn("run " + std::to_string(run_id) + " belongs to workflow " + basename + ", not "
                   + search.workflow);
  }
  search.runs_found = 1;
  auto options = m_options;
  options.require_single_run = true; // implied in run-id mode
  search.outcome = find_in_runs({found}, options, m_list);
  return search;
}

std::optional<CommitSearch> ArtifactSearch::latest(const std::vector<Commit>& commits) {
  const auto total = std::to_string(commits.size());
  for (size_t i = 0; i < commits.size(); ++i) {
    util::log_debug("[" + std::to_string(i + 1) + "/" + total + "] Checking "
                    + commits[i].sha.substr(0, 8) + "...");
    auto search = commit(commits[i].sha);
    const auto groups =
        std::to_string(search.outcome.results.size() + search.outcome.missing_groups.size());
    if (search.complete()) {
      std::vector<std::string> ids;
      for (const auto& result : search.outcome.results) {
        const auto id = std::to_string(result.run.id);
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
          ids.push_back(id);
        }
      }
      util::log_debug("  Found all " + groups + " group(s): run(s) " + util::join(ids, ", "));
      return search;
    }
    if (search.outcome.results.empty()) {
      util::log_debug("  No artifacts found: " + search.rejection());
    } else {
      std::vector<std::string> found;
      for (const auto& result : search.outcome.results) {
        found.push_back(result.group);
      }
      util::log_debug("  Partial: found " + util::join(found, ", ") + " (need all " + groups
                      + "): " + search.rejection());
    }
  }
  return std::nullopt;
}

std::optional<CommitSearch> ArtifactSearch::latest_on_branch(const std::string& branch,
                                                             int max_commits) {
  if (max_commits > 100) {
    util::log_warn("--max-commits " + std::to_string(max_commits)
                   + " is above GitHub's page size of 100: several pages will be requested");
  }
  const auto commits = m_client.list_commits(m_repo, branch, max_commits);
  util::log_debug("searching " + std::to_string(commits.size()) + " commit(s) from branch " + branch
                  + " of " + m_repo + " for " + std::to_string(m_options.groups.size())
                  + " group(s)");
  return latest(commits);
}

CommitSearch ArtifactSearch::at_ref(const std::string& ref) {
  auto found = commit(m_client.get_commit(m_repo, ref).sha);
  if (!found.complete()) {
    found.outcome.results.clear();
  }
  return found;
}

std::optional<CommitSearch> ArtifactSearch::with_ancestors(const std::string& sha,
                                                           int max_ancestors,
                                                           std::vector<CommitSearch>& rejected) {
  // One listing from `sha` gives the parents of the whole window; commits
  // outside it (merges pulling in other history) are fetched one by one.
  std::map<std::string, std::vector<std::string>> parents;
  for (const auto& c : m_client.list_commits(m_repo, sha, max_ancestors + 1)) {
    parents[util::to_lower(c.sha)] = c.parents;
  }
  std::string current = sha;
  for (int distance = 0; distance <= max_ancestors; ++distance) {
    auto search = commit(current);
    if (search.complete()) {
      return search;
    }
    rejected.push_back(std::move(search));
    auto it = parents.find(current);
    if (it == parents.end()) {
      const auto fetched = m_client.get_commit(m_repo, current);
      it = parents.emplace(current, fetched.parents).first;
    }
    if (it->second.empty()) {
      break; // root commit
    }
    current = util::to_lower(it->second.front());
  }
  return std::nullopt;
}

} // namespace rockart::github
