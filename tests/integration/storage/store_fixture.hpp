// SPDX-License-Identifier: MIT
// Runs a test against either Store backend: LocalDirStore in a temp dir or
// S3Store on moto (the shared S3Servers fixture: moto + fault proxy).
#pragma once

#include "integration/s3/s3_fixture.hpp"

#include <rockart/layout/location.hpp>
#include <rockart/storage/store.hpp>

#include <memory>
#include <string>

namespace rockart::test {

class StoreTest : public S3Servers, public ::testing::WithParamInterface<storage::StoreKind> {
protected:
  void SetUp() override {
    S3Servers::SetUp();
    util::set_log_sink([this](util::LogLevel, std::string_view line) {
      const std::lock_guard lock(m_log_mutex);
      m_log += std::string(line) + "\n";
    });
  }

  bool is_s3() const { return GetParam() == storage::StoreKind::s3; }

  // The store under test; `dry_run` wraps it in the dry-run store.
  std::unique_ptr<storage::Store> store(bool dry_run = false) {
    storage::StoreConfig config;
    config.kind = GetParam();
    config.client = &client();
    config.staging_dir = m_dir.path() / "staging";
    config.dry_run = dry_run;
    config.dry_run_log = [this](const std::string& line) {
      m_dry_lines.push_back(line);
    };
    return storage::make_store(config);
  }

  layout::StorageLocation loc(const std::string& path) const { return {m_bucket, path}; }

  // The stored bytes at `path`, read without the store under test.
  std::string stored(const std::string& path) {
    if (!is_s3()) {
      return read_file(loc(path).staging_path(m_dir.path() / "staging"));
    }
    const auto dest = m_dir.path() / "readback";
    client().download(m_bucket, path, dest);
    return read_file(dest);
  }

  // A source file under the temp dir with `data`.
  std::filesystem::path source(const std::string& name, const std::string& data) {
    const auto path = m_dir.path() / "src" / name;
    write_file(path, data);
    return path;
  }

  std::string log() {
    const std::lock_guard lock(m_log_mutex);
    return m_log;
  }

  std::vector<std::string> m_dry_lines;
  std::mutex m_log_mutex;
  std::string m_log;
};

inline std::string store_kind_name(const ::testing::TestParamInfo<storage::StoreKind>& info) {
  return info.param == storage::StoreKind::s3 ? "S3OnMoto" : "LocalDir";
}

} // namespace rockart::test
