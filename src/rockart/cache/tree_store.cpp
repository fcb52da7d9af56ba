// SPDX-License-Identifier: MIT
#include <rockart/cache/tree_store.hpp>
#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/parallel.hpp>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

namespace rockart::cache {

namespace fs = std::filesystem;

namespace {

constexpr int k_schema = 1;

[[noreturn]] void fail_io(const std::string& action, const fs::path& path, int error = errno) {
  throw LocalIoError("cannot " + action + " " + path.string() + ": " + std::strerror(error));
}

struct ::stat lstat_or_throw(const fs::path& path) {
  struct ::stat st {};

  if (::lstat(path.c_str(), &st) != 0) {
    fail_io("inspect", path);
  }
  return st;
}

std::string type_name(TreeEntry::Type type) {
  switch (type) {
  case TreeEntry::Type::symlink:
    return "symlink";
  case TreeEntry::Type::directory:
    return "directory";
  case TreeEntry::Type::file:
    break;
  }
  return "file";
}

TreeEntry::Type parse_type(const std::string& text) {
  if (text == "symlink") {
    return TreeEntry::Type::symlink;
  }
  if (text == "directory") {
    return TreeEntry::Type::directory;
  }
  if (text == "file") {
    return TreeEntry::Type::file;
  }
  throw ConfigError("tree manifest: unknown entry type '" + text + "'");
}

nlohmann::json manifest_json(const Tree& tree) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : tree.entries) {
    nlohmann::json entry = {{"path", e.path}, {"type", type_name(e.type)}, {"mode", e.mode}};
    if (e.type == TreeEntry::Type::file) {
      entry["size"] = e.size;
      entry["sha256"] = e.sha256;
    } else if (e.type == TreeEntry::Type::symlink) {
      entry["target"] = e.target;
    }
    entries.push_back(std::move(entry));
  }
  return {{"schema_version", k_schema},
          {"archive_sha256", tree.sha256},
          {"bytes", tree.bytes},
          {"entries", entries}};
}

Tree tree_from_json(const nlohmann::json& doc, const fs::path& root) {
  if (doc.at("schema_version").get<int>() != k_schema) {
    throw ConfigError("tree manifest: unsupported schema_version");
  }
  Tree tree;
  tree.sha256 = doc.at("archive_sha256").get<std::string>();
  tree.root = root;
  tree.bytes = doc.at("bytes").get<std::uint64_t>();
  for (const auto& entry : doc.at("entries")) {
    TreeEntry e;
    e.path = entry.at("path").get<std::string>();
    e.type = parse_type(entry.at("type").get<std::string>());
    e.mode = entry.at("mode").get<unsigned>();
    if (e.type == TreeEntry::Type::file) {
      e.size = entry.at("size").get<std::uint64_t>();
      e.sha256 = entry.at("sha256").get<std::string>();
    } else if (e.type == TreeEntry::Type::symlink) {
      e.target = entry.at("target").get<std::string>();
    }
    tree.entries.push_back(std::move(e));
  }
  return tree;
}

// Every entry below `root` (never following a symlink), sorted by path.
std::vector<TreeEntry> walk(const fs::path& root) {
  std::vector<TreeEntry> entries;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::end(it); ++it) {
    const fs::path& path = it->path();
    const struct ::stat st = lstat_or_throw(path);
    TreeEntry entry;
    entry.path = path.lexically_relative(root).string();
    entry.mode = st.st_mode & 07777;
    if (S_ISDIR(st.st_mode)) {
      entry.type = TreeEntry::Type::directory;
    } else if (S_ISLNK(st.st_mode)) {
      entry.type = TreeEntry::Type::symlink;
      entry.target = fs::read_symlink(path).string();
    } else if (S_ISREG(st.st_mode)) {
      entry.size = static_cast<std::uint64_t>(st.st_size);
    } else {
      throw ArchiveError("cannot store " + path.string() + ": not a file, directory or symlink");
    }
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const TreeEntry& a, const TreeEntry& b) {
    return a.path < b.path;
  });
  return entries;
}

