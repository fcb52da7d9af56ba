// SPDX-License-Identifier: MIT
// fetch_archives() against moto through the fault proxy, with tiny byte ranges
// so one archive spans many GETs: in-order reassembly, resume after resets in
// several ranges, whole-archive retry after a digest mismatch, and cleanup.
#include "support/moto_config.hpp"
#include "support/support.hpp"

#include <rockart/archive/tar_writer.hpp>
#include <rockart/cache/cache.hpp>
#include <rockart/error.hpp>
#include <rockart/fetch/pipeline.hpp>
#include <rockart/http/counting_transport.hpp>
#include <rockart/http/curl_transport.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/util/hash.hpp>

#include <gtest/gtest.h>

#include <random>

namespace rockart::fetch {
namespace {

namespace fs = std::filesystem;
using test::read_file;

// Noisy data that zstd cannot shrink much, so the archive spans many ranges.
std::string noise(std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(random() % 7 + 'a');
  }
  return out;
}

// Writes `{dir}/{name}` with a manifest, two files, a symlink and a hardlink.
fs::path make_archive(const fs::path& dir, const std::string& name, unsigned seed) {
  const fs::path path = dir / name;
  archive::TarWriter writer(path, archive::Compression::zstd);
  writer.add_file("artifact_manifest.txt", "pkg/stage\n");
  writer.add_file("pkg/stage/lib/libx.so.1", noise(900'000, seed), 0755);
  writer.add_symlink("pkg/stage/lib/libx.so", "libx.so.1");
  writer.add_file("pkg/stage/share/data.txt", noise(300'000, seed + 1));
  writer.add_hardlink("pkg/stage/share/same.txt", "pkg/stage/share/data.txt");
  writer.finish();
  return path;
}

// The pipeline never asks GitHub: the run is already resolved.
class NoGithub final : public github::RunSource {
public:
  github::WorkflowRun get_run(std::string_view, std::uint64_t) override {
    throw UsageError("the pipeline asked GitHub");
  }

  std::optional<std::vector<github::WorkflowRun>>
  runs_for_commit(std::string_view, std::string_view, std::string_view) override {
    throw UsageError("the pipeline asked GitHub");
  }
};

class Pipeline : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_moto = test::start_moto();
    if (s_moto->ok()) {
      s_proxy = test::start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
    }
  }

  static void TearDownTestSuite() {
    s_proxy.reset();
    s_moto.reset();
  }

  void SetUp() override {
    if (!s_moto->ok() || !s_proxy || !s_proxy->ok()) {
      ROCKART_SKIP_OR_FAIL("cannot start moto and fault_proxy.py");
    }
    control("/__reset", "");
    const s3::S3Config config = test::moto_s3_config(s_proxy->url());
    s3::ClientOptions options;
    options.retry.base_delay = std::chrono::milliseconds(1);
    options.retry.max_delay = std::chrono::milliseconds(5);
    m_client = std::make_unique<s3::Client>(config, m_counting, m_sleeper, options);
    m_objects = std::make_unique<runs::S3RunObjects>(*m_client);
    m_bucket = "pipeline-" + std::to_string(s_counter++);
    m_client->create_bucket(m_bucket);
    m_run.repo = "ROCm/TheRock";
    m_run.id = 7;
    m_run.platform = "linux";
    m_run.bucket = m_bucket;
    m_run.prefix = "7-linux/";
    m_run.completed = true;
  }

  // Fetches `plan` of run 7 with the blob cache `cache` (nullptr: none).
  FetchSummary fetch(const std::vector<PlannedArchive>& plan,
                     const FetchOptions& o,
                     cache::Cache* cache = nullptr,
                     bool offline = false) {
    runs::RunCatalog catalog({m_github, *m_objects, cache, offline});
    return fetch_archives(*m_client, catalog, m_run, plan, o);
  }

  PlannedArchive upload(const fs::path& file, std::optional<std::string> digest = {}) {
    const std::string name = file.filename().string();
    m_client->upload(file, m_bucket, "7-linux/" + name);
    m_client->put(m_bucket,
                  "7-linux/" + name + ".sha256sum",
                  digest.value_or(util::sha256_hex(read_file(file))) + "\n");
    const auto companion = m_client->head(m_bucket, "7-linux/" + name + ".sha256sum");
    PlannedArchive archive;
    archive.name = name;
    archive.size = fs::file_size(file);
    archive.companion = runs::RunFile{name + ".sha256sum", 65, companion->etag};
    return archive;
  }

  FetchOptions options(Mode mode) const {
    FetchOptions o;
    o.mode = mode;
    o.output_dir = m_work.path() / "out";
    o.single_get_bytes = 64 * 1024;
    o.chunk_bytes = 64 * 1024; // many ranges per archive
    o.window_chunks = 3;
    o.pipe_bytes = 32 * 1024;
    o.archive_retry.base_delay = std::chrono::milliseconds(1);
    return o;
  }

  void control(const std::string& path, const std::string& body) {
    http::Request request;
    request.method = "POST";
    request.url = s_proxy->url() + path;
    request.body = body;
    ASSERT_EQ(m_transport.perform(request).status, 200);
  }

  static inline std::unique_ptr<test::LocalServer> s_moto;
  static inline std::unique_ptr<test::LocalServer> s_proxy;
  static inline int s_counter = 0;
  test::TempDir m_work;
  http::CurlTransport m_transport;
  http::CountingTransport m_counting{m_transport};
  http::RealSleeper m_sleeper;
  NoGithub m_github;
  std::unique_ptr<s3::Client> m_client;
  std::unique_ptr<runs::S3RunObjects> m_objects;
  std::string m_bucket;
  runs::Run m_run;
};

TEST_F(Pipeline, ReassemblesManyRangesInOrderDespiteResets) {
  const auto a = make_archive(m_work.path(), "a_lib_generic.tar.zst", 1);
  const auto b = make_archive(m_work.path(), "b_lib_generic.tar.zst", 2);
  const std::vector<PlannedArchive> plan = {upload(a), upload(b)};
  ASSERT_GT(plan[0].size, 6 * 64 * 1024u); // at least 7 ranges
  const std::string key = "GET /" + m_bucket + "/7-linux/a_lib_generic.tar.zst";
  control("/__faults", "{\"" + key + "\": [\"pass\", \"reset@1000\", \"pass\", \"reset@50000\"]}");
  const auto summary = fetch(plan, options(Mode::flatten));
  ASSERT_EQ(summary.failures(), 0u) << summary.archives[0].error << summary.archives[1].error;
  const fs::path out = m_work.path() / "out";
  EXPECT_EQ(read_file(out / "lib/libx.so.1").size(), 900'000u);
  EXPECT_EQ(fs::read_symlink(out / "lib/libx.so"), "libx.so.1");
  EXPECT_TRUE(fs::equivalent(out / "share/data.txt", out / "share/same.txt"));
  EXPECT_EQ(summary.archives[0].sha256, util::sha256_hex(read_file(a)));
  EXPECT_TRUE(summary.archives[0].verified);
  EXPECT_EQ(summary.bytes, plan[0].size + plan[1].size);
}

TEST_F(Pipeline, MismatchIsRetriedThenFailsLeavingNothing) {
  const auto a = make_archive(m_work.path(), "a_lib_generic.tar.zst", 3);
  const std::string wrong(64, '0');
  const std::vector<PlannedArchive> plan = {upload(a, wrong)};
  for (Mode mode : {Mode::extract, Mode::flatten, Mode::no_extract}) {
    const auto summary = fetch(plan, options(mode));
    ASSERT_EQ(summary.failures(), 1u);
    EXPECT_EQ(summary.archives[0].error_kind, "integrity");
    EXPECT_EQ(summary.archives[0].error,
              "sha256 mismatch for a_lib_generic.tar.zst: expected " + wrong
                  + " (from a_lib_generic.tar.zst.sha256sum), got "
                  + util::sha256_hex(read_file(a)));
    EXPECT_EQ(summary.bytes, 3 * plan[0].size); // three whole attempts
    EXPECT_TRUE(fs::is_empty(m_work.path() / "out"));
  }
}

TEST_F(Pipeline, KeepsTheArchiveWhenAskedAndReusesItVerified) {
  const auto a = make_archive(m_work.path(), "a_lib_generic.tar.zst", 4);
  const std::vector<PlannedArchive> plan = {upload(a)};
  auto o = options(Mode::extract);
  o.delete_after_extract = false;
  auto summary = fetch(plan, o);
  ASSERT_EQ(summary.failures(), 0u) << summary.archives[0].error;
  const fs::path out = m_work.path() / "out";
  EXPECT_EQ(read_file(out / "a_lib_generic.tar.zst"), read_file(a));
  EXPECT_TRUE(fs::exists(out / "a_lib_generic/pkg/stage/lib/libx.so.1"));
  o.delete_after_extract = true;
  summary = fetch(plan, o);
  ASSERT_EQ(summary.failures(), 0u) << summary.archives[0].error;
  EXPECT_TRUE(summary.archives[0].cached);
  EXPECT_EQ(summary.bytes, 0u);
  EXPECT_FALSE(fs::exists(out / "a_lib_generic.tar.zst"));
}

// Bisect's prefetch: cache_only fills the blob cache and touches no output
// directory; a later flatten is served from the cache without a GET, and an
// offline one without any request.
TEST_F(Pipeline, CacheOnlyFillsTheBlobCacheThatALaterFlattenUsesWithoutAGet) {
  const auto a = make_archive(m_work.path(), "a_lib_generic.tar.zst", 5);
  const std::vector<PlannedArchive> plan = {upload(a)};
  auto cache = cache::Cache::open({m_work.path() / "cache"});
  auto o = options(Mode::cache_only);
  o.output_dir.clear();
  auto summary = fetch(plan, o, &cache);
  ASSERT_EQ(summary.failures(), 0u) << summary.archives[0].error;
  EXPECT_EQ(summary.bytes, plan[0].size);
  EXPECT_TRUE(cache.find_blob(util::sha256_hex(read_file(a))).has_value());
  EXPECT_FALSE(fs::exists(m_work.path() / "out"));

  const auto before = m_counting.count();
  summary = fetch(plan, options(Mode::flatten), &cache, /*offline=*/true);
  ASSERT_EQ(summary.failures(), 0u) << summary.archives[0].error;
  EXPECT_TRUE(summary.archives[0].from_cache);
  EXPECT_EQ(summary.bytes, 0u);
  EXPECT_EQ(m_counting.count(), before); // digest and bytes both from the cache
  EXPECT_EQ(read_file(m_work.path() / "out/lib/libx.so.1").size(), 900'000u);
}

TEST_F(Pipeline, CacheOnlyRefusesAnArchiveWithoutCompanionBeforeAnyGet) {
  const auto a = make_archive(m_work.path(), "a_lib_generic.tar.zst", 6);
  m_client->upload(a, m_bucket, "7-linux/a_lib_generic.tar.zst");
  PlannedArchive unverified;
  unverified.name = "a_lib_generic.tar.zst";
  unverified.size = fs::file_size(a);
  const std::vector<PlannedArchive> plan = {unverified};
  auto cache = cache::Cache::open({m_work.path() / "cache"});
  auto o = options(Mode::cache_only);
  o.allow_unverified = true;
  const auto before = m_counting.count();
  const auto summary = fetch(plan, o, &cache);
  ASSERT_EQ(summary.failures(), 1u);
  EXPECT_EQ(summary.archives[0].error_kind, "integrity");
  EXPECT_EQ(m_counting.count(), before);
  ASSERT_TRUE(summary.archives[0].failure);
  EXPECT_THROW(std::rethrow_exception(summary.archives[0].failure), IntegrityError);
}

} // namespace
} // namespace rockart::fetch
