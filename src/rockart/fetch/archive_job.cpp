// SPDX-License-Identifier: MIT
// Integrity and atomicity: bytes are hashed in order as they are handed to the
// extractor; the digest is compared before the pipe is closed, so a mismatch
// reaches the extractor as the stream's error. Extraction always happens in a
// staging directory inside D, published (rename / merge) only after the stream
// ended cleanly, and removed otherwise: a bad archive leaves nothing behind.
#include "archive_job.hpp"

#include "ranged_download.hpp"
#include "staging.hpp"

#include <rockart/archive/byte_source.hpp>
#include <rockart/archive/extract.hpp>
#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/log.hpp>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace rockart::fetch::detail {

namespace {

// `{D}/.{name}.rockart-part`, renamed to `{D}/{name}` by commit(), else removed.
class PartFile {
public:
  explicit PartFile(std::filesystem::path dest)
      : m_dest(std::move(dest)),
        m_temp(m_dest.parent_path() / ("." + m_dest.filename().string() + ".rockart-part")) {
    m_out.open(m_temp, std::ios::binary | std::ios::trunc);
    if (!m_out) {
      throw LocalIoError("cannot create " + m_temp.string() + ": " + std::strerror(errno));
    }
  }

  ~PartFile() {
    if (!m_committed) {
      m_out.close();
      std::error_code ignored;
      std::filesystem::remove(m_temp, ignored);
    }
  }

  PartFile(const PartFile&) = delete;
  PartFile& operator=(const PartFile&) = delete;

  void write(std::span<const std::byte> data) {
    m_out.write(reinterpret_cast<const char*>(data.data()),
                static_cast<std::streamsize>(data.size()));
    if (!m_out) {
      throw LocalIoError("cannot write " + m_temp.string() + " (disk full?)");
    }
  }

  void commit() {
    m_out.close();
    if (!m_out || ::rename(m_temp.c_str(), m_dest.c_str()) != 0) {
      throw LocalIoError("cannot move " + m_temp.string() + " to " + m_dest.string() + ": "
                         + std::strerror(errno));
    }
    m_committed = true;
  }

private:
  std::filesystem::path m_dest;
  std::filesystem::path m_temp;
  std::ofstream m_out;
  bool m_committed = false;
};

// Hashes the ordered bytes and passes them to the extractor's pipe and/or a
// part file; checks the digest at the end before closing the pipe.
class ArchiveConsumer final : public OrderedConsumer {
public:
  ArchiveConsumer(std::string name,
                  std::optional<std::string> expected,
                  archive::BytePipe* pipe,
                  PartFile* file,
                  cache::BlobWriter* blob = nullptr)
      : m_name(std::move(name)), m_expected(std::move(expected)), m_pipe(pipe), m_file(file),
        m_blob(blob) {}