// A unique hidden name next to `dest` for building its replacement.
fs::path temp_next_to(const fs::path& dest) {
  static std::atomic<unsigned> counter{0};
  return dest.parent_path()
         / ("." + dest.filename().string() + ".rockart-place-" + std::to_string(::getpid()) + "-"
            + std::to_string(counter++));
}

bool clone_file(const fs::path& from, const fs::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    fail_io("open", from);
  }
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    fail_io("create", to, error);
  }
  const bool cloned = ::ioctl(out, FICLONE, in) == 0;
  ::close(in);
  ::close(out);
  if (!cloned) {
    ::unlink(to.c_str());
  }
  return cloned;
}

void copy_file(const fs::path& from, const fs::path& to, unsigned mode) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::none, error);
  if (error) {
    throw LocalIoError("cannot copy " + from.string() + " to " + to.string() + ": "
                       + error.message());
  }
  if (::chmod(to.c_str(), mode) != 0) {
    fail_io("set the mode of", to);
  }
}

} // namespace

std::vector<std::string> Tree::paths() const {
  std::vector<std::string> out;
  for (const auto& entry : entries) {
    if (entry.type != TreeEntry::Type::directory) {
      out.push_back(entry.path);
    }
  }
  return out;
}

std::string to_string(LinkMode mode) {
  switch (mode) {
  case LinkMode::reflink:
    return "reflink";
  case LinkMode::hardlink:
    return "hardlink";
  case LinkMode::copy:
    return "copy";
  case LinkMode::auto_:
    break;
  }
  return "auto";
}

LinkMode parse_link_mode(std::string_view text) {
  for (const LinkMode mode :
       {LinkMode::auto_, LinkMode::reflink, LinkMode::hardlink, LinkMode::copy}) {
    if (text == to_string(mode)) {
      return mode;
    }
  }
  throw UsageError("unknown link mode '" + std::string(text) + "'",
                   "use auto, reflink, hardlink or copy");
}

TreeStore::TreeStore(fs::path cache_dir) : m_root(std::move(cache_dir) / "trees") {
  std::error_code error;
  fs::create_directories(m_root, error);
  if (error) {
    throw LocalIoError("cannot create " + m_root.string() + ": " + error.message());
  }
}

fs::path TreeStore::tree_dir(std::string_view sha256) const {
  return m_root / sha256;
}

fs::path TreeStore::manifest_path(std::string_view sha256) const {
  return m_root / (std::string(sha256) + ".json");
}

std::optional<Tree> TreeStore::find(std::string_view sha256) {
  {
    std::lock_guard lock(m_known->mutex);
    if (const auto it = m_known->trees.find(sha256); it != m_known->trees.end()) {
      std::error_code error;
      if (fs::file_size(manifest_path(sha256), error) == it->second.second && !error) {
        return it->second.first;
      }
      m_known->trees.erase(it); // removed or rewritten by another process
    }
  }
  const auto text = util::read_file(manifest_path(sha256));
  if (!text) {
    return std::nullopt;
  }
  try {
    Tree tree = tree_from_json(nlohmann::json::parse(*text), tree_dir(sha256));
    std::error_code error;
    if (tree.sha256 != sha256 || !fs::is_directory(tree.root, error)) {
      throw ConfigError("tree manifest does not match its tree");
    }
    fs::last_write_time(manifest_path(sha256), fs::file_time_type::clock::now(), error);
    std::lock_guard lock(m_known->mutex);
    m_known->trees.insert_or_assign(std::string(sha256), std::pair{tree, text->size()});
    return tree;
  } catch (const std::exception&) {
    remove(sha256); // unreadable: rebuilt from the archive next time
    return std::nullopt;
  }
}

fs::path TreeStore::make_staging() const {
  std::string pattern = (m_root / ".rockart-staging-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    fail_io("create a staging directory in", m_root);
  }
  return pattern;
}

