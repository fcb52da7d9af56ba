// SPDX-License-Identifier: MIT
#include <rockart/archive/byte_source.hpp>
#include <rockart/archive/extract.hpp>
#include <rockart/bisect/artifact_source.hpp>
#include <rockart/error.hpp>
#include <rockart/fetch/plan.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rockart::bisect {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_complete_marker = ".rockart-complete";

std::string repo_dir_name(const std::string& repo) {
  std::string name = repo;
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

fs::path run_json_path(const SourceConfig& config, const std::string& sha) {
  return commit_dir(config, sha) / "run.json";
}

std::optional<nlohmann::json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) {
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt; // a torn or foreign file: resolve again
  }
}

void write_json_atomic(const fs::path& path, const nlohmann::json& doc) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path temp = path.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << doc.dump(2) << "\n";
    if (!out) {
      throw LocalIoError("cannot write " + temp.string());
    }
  }
  fs::rename(temp, path, ec);
  if (ec) {
    throw LocalIoError("cannot rename " + temp.string() + " to " + path.string() + ": "
                       + ec.message());
  }
}

// The digest of a `.sha256sum` companion ("HEX" or "HEX  name").
std::string parse_companion(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string digest;
  in >> digest;
  if (digest.size() != 64
      || digest.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    throw IntegrityError("malformed .sha256sum companion " + key);
  }
  return digest;
}

} // namespace

fs::path commit_dir(const SourceConfig& config, const std::string& sha) {
  return config.cache_dir / "bisect" / repo_dir_name(config.repo) / sha;
}

fs::path tree_dir(const SourceConfig& config, const std::string& sha) {
  return commit_dir(config, sha) / config.platform / config.group / "install";
}

CacheArtifactSource::CacheArtifactSource(github::ArtifactSearch& search,
                                         s3::Client& s3,
                                         SourceConfig config)
    : m_search(search), m_s3(s3), m_config(std::move(config)),
      m_cache(cache::Cache::open({m_config.cache_dir, m_config.cache_max_size})) {}

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

ResolvedCommit CacheArtifactSource::resolve(const SessionCommit& commit) {
  if (const auto cached = read_json(run_json_path(m_config, commit.sha))) {
    return {true, "", cached->value("run_id", std::int64_t{0}), cached->value("run_url", "")};
  }
  const auto found = m_search.commit(commit.sha);
  for (const auto& warning : found.outcome.warnings) {
    util::log_warn(warning);
  }
  if (found.outcome.results.empty()) {
    const auto why = found.rejection();
    return {false, why.empty() ? "no run with artifacts of group " + m_config.group : why, {}, ""};
  }
  const auto& result = found.outcome.results.front();
  std::vector<fetch::ListedFile> listing;
  for (const auto& object :
       m_s3.list_children(result.storage.bucket, result.storage.path).objects) {
    listing.push_back({object.key.substr(result.storage.path.size()), object.size});
  }
  fetch::PlanRequest request;
  request.gpu.group = m_config.group;
  request.includes = m_config.includes;
  const auto plan = fetch::plan_fetch(listing, request);
  const auto run_id = static_cast<std::int64_t>(result.run.id);
  if (plan.archives.empty() || !plan.unmatched_includes.empty()) {
    return {false,
            "run " + std::to_string(run_id) + " has no archives matching group " + m_config.group
                + (m_config.includes.empty() ? "" : " and the include patterns"),
            run_id,
            result.run.html_url};
  }
  nlohmann::json archives = nlohmann::json::array();
  for (const auto& archive : plan.archives) {
    archives.push_back({{"name", archive.name},
                        {"size", archive.size},
                        {"companion", archive.companion.value_or("")}});
  }
  write_json_atomic(run_json_path(m_config, commit.sha),
                    {{"repository", m_config.repo},
                     {"commit", commit.sha},
                     {"run_id", run_id},
                     {"run_url", result.run.html_url},
                     {"workflow", found.workflow},
                     {"bucket", result.storage.bucket},
                     {"prefix", result.storage.path},
                     {"platform", m_config.platform},
                     {"group", m_config.group},
                     {"archives", archives}});
  return {true, "", run_id, result.run.html_url};
}

// Downloads the archives of `sha` into `cache` (once: present blobs are hits)
// and pins them. Returns the bytes downloaded.
std::uint64_t CacheArtifactSource::download(cache::Cache& cache, const std::string& sha) {
  const auto run = read_json(run_json_path(m_config, sha));
  if (!run) {
    throw NotFoundError("no run mapping for commit " + sha + " in "
                        + run_json_path(m_config, sha).string() + "; resolve it first");
  }
  const std::string bucket = (*run)["bucket"];
  const std::string prefix = (*run)["prefix"];
  std::uint64_t bytes = 0;
  std::vector<std::string> digests;
  for (const auto& archive : (*run)["archives"]) {
    const std::string name = archive["name"];
    const std::string companion = archive["companion"];
    if (companion.empty()) {
      throw IntegrityError("archive " + name + " of commit " + sha
                           + " has no .sha256sum companion; cannot verify it");
    }
    std::string text;
    m_s3.get(bucket, prefix + companion, [&](std::string_view chunk) { text.append(chunk); });
    const auto digest = parse_companion(text, prefix + companion);
    cache.index().pin(digest, m_config.pin_owner);
    auto got = cache.acquire_blob(digest);
    if (!got.present) {
      m_s3.get(bucket, prefix + name, [&](std::string_view chunk) { got.writer->write(chunk); });
      bytes += got.writer->size();
      cache.commit_blob(*got.writer);
    }
    digests.push_back(digest);
  }
  std::lock_guard lock(m_mutex);
  m_pins[sha] = digests;
  return bytes;
}

MaterializedTree CacheArtifactSource::materialize(const SessionCommit& commit) {
  const auto tree = tree_dir(m_config, commit.sha);
  if (fs::exists(tree / k_complete_marker)) {
    return {tree, 0};
  }
  const auto bytes = download(m_cache, commit.sha);
  const auto run = read_json(run_json_path(m_config, commit.sha));
  const fs::path staging = tree.string() + ".partial";
  fs::remove_all(staging);
  fs::create_directories(staging);
  std::vector<std::string> digests;
  {
    std::lock_guard lock(m_mutex);
    digests = m_pins[commit.sha];
  }
  for (std::size_t i = 0; i < digests.size(); ++i) {
    const auto blob = m_cache.find_blob(digests[i]);
    if (!blob) {
      throw LocalIoError("cached archive " + digests[i] + " of commit " + commit.sha
                         + " vanished from the cache; run the command again");
    }
    archive::FileSource source(*blob);
    archive::ExtractOptions options;
    options.mode = archive::ExtractMode::flatten;
    options.output_dir = staging;
    options.archive_name = (*run)["archives"][i]["name"];
    archive::extract(source, options);
  }
  std::ofstream(staging / k_complete_marker) << commit.sha << "\n";
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
  std::optional<cache::Cache> cache; // its own SQLite connection
  for (;;) {
    std::string sha;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
      if (m_stop) {
        return;
      }
      sha = m_queue.front();
      m_queue.pop_front();
    }
    try {
      if (!cache) {
        cache.emplace(cache::Cache::open({m_config.cache_dir, m_config.cache_max_size}));
      }
      const auto bytes = download(*cache, sha);
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

void CacheArtifactSource::release_all() {
  m_cache.index().unpin_owner(m_config.pin_owner);
}

} // namespace rockart::bisect
