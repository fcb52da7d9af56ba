// SPDX-License-Identifier: MIT
// The member loop shared by all modes and the
// atomic directory swap of extract mode.
#include "entry_checks.hpp"
#include "output_tree.hpp"
#include "reader.hpp"

#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/strings.hpp>

#include <fcntl.h>
#include <stdio.h> // NOLINT(modernize-deprecated-headers): renameat2, a glibc extension
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <unordered_map>

namespace rockart::archive {

using detail::OutputTree;
using detail::Reader;

void BootstrapRegistry::first_encounter(const std::string& relpath,
                                        const std::function<void()>& clean) {
  std::lock_guard lock(m_mutex);
  if (m_claimed.insert(relpath).second) {
    clean();
  }
}

namespace {

// The manifest is a short list of directories; anything bigger is not one.
constexpr size_t k_max_manifest_bytes = 1 << 20;

std::string entry_type_name(mode_t type) {
  switch (type) {
  case AE_IFCHR:
    return "character device";
  case AE_IFBLK:
    return "block device";
  case AE_IFIFO:
    return "FIFO";
  case AE_IFSOCK:
    return "socket";
  default:
    return "unknown entry type";
  }
}

// Walks the members after the manifest and writes each into `tree`.
class MemberWriter {
public:
  MemberWriter(Reader& reader,
               OutputTree& tree,
               const ExtractOptions& options,
               ExtractResult& result)
      : m_reader(reader), m_tree(tree), m_options(options), m_result(result) {}

  void run() {
    while (archive_entry* entry = m_reader.next()) {
      write_member(entry);
    }
  }

private:
  void write_member(archive_entry* entry);
  std::string destination(const std::string& name, const std::string& relpath) const;
  void write_file(archive_entry* entry, const std::string& rel);
  void write_hardlink(archive_entry* entry, const std::string& rel);