Tree TreeStore::publish(const fs::path& staged, std::string_view sha256) {
  Tree tree;
  tree.sha256 = std::string(sha256);
  tree.root = tree_dir(sha256);
  tree.entries = walk(staged);
  std::vector<TreeEntry*> files;
  for (auto& entry : tree.entries) {
    if (entry.type == TreeEntry::Type::file) {
      files.push_back(&entry);
      tree.bytes += entry.size;
    }
  }
  // Hashing is what lets `cache verify` check a tree; the files were just
  // written, so it reads from the page cache.
  util::rethrow_first(util::run_parallel(files.size(), 4, [&](std::size_t i) {
    const fs::path path = staged / files[i]->path;
    files[i]->sha256 = util::sha256_file(path);
    if (::chmod(path.c_str(), files[i]->mode & ~0222U) != 0) {
      fail_io("make read-only", path);
    }
  }));
  std::error_code error;
  if (fs::exists(manifest_path(sha256), error)) {
    fs::remove_all(staged, error);
    if (auto existing = find(sha256)) {
      return *existing;
    }
  }
  fs::remove_all(tree.root, error); // an earlier, unfinished publish
  if (::rename(staged.c_str(), tree.root.c_str()) != 0) {
    const int rename_error = errno;
    fs::remove_all(staged, error);
    if (auto existing = find(sha256)) {
      return *existing; // another process won the race
    }
    fail_io("move the tree of " + std::string(sha256) + " to", tree.root, rename_error);
  }
  const std::string manifest = manifest_json(tree).dump() + "\n";
  util::write_file_atomic(manifest_path(sha256), manifest);
  std::lock_guard lock(m_known->mutex);
  m_known->trees.insert_or_assign(std::string(sha256), std::pair{tree, manifest.size()});
  return tree;
}

std::vector<TreeInfo> TreeStore::list() const {
  std::vector<TreeInfo> trees;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(m_root, error)) {
    const fs::path& path = entry.path();
    if (path.extension() != ".json" || path.filename().string().starts_with(".")) {
      continue;
    }
    const auto text = util::read_file(path);
    if (!text) {
      continue;
    }
    TreeInfo info;
    info.sha256 = path.stem().string();
    try {
      info.bytes = nlohmann::json::parse(*text).at("bytes").get<std::uint64_t>();
    } catch (const std::exception&) {
      continue;
    }
    info.last_used = fs::last_write_time(path, error);
    trees.push_back(std::move(info));
  }
  std::sort(trees.begin(), trees.end(), [](const TreeInfo& a, const TreeInfo& b) {
    return a.last_used < b.last_used;
  });
  return trees;
}

bool TreeStore::remove(std::string_view sha256) {
  {
    std::lock_guard lock(m_known->mutex);
    if (const auto it = m_known->trees.find(sha256); it != m_known->trees.end()) {
      m_known->trees.erase(it);
    }
  }
  std::error_code error;
  const bool had = fs::remove(manifest_path(sha256), error);
  fs::remove_all(tree_dir(sha256), error);
  return had;
}

bool TreeStore::verify(std::string_view sha256) {
  const auto tree = find(sha256);
  if (!tree) {
    return false;
  }
  for (const auto& entry : tree->entries) {
    const fs::path path = tree->root / entry.path;

    struct ::stat st {};

    bool ok = ::lstat(path.c_str(), &st) == 0;
    if (ok && entry.type == TreeEntry::Type::file) {
      ok = S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) == entry.size
           && util::sha256_file(path) == entry.sha256;
    } else if (ok && entry.type == TreeEntry::Type::symlink) {
      ok = S_ISLNK(st.st_mode) && fs::read_symlink(path).string() == entry.target;
    } else if (ok) {
      ok = S_ISDIR(st.st_mode);
    }
    if (!ok) {
      remove(sha256);
      return false;
    }
  }
  return true;
}

std::size_t TreeStore::clean_stale(std::chrono::seconds age) {
  std::size_t removed = 0;
  std::error_code error;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(m_root, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(".rockart-staging-")) {
      continue;
    }
    const auto modified = fs::last_write_time(entry.path(), error);
    if (!error && now - modified >= age) {
      fs::remove_all(entry.path(), error);
      removed += error ? 0 : 1;
    }
  }
  return removed;
}

