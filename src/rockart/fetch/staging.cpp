// SPDX-License-Identifier: MIT
#include "staging.hpp"

#include <rockart/error.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace rockart::fetch::detail {

namespace {

[[noreturn]] void fail_io(const std::string& action, const std::filesystem::path& path) {
  const int error = errno;
  throw LocalIoError("cannot " + action + " " + path.string() + ": " + std::strerror(error));
}

// File names in `dir` (no "." / ".."), read fully before anything moves.
std::vector<std::string> entries(const std::filesystem::path& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
  if (!handle) {
    fail_io("read directory", dir);
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(handle.get())) {
    const std::string name = entry->d_name;
    if (name != "." && name != "..") {
      names.push_back(name);
    }
  }
  return names;
}

void move(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    fail_io("move " + from.string() + " to", to);
  }
}

void merge_entry(const std::filesystem::path& from,
                 const std::filesystem::path& to,
                 const std::string& archive) {
  struct ::stat source {};

  if (::lstat(from.c_str(), &source) != 0) {
    fail_io("inspect", from);
  }

  struct ::stat target {};

  const bool exists = ::lstat(to.c_str(), &target) == 0;
  if (!exists && errno != ENOENT) {
    fail_io("inspect", to);
  }
  const bool target_is_dir = exists && S_ISDIR(target.st_mode);
  if (S_ISDIR(source.st_mode)) {
    if (target_is_dir) {
      merge_into(from, to, archive);
      return;
    }
    if (exists && ::unlink(to.c_str()) != 0) {
      fail_io("remove", to);
    }
    move(from, to);
    return;
  }
  if (target_is_dir) {
    throw ArchiveError("cannot flatten " + archive + ": " + to.string()
                       + " is a directory and the archive has a file there");
  }
  move(from, to); // rename() replaces a file or symlink atomically
}

} // namespace

StagingDir::StagingDir(const std::filesystem::path& parent) {
  std::string pattern = (parent / ".rockart-staging-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    fail_io("create a staging directory in", parent);
  }
  m_path = pattern;
}

StagingDir::~StagingDir() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

void merge_into(const std::filesystem::path& staged,
                const std::filesystem::path& dest,
                const std::string& archive) {
  for (const std::string& name : entries(staged)) {
    merge_entry(staged / name, dest / name, archive);
  }
}

} // namespace rockart::fetch::detail