  Reader& m_reader;
  OutputTree& m_tree;
  const ExtractOptions& m_options;
  ExtractResult& m_result;
  std::unordered_map<std::string, std::string> m_written; // member name -> destination rel
};

std::string MemberWriter::destination(const std::string& name, const std::string& relpath) const {
  // Flatten strips "R/"; extract, bootstrap and tarball keep the full name.
  if (m_options.mode == ExtractMode::flatten) {
    return name.size() > relpath.size() ? name.substr(relpath.size() + 1) : std::string();
  }
  return name;
}

void MemberWriter::write_member(archive_entry* entry) {
  const char* raw = archive_entry_pathname(entry);
  const std::string raw_name = raw != nullptr ? raw : "";
  m_tree.set_member(util::printable(raw_name)); // for messages: never raw bytes
  std::string name(detail::strip_trailing_slashes(raw_name));
  const bool tarball = m_options.mode == ExtractMode::tarball;
  const mode_t type = archive_entry_filetype(entry);
  if (tarball) {
    // `tar cf - .` names members "./bin/x" and the root ".".
    name = detail::strip_dot_prefix(name);
    if (name.empty() && type == AE_IFDIR) {
      return;
    }
  }
  if (std::string problem = detail::path_problem(name, "member name"); !problem.empty()) {
    m_tree.fail_archive(problem);
  }
  if (name == k_manifest_name && !tarball) {
    m_tree.fail_archive(
        "duplicate artifact_manifest.txt (only the first member may be the manifest)");
  }
  const bool is_hardlink = archive_entry_hardlink(entry) != nullptr;
  const auto relpath = tarball ? std::optional<std::string>(std::string())
                               : detail::match_relpath(name, m_result.relpaths, type == AE_IFDIR);
  if (!relpath) {
    m_tree.fail_archive("file not in manifest (not under any relpath of artifact_manifest.txt)");
  }
  if (!is_hardlink && type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
    m_tree.fail_archive("unhandled tar member: " + entry_type_name(type));
  }
  const std::string rel = destination(name, *relpath);
  if (is_hardlink) {
    write_hardlink(entry, rel);
  } else if (type == AE_IFDIR) {
    if (!rel.empty()) {
      m_tree.make_directory(rel);
    }
    ++m_result.directories;
    return;
  } else if (type == AE_IFLNK) {
    const char* target = archive_entry_symlink(entry);
    const std::string text = target != nullptr ? target : "";
    if (std::string problem = detail::symlink_target_problem(rel, text); !problem.empty()) {
      m_tree.fail_archive(problem);
    }
    m_tree.make_symlink(rel, text);
    ++m_result.symlinks;
  } else {
    write_file(entry, rel);
  }
  m_written[name] = rel;
}

void MemberWriter::write_file(archive_entry* entry, const std::string& rel) {
  const la_int64_t size = archive_entry_size(entry);
  if (size < 0 || static_cast<std::uint64_t>(size) > m_options.max_entry_bytes) {
    m_tree.fail_archive("declared size " + std::to_string(size) + " exceeds the limit of "
                        + std::to_string(m_options.max_entry_bytes) + " bytes per member");
  }
  detail::PendingFile file(m_tree, rel);
  m_reader.read_data(
      [&](const void* block, size_t n, la_int64_t offset) { file.write_at(block, n, offset); });
  std::optional<struct ::timespec> mtime;
  if (m_options.mode == ExtractMode::extract && archive_entry_mtime_is_set(entry)) {
    mtime = ::timespec{archive_entry_mtime(entry), archive_entry_mtime_nsec(entry)};
  }
  file.commit(
      static_cast<std::uint64_t>(size), archive_entry_perm(entry), mtime ? &*mtime : nullptr);
  ++m_result.files;
  m_result.bytes += static_cast<std::uint64_t>(size);
}

void MemberWriter::write_hardlink(archive_entry* entry, const std::string& rel) {
  const std::string raw_target = archive_entry_hardlink(entry);
  std::string target(detail::strip_trailing_slashes(raw_target));
  const bool tarball = m_options.mode == ExtractMode::tarball;
  if (tarball) {
    target = detail::strip_dot_prefix(target);
  }
  if (std::string problem = detail::path_problem(target, "hardlink target"); !problem.empty()) {
    m_tree.fail_archive(problem + ": '" + raw_target + "'");
  }
  if (!tarball && !detail::match_relpath(target, m_result.relpaths, false)) {
    m_tree.fail_archive("hardlink target not in manifest: '" + raw_target + "'");
  }
  const auto found = m_written.find(target);
  if (found == m_written.end()) {
    m_tree.fail_archive("hardlink target '" + raw_target
                        + "' is not an earlier member of this archive");
  }
  m_tree.make_hardlink(rel, found->second);
  ++m_result.hardlinks;
}

// Reads the mandatory first member, artifact_manifest.txt, and returns its text.
std::string read_manifest(Reader& reader) {
  archive_entry* entry = reader.next();
  const char* name = entry != nullptr ? archive_entry_pathname(entry) : nullptr;
  if (name == nullptr || k_manifest_name != name || archive_entry_filetype(entry) != AE_IFREG) {
    reader.fail("archive must have artifact_manifest.txt as its first member"
                + std::string(name != nullptr ? " (first member is '" + std::string(name) + "')"
                                              : " (archive is empty)"));
  }
  return reader.read_small(k_max_manifest_bytes);
}

std::vector<std::string> checked_manifest(Reader& reader, const std::string& text) {
  try {
    return parse_manifest(text);
  } catch (const ArchiveError& e) {
    reader.fail(e.what());
  }
}

void write_manifest_copy(OutputTree& tree, const std::string& text, ExtractResult& result) {
  tree.set_member(std::string(k_manifest_name));
  detail::PendingFile file(tree, std::string(k_manifest_name));
  file.write_at(text.data(), text.size(), 0);
  file.commit(text.size(), 0644, nullptr);
  ++result.files;
  result.bytes += text.size();
}

// Removes a directory tree on scope exit (best effort; destructors never throw).
class ScopedRemoval {
public:
  explicit ScopedRemoval(std::filesystem::path path) : m_path(std::move(path)) {}

  ~ScopedRemoval() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }

