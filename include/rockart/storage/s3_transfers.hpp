// SPDX-License-Identifier: MIT
// The planner and runner behind `rockart s3 cp` and `rockart s3 rm`: turns
// SRC/DST arguments (local paths or s3:// URIs) into single transfers the way
// the aws CLI does, and runs them (or deletions) in parallel, reporting bytes
// and finished files to an observer.
#pragma once

#include <rockart/s3/client.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace rockart::storage {

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

// Hears about a batch as it runs; called from worker threads (implementations lock).
class TransferObserver {
public:
  virtual ~TransferObserver() = default;
  // `bytes` more bytes moved.
  virtual void add_bytes(std::uint64_t bytes) = 0;
  // `transfer` is complete.
  virtual void file_done(const Transfer& transfer) = 0;
};

// Runs `transfers` on up to `options.concurrency` threads. Every transfer is
// attempted ('-' as a download target is stdout). When any failed, the
// failures after the first are logged at error with a count and the first is
// rethrown.
void run_transfers(s3::Client& client,
                   const std::vector<Transfer>& transfers,
                   const TransferOptions& options,
                   TransferObserver* observer = nullptr);

// The keys `s3 rm` deletes for `uri`: the one key (none when it does not
// exist), or with `recursive` every key under the prefix. Throws UsageError for
// a prefix without `recursive`, NotFoundError when there is nothing to delete.
std::vector<std::string> keys_to_delete(s3::Client& client, const std::string& uri, bool recursive);

// Deletes `keys` of `bucket` on up to `concurrency` threads, logging each at
// info; failures are reported like run_transfers().
void delete_keys(s3::Client& client,
                 const std::string& bucket,
                 const std::vector<std::string>& keys,
                 int concurrency);

} // namespace rockart::storage
