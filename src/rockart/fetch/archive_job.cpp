// SPDX-License-Identifier: MIT
// Integrity and atomicity: bytes are hashed in order as they are handed to the
// extractor; the digest is compared before the pipe is closed, so a mismatch
// reaches the extractor as the stream's error. Extraction always happens in a
// staging directory inside D, published (rename / merge) only after the stream
// ended cleanly, and removed otherwise: a bad archive leaves nothing behind.
#include "archive_job.hpp"

#include "ranged_download.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/file.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>

#include <atomic>
#include <vector>

namespace rockart::fetch::detail {

namespace fs = std::filesystem;

namespace {

// Hashes the ordered bytes and passes them to the extractor's pipe, a file in
// D and/or a cache blob; checks the digest at the end before closing the pipe.
class ArchiveConsumer final : public OrderedConsumer {
public:
  ArchiveConsumer(std::string name,
                  std::optional<std::string> expected,
                  archive::BytePipe* pipe,
                  util::AtomicFile* file,
                  cache::BlobWriter* blob)
      : m_name(std::move(name)), m_expected(std::move(expected)), m_pipe(pipe), m_file(file),
        m_blob(blob) {}

  bool write(std::span<const std::byte> data) override {
    m_sha.update(data.data(), data.size());
    if (m_file != nullptr || m_blob != nullptr) {
      try {
        if (m_file != nullptr) {
          m_file->write(data.data(), data.size());
        }
        if (m_blob != nullptr) {
          m_blob->write(data.data(), data.size());
        }
      } catch (...) {
        fail(std::current_exception());
        return false;
      }
    }
    return m_pipe == nullptr || m_pipe->write(data);
  }

  void end() override {
    m_digest = util::to_hex(m_sha.digest());
    if (m_expected && *m_expected != m_digest) {
      fail(std::make_exception_ptr(
          IntegrityError(mismatch_message(m_name, *m_expected, m_digest),
                         "the archive or its companion is damaged; if it persists, re-upload "
                         "the archive with its .sha256sum")));
      return;
    }
    if (m_pipe != nullptr) {
      m_pipe->close();
    }
  }

  void fail(std::exception_ptr error) override {
    if (!m_error) {
      m_error = error;
    }
    if (m_pipe != nullptr) {
      m_pipe->fail(error);
    }
  }

  // After the download settled: throws its failure, else returns the digest.
  const std::string& result() const {
    if (m_error) {
      std::rethrow_exception(m_error);
    }
    if (m_digest.empty()) {
      throw NetworkError("download of " + m_name + " stopped before its end");
    }
    return m_digest;
  }

private:
  std::string m_name;
  std::optional<std::string> m_expected;
  archive::BytePipe* m_pipe;
  util::AtomicFile* m_file;
  cache::BlobWriter* m_blob;
  util::Sha256 m_sha;
  std::string m_digest;
  std::exception_ptr m_error;
};

// Reads what the extractor left unread so the producer's end-of-stream
// verdict (close, or the digest mismatch) is observed before publishing.
void drain(archive::ByteSource& source) {
  std::vector<char> buffer(std::size_t{64} * 1024);
  while (source.read(buffer.data(), buffer.size()) != 0) {
  }
}

// Reads a stored blob while hashing it, so a blob damaged on disk is caught on use.
class HashingSource final : public archive::ByteSource {
public:
  explicit HashingSource(const fs::path& path) : m_file(path) {}

  size_t read(void* buf, size_t n) override {
    const size_t got = m_file.read(buf, n);
    m_sha.update(buf, got);
    return got;
  }

