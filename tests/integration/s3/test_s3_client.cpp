// SPDX-License-Identifier: MIT
// s3::Client against moto's S3 server: listing, HEAD, ranged GET, download,
// PutObject, multipart upload, server-side copy, delete and error decoding.
#include "s3_fixture.hpp"

#include <rockart/error.hpp>

#include <algorithm>
#include <fstream>

namespace rockart::test {
namespace {

using s3::ObjectInfo;

class S3ClientTest : public S3Servers {
protected:
  std::string get_all(const std::string& key,
                      std::optional<std::pair<std::uint64_t, std::uint64_t>> range = {}) {
    std::string out;
    client().get(
        m_bucket, key, [&](std::string_view chunk) { out.append(chunk); }, range);
    return out;
  }

  // Puts `count` small objects named `prefix`NNNNN from 8 threads.
  void put_many(const std::string& prefix, int count) {
    std::atomic<int> next{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 8; ++t) {
      pool.emplace_back([&] {
        for (int i = next++; i < count; i = next++) {
          char name[16];
          std::snprintf(name, sizeof name, "%05d", i);
          client().put(m_bucket, prefix + name, std::string(static_cast<std::size_t>(i % 7), 'x'));
        }
      });
    }
    for (auto& t : pool) {
      t.join();
    }
  }
};

TEST_F(S3ClientTest, ListPaginatesThroughMoreThanOneThousandKeys) {
  put_many("many/", 2500);
  client().put(m_bucket, "other/outside", "not listed");
  const std::vector<ObjectInfo> objects = client().list(m_bucket, "many/");
  ASSERT_EQ(objects.size(), 2500u);
  for (int i = 0; i < 2500; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "many/%05d", i);
    ASSERT_EQ(objects[static_cast<std::size_t>(i)].key, name);
    ASSERT_EQ(objects[static_cast<std::size_t>(i)].size, static_cast<std::uint64_t>(i % 7));
  }
  EXPECT_EQ(client().list(m_bucket, "many/01").size(), 1000u);
  EXPECT_TRUE(client().list(m_bucket, "nothing/").empty());
}

TEST_F(S3ClientTest, ListChildrenReturnsDirectChildrenAndDecodesKeys) {
  for (const char* key :
       {"run/a.txt", "run/x y+z%.txt", "run/sub/1", "run/sub/2", "run/t&u/3", "runner/no"}) {
    client().put(m_bucket, key, "data");
  }
  const s3::Listing listing = client().list_children(m_bucket, "run/");
  std::vector<std::string> keys;
  for (const auto& o : listing.objects) {
    keys.push_back(o.key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"run/a.txt", "run/x y+z%.txt"}));
  EXPECT_EQ(listing.common_prefixes, (std::vector<std::string>{"run/sub/", "run/t&u/"}));
  const s3::Listing root = client().list_children(m_bucket, "");
  EXPECT_TRUE(root.objects.empty());
  EXPECT_EQ(root.common_prefixes, (std::vector<std::string>{"run/", "runner/"}));
}

TEST_F(S3ClientTest, HeadReportsObjectsAndAbsentKeysAsNullopt) {
  client().put(m_bucket, "dir/file.json", "{\"a\": 1}", "application/json");
  const auto info = client().head(m_bucket, "dir/file.json");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, 8u);
  EXPECT_EQ(info->content_type, "application/json");
  EXPECT_EQ(info->etag.size(), 32u); // MD5 of a single-part object, quotes removed
  EXPECT_EQ(info->last_modified.size(), 20u);
  EXPECT_FALSE(client().head(m_bucket, "dir/absent").has_value());
  EXPECT_FALSE(client().head(m_bucket, "dir/file.json/").has_value());
}