  bool write(std::span<const std::byte> data) override {
    m_sha.update(data.data(), data.size());
    if (m_file != nullptr || m_blob != nullptr) {
      try {
        if (m_file != nullptr) {
          m_file->write(data);
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
  PartFile* m_file;
  cache::BlobWriter* m_blob;
  util::Sha256 m_sha;
  std::string m_digest;
  std::exception_ptr m_error;
};

std::shared_ptr<RangedDownload> start_download(JobContext& context,
                                               const PlannedArchive& archive,
                                               OrderedConsumer& consumer,
                                               std::atomic<std::uint64_t>& received) {
  RangeOptions range;
  const std::uint64_t single = context.options.single_get_bytes;
  range.chunk_bytes = archive.size <= single ? std::max<std::uint64_t>(archive.size, 1)
                                             : context.options.chunk_bytes;
  range.window = context.options.window_chunks;
  range.on_bytes = [&context, &archive, &received](std::uint64_t n) {
    received += n;
    if (context.observer != nullptr) {
      context.observer->received(archive, n);
    }
  };
  auto download = std::make_shared<RangedDownload>(
      context.downloads,
      context.client,
      RangedObject{context.store.bucket, context.store.prefix + archive.name, archive.size},
      consumer,
      std::move(range));
  download->start();
  return download;
}

archive::ExtractOptions extract_options(JobContext& context,
                                        const PlannedArchive& archive,
                                        const std::filesystem::path& staging) {
  archive::ExtractOptions options;
  options.mode = context.options.mode == Mode::flatten ? archive::ExtractMode::flatten
                                                       : archive::ExtractMode::extract;
  options.output_dir = staging;
  options.directory_name = layout::exploded_dir_name(archive.name);
  options.archive_name = archive.name;
  options.private_output = true; // nobody looks into a staging directory
  return options;
}

// Reads what the extractor left unread so the producer's end-of-stream
// verdict (close, or the digest mismatch) is observed before publishing.
void drain(archive::ByteSource& source) {
  std::vector<char> buffer(std::size_t{64} * 1024);
  while (source.read(buffer.data(), buffer.size()) != 0) {
  }
}

// Extracts from `source` into a staging directory, then publishes it: extract
// mode swaps the artifact's directory in; flatten mode queues the merge.
void extract_and_publish(JobContext& context,
                         std::size_t index,
                         const PlannedArchive& archive,
                         archive::ByteSource& source,
                         const std::function<void()>& before_publish,
                         ArchiveOutcome& outcome) {
  const auto staging = std::make_unique<StagingDir>(context.options.output_dir);
  archive::ExtractResult result;
  try {
    result = archive::extract(source, extract_options(context, archive, staging->path()));
  } catch (const ArchiveError&) {
    // Damaged bytes look like a broken archive; the digest says which it is.
    drain(source);
    throw;
  }
  drain(source);
  before_publish();
  outcome.files = result.files;
  const std::filesystem::path& out = context.options.output_dir;
  if (context.options.mode == Mode::extract) {
    const std::string dir = layout::exploded_dir_name(archive.name);
    archive::replace_directory(staging->path() / dir, out / dir);
    outcome.destination = out / dir;
    return;
  }
  outcome.destination = out;
  context.flatten->merge(staging->path(), index, archive.name);
}

// One streamed attempt: download -> hash -> pipe -> extract, concurrently.
void stream_attempt(JobContext& context,
                    std::size_t index,
                    const PlannedArchive& archive,
                    const std::optional<std::string>& expected,
                    cache::BlobWriter* blob,
                    ArchiveOutcome& outcome) {
  std::optional<PartFile> part;
  if (!context.options.delete_after_extract) {
    part.emplace(context.options.output_dir / archive.name);
  }
  archive::BytePipe pipe(context.options.pipe_bytes);
  ArchiveConsumer consumer(archive.name, expected, &pipe, part ? &*part : nullptr, blob);
  std::atomic<std::uint64_t> received{0};
  auto download = start_download(context, archive, consumer, received);
  try {
    archive::PipeSource source(pipe);
    extract_and_publish(
        context,
        index,
        archive,
        source,
        [&] {
          download->wait();
          outcome.sha256 = consumer.result();
        },
        outcome);
  } catch (...) {
    pipe.abandon();
    download->cancel();
    outcome.bytes += received;
    throw;
  }
  outcome.bytes += received;
  if (part) {
    part->commit();
  }
}

// One --no-extract attempt: download -> hash -> part file -> rename.
void file_attempt(JobContext& context,
                  const PlannedArchive& archive,
                  const std::optional<std::string>& expected,
                  cache::BlobWriter* blob,
                  ArchiveOutcome& outcome) {
  PartFile part(context.options.output_dir / archive.name);
  ArchiveConsumer consumer(archive.name, expected, nullptr, &part, blob);
  std::atomic<std::uint64_t> received{0};
  auto download = start_download(context, archive, consumer, received);
  download->wait();
  outcome.bytes += received;
  outcome.sha256 = consumer.result();
  part.commit();
  outcome.destination = context.options.output_dir / archive.name;
}

std::string file_sha256(const std::filesystem::path& path) {
  archive::FileSource source(path);
  util::Sha256 sha;
  std::vector<char> buffer(1 << 20);
  while (const size_t n = source.read(buffer.data(), buffer.size())) {
    sha.update(buffer.data(), n);
  }
  return util::to_hex(sha.digest());
}

// behaviours.md §3.2 step 7: an archive already in D is used when it verifies.
bool use_cached(JobContext& context,
                std::size_t index,
                const PlannedArchive& archive,
                const std::optional<std::string>& expected,
                ArchiveOutcome& outcome) {
  const std::filesystem::path path = context.options.output_dir / archive.name;
  std::error_code error;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, error))) {
    return false;
  }
  const std::string digest = file_sha256(path);
  if (expected && *expected != digest) {
    util::log_warn("discarding " + path.string() + ": "
                   + mismatch_message(archive.name, *expected, digest));
    std::filesystem::remove(path, error);
    return false;
  }
  util::log_info("== Cached " + archive.name);
  outcome.cached = true;
  outcome.sha256 = digest;
  outcome.destination = path;
  if (context.options.mode != Mode::no_extract) {
    archive::FileSource source(path);
    extract_and_publish(
        context, index, archive, source, [] {}, outcome);
    if (context.options.delete_after_extract) {
      std::filesystem::remove(path, error);
    }
  }
  return true;
}

// Reads a stored blob while hashing it, so a blob damaged on disk is caught on use.
class HashingSource final : public archive::ByteSource {
public:
  explicit HashingSource(const std::filesystem::path& path) : m_file(path) {}

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

// Extracts (or, --no-extract, copies) archive `archive` from stored blob `path`.
// Throws IntegrityError, after evicting the blob, when its content changed.
void use_blob(JobContext& context,
              std::size_t index,
              const PlannedArchive& archive,
              const std::string& expected,
              const std::filesystem::path& path,
              ArchiveOutcome& outcome) {
  HashingSource source(path);
  const auto check = [&] {
    drain(source);
    if (source.digest() != expected) {
      context.cache->evict_corrupt(expected);
      throw IntegrityError("cached blob of " + archive.name + " is corrupt");
    }
  };
  if (context.options.mode == Mode::no_extract) {
    PartFile part(context.options.output_dir / archive.name);
    std::vector<char> buffer(1 << 20);
    while (const size_t n = source.read(buffer.data(), buffer.size())) {
      part.write(std::as_bytes(std::span(buffer.data(), n)));
    }
    check();
    part.commit();
    outcome.destination = context.options.output_dir / archive.name;
  } else {
    try {
      extract_and_publish(context, index, archive, source, check, outcome);
    } catch (const ArchiveError&) {
      check(); // a damaged blob is evicted and refetched; a bad archive stays an error
      throw;
    }
  }
  outcome.from_cache = true;
  outcome.verified = true;
  outcome.sha256 = expected;
}

// Serves `archive` from the blob store when it holds `expected` (true), else
// leaves the blob's lock in `held` for the download to fill the store.
bool serve_from_blob_store(JobContext& context,
                           std::size_t index,
                           const PlannedArchive& archive,
                           const std::string& expected,
                           std::optional<cache::Acquisition>& held,
                           ArchiveOutcome& outcome) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    cache::Acquisition got = context.cache->acquire(expected);
    if (!got.present) {
      held.emplace(std::move(got));
      return false;
    }
    try {
      use_blob(context, index, archive, expected, *got.present, outcome);
      util::log_info("== From cache " + archive.name);
      return true;
    } catch (const IntegrityError& e) {
      util::log_warn(std::string(e.what()) + "; fetching it again");
    }
  }
  return false;
}

// Failures worth a fresh whole-archive attempt (§2: a mismatch is a download failure).
bool retryable(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const IntegrityError&) {
    return true;
  } catch (const NetworkError&) {
    return true;
  } catch (const RemoteError& e) {
    return e.transient();
  } catch (...) {
    return false;
  }
}

} // namespace