  std::string digest() { return util::to_hex(m_sha.digest()); }

private:
  archive::FileSource m_file;
  util::Sha256 m_sha;
};

// Copies the rest of `source` into `out` (not committed).
void copy_into(archive::ByteSource& source, util::AtomicFile& out) {
  std::vector<char> buffer(std::size_t{1} << 20);
  while (const size_t n = source.read(buffer.data(), buffer.size())) {
    out.write(buffer.data(), n);
  }
}

} // namespace

std::string
mismatch_message(const std::string& name, const std::string& expected, const std::string& got) {
  return "sha256 mismatch for " + name + ": expected " + expected + " (from "
         + layout::companion_name(name) + "), got " + got;
}

ArchiveJob::ArchiveJob(FetchContext& context,
                       std::size_t index,
                       const PlannedArchive& archive,
                       std::optional<std::string> expected,
                       ArchiveOutcome& outcome)
    : m_context(context), m_index(index), m_archive(archive), m_expected(std::move(expected)),
      m_outcome(outcome) {}

void ArchiveJob::run() {
  if (m_context.options.mode == Mode::cache_only && (m_context.cache == nullptr || !m_expected)) {
    throw IntegrityError("cannot cache " + m_archive.name + " without its .sha256sum companion",
                         "the cache stores verified archives only");
  }
  if (m_context.options.mode == Mode::store && m_expected) {
    if (auto tree = m_context.cache->trees().find(*m_expected)) {
      util::log_info("== Extracted already " + m_archive.name);
      m_outcome.from_cache = true;
      m_outcome.verified = true;
      m_outcome.sha256 = *m_expected;
      m_outcome.files = tree->paths().size();
      m_outcome.paths = tree->paths();
      m_outcome.destination = tree->root;
      return;
    }
  }
  if (use_existing_file()) {
    return;
  }
  if (!m_context.options.local_root.empty()) {
    use_local_file(m_context.options.local_root / m_archive.name);
    return;
  }
  std::optional<cache::Acquisition> held; // the blob's lock while we download it
  if (m_context.cache != nullptr && m_expected && serve_from_cache(held)) {
    return;
  }
  if (m_context.offline) {
    throw NotFoundError("offline: " + m_archive.name + " is not in the cache",
                        "run once without --offline");
  }
  download_with_retries(held);
}

// An archive already in D is used when it verifies (TheRock's fetch skips any
// file that exists, which would keep a file truncated by a killed run).
bool ArchiveJob::use_existing_file() {
  if (m_context.options.mode == Mode::cache_only || m_context.options.mode == Mode::store) {
    return false;
  }
  const fs::path path = archive_file_path(m_context.options, m_archive.name);
  std::error_code error;
  if (!fs::is_regular_file(fs::symlink_status(path, error))) {
    return false;
  }
  const std::string digest = util::sha256_file(path);
  if (m_expected && *m_expected != digest) {
    util::log_warn("discarding " + path.string() + ": "
                   + mismatch_message(m_archive.name, *m_expected, digest));
    fs::remove(path, error);
    return false;
  }
  util::log_info("== Cached " + m_archive.name);
  m_outcome.cached = true;
  m_outcome.sha256 = digest;
  m_outcome.destination = path;
  if (m_context.options.mode != Mode::no_extract) {
    archive::FileSource source(path);
    extract_and_publish(source, [] {});
    if (m_context.options.delete_after_extract) {
      fs::remove(path, error);
    }
  }
  return true;
}

// Serves the archive from the blob cache when it holds the expected digest
// (true), else leaves the blob's lock in `held` for the download to fill it.
bool ArchiveJob::serve_from_cache(std::optional<cache::Acquisition>& held) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    cache::Acquisition got = m_context.cache->acquire_blob(*m_expected);
    if (!got.present) {
      held.emplace(std::move(got));
      return false;
    }
    try {
      use_blob(*got.present);
      util::log_info("== From cache " + m_archive.name);
      return true;
    } catch (const IntegrityError& e) {
      util::log_warn(std::string(e.what()) + "; fetching it again");
    }
  }
  return false;
}

// Extracts (or copies into D) the archive from stored blob `blob`. Throws
// IntegrityError, after evicting the blob, when its content changed on disk.
void ArchiveJob::use_blob(const fs::path& blob) {
  m_outcome.from_cache = true;
  m_outcome.verified = true;
  m_outcome.sha256 = *m_expected;
  if (m_context.options.mode == Mode::cache_only) {
    return; // present (size-checked) is all a prefetch needs; users rehash it
  }
  if (m_context.fresh_blobs && m_context.options.mode != Mode::no_extract) {
    archive::FileSource verified(blob);
    extract_and_publish(verified, [] {});
  } else {
    place_from_file(blob, [&] {
      m_context.cache->evict_corrupt(*m_expected);
      throw IntegrityError("cached blob of " + m_archive.name + " is corrupt");
    });
  }
  keep_archive_copy(blob);
}

// An extracted archive the caller keeps (not deleted after extraction) is
// copied next to the others, whether it was downloaded or came from the cache.
void ArchiveJob::keep_archive_copy(const fs::path& blob) {
  const Mode mode = m_context.options.mode;
  if (m_context.options.delete_after_extract || mode == Mode::no_extract || mode == Mode::cache_only
      || mode == Mode::store) {
    return;
  }
  util::AtomicFile copy(archive_file_path(m_context.options, m_archive.name));
  archive::FileSource source(blob);
  copy_into(source, copy);
  copy.commit();
}

