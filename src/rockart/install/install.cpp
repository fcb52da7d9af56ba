// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/install/install.hpp>
#include <rockart/util/parallel.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <set>

namespace rockart::install {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_io(const std::string& action, const fs::path& path) {
  const int error = errno;
  throw LocalIoError("cannot " + action + " " + path.string() + ": " + std::strerror(error));
}

// Records each archive in the state (and its file) as soon as it lands, and
// forwards the progress to the caller's observer.
class Recorder : public fetch::FetchObserver {
public:
  Recorder(InstallState& state,
           const fs::path& out,
           std::map<std::string, std::string> digests,
           std::map<std::string, std::uint64_t> sequences,
           fetch::FetchObserver* next)
      : m_state(state), m_out(out), m_digests(std::move(digests)),
        m_sequences(std::move(sequences)), m_next(next) {}

  void started(const fetch::PlannedArchive& archive, int attempt) override {
    if (m_next != nullptr) {
      m_next->started(archive, attempt);
    }
  }

  void received(const fetch::PlannedArchive& archive, std::uint64_t bytes) override {
    if (m_next != nullptr) {
      m_next->received(archive, bytes);
    }
  }

  void stored(const fetch::PlannedArchive& archive) override {
    if (m_next != nullptr) {
      m_next->stored(archive);
    }
  }

  void finished(const fetch::PlannedArchive& archive,
                const fetch::ArchiveOutcome& outcome) override {
    if (outcome.ok && m_record_on_finish) {
      record(archive.name, outcome.paths);
    }
    if (m_next != nullptr) {
      m_next->finished(archive, outcome);
    }
  }

  // Without the store the archives land in `out` as they finish; with it
  // they land in the store and are recorded when placed.
  void record_on_finish(bool on) { m_record_on_finish = on; }

  // Records that `name` now holds `paths` in `out`, and writes the state file
  // unless `write` is false (the caller writes it once for many).
  void record(const std::string& name, const std::vector<std::string>& paths, bool write = true) {
    {
      std::lock_guard lock(m_mutex);
      AppliedArchive& record = m_state.upsert(name);
      // What the previous version held and this one does not is removed
      // later; until then it is recorded as stale, so a crash cannot orphan it.
      std::set<std::string> stale(record.stale.begin(), record.stale.end());
      std::set_difference(record.paths.begin(),
                          record.paths.end(),
                          paths.begin(),
                          paths.end(),
                          std::inserter(stale, stale.end()));
      record.stale.assign(stale.begin(), stale.end());
      record.paths = paths;
      record.digest = m_digests.at(name);
      record.sequence = m_sequences.at(name);
      record.complete = true;
      if (write) {
        write_state(m_out, m_state);
      }
    }
  }

  // Before placing: each archive about to be placed is recorded incomplete
  // with every path it will write (and those it had), so a crash while placing
  // leaves nothing unrecorded. One write for all.
  void about_to_place(const fetch::FetchSummary& stored) {
    std::lock_guard lock(m_mutex);
    for (const auto& outcome : stored.archives) {
      if (!outcome.ok) {
        continue;
      }
      AppliedArchive& record = m_state.upsert(outcome.name);
      std::vector<std::string> all;
      std::set_union(record.paths.begin(),
                     record.paths.end(),
                     outcome.paths.begin(),
                     outcome.paths.end(),
                     std::back_inserter(all));
      record.paths = std::move(all);
      record.complete = false;
    }
    write_state(m_out, m_state);
  }

private:
  InstallState& m_state;
  const fs::path& m_out;
  const std::map<std::string, std::string> m_digests;
  const std::map<std::string, std::uint64_t> m_sequences;
  fetch::FetchObserver* m_next;
  bool m_record_on_finish = true;
  std::mutex m_mutex;
};

} // namespace

std::vector<WantedArchive> wanted_archives(runs::RunCatalog& catalog,
                                           const runs::Run& run,
                                           const std::vector<fetch::PlannedArchive>& archives,
                                           int concurrency) {
  std::vector<WantedArchive> wanted(archives.size());
  const auto failures = util::run_parallel(archives.size(), concurrency, [&](std::size_t i) {
    const auto& archive = archives[i];
    wanted[i].name = archive.name;
    if (archive.companion) {
      wanted[i].digest = "sha256:" + catalog.companion_digest(run, *archive.companion);
    } else {
      wanted[i].digest = "etag:" + archive.etag + ":" + std::to_string(archive.size);
    }
  });
  util::rethrow_first(failures);
  return wanted;
}

TargetKind target_kind(const fs::path& out) {
  std::error_code error;
  if (!fs::exists(out, error)) {
    return TargetKind::fresh;
  }
  if (!fs::is_directory(out, error)) {
    throw UsageError("--output-dir " + out.string() + " exists and is not a directory");
  }
  if (fs::exists(state_path(out), error)) {
    return TargetKind::installed;
  }
  return fs::is_empty(out, error) ? TargetKind::fresh : TargetKind::foreign;
}

void wipe(const fs::path& out) {
  std::error_code error;
  if (!fs::exists(out, error)) {
    return;
  }
  for (const auto& entry : fs::directory_iterator(out)) {
    fs::remove_all(entry.path(), error);
    if (error) {
      throw LocalIoError("cannot remove " + entry.path().string() + ": " + error.message());
    }
  }
}

