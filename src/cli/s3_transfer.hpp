// SPDX-License-Identifier: MIT
// The transfer planner and runner behind `rockart s3 cp` and `rockart s3 rm`:
// turns SRC/DST arguments (local paths or s3:// URIs) into a list of single
// transfers, aws-cli style, and runs them in parallel with progress on stderr.
#pragma once

#include <rockart/s3/client.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rockart::cli {

// One side of `s3 cp`: a local path or an s3://bucket/key URI, as typed.
struct Location {
  bool remote = false;
  std::string bucket;         // remote only
  std::string key;            // remote only; may be empty (bucket root)
  std::filesystem::path path; // local only
  std::string text;           // the argument as the user wrote it
};

// Parses `text`: "s3://..." is remote (UsageError when malformed), anything
// else a local path.
Location parse_location(const std::string& text);

enum class Direction { upload, download, copy };

// One object to move. Local paths are the upload source or download target.
struct Transfer {
  Direction direction = Direction::upload;
  std::filesystem::path local;
  std::string src_bucket, src_key; // download / copy source
  std::string dst_bucket, dst_key; // upload / copy destination
  std::uint64_t size = 0;          // known size, 0 when unknown before the transfer

  // "upload: a.txt to s3://b/k" (the aws-cli wording, for progress lines).
  std::string describe() const;
};

// The single transfer `cp SRC DST` means without --recursive: a destination
// ending in '/' (or an existing local directory) takes the source's file name.
// Throws UsageError for local→local or a prefix source, NotFoundError for a
// missing local file.
Transfer plan_single(const Location& src, const Location& dst);

// Every transfer of `cp --recursive SRC DST`, sorted by source. A local tree is
// walked without following symlinks that lead out of it (each one skipped is
// logged at warn); S3 keys that would escape the destination ('..') are skipped
// too. Throws NotFoundError when the source holds nothing to copy.
std::vector<Transfer> plan_recursive(s3::Client& client, const Location& src, const Location& dst);

struct TransferOptions {
  int concurrency = 8;      // transfers in flight at once
  std::string content_type; // for uploads; empty = inferred (application/octet-stream)
};

// Runs `transfers` on up to `concurrency` threads. Every transfer is attempted;
// progress goes to stderr (a redrawn line on a TTY, one info line per file
// otherwise). When any failed, the others are logged at error and the first
// failure is rethrown.
void run_transfers(s3::Client& client,
                   const std::vector<Transfer>& transfers,
                   const TransferOptions& options);

// Runs job(i) for i in [0, count) on up to `concurrency` threads, attempting
// all of them. Failures after the first are logged at error with a count;
// the first is rethrown once every job has finished.
void run_jobs(std::size_t count, int concurrency, const std::function<void(std::size_t)>& job);

} // namespace rockart::cli