// The archive from a local staging tree, checked against its companion there
// like a download (unverified only where that was allowed).
void ArchiveJob::use_local_file(const fs::path& file) {
  if (m_context.observer != nullptr) {
    m_context.observer->started(m_archive, 1);
  }
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    throw NotFoundError(file.string() + " does not exist in the local staging directory");
  }
  place_from_file(file, [&] {
    throw IntegrityError(mismatch_message(m_archive.name, *m_expected, m_outcome.sha256) + " in "
                         + file.parent_path().string());
  });
  keep_archive_copy(file);
  m_outcome.bytes = fs::file_size(file, error);
  if (m_context.observer != nullptr) {
    m_context.observer->received(m_archive, m_outcome.bytes);
  }
}

// Extracts (or copies into the archive directory) `file`, hashing it on the
// way; `on_corrupt` runs (and throws) when its digest is not the expected one.
void ArchiveJob::place_from_file(const fs::path& file, const std::function<void()>& on_corrupt) {
  HashingSource source(file);
  const auto check = [&] {
    drain(source);
    m_outcome.sha256 = source.digest();
    if (m_expected && m_outcome.sha256 != *m_expected) {
      on_corrupt();
    }
  };
  if (m_context.options.mode == Mode::no_extract) {
    util::AtomicFile part(archive_file_path(m_context.options, m_archive.name));
    copy_into(source, part);
    check();
    part.commit();
    m_outcome.destination = part.destination();
    return;
  }
  try {
    extract_and_publish(source, check);
  } catch (const ArchiveError&) {
    check(); // damaged bytes are named as such (a damaged blob is evicted and refetched)
    throw;
  }
}

void ArchiveJob::download_with_retries(std::optional<cache::Acquisition>& held) {
  const http::RetryPolicy policy(m_context.options.archive_retry);
  const int attempts = m_context.options.archive_retry.max_attempts;
  for (int attempt = 1;; ++attempt) {
    if (m_context.observer != nullptr) {
      m_context.observer->started(m_archive, attempt);
    }
    try {
      std::optional<cache::BlobWriter> blob;
      if (held) {
        blob.emplace(m_context.cache->blobs().writer(*m_expected));
      }
      cache::BlobWriter* sink = blob ? &*blob : nullptr;
      if (m_context.options.mode == Mode::no_extract
          || m_context.options.mode == Mode::cache_only) {
        file_attempt(sink);
      } else {
        stream_attempt(sink);
      }
      if (blob) {
        try {
          m_context.cache->commit_blob(*blob);
        } catch (const Error& e) {
          // The archive itself was verified and published; only the cache missed it.
          util::log_warn(std::string("cache: could not store ") + m_archive.name + ": " + e.what());
        }
      }
      return;
    } catch (const std::exception& e) {
      // archive_retry is integrity_only: damaged bytes get a new whole attempt.
      const auto failure = http::failure_from_exception(std::current_exception());
      const auto delay = failure ? policy.next_delay(attempt, *failure) : std::nullopt;
      if (!delay) {
        throw;
      }
      // The wording of TheRock's fetch_artifacts.py, which CI logs are searched for.
      util::log_info("++ Retry " + std::to_string(attempt) + "/" + std::to_string(attempts)
                     + " for " + m_archive.name + " in " + http::format_delay(*delay) + ": "
                     + e.what());
      m_context.sleeper.sleep(*delay);
    }
  }
}

std::shared_ptr<RangedDownload> ArchiveJob::start_download(OrderedConsumer& consumer,
                                                           std::atomic<std::uint64_t>& received) {
  RangeOptions range;
  const FetchOptions& options = m_context.options;
  range.chunk_bytes = m_archive.size <= options.single_get_bytes
                          ? std::max<std::uint64_t>(m_archive.size, 1)
                          : options.chunk_bytes;
  range.window = options.window_chunks;
  range.budget = m_context.stream_budget;
  range.on_bytes = [this, &received](std::uint64_t n) {
    received += n;
    if (m_context.received != nullptr) {
      *m_context.received += n;
    }
    if (m_context.bandwidth != nullptr) {
      m_context.bandwidth->take(n);
    }
    if (m_context.observer != nullptr) {
      m_context.observer->received(m_archive, n);
    }
  };
  auto download = std::make_shared<RangedDownload>(
      m_context.downloads,
      m_context.client,
      RangedObject{m_context.bucket, m_context.prefix + m_archive.name, m_archive.size},
      consumer,
      std::move(range));
  download->start();
  return download;
}