  ScopedRemoval(const ScopedRemoval&) = delete;
  ScopedRemoval& operator=(const ScopedRemoval&) = delete;

private:
  std::filesystem::path m_path;
};

[[noreturn]] void fail_swap(const std::string& action, const std::filesystem::path& path) {
  throw_io_error("cannot " + action + " " + path.string(), errno);
}

// Without renameat2 flags (some filesystems): a brief window without `final`.
void swap_plain(const std::filesystem::path& temp, const std::filesystem::path& final) {
  const std::filesystem::path aside = final.string() + ".rockart-old";
  std::error_code ignored;
  std::filesystem::remove_all(aside, ignored);
  const bool had_old = ::rename(final.c_str(), aside.c_str()) == 0;
  if (!had_old && errno != ENOENT) {
    fail_swap("move aside", final);
  }
  if (::rename(temp.c_str(), final.c_str()) != 0) {
    fail_swap("move extracted directory to", final);
  }
  std::filesystem::remove_all(aside, ignored);
}

// Puts the finished `temp` directory at `final`. An existing directory is
// exchanged in one step (renameat2 RENAME_EXCHANGE) and its old content ends up
// at `temp`, which the caller removes; readers never see a half-written tree.
void swap_into_place(const std::filesystem::path& temp, const std::filesystem::path& final) {
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, final.c_str(), RENAME_NOREPLACE) == 0) {
    return;
  }
  if (errno == EEXIST) {
    struct ::stat st {};

    if (::lstat(final.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
      if (::unlink(final.c_str()) != 0 || ::rename(temp.c_str(), final.c_str()) != 0) {
        fail_swap("replace", final);
      }
      return;
    }
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, final.c_str(), RENAME_EXCHANGE) == 0) {
      return;
    }
  }
  if (errno != EINVAL && errno != ENOSYS) {
    fail_swap("move extracted directory to", final);
  }
  swap_plain(temp, final);
}

void check_directory_name(const ExtractOptions& options) {
  const std::string& name = options.directory_name;
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    throw UsageError("invalid extraction directory name '" + name + "' for archive "
                     + options.archive_name + ": must be one path component");
  }
}

// A new, uniquely named directory next to `final`, created as `mkdir -m 0777`
// under the umask like tar's directories (mkdtemp's 0700 would survive the
// rename and lock other users and containers out of the tree).
std::filesystem::path make_temp_directory(const std::filesystem::path& final) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::filesystem::path temp = util::temp_path_for(final);
    if (::mkdir(temp.c_str(), 0777) == 0) {
      return temp;
    }
    if (errno != EEXIST) {
      break;
    }
  }
  fail_swap("create a temporary directory in", final.parent_path());
}

ExtractResult extract_mode(ByteSource& source, const ExtractOptions& options) {
  check_directory_name(options);
  ExtractResult result;
  result.destination = options.output_dir / options.directory_name;
  const std::filesystem::path temp = make_temp_directory(result.destination);
  ScopedRemoval cleanup(temp);
  Reader reader(source, options.read_block_bytes, options.archive_name);
  const std::string manifest = read_manifest(reader);
  result.relpaths = checked_manifest(reader, manifest);
  OutputTree tree(
      temp, {.atomic_files = false, .exact_modes = true, .archive_name = options.archive_name});
  write_manifest_copy(tree, manifest, result);
  MemberWriter(reader, tree, options, result).run();
  swap_into_place(temp, result.destination);
  return result;
}

// Flatten and bootstrap write straight into D, each file atomically unless D
// is private.
ExtractResult merge_mode(ByteSource& source, const ExtractOptions& options) {
  if (options.mode == ExtractMode::bootstrap && options.bootstrap == nullptr) {
    throw UsageError("bootstrap extraction of " + options.archive_name
                     + " needs a BootstrapRegistry");
  }
  ExtractResult result;
  result.destination = options.output_dir;
  Reader reader(source, options.read_block_bytes, options.archive_name);
  if (options.mode != ExtractMode::tarball) {
    result.relpaths = checked_manifest(reader, read_manifest(reader));
  }
  OutputTree tree(options.output_dir,
                  {.atomic_files = !options.private_output,
                   .exact_modes = false,
                   .archive_name = options.archive_name});
  if (options.mode == ExtractMode::bootstrap) {
    // The first archive naming R replaces {out}/R by an empty tree plus
    // the marker file {out}/R.prebuilt.
    for (const std::string& relpath : result.relpaths) {
      tree.set_member(std::string(k_manifest_name));
      tree.ensure_parents(relpath);
      options.bootstrap->first_encounter(relpath, [&] {
        std::error_code error;
        std::filesystem::remove_all(options.output_dir / relpath, error);
        if (error) {
          throw LocalIoError("cannot remove " + (options.output_dir / relpath).string() + ": "
                             + error.message());
        }
        detail::PendingFile marker(tree, relpath + ".prebuilt");
        marker.commit(0, 0644, nullptr);
      });
    }
  }
  MemberWriter(reader, tree, options, result).run();
  return result;
}

} // namespace

void replace_directory(const std::filesystem::path& temp, const std::filesystem::path& final) {
  swap_into_place(temp, final);
}

ExtractResult extract(ByteSource& source, const ExtractOptions& options) {
  if (options.mode == ExtractMode::extract) {
    return extract_mode(source, options);
  }
  return merge_mode(source, options);
}

} // namespace rockart::archive
