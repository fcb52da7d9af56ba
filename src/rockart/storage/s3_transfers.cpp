// SPDX-License-Identifier: MIT
// Planning and running `s3 cp` transfers. Destination naming follows the aws
// CLI: a destination ending in '/' (or an existing directory) is a folder that
// takes the source's file name; recursive copies map the source's relative
// paths below the destination prefix.
#include <rockart/error.hpp>
#include <rockart/storage/s3_transfers.hpp>
#include <rockart/util/log.hpp>
#include <rockart/util/parallel.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>

namespace rockart::storage {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_default_content_type = "application/octet-stream";

std::string s3_uri(const std::string& bucket, const std::string& key) {
  return "s3://" + bucket + "/" + key;
}

bool ends_with_slash(std::string_view text) {
  return !text.empty() && text.back() == '/';
}

// Last '/'-separated segment of a key ("a/b/c.txt" -> "c.txt").
std::string key_basename(const std::string& key) {
  const auto slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

// A folder-like prefix: "" stays "", otherwise it ends with '/'.
std::string as_folder(std::string key) {
  if (!key.empty() && key.back() != '/') {
    key += '/';
  }
  return key;
}

// `relative` (a key below the source prefix) as a path that cannot leave the
// destination: no empty result, no "." or ".." segments; empty segments
// ("a//b") collapse. nullopt when the key must be skipped.
std::optional<fs::path> safe_relative_path(std::string_view relative) {
  fs::path out;
  for (const std::string& segment : util::split(relative, '/')) {
    if (segment == "." || segment == "..") {
      return std::nullopt;
    }
    if (!segment.empty()) {
      out /= segment;
    }
  }
  if (out.empty()) {
    return std::nullopt;
  }
  return out;
}

void require_remote_object(const Location& src) {
  if (src.key.empty() || ends_with_slash(src.key)) {
    throw UsageError("'" + src.text + "' names a prefix, not an object",
                     "add --recursive to copy every object under it");
  }
}

Transfer plan_upload(const Location& src, const Location& dst) {
  std::error_code ec;
  const fs::file_status status = fs::status(src.path, ec);
  if (!fs::exists(status)) {
    throw NotFoundError("cannot upload " + src.text + ": no such file or directory");
  }
  if (fs::is_directory(status)) {
    throw UsageError("cannot upload " + src.text + ": it is a directory",
                     "add --recursive to copy the directory tree");
  }
  Transfer t;
  t.direction = Direction::upload;
  t.local = src.path;
  t.size = fs::is_regular_file(status) ? fs::file_size(src.path, ec) : 0;
  t.dst_bucket = dst.bucket;
  t.dst_key = dst.key;
  if (t.dst_key.empty() || ends_with_slash(t.dst_key)) {
    t.dst_key += src.path.filename().string();
  }
  return t;
}

Transfer plan_download(const Location& src, const Location& dst) {
  require_remote_object(src);
  Transfer t;
  t.direction = Direction::download;
  t.src_bucket = src.bucket;
  t.src_key = src.key;
  t.local = dst.path;
  std::error_code ec;
  if (dst.text != "-" && (ends_with_slash(dst.text) || fs::is_directory(dst.path, ec))) {
    t.local = dst.path / key_basename(src.key);
  }
  return t;
}

Transfer plan_copy(const Location& src, const Location& dst) {
  require_remote_object(src);
  Transfer t;
  t.direction = Direction::copy;
  t.src_bucket = src.bucket;
  t.src_key = src.key;
  t.dst_bucket = dst.bucket;
  t.dst_key = dst.key;
  if (t.dst_key.empty() || ends_with_slash(t.dst_key)) {
    t.dst_key += key_basename(src.key);
  }
  return t;
}

// True when `path` (canonical) lies inside `root` (canonical) or is it.
bool is_within(const fs::path& path, const fs::path& root) {
  const auto mismatch = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return mismatch.first == root.end();
}

// Whether a directory entry is a file to upload. Symlinks are followed only
// when their target is a regular file inside the tree, so an upload can never
// publish files from elsewhere on the machine.
bool should_upload(const fs::directory_entry& entry, const fs::path& root) {
  std::error_code ec;
  if (!entry.is_symlink(ec)) {
    if (entry.is_regular_file(ec)) {
      return true;
    }
    if (!entry.is_directory(ec)) {
      util::log_warn("skipping " + entry.path().string() + ": not a regular file");
    }
    return false;
  }
  const fs::path target = fs::canonical(entry.path(), ec);
  if (ec) {
    util::log_warn("skipping symlink " + entry.path().string() + ": its target does not exist");
    return false;
  }
  if (!is_within(target, root)) {
    util::log_warn("skipping symlink " + entry.path().string()
                   + ": it points outside the source tree (" + target.string() + ")");
    return false;
  }
  if (!fs::is_regular_file(target, ec)) {
    util::log_warn("skipping symlink " + entry.path().string() + ": not a regular file");
    return false;
  }
  return true;
}

std::vector<Transfer> plan_tree_upload(const Location& src, const Location& dst) {
  std::error_code ec;
  if (!fs::is_directory(src.path, ec)) {
    if (!fs::exists(src.path, ec)) {
      throw NotFoundError("cannot upload " + src.text + ": no such file or directory");
    }
    throw UsageError("cannot upload " + src.text + " with --recursive: it is not a directory",
                     "drop --recursive to copy a single file");
  }
  const fs::path root = fs::canonical(src.path);
  const std::string prefix = as_folder(dst.key);
  std::vector<Transfer> out;
  // The iterator does not descend into symlinked directories (no follow option).
  for (fs::recursive_directory_iterator it(src.path, fs::directory_options::skip_permission_denied),
       end;
       it != end;
       ++it) {
    if (!should_upload(*it, root)) {
      continue;
    }
    Transfer t;
    t.direction = Direction::upload;
    t.local = it->path();
    t.size = fs::file_size(it->path(), ec);
    t.dst_bucket = dst.bucket;
    t.dst_key = prefix + it->path().lexically_relative(src.path).generic_string();
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Transfer>
plan_tree_from_s3(s3::Client& client, const Location& src, const Location& dst) {
  const std::string prefix = as_folder(src.key);
  std::vector<Transfer> out;
  for (const s3::ObjectInfo& object : client.list(src.bucket, prefix)) {
    const std::string relative = object.key.substr(prefix.size());
    if (ends_with_slash(relative)) {
      continue; // a zero-byte "folder" marker made by consoles
    }
    const auto safe = safe_relative_path(relative);
    if (!safe) {
      util::log_warn("skipping " + s3_uri(src.bucket, object.key)
                     + ": its key would leave the destination ('.' or '..' segment)");
      continue;
    }
    Transfer t;
    t.direction = dst.remote ? Direction::copy : Direction::download;
    t.src_bucket = src.bucket;
    t.src_key = object.key;
    t.size = object.size;
    if (dst.remote) {
      t.dst_bucket = dst.bucket;
      t.dst_key = as_folder(dst.key) + safe->generic_string();
    } else {
      t.local = dst.path / *safe;
    }
    out.push_back(std::move(t));
  }
  return out;
}

void check_not_local_to_local(const Location& src, const Location& dst) {
  if (!src.remote && !dst.remote) {
    throw UsageError("cannot copy " + src.text + " to " + dst.text
                         + ": at least one side must be an s3:// URI",
                     "use cp(1) for local copies");
  }
}

std::string content_type_for(const TransferOptions& options) {
  return options.content_type.empty() ? std::string(k_default_content_type) : options.content_type;
}

void write_stdout(std::string_view chunk) {
  if (std::fwrite(chunk.data(), 1, chunk.size(), stdout) != chunk.size()) {
    throw LocalIoError("cannot write to stdout (closed pipe or full disk?)");
  }
}

// Performs one transfer, reporting bytes to `progress` as they move.
void perform(s3::Client& client,
             const Transfer& t,
             const TransferOptions& options,
             TransferObserver* observer) {
  std::uint64_t reported = 0;
  const s3::ProgressFn on_bytes = [&](std::uint64_t done) {
    if (done > reported) {
      if (observer != nullptr) {
        observer->add_bytes(done - reported);
      }
      reported = done;
    }
  };
  switch (t.direction) {
  case Direction::upload:
    client.upload(t.local, t.dst_bucket, t.dst_key, content_type_for(options), on_bytes);
    break;
  case Direction::download:
    if (t.local == "-") {
      client.get(t.src_bucket, t.src_key, [&](std::string_view chunk) {
        write_stdout(chunk);
        on_bytes(reported + chunk.size());
      });
      (void)std::fflush(stdout);
      break;
    }
    client.download(t.src_bucket, t.src_key, t.local, on_bytes);
    break;
  case Direction::copy:
    client.copy(t.src_bucket, t.src_key, t.dst_bucket, t.dst_key);
    on_bytes(t.size);
    break;
  }
}

// Logs every failure after the first (with a count when several operations
// ran) and rethrows the first: one error decides the exit code, none is lost.
void report_failures(const std::vector<std::exception_ptr>& failures) {
  std::size_t failed = 0;
  for (const auto& failure : failures) {
    if (failure && failed++ > 0) {
      util::log_error(util::message_of(failure));
    }
  }
  if (failed > 1 || (failed == 1 && failures.size() > 1)) {
    util::log_error(std::to_string(failed) + " of " + std::to_string(failures.size())
                    + " operations failed");
  }
  util::rethrow_first(failures);
}

} // namespace

Location parse_location(const std::string& text) {
  Location out;
  out.text = text;
  if (text.rfind("s3://", 0) == 0 || text.rfind("S3://", 0) == 0) {
    auto [bucket, key] = s3::parse_s3_uri("s3://" + text.substr(5));
    out.remote = true;
    out.bucket = std::move(bucket);
    out.key = std::move(key);
    return out;
  }
  if (text.find("://") != std::string::npos) {
    throw UsageError("unsupported URI '" + text + "'",
                     "write S3 locations as s3://bucket/key and local ones as paths");
  }
  if (text.empty()) {
    throw UsageError("empty path", "pass a local path or an s3://bucket/key URI");
  }
  out.path = text;
  return out;
}

std::string Transfer::describe() const {
  switch (direction) {
  case Direction::upload:
    return "upload: " + local.string() + " to " + s3_uri(dst_bucket, dst_key);
  case Direction::download:
    return "download: " + s3_uri(src_bucket, src_key) + " to " + local.string();
  case Direction::copy:
    return "copy: " + s3_uri(src_bucket, src_key) + " to " + s3_uri(dst_bucket, dst_key);
  }
  return {};
}

Transfer plan_single(const Location& src, const Location& dst) {
  check_not_local_to_local(src, dst);
  if (!src.remote) {
    return plan_upload(src, dst);
  }
  return dst.remote ? plan_copy(src, dst) : plan_download(src, dst);
}

std::vector<Transfer> plan_recursive(s3::Client& client, const Location& src, const Location& dst) {
  check_not_local_to_local(src, dst);
  if (dst.text == "-") {
    throw UsageError("cannot copy recursively to stdout ('-')", "name a destination directory");
  }
  std::vector<Transfer> out =
      src.remote ? plan_tree_from_s3(client, src, dst) : plan_tree_upload(src, dst);
  if (out.empty()) {
    throw NotFoundError("nothing to copy: " + src.text + " holds no files",
                        src.remote ? "check the prefix with `rockart s3 ls`" : "");
  }
  std::sort(out.begin(), out.end(), [](const Transfer& a, const Transfer& b) {
    return a.direction == Direction::upload ? a.local < b.local : a.src_key < b.src_key;
  });
  return out;
}

void run_transfers(s3::Client& client,
                   const std::vector<Transfer>& transfers,
                   const TransferOptions& options,
                   TransferObserver* observer) {
  report_failures(util::run_parallel(transfers.size(), options.concurrency, [&](std::size_t i) {
    perform(client, transfers[i], options, observer);
    if (observer != nullptr) {
      observer->file_done(transfers[i]);
    }
  }));
}

std::vector<std::string>
keys_to_delete(s3::Client& client, const std::string& uri, bool recursive) {
  const auto [bucket, key] = s3::parse_s3_uri(uri);
  if (!recursive && (key.empty() || key.back() == '/')) {
    throw UsageError("'" + uri + "' names a prefix, not an object",
                     "add --recursive to delete every object under it");
  }
  std::vector<std::string> keys;
  if (recursive) {
    for (const s3::ObjectInfo& object : client.list(bucket, as_folder(key))) {
      keys.push_back(object.key);
    }
  } else if (client.head(bucket, key)) {
    keys.push_back(key);
  }
  if (keys.empty()) {
    throw NotFoundError("cannot delete " + uri + ": "
                            + (recursive ? "no objects under it" : "no such key"),
                        "check it with `rockart s3 ls`");
  }
  return keys;
}

void delete_keys(s3::Client& client,
                 const std::string& bucket,
                 const std::vector<std::string>& keys,
                 int concurrency) {
  report_failures(util::run_parallel(keys.size(), concurrency, [&](std::size_t i) {
    client.remove(bucket, keys[i]);
    util::log_info("delete: s3://" + bucket + "/" + keys[i]);
  }));
}

} // namespace rockart::storage