archive::ExtractOptions ArchiveJob::extract_options(const fs::path& staging) const {
  archive::ExtractOptions options;
  switch (m_context.options.mode) {
  case Mode::extract:
    options.mode = archive::ExtractMode::extract;
    break;
  case Mode::bootstrap:
    options.mode = archive::ExtractMode::bootstrap;
    break;
  default:
    options.mode = archive::ExtractMode::flatten;
  }
  if (m_archive.tarball) {
    options.mode = archive::ExtractMode::tarball;
  }
  options.output_dir = staging;
  if (options.mode == archive::ExtractMode::extract) {
    options.directory_name = layout::exploded_dir_name(m_archive.name);
  }
  options.archive_name = m_archive.name;
  options.private_output = true; // nobody looks into a staging directory
  return options;
}

// Extracts from `source` into a staging directory, then publishes it: extract
// mode swaps the artifact's directory in; flatten mode queues the merge.
void ArchiveJob::extract_and_publish(archive::ByteSource& source,
                                     const std::function<void()>& before_publish) {
  const bool store = m_context.options.mode == Mode::store;
  const auto staging = std::make_unique<StagingDir>(store ? m_context.cache->trees().root()
                                                          : m_context.options.output_dir);
  archive::ExtractResult result;
  // Staging is private: its markers are created here, and D's relpaths are
  // cleaned once per fetch below.
  archive::BootstrapRegistry staged_markers;
  try {
    auto options = extract_options(staging->path());
    options.bootstrap = &staged_markers;
    result = archive::extract(source, options);
  } catch (const ArchiveError&) {
    // Damaged bytes look like a broken archive; the digest says which it is.
    drain(source);
    throw;
  }
  drain(source);
  before_publish();
  m_outcome.files = result.files;
  if (store) {
    const cache::Tree tree = m_context.cache->trees().publish(staging->path(), m_outcome.sha256);
    m_outcome.paths = tree.paths();
    m_outcome.destination = tree.root;
    return;
  }
  const fs::path& out = m_context.options.output_dir;
  if (m_context.options.mode == Mode::extract) {
    const std::string dir = layout::exploded_dir_name(m_archive.name);
    archive::replace_directory(staging->path() / dir, out / dir);
    m_outcome.destination = out / dir;
    return;
  }
  m_outcome.destination = out;
  if (m_context.options.mode == Mode::bootstrap) {
    for (const std::string& relpath : result.relpaths) {
      m_context.bootstrap->first_encounter(relpath, [&] {
        std::error_code error;
        fs::remove_all(out / relpath, error);
        if (error) {
          throw LocalIoError("cannot remove " + (out / relpath).string() + ": " + error.message());
        }
      });
    }
  }
  m_outcome.paths = m_context.flatten->merge(staging->path(), m_index, m_archive.name);
}

// One streamed attempt: download -> hash -> pipe -> extract, concurrently.
void ArchiveJob::stream_attempt(cache::BlobWriter* blob) {
  std::optional<util::AtomicFile> part;
  if (!m_context.options.delete_after_extract) {
    part.emplace(archive_file_path(m_context.options, m_archive.name));
  }
  archive::BytePipe pipe(m_context.options.pipe_bytes);
  ArchiveConsumer consumer(m_archive.name, m_expected, &pipe, part ? &*part : nullptr, blob);
  std::atomic<std::uint64_t> received{0};
  auto download = start_download(consumer, received);
  try {
    archive::PipeSource source(pipe);
    extract_and_publish(source, [&] {
      download->wait();
      m_outcome.sha256 = consumer.result();
    });
  } catch (...) {
    pipe.abandon();
    download->cancel();
    m_outcome.bytes += received;
    throw;
  }
  m_outcome.bytes += received;
  if (part) {
    part->commit();
  }
}

// One attempt that extracts nothing: download -> hash -> {D}/{archive}
// (--no-extract) and/or the cache blob (cache_only).
void ArchiveJob::file_attempt(cache::BlobWriter* blob) {
  std::optional<util::AtomicFile> part;
  if (m_context.options.mode == Mode::no_extract) {
    part.emplace(archive_file_path(m_context.options, m_archive.name));
  }
  ArchiveConsumer consumer(m_archive.name, m_expected, nullptr, part ? &*part : nullptr, blob);
  std::atomic<std::uint64_t> received{0};
  auto download = start_download(consumer, received);
  download->wait();
  m_outcome.bytes += received;
  m_outcome.sha256 = consumer.result();
  if (part) {
    part->commit();
    m_outcome.destination = part->destination();
  }
}

} // namespace rockart::fetch::detail