TEST_F(S3ClientTest, GetStreamsWholeObjectsAndByteRanges) {
  const std::string data = test_bytes(100'000, 1);
  client().put(m_bucket, "ranges/blob", data);
  EXPECT_EQ(get_all("ranges/blob"), data);
  EXPECT_EQ(get_all("ranges/blob", std::pair{10ull, 19ull}), data.substr(10, 10));
  EXPECT_EQ(get_all("ranges/blob", std::pair{99'990ull, 200'000ull}), data.substr(99'990));
  EXPECT_EQ(get_all("ranges/blob", std::pair{0ull, 0ull}), data.substr(0, 1));
  EXPECT_ERROR(get_all("ranges/blob", std::pair{100'000ull, 100'001ull}),
               UsageError,
               "cannot read bytes 100000-100001 of s3://" + m_bucket
                   + "/ranges/blob: the object has 100000 bytes");
  client().put(m_bucket, "ranges/empty", "");
  EXPECT_EQ(get_all("ranges/empty"), "");
}

TEST_F(S3ClientTest, DownloadWritesTheFileAtomically) {
  const std::string data = test_bytes(3 << 20, 2);
  client().put(m_bucket, "dl/obj.bin", data);
  const auto dest = m_dir.path() / "deep" / "obj.bin";
  std::uint64_t last_progress = 0;
  const ObjectInfo info = client().download(
      m_bucket, "dl/obj.bin", dest, [&](std::uint64_t done) { last_progress = done; });
  EXPECT_EQ(info.size, data.size());
  EXPECT_EQ(last_progress, data.size());
  EXPECT_EQ(read_file(dest), data);
  EXPECT_ERROR(client().download(m_bucket, "dl/missing", m_dir.path() / "missing"),
               NotFoundError,
               "cannot download s3://" + m_bucket + "/dl/missing: no such key");
  EXPECT_FALSE(std::filesystem::exists(m_dir.path() / "missing"));
  // Only the finished file is left behind: no temp files.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dest.parent_path()), {}), 1);
}

TEST_F(S3ClientTest, UploadsSmallFilesWithPutObject) {
  const auto src = m_dir.path() / "small.tar.zst";
  write_file(src, test_bytes(1000, 3));
  client().upload(src, m_bucket, "up/small.tar.zst", "application/zstd");
  const auto info = client().head(m_bucket, "up/small.tar.zst");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->content_type, "application/zstd");
  EXPECT_EQ(get_all("up/small.tar.zst"), test_bytes(1000, 3));
  EXPECT_ERROR(client().upload(m_dir.path() / "nope", m_bucket, "up/nope"),
               LocalIoError,
               "cannot upload " + (m_dir.path() / "nope").string() + " to s3://" + m_bucket
                   + "/up/nope: ");
}

TEST_F(S3ClientTest, MultipartUploadOf100MiBWithParallelParts) {
  const auto src = m_dir.path() / "big.bin";
  {
    std::ofstream out(src, std::ios::binary);
    for (int i = 0; i < 25; ++i) {
      const std::string chunk = test_bytes(4 << 20, 100 + static_cast<std::uint64_t>(i));
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }
  }
  s3::ClientOptions options = fast_options();
  options.part_size = 8 << 20;
  options.parallel_parts = 4;
  s3::Client uploader(config_for(s_moto->url()), m_transport, m_sleeper, options);
  std::uint64_t last = 0;
  uploader.upload(src, m_bucket, "mp/big.bin", "application/octet-stream", [&](std::uint64_t d) {
    EXPECT_GE(d, last);
    last = d;
  });
  EXPECT_EQ(last, 100ull << 20);
  const auto info = client().head(m_bucket, "mp/big.bin");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 100ull << 20);
  EXPECT_EQ(info->etag.substr(info->etag.size() - 3), "-13"); // 12 parts of 8 MiB + 1 of 4 MiB
  const auto dest = m_dir.path() / "big.copy";
  client().download(m_bucket, "mp/big.bin", dest);
  EXPECT_EQ(file_sha256(dest), file_sha256(src));
}

TEST_F(S3ClientTest, CopiesServerSide) {
  const std::string data = test_bytes(70'000, 4);
  client().put(m_bucket, "src/a b+c.txt", data, "text/plain");
  client().copy(m_bucket, "src/a b+c.txt", m_bucket, "dst/copy.txt");
  EXPECT_EQ(get_all("dst/copy.txt"), data);
  EXPECT_EQ(client().head(m_bucket, "dst/copy.txt")->content_type, "text/plain");
  EXPECT_ERROR(client().copy(m_bucket, "src/missing", m_bucket, "dst/x"),
               NotFoundError,
               "cannot copy s3://" + m_bucket + "/src/missing to s3://" + m_bucket
                   + "/dst/x: no such source key");
}

TEST_F(S3ClientTest, CopiesLargeObjectsWithUploadPartCopy) {
  const std::string data = test_bytes(12 << 20, 5);
  client().put(m_bucket, "src/large.bin", data, "application/x-tar");
  s3::ClientOptions options = fast_options();
  options.copy_multipart_threshold = 1 << 20;
  options.copy_part_size = 5 << 20;
  options.parallel_parts = 3;
  s3::Client copier(config_for(s_moto->url()), m_transport, m_sleeper, options);
  copier.copy(m_bucket, "src/large.bin", m_bucket, "dst/large.bin");
  const auto info = client().head(m_bucket, "dst/large.bin");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->etag.substr(info->etag.size() - 2), "-3"); // 5 + 5 + 2 MiB
  EXPECT_EQ(info->content_type, "application/x-tar");
  EXPECT_EQ(util::sha256_hex(get_all("dst/large.bin")), util::sha256_hex(data));
}

TEST_F(S3ClientTest, DeletesObjectsAndToleratesAbsentKeys) {
  client().put(m_bucket, "del/k", "x");
  client().remove(m_bucket, "del/k");
  EXPECT_FALSE(client().head(m_bucket, "del/k"));
  EXPECT_NO_THROW(client().remove(m_bucket, "del/k"));
}

TEST_F(S3ClientTest, DecodesErrors) {
  EXPECT_ERROR(client().list("rockart-no-such-bucket", "p/"),
               NotFoundError,
               "cannot list s3://rockart-no-such-bucket/p/: no such bucket (HTTP 404 NoSuchBucket: "
               "The specified bucket does not exist");
  try {
    get_all("absent/key");
    ADD_FAILURE() << "expected NotFoundError";
  } catch (const NotFoundError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot get s3://" + m_bucket + "/absent/key: no such key");
    EXPECT_EQ(e.exit_code(), ExitCode::not_found);
  }
  EXPECT_ERROR(client().download("rockart-no-such-bucket", "k", m_dir.path() / "k"),
               NotFoundError,
               "cannot download s3://rockart-no-such-bucket/k: no such bucket (HTTP 404 "
               "NoSuchBucket");
  EXPECT_ERROR(client().put("rockart-no-such-bucket", "k", "x"),
               NotFoundError,
               "cannot put s3://rockart-no-such-bucket/k: no such bucket (HTTP 404 NoSuchBucket");
}

} // namespace
} // namespace rockart::test
