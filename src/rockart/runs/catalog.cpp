// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/layout/workflow_output_root.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/util/log.hpp>

namespace rockart::runs {

namespace {

// A `.sha256sum` companion holds one digest and a file name: a few hundred
// bytes at most. Anything larger is not a companion.
constexpr std::size_t k_max_companion_bytes = 4096;

std::vector<RunFile> files_of(const cache::Listing& listing) {
  std::vector<RunFile> files;
  for (const auto& entry : listing.entries) {
    if (entry.key.size() > listing.prefix.size() && entry.key.starts_with(listing.prefix)) {
      files.push_back({entry.key.substr(listing.prefix.size()), entry.size, entry.etag});
    }
  }
  return files;
}

cache::Listing listing_of(const std::string& bucket,
                          const std::string& prefix,
                          const std::vector<RunFile>& files,
                          bool completed) {
  cache::Listing listing{bucket, prefix, {}, completed, {}};
  listing.entries.reserve(files.size());
  for (const auto& file : files) {
    listing.entries.push_back({prefix + file.name, file.size, file.etag});
  }
  return listing;
}

std::string run_url(const std::string& repo, std::uint64_t id) {
  return "https://github.com/" + repo + "/actions/runs/" + std::to_string(id);
}

} // namespace

RunCatalog::RunCatalog(CatalogSources sources) : m_sources(sources) {
  if (m_sources.offline && m_sources.cache == nullptr) {
    throw UsageError("--offline needs the cache; drop --no-cache");
  }
  m_runs = &m_sources.github;
  if (m_sources.cache != nullptr) {
    m_store = std::make_unique<IndexRunStore>(m_sources.cache->index());
    m_store_first = std::make_unique<github::StoreFirstRunSource>(
        *m_store, m_sources.offline ? nullptr : &m_sources.github);
    m_runs = m_store_first.get();
  }
}

RunCatalog::~RunCatalog() = default;

github::ListRunFiles RunCatalog::lister() {
  return [this](const github::RunStorage& storage) {
    std::vector<std::string> names;
    for (auto& file : files_at(storage.bucket, storage.path, storage.run_completed)) {
      names.push_back(std::move(file.name));
    }
    return names;
  };
}

github::ArtifactSearch RunCatalog::search(github::Client& client,
                                          std::string repo,
                                          std::string workflow,
                                          github::FindOptions options) {
  return {client, std::move(repo), std::move(workflow), std::move(options), lister(), m_runs};
}

Run RunCatalog::by_id(const RunQuery& query) {
  Run run;
  run.repo = query.repo;
  run.id = query.id;
  run.platform = query.platform;
  layout::BucketInputs inputs = query.bucket_inputs;
  if (inputs.bucket_override) {
    // No lookup: whether the run completed is known only if it was seen before.
    if (m_sources.cache != nullptr) {
      const auto stored = m_sources.cache->index().get_run(query.repo, query.id);
      run.completed = stored && cache::is_final(*stored);
    }
  } else {
    const std::string id = std::to_string(query.id);
    const std::string hint =
        m_sources.offline
            ? "run once without --offline, or pass --bucket to skip the lookup"
            : "if the run belongs to another repository, select it with --run-github-repo "
              "owner/repo, or skip the lookup with --bucket";
    const auto found = with_context("cannot look up workflow run " + id + " of " + query.repo + " ("
                                        + run_url(query.repo, query.id) + ")",
                                    hint,
                                    [&] { return m_runs->get_run(query.repo, query.id); });
    inputs.run = layout::WorkflowRunFacts{found.head_repository, found.updated_at};
    run.completed = found.status == "completed";
    run.html_url = found.html_url;
    run.head_sha = found.head_sha;
  }
  const auto decision = layout::select_bucket(inputs);
  for (const auto& warning : decision.warnings) {
    util::log_warn(warning);
  }
  util::log_info("run " + std::to_string(query.id) + ": "
                 + layout::summarize_decision(inputs, decision));
  for (const auto& reason : decision.reasons) {
    util::log_debug("  " + reason);
  }
  const layout::WorkflowOutputRoot root(
      decision.bucket, decision.external_repo, std::to_string(query.id), query.platform);
  run.bucket = root.bucket();
  run.external_repo = root.external_repo();
  run.prefix = root.prefix() + "/";
  return run;
}

std::vector<RunFile> RunCatalog::files(const Run& run) {
  return files_at(run.bucket, run.prefix, run.completed);
}

std::vector<RunFile>
RunCatalog::files_at(const std::string& bucket, const std::string& prefix, bool completed) {
  const std::string key = bucket + "\n" + prefix;
  {
    const std::lock_guard lock(m_mutex);
    if (const auto it = m_listed.find(key); it != m_listed.end()) {
      return it->second;
    }
  }
  const std::string uri = "s3://" + bucket + "/" + prefix;
  std::vector<RunFile> files;
  cache::Cache* cache = m_sources.cache;
  std::optional<cache::Listing> stored;
  if (cache != nullptr && (completed || m_sources.offline)) {
    stored = cache->index().get_listing(bucket, prefix);
  }
  if (stored && (stored->final || m_sources.offline)) {
    if (!stored->final) {
      util::log_warn("offline: the listing of " + uri
                     + " was taken while its run was in progress; it may be stale");
    }
    files = files_of(*stored);
  } else if (m_sources.offline) {
    throw NotFoundError("offline: no cached listing of " + uri,
                        "run the same command once without --offline");
  } else {
    files = m_sources.objects.list(bucket, prefix);
    if (cache != nullptr) {
      // An empty listing is never final: a completed run's archives can
      // still arrive (a copy step, a late upload), and a cached "nothing"
      // would hide them; listing it again costs one request.
      cache->index().put_listing(listing_of(bucket, prefix, files, completed && !files.empty()));
    }
  }
  const std::lock_guard lock(m_mutex);
  m_listed[key] = files;
  return files;
}

std::string RunCatalog::companion_digest(const Run& run, const RunFile& companion) {
  const std::string key = run.prefix + companion.name;
  cache::Cache* cache = m_sources.cache;
  if (cache != nullptr && !companion.etag.empty()) {
    if (auto digest = cache->index().get_object_blob(run.bucket, key, companion.etag)) {
      return std::move(*digest);
    }
  }
  if (m_sources.offline) {
    throw NotFoundError("offline: the digest in s3://" + run.bucket + "/" + key + " is not cached",
                        "run once without --offline");
  }
  const SmallObject object = m_sources.objects.read(run.bucket, key, k_max_companion_bytes);
  std::string digest = layout::parse_sha256sum(object.body, companion.name);
  if (cache != nullptr && !object.etag.empty()) {
    cache->index().put_object_blob(run.bucket, key, object.etag, digest);
  }
  return digest;
}

std::optional<Run>
run_for_commit(github::ArtifactSearch& search, const std::string& sha, std::string& why_not) {
  const auto found = search.commit(sha);
  for (const auto& warning : found.outcome.warnings) {
    util::log_warn(warning);
  }
  if (found.outcome.results.empty()) {
    for (const auto& line : found.outcome.rejections) {
      util::log_info("  " + line);
    }
    why_not = found.rejection();
    return std::nullopt;
  }
  const auto& result = found.outcome.results.front();
  util::log_info("commit " + sha + ": using run " + std::to_string(result.run.id) + " ("
                 + result.run.html_url + ")");
  return run_of(result, search.repo(), search.options().platform);
}

Run run_of(const github::FindResult& result, std::string_view repo, std::string_view platform) {
  Run run;
  run.repo = std::string(repo);
  run.id = result.run.id;
  run.platform = std::string(platform);
  run.bucket = result.storage.bucket;
  run.external_repo = result.storage.external_repo;
  run.prefix = result.storage.path;
  run.completed = result.run.status == "completed";
  run.html_url = result.run.html_url;
  run.head_sha = result.run.head_sha;
  return run;
}

} // namespace rockart::runs