std::string
mismatch_message(const std::string& name, const std::string& expected, const std::string& got) {
  return "sha256 mismatch for " + name + ": expected " + expected + " (from "
         + layout::companion_name(name) + "), got " + got;
}

void run_archive_job(JobContext& context,
                     std::size_t index,
                     const PlannedArchive& archive,
                     const std::optional<std::string>& expected,
                     ArchiveOutcome& outcome) {
  if (use_cached(context, index, archive, expected, outcome)) {
    return;
  }
  std::optional<cache::Acquisition> held; // the blob's lock while we download it
  if (context.cache != nullptr && expected
      && serve_from_blob_store(context, index, archive, *expected, held, outcome)) {
    return;
  }
  if (context.options.offline) {
    throw NotFoundError("offline: " + archive.name + " is not in the cache",
                        "run once without --offline");
  }
  const http::RetryOptions& retry = context.options.archive_retry;
  for (int attempt = 1;; ++attempt) {
    if (context.observer != nullptr) {
      context.observer->started(archive, attempt);
    }
    try {
      std::optional<cache::BlobWriter> blob;
      if (held) {
        blob.emplace(context.cache->writer(*expected));
      }
      cache::BlobWriter* sink = blob ? &*blob : nullptr;
      if (context.options.mode == Mode::no_extract) {
        file_attempt(context, archive, expected, sink, outcome);
      } else {
        stream_attempt(context, index, archive, expected, sink, outcome);
      }
      if (blob) {
        context.cache->commit(*blob);
      }
      return;
    } catch (const std::exception& e) {
      if (attempt >= retry.max_attempts || !retryable(std::current_exception())) {
        throw;
      }
      const auto delay = std::min(retry.max_delay, retry.base_delay * (1 << (attempt - 1)));
      util::log_info("++ Retry " + std::to_string(attempt) + "/"
                     + std::to_string(retry.max_attempts) + " for " + archive.name + " in "
                     + http::format_delay(delay) + ": " + e.what());
      context.sleeper.sleep(delay);
    }
  }
}

} // namespace rockart::fetch::detail
