// SPDX-License-Identifier: MIT
// Backend-specific behaviour: S3 content types, retries of transient faults
// through the fault proxy, fail-fast on 403; the local store's refusal to
// write through a symlink out of the staging directory.
#include "store_fixture.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/transfer.hpp>

namespace rockart::test {
namespace {

class S3StoreTest : public StoreTest {
protected:
  // An S3 store talking to moto through the fault proxy.
  std::unique_ptr<storage::Store> proxied_store() {
    m_proxied = proxied();
    storage::StoreConfig config;
    config.client = m_proxied.get();
    return storage::make_store(config);
  }

  std::unique_ptr<s3::Client> m_proxied;
};

TEST_P(S3StoreTest, ObjectsGetTheContentTypeOfTheirExtension) {
  auto s = store();
  s->upload_file(source("x", "z"), loc("P/x.tar.zst"));
  s->upload_file(source("y", "<p>"), loc("P/index.html"));
  s->upload_file(source("z", "0"), loc("P/x.tar.zst.sha256sum"));
  EXPECT_EQ(client().head(m_bucket, "P/x.tar.zst")->content_type, "application/zstd");
  EXPECT_EQ(client().head(m_bucket, "P/index.html")->content_type, "text/html");
  EXPECT_EQ(client().head(m_bucket, "P/x.tar.zst.sha256sum")->content_type,
            "application/octet-stream");
}

TEST_P(S3StoreTest, Injected503sAreRetriedThenSucceed) {
  faults(R"({"PUT /)" + m_bucket + R"(/P/a.log": [503, 503]})");
  proxied_store()->upload_file(source("a.log", "hello"), loc("P/a.log"));
  EXPECT_EQ(stored("P/a.log"), "hello");
  EXPECT_EQ(proxy_count("PUT /" + m_bucket + "/P/a.log"), 3);
  EXPECT_NE(log().find("retrying upload of s3://" + m_bucket + "/P/a.log"), std::string::npos)
      << log();
}

TEST_P(S3StoreTest, Permanent403FailsFastNamingTheFile) {
  faults(R"({"PUT /)" + m_bucket + R"(/P/b.log": [403, 403, 403]})");
  auto s = proxied_store();
  const std::vector<storage::UploadItem> items{{source("a.log", "a"), loc("P/a.log")},
                                               {source("b.log", "b"), loc("P/b.log")}};
  try {
    storage::upload_files(*s, items, 2);
    ADD_FAILURE() << "expected a failure";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("failed to upload 1/2 files:\n  s3://" + m_bucket
                                              + "/P/b.log (from " + items[1].source.string()
                                              + "): ",
                                          0),
              0u)
        << e.what();
    EXPECT_NE(e.exit_code(), ExitCode::success);
  }
  EXPECT_EQ(proxy_count("PUT /" + m_bucket + "/P/b.log"), 1);
  EXPECT_TRUE(client().head(m_bucket, "P/a.log").has_value());
}

INSTANTIATE_TEST_SUITE_P(S3,
                         S3StoreTest,
                         ::testing::Values(storage::StoreKind::s3),
                         store_kind_name);

class LocalStoreTest : public StoreTest {};

TEST_P(LocalStoreTest, NeverWritesThroughASymlinkInTheStagingTree) {
  const auto staging = m_dir.path() / "staging";
  const auto outside = m_dir.path() / "outside";
  std::filesystem::create_directories(staging / "P");
  std::filesystem::create_directories(outside);
  std::filesystem::create_directory_symlink(outside, staging / "P" / "logs");
  EXPECT_ERROR(store()->upload_file(source("a.log", "a"), loc("P/logs/g/a.log")),
               LocalIoError,
               (staging / "P" / "logs").string() + " is a symlink or not a directory");
  EXPECT_TRUE(std::filesystem::is_empty(outside));
}

TEST_P(LocalStoreTest, ReplacesAFinalSymlinkInsteadOfWritingThroughIt) {
  const auto staging = m_dir.path() / "staging";
  const auto target = m_dir.path() / "target.txt";
  write_file(target, "keep");
  std::filesystem::create_directories(staging / "P");
  std::filesystem::create_symlink(target, staging / "P" / "a.log");
  store()->upload_file(source("a.log", "new"), loc("P/a.log"));
  EXPECT_EQ(read_file(target), "keep");
  EXPECT_FALSE(std::filesystem::is_symlink(staging / "P" / "a.log"));
  EXPECT_EQ(read_file(staging / "P" / "a.log"), "new");
}

TEST_P(LocalStoreTest, PreservesModificationTime) {
  const auto src = source("a.log", "a");
  const auto when = std::filesystem::file_time_type::clock::now() - std::chrono::hours(48);
  std::filesystem::last_write_time(src, when);
  store()->upload_file(src, loc("P/a.log"));
  EXPECT_EQ(std::filesystem::last_write_time(m_dir.path() / "staging/P/a.log"), when);
}

INSTANTIATE_TEST_SUITE_P(Local,
                         LocalStoreTest,
                         ::testing::Values(storage::StoreKind::local_dir),
                         store_kind_name);

} // namespace
} // namespace rockart::test
