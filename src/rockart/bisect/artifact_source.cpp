// SPDX-License-Identifier: MIT
#include <rockart/bisect/artifact_source.hpp>
#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/log.hpp>

#include <algorithm>

namespace rockart::bisect {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_complete_marker = ".rockart-complete";

std::string repo_dir_name(const std::string& repo) {
  std::string name = repo;
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

} // namespace

fs::path commit_dir(const SourceConfig& config, const std::string& sha) {
  return config.cache_dir / "bisect" / repo_dir_name(config.repo) / sha;
}

fs::path tree_dir(const SourceConfig& config, const std::string& sha) {
  return commit_dir(config, sha) / config.platform / config.group / "install";
}

CacheArtifactSource::CacheArtifactSource(github::ArtifactSearch& search,
                                         runs::RunCatalog& catalog,
                                         s3::Client& s3,
                                         SourceConfig config)
    : m_search(search), m_catalog(catalog), m_s3(s3), m_config(std::move(config)),
      m_cache(*catalog.cache()) {}

CacheArtifactSource::~CacheArtifactSource() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    m_queue.clear();
  }
  m_wake.notify_all();
  if (m_thread.joinable()) {
    m_thread.join();
  }
}

// The run find picks for the commit and the archives of the group in it;
// nullopt with `why_not` set when there are none.
std::optional<CacheArtifactSource::Planned> CacheArtifactSource::plan(const SessionCommit& commit,
                                                                      std::string& why_not) {
  // The GitHub client is not thread-safe; the prefetch thread plans too.
  const std::lock_guard serial(m_search_mutex);
  auto run = runs::run_for_commit(m_search, commit.sha, why_not);
  if (!run) {
    if (why_not.empty()) {
      why_not = "no run with artifacts of group " + m_config.group;
    }
    return std::nullopt;
  }
  Planned planned{std::move(*run), {}};
  fetch::PlanRequest request;
  request.gpu.group = m_config.group;
  request.gpu.targets = m_config.targets;
  request.gpu.expand_family =
      m_config.expand_family; // kpack-split runs keep device code per target
  request.includes = m_config.includes;
  const auto plan = fetch::plan_fetch(m_catalog.files(planned.run), request);
  if (plan.host_only) {
    // Testing a tree without device code would blame the commit for a GPU
    // failure it did not cause: the commit cannot be tested.
    why_not = "run " + std::to_string(planned.run.id) + " has only generic (host) archives for "
              + m_config.group;
    return std::nullopt;
  }
  if (plan.archives.empty() || !plan.unmatched_includes.empty()) {
    why_not = "run " + std::to_string(planned.run.id) + " has no archives matching group "
              + m_config.group + (m_config.includes.empty() ? "" : " and the include patterns");
    return std::nullopt;
  }
  planned.archives = plan.archives;
  return planned;
}

ResolvedCommit CacheArtifactSource::resolve(const SessionCommit& commit) {
  std::string why_not;
  auto planned = plan(commit, why_not);
  if (!planned) {
    return {false, why_not, {}, ""};
  }
  const auto run_id = static_cast<std::int64_t>(planned->run.id);
  ResolvedCommit resolved{true, "", run_id, planned->run.html_url};
  std::lock_guard lock(m_mutex);
  m_plans[commit.sha] = std::move(*planned);
  return resolved;
}

// The plan of an available commit: resolved in this process, or again (a
// resumed session knows the commit is available; the catalog answers from
// the cache).
CacheArtifactSource::Planned CacheArtifactSource::planned(const SessionCommit& commit) {
  {
    std::lock_guard lock(m_mutex);
    if (const auto it = m_plans.find(commit.sha); it != m_plans.end()) {
      return it->second;
    }
  }
  std::string why_not;
  auto planned = plan(commit, why_not);
  if (!planned) {
    throw NotFoundError("commit " + commit.sha + " no longer has usable artifacts: " + why_not);
  }
  std::lock_guard lock(m_mutex);
  return m_plans[commit.sha] = std::move(*planned);
}

