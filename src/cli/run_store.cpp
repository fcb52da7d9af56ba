// SPDX-License-Identifier: MIT
#include "run_store.hpp"

#include <rockart/error.hpp>
#include <rockart/s3/errors.hpp>
#include <rockart/util/log.hpp>

#include <nlohmann/json.hpp>

namespace rockart::cli {

std::optional<github::WorkflowRun> IndexRunStore::load_run(std::string_view repo,
                                                           std::uint64_t run_id) {
  const auto record = m_index.get_run(repo, run_id);
  if (!record || record->raw_json.empty()) {
    return std::nullopt;
  }
  try {
    return github::parse_workflow_run(nlohmann::json::parse(record->raw_json), "the cache index");
  } catch (const std::exception& e) {
    util::log_warn("cache: stored run " + std::to_string(run_id) + " of " + std::string(repo)
                   + " is unreadable (" + e.what() + "); asking GitHub again");
    return std::nullopt;
  }
}

cache::RunRecord run_record(std::string_view repo, const github::WorkflowRun& run) {
  cache::RunRecord record;
  record.repository = std::string(repo);
  record.run_id = run.id;
  record.attempt = static_cast<int>(run.run_attempt.value_or(1));
  record.head_sha = run.head_sha;
  record.workflow = run.path;
  record.status = run.status.value_or("");
  record.conclusion = run.conclusion.value_or("");
  record.updated_at = run.updated_at.value_or("");
  record.raw_json = github::workflow_run_to_json(run).dump();
  return record;
}

void IndexRunStore::save_run(std::string_view repo, const github::WorkflowRun& run) {
  m_index.put_run(run_record(repo, run));
}

std::optional<std::vector<std::uint64_t>> IndexRunStore::load_commit_runs(std::string_view repo,
                                                                          std::string_view workflow,
                                                                          std::string_view sha) {
  const auto answer = m_index.get_commit_runs(repo, workflow, sha);
  if (!answer) {
    return std::nullopt;
  }
  std::vector<std::uint64_t> ids;
  for (const auto& run : answer->runs) {
    ids.push_back(run.run_id);
  }
  return ids;
}

void IndexRunStore::save_commit_runs(std::string_view repo,
                                     std::string_view workflow,
                                     std::string_view sha,
                                     const std::vector<github::WorkflowRun>& runs) {
  cache::CommitRuns answer{std::string(repo), std::string(workflow), std::string(sha), {}, {}};
  for (const auto& run : runs) {
    answer.runs.push_back({run.id, run.status == "completed"});
  }
  m_index.put_commit_runs(answer); // an empty answer is dropped, never stored
}

namespace {

std::vector<std::string> names_below(const std::string& path,
                                     const std::vector<cache::ListingEntry>& entries) {
  std::vector<std::string> names;
  for (const auto& entry : entries) {
    if (entry.key.size() > path.size() && entry.key.starts_with(path)) {
      names.push_back(entry.key.substr(path.size()));
    }
  }
  return names;
}

std::vector<cache::ListingEntry> list_s3(S3Session& s3, const github::RunStorage& storage) {
  s3::Listing listing;
  try {
    listing = s3.client().list_children(storage.bucket, storage.path);
  } catch (const s3::NoSuchBucketError& e) {
    throw RemoteError(e.what(), 404, "NoSuchBucket", "", e.hint());
  } catch (const NotFoundError& e) {
    throw RemoteError(e.what(), 404, "NotFound", "", e.hint());
  }
  std::vector<cache::ListingEntry> entries;
  for (const auto& object : listing.objects) {
    entries.push_back({object.key, object.size, object.etag});
  }
  return entries;
}

} // namespace

github::ListRunFiles make_run_lister(S3Session& s3, cache::Cache* cache, bool offline) {
  return [&s3, cache, offline](const github::RunStorage& storage) {
    const std::string uri = "s3://" + storage.bucket + "/" + storage.path;
    if (cache != nullptr && (storage.run_completed || offline)) {
      auto stored = cache->index().get_listing(storage.bucket, storage.path);
      if (stored && (stored->final || offline)) {
        if (!stored->final) {
          util::log_warn("offline: the listing of " + uri
                         + " was taken while its run was in progress; it may be stale");
        }
        return names_below(storage.path, stored->entries);
      }
    }
    if (offline) {
      throw NotFoundError("offline: no cached listing of " + uri,
                          "run the same command once without --offline");
    }
    auto entries = list_s3(s3, storage);
    if (cache != nullptr) {
      cache->index().put_listing(
          {storage.bucket, storage.path, entries, storage.run_completed, {}});
    }
    return names_below(storage.path, entries);
  };
}

} // namespace rockart::cli
