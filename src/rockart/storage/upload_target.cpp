// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/storage/upload_target.hpp>

#include <algorithm>

namespace rockart::storage {

int multipart_parallelism(int concurrency) {
  // bench/upload_bench.sh on moto (10 files at once, 2 loaded cores): 1 part per
  // file left the largest file serial at the end (52 MiB/s); 2, 3 and 8 were
  // within the run-to-run noise (67-92 MiB/s). So take the fewest streams that
  // keep a lone large file parallel: ~32 in all, 2..8 per file.
  return std::clamp(32 / std::max(concurrency, 1), 2, 8);
}

UploadTarget::UploadTarget(const util::EnvLookup& env, const TargetOptions& options) {
  StoreConfig config;
  config.dry_run = options.dry_run;
  if (options.staging_dir) {
    config.kind = StoreKind::local_dir;
    config.staging_dir = *options.staging_dir;
  } else {
    // An anonymous write would fail late and half-done: refuse it up front.
    if (options.s3.no_sign_request && !options.dry_run) {
      throw UsageError("uploads must be signed; --no-sign-request is only for reading");
    }
    s3::ClientOptions client;
    client.part_size = static_cast<std::uint64_t>(options.part_size_mib) << 20;
    client.parallel_parts = options.parts_per_file > 0 ? options.parts_per_file
                                                       : multipart_parallelism(options.concurrency);
    m_session = std::make_unique<s3::Session>(env, options.s3, client);
    config.kind = StoreKind::s3;
    config.client = &m_session->client();
  }
  m_store = make_store(config);
}

} // namespace rockart::storage