std::size_t delete_paths(const fs::path& out, const std::vector<std::string>& paths) {
  std::size_t deleted = 0;
  std::set<fs::path> parents;
  std::map<fs::path, bool> real_dirs; // lstat of each parent, once
  // Whether every directory between `out` and `path` is a real directory: a
  // symlink on the way would make the unlink act outside the tree.
  const auto reachable = [&](const fs::path& path) {
    fs::path dir = out;
    for (const auto& part : path.parent_path().lexically_relative(out)) {
      if (part == ".") {
        break;
      }
      dir /= part;
      auto [it, inserted] = real_dirs.emplace(dir, false);
      if (inserted) {
        struct ::stat st {};

        it->second = ::lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
      }
      if (!it->second) {
        return false;
      }
    }
    return true;
  };
  for (const auto& rel : paths) {
    const fs::path path = out / rel;
    if (!reachable(path)) {
      continue;
    }

    struct ::stat st {};

    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) {
        continue;
      }
      fail_io("inspect", path);
    }
    if (S_ISDIR(st.st_mode)) {
      continue; // an archive records files and symlinks; a directory there is someone else's
    }
    if (::unlink(path.c_str()) != 0) {
      fail_io("remove", path);
    }
    ++deleted;
    parents.insert(path.parent_path());
  }
  // Deepest first, so a directory emptied by removing its empty children goes too.
  std::vector<fs::path> dirs;
  for (fs::path dir : parents) {
    while (dir != out && dir.string().size() > out.string().size()) {
      dirs.push_back(dir);
      dir = dir.parent_path();
    }
  }
  std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) {
    return a.string().size() > b.string().size();
  });
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  for (const auto& dir : dirs) {
    if (dir == state_dir(out)) {
      continue;
    }
    // rmdir() removes only an empty directory: a user's file keeps its directory.
    if (::rmdir(dir.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
      fail_io("remove", dir);
    }
  }
  return deleted;
}

InstallResult apply_plan(s3::Client& client,
                         runs::RunCatalog& catalog,
                         const runs::Run& run,
                         const std::vector<fetch::PlannedArchive>& archives,
                         const std::vector<WantedArchive>& wanted,
                         const InstallPlan& plan,
                         InstallState& state,
                         const fs::path& out,
                         fetch::FetchOptions options,
                         std::optional<cache::LinkMode> link,
                         fetch::FetchObserver* observer) {
  InstallResult result;
  result.plan = plan;
  if (plan.changes_nothing()) {
    // Nothing to apply or delete: the record is rewritten only when its
    // facts changed (a newer run with identical archives), so a repeated
    // install writes nothing at all.
    if (read_state(out) != state) {
      write_state(out, state);
    }
    result.ok = true;
    return result;
  }
  std::map<std::string, const fetch::PlannedArchive*> planned;
  for (const auto& archive : archives) {
    planned.emplace(archive.name, &archive);
  }
  std::map<std::string, std::string> digests;
  for (const auto& archive : wanted) {
    digests.emplace(archive.name, archive.digest);
  }

  // Mark what is about to change before anything does.
  std::vector<fetch::PlannedArchive> to_apply;
  std::map<std::string, std::uint64_t> sequences;
  std::map<std::string, bool> was_complete; // not there: a new archive
  for (const auto& name : plan.apply_order()) {
    to_apply.push_back(*planned.at(name));
    // The companion was read to plan: the pipeline need not read it again.
    if (const std::string& digest = digests.at(name); digest.starts_with("sha256:")) {
      to_apply.back().known_sha256 = digest.substr(7);
    }
    sequences[name] = state.next_sequence++;
    if (const AppliedArchive* record = state.find(name)) {
      was_complete[name] = record->complete;
    }
    state.upsert(name).complete = false;
  }
  write_state(out, state);

  if (!to_apply.empty()) {
    Recorder recorder(state, out, digests, sequences, observer);
    options.delete_after_extract = true;
    if (link) {
      // Into the cache's tree store (what is there already costs nothing),
      // then placed into `out` in order, a later archive winning a shared path.
      options.output_dir = out;
      recorder.record_on_finish(false);
      fetch::Placement placement;
      result.summary = fetch::fetch_and_place(
          client,
          catalog,
          run,
          to_apply,
          options,
          *link,
          placement,
          &recorder,
          [&](const fetch::FetchSummary& stored) { recorder.about_to_place(stored); },
          [&](const fetch::ArchiveOutcome& outcome) {
            recorder.record(outcome.name, outcome.paths, false);
          });
      result.placed = placement.files;
    } else {
      options.mode = fetch::Mode::flatten;
      options.output_dir = out;
      result.summary = fetch::fetch_archives(client, catalog, run, to_apply, options, &recorder);
    }
  }
  if (result.summary.failures() > 0) {
    // The failed archives never reached `out`; what their records said still holds.
    for (const auto& outcome : result.summary.archives) {
      if (outcome.ok) {
        continue;
      }
      const auto before = was_complete.find(outcome.name);
      if (before == was_complete.end()) {
        state.erase(outcome.name);
      } else if (AppliedArchive* record = state.find(outcome.name)) {
        record->complete = before->second;
      }
    }
    write_state(out, state);
    return result;
  }

  const std::set<std::string> removing(plan.remove.begin(), plan.remove.end());
  result.deleted = delete_paths(out, paths_to_delete(state, removing));
  for (const auto& name : plan.remove) {
    state.erase(name);
  }
  for (auto& record : state.archives) {
    record.stale.clear();
  }
  write_state(out, state);
  result.ok = true;
  return result;
}

} // namespace rockart::install