PlaceReport place_tree(const Tree& tree, const fs::path& dest, LinkMode mode) {
  PlaceReport report;
  bool try_reflink = mode == LinkMode::auto_ || mode == LinkMode::reflink;
  bool try_hardlink = mode == LinkMode::auto_ || mode == LinkMode::hardlink;
  for (const auto& entry : tree.entries) {
    const fs::path from = tree.root / entry.path;
    const fs::path to = dest / entry.path;
    // Into a fresh path a hard link is one system call (a symlink is linked
    // too: link() does not follow it); only an existing path needs the
    // replace-by-rename below.
    const bool link_first = try_hardlink && mode != LinkMode::copy
                            && (entry.type == TreeEntry::Type::symlink || !try_reflink);
    if (entry.type != TreeEntry::Type::directory && link_first) {
      if (::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), 0) == 0) {
        if (entry.type == TreeEntry::Type::file) {
          ++report.files;
          ++report.hardlinked;
        }
        continue;
      }
      if (errno != EEXIST) {
        if (mode == LinkMode::hardlink && entry.type == TreeEntry::Type::file) {
          fail_io("hard-link " + from.string() + " to", to);
        }
        try_hardlink = false; // another file system, or links not allowed: copy
      }
    }

    struct ::stat st {};

    const bool exists = ::lstat(to.c_str(), &st) == 0;
    if (entry.type == TreeEntry::Type::directory) {
      if (exists && S_ISDIR(st.st_mode)) {
        continue;
      }
      if (exists && ::unlink(to.c_str()) != 0) { // a file or symlink in the way
        fail_io("remove", to);
      }
      if (::mkdir(to.c_str(), (entry.mode | 0700) & 07777) != 0) {
        fail_io("create", to);
      }
      continue;
    }
    if (exists && S_ISDIR(st.st_mode)) {
      throw ArchiveError("cannot place " + entry.path + " of tree " + tree.sha256 + ": "
                         + to.string() + " is a directory");
    }
    if (exists) {
      const struct ::stat source = lstat_or_throw(from);
      if (source.st_ino == st.st_ino && source.st_dev == st.st_dev) {
        // Linked here before (rename() would be a no-op on a second link).
        if (entry.type == TreeEntry::Type::file) {
          ++report.files;
          ++report.hardlinked;
        }
        continue;
      }
    }
    const fs::path temp = temp_next_to(to);
    if (entry.type == TreeEntry::Type::symlink) {
      // A hard link to the stored symlink itself (link() does not follow it)
      // costs a tenth of creating one on ext4, and a symlink cannot be changed
      // through it; a copy gets its own.
      const bool linked = try_hardlink && mode != LinkMode::copy
                          && ::linkat(AT_FDCWD, from.c_str(), AT_FDCWD, temp.c_str(), 0) == 0;
      if (!linked && ::symlink(entry.target.c_str(), temp.c_str()) != 0) {
        fail_io("create the symlink", temp);
      }
    } else {
      bool placed = false;
      if (try_reflink) {
        placed = clone_file(from, temp);
        if (placed) {
          ++report.reflinked;
          // A clone is a new inode: give it the archive's own (writable) mode.
          (void)::chmod(temp.c_str(), entry.mode);
        } else if (mode == LinkMode::reflink) {
          throw LocalIoError("cannot reflink " + from.string() + " to " + temp.string()
                                 + ": the file system does not support it",
                             "use --link-mode auto, hardlink or copy");
        } else {
          try_reflink = false; // not on this file system: stop trying
        }
      }
      if (!placed && try_hardlink) {
        if (::link(from.c_str(), temp.c_str()) == 0) {
          placed = true;
          ++report.hardlinked;
        } else if (mode == LinkMode::hardlink) {
          fail_io("hard-link " + from.string() + " to", temp);
        } else {
          try_hardlink = false; // another file system, or links not allowed
        }
      }
      if (!placed) {
        copy_file(from, temp, entry.mode);
        ++report.copied;
      }
      ++report.files;
    }
    if (::rename(temp.c_str(), to.c_str()) != 0) {
      const int error = errno;
      ::unlink(temp.c_str());
      fail_io("move into place", to, error);
    }
  }
  return report;
}

} // namespace rockart::cache
