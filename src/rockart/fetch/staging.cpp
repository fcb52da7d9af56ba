// SPDX-License-Identifier: MIT
#include "staging.hpp"

#include <rockart/error.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace rockart::fetch::detail {

namespace {

[[noreturn]] void fail_io(const std::string& action, const std::filesystem::path& path) {
  throw_io_error("cannot " + action + " " + path.string(), errno);
}

struct Entry {
  std::string name;
  bool is_dir = false; // a real directory (never a symlink to one)
};

// The entries of `dir` (no "." / ".."), read fully before anything moves.
std::vector<Entry> entries(const std::filesystem::path& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
  if (!handle) {
    fail_io("read directory", dir);
  }
  std::vector<Entry> result;
  while (const dirent* entry = ::readdir(handle.get())) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") {
      continue;
    }
    bool is_dir = entry->d_type == DT_DIR;
    if (entry->d_type == DT_UNKNOWN) {
      struct ::stat st {};

      if (::lstat((dir / name).c_str(), &st) != 0) {
        fail_io("inspect", dir / name);
      }
      is_dir = S_ISDIR(st.st_mode);
    }
    result.push_back({std::move(name), is_dir});
  }
  return result;
}

void move(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    fail_io("move " + from.string() + " to", to);
  }
}

std::string join(const std::string& rel, const std::string& name) {
  return rel.empty() ? name : rel + "/" + name;
}

} // namespace

std::vector<std::string> FlattenMerger::merge(const std::filesystem::path& staged,
                                              std::size_t rank,
                                              const std::string& archive) {
  std::vector<std::string> paths;
  {
    std::lock_guard lock(m_mutex);
    merge_directory({rank, archive, paths}, staged, "");
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

void FlattenMerger::merge_directory(const Source& source,
                                    const std::filesystem::path& from,
                                    const std::string& rel) {
  for (const Entry& entry : entries(from)) {
    merge_entry(source, from / entry.name, entry.is_dir, join(rel, entry.name));
  }
}

// Whether an archive later in the plan already wrote the file or symlink `rel`.
bool FlattenMerger::later_owner(const Source& source, const std::string& rel) const {
  const auto found = m_owner.find(rel);
  return found != m_owner.end() && found->second > source.rank;
}

// Records `source` as the writer of every file under `from`.
void FlattenMerger::claim_tree(const Source& source,
                               const std::filesystem::path& from,
                               const std::string& rel) {
  for (const Entry& entry : entries(from)) {
    if (entry.is_dir) {
      claim_tree(source, from / entry.name, join(rel, entry.name));
    } else {
      m_owner[join(rel, entry.name)] = source.rank;
      source.paths.push_back(join(rel, entry.name));
    }
  }
}

void FlattenMerger::merge_entry(const Source& source,
                                const std::filesystem::path& from,
                                bool from_is_dir,
                                const std::string& rel) {
  const std::filesystem::path to = m_dest / rel;

  struct ::stat target {};

  const bool exists = ::lstat(to.c_str(), &target) == 0;
  if (!exists && errno != ENOENT) {
    fail_io("inspect", to);
  }
  const bool target_is_dir = exists && S_ISDIR(target.st_mode);
  const std::string& archive = source.archive;
  if (from_is_dir) {
    if (target_is_dir) {
      merge_directory(source, from, rel);
      return;
    }
    if (exists && later_owner(source, rel)) {
      throw ArchiveError("cannot flatten " + archive + ": " + to.string()
                         + " is a file of an archive later in the plan and " + archive
                         + " has a directory there");
    }
    if (exists && ::unlink(to.c_str()) != 0) {
      fail_io("remove", to);
    }
    m_owner.erase(rel);
    claim_tree(source, from, rel);
    move(from, to);
    return;
  }
  if (target_is_dir) {
    throw ArchiveError("cannot flatten " + archive + ": " + to.string()
                       + " is a directory and the archive has a file there");
  }
  source.paths.push_back(rel);
  if (later_owner(source, rel)) {
    return; // the later archive's copy stays, as if merged after this one
  }
  move(from, to); // rename() replaces a file or symlink atomically
  m_owner[rel] = source.rank;
}

} // namespace rockart::fetch::detail