// Fetches the archives of `sha` through the pipeline (`mode` cache_only or
// flatten into `output_dir`), pins them for the session and returns the bytes
// downloaded. Throws the first archive's failure, with its class.
std::uint64_t CacheArtifactSource::fetch_into(const std::string& sha,
                                              const Planned& planned,
                                              fetch::Mode mode,
                                              const fs::path& output_dir) {
  fetch::FetchOptions options = m_config.fetch;
  options.mode = mode;
  options.output_dir = output_dir;
  const auto summary =
      fetch::fetch_archives(m_s3, m_catalog, planned.run, planned.archives, options);
  std::vector<std::string> digests;
  for (const auto& outcome : summary.archives) {
    if (!outcome.ok) {
      std::rethrow_exception(outcome.failure);
    }
    m_cache.index().pin(outcome.sha256, m_config.pin_owner);
    digests.push_back(outcome.sha256);
  }
  std::lock_guard lock(m_mutex);
  m_pins[sha] = digests;
  return summary.bytes;
}

MaterializedTree CacheArtifactSource::materialize(const SessionCommit& commit) {
  const auto tree = tree_dir(m_config, commit.sha);
  if (fs::exists(tree / k_complete_marker)) {
    return {tree, 0};
  }
  const fs::path staging = tree.string() + ".partial";
  fs::remove_all(staging);
  fs::create_directories(staging);
  const auto bytes = fetch_into(commit.sha, planned(commit), fetch::Mode::flatten, staging);
  util::write_file_atomic(staging / k_complete_marker, commit.sha + "\n");
  fs::remove_all(tree);
  fs::rename(staging, tree);
  return {tree, bytes};
}

void CacheArtifactSource::prefetch(const std::vector<SessionCommit>& commits) {
  {
    std::lock_guard lock(m_mutex);
    for (const auto& commit : commits) {
      if (std::find(m_queue.begin(), m_queue.end(), commit.sha) == m_queue.end()) {
        m_queue.push_back(commit.sha);
      }
    }
    if (!m_thread.joinable()) {
      m_thread = std::thread([this] { worker(); });
    }
  }
  m_wake.notify_all();
}

void CacheArtifactSource::worker() {
  for (;;) {
    SessionCommit commit;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
      if (m_stop) {
        return;
      }
      commit.sha = m_queue.front();
      m_queue.pop_front();
    }
    const std::string& sha = commit.sha;
    try {
      const auto bytes = fetch_into(sha, planned(commit), fetch::Mode::cache_only, {});
      m_background_bytes += bytes;
      util::log_debug("bisect: prefetched " + sha.substr(0, 12) + " (" + std::to_string(bytes)
                      + " bytes)");
    } catch (const std::exception& e) {
      // The foreground materialisation retries and reports the error.
      util::log_warn("bisect: prefetch of " + sha.substr(0, 12) + " failed: " + e.what());
    }
  }
}

void CacheArtifactSource::retain(const std::vector<std::string>& reachable) {
  std::lock_guard lock(m_mutex);
  for (auto it = m_pins.begin(); it != m_pins.end();) {
    if (std::find(reachable.begin(), reachable.end(), it->first) != reachable.end()) {
      ++it;
      continue;
    }
    for (const auto& digest : it->second) {
      m_cache.index().unpin(digest, m_config.pin_owner);
    }
    it = m_pins.erase(it);
  }
  // Keep digests of reachable commits pinned (a shared digest was just unpinned).
  for (const auto& [sha, digests] : m_pins) {
    for (const auto& digest : digests) {
      m_cache.index().pin(digest, m_config.pin_owner);
    }
  }
}

std::uint64_t CacheArtifactSource::take_bytes() {
  return m_background_bytes.exchange(0);
}

} // namespace rockart::bisect
