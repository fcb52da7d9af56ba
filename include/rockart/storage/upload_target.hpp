// SPDX-License-Identifier: MIT
// Where an upload command writes: S3 (signed, with multipart settings suited
// to many files at once) or a local staging directory with the same tree, and
// in either case optionally a dry run that only logs.
#pragma once

#include <rockart/s3/session.hpp>
#include <rockart/storage/store.hpp>
#include <rockart/util/env.hpp>

#include <filesystem>
#include <memory>
#include <optional>

namespace rockart::storage {

struct TargetOptions {
  std::optional<std::filesystem::path> staging_dir; // local tree instead of S3
  bool dry_run = false;
  s3::SessionFlags s3;
  int part_size_mib = 16;
  int parts_per_file = 0; // 0: multipart_parallelism(concurrency)
  int concurrency = 10;   // files uploaded at once
};

// Concurrent part uploads per multipart file when `concurrency` files upload
// at once: 32 / `concurrency`, clamped to 2..8 (10 files -> 3 parts each; one
// file alone -> 8).
int multipart_parallelism(int concurrency);

class UploadTarget {
public:
  // Opens the store; the S3 configuration comes from `env` and ~/.aws. Throws
  // UsageError for --no-sign-request outside a dry run (uploads are always
  // signed), ConfigError for a bad S3 configuration.
  UploadTarget(const util::EnvLookup& env, const TargetOptions& options);

  Store& store() { return *m_store; }

private:
  std::unique_ptr<s3::Session> m_session;
  std::unique_ptr<Store> m_store;
};

} // namespace rockart::storage
