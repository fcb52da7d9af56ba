// SPDX-License-Identifier: MIT
// s3::Client through tests/fakes/fault_proxy.py in front of moto: every fault
// ends in a correct result after retries or in a clear error, never in a
// silently short or corrupt file, and failed multipart uploads are aborted.
#include "s3_fixture.hpp"

#include <rockart/error.hpp>

namespace rockart::test {
namespace {

using std::chrono::milliseconds;

class S3FaultTest : public S3Servers {
protected:
  void SetUp() override {
    S3Servers::SetUp();
    util::set_log_sink([this](util::LogLevel, std::string_view line) {
      const std::lock_guard lock(m_log_mutex);
      m_log += std::string(line) + "\n";
    });
  }

  std::string log() {
    const std::lock_guard lock(m_log_mutex);
    return m_log;
  }

  std::size_t files_in(const std::filesystem::path& dir) {
    return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
  }

  // Multipart uploads still open in the bucket (ListMultipartUploads).
  std::string open_uploads() {
    http::Request request;
    request.url = s_moto->url() + "/" + m_bucket + "?uploads";
    return m_transport.perform(request).body;
  }

  std::string path(const std::string& key) { return "/" + m_bucket + "/" + key; }

  std::mutex m_log_mutex;
  std::string m_log;
};

TEST_F(S3FaultTest, ResetMidBodyResumesTheDownload) {
  const std::string data = test_bytes(4 << 20, 10);
  client().put(m_bucket, "obj", data);
  faults(R"({"GET )" + path("obj") + R"(": ["reset@1048576"]})");
  const auto dest = m_dir.path() / "obj";
  std::vector<std::uint64_t> progress;
  proxied()->download(m_bucket, "obj", dest, [&](std::uint64_t done) { progress.push_back(done); });
  EXPECT_EQ(read_file(dest), data);
  EXPECT_EQ(proxy_count("GET " + path("obj")), 2);
  EXPECT_EQ(proxy_count("HEAD " + path("obj")), 0); // size and ETag came with the first GET
  // Resumed, not restarted: progress never went back.
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), data.size());
  EXPECT_NE(log().find("retrying download of s3://" + m_bucket + "/obj in "), std::string::npos)
      << log();
}

TEST_F(S3FaultTest, PlainDownloadAndGetCostOneGetAndNoHead) {
  const std::string data = test_bytes(200'000, 17);
  client().put(m_bucket, "one", data);
  const auto dest = m_dir.path() / "one";
  const auto info = proxied()->download(m_bucket, "one", dest);
  EXPECT_EQ(read_file(dest), data);
  EXPECT_EQ(info.size, data.size());
  EXPECT_EQ(info.etag, client().head(m_bucket, "one")->etag);
  EXPECT_EQ(proxy_count("GET " + path("one")), 1);
  EXPECT_EQ(proxy_count("HEAD " + path("one")), 0);
  std::string part;
  proxied()->get(
      m_bucket, "one", [&](std::string_view c) { part.append(c); }, std::pair{100ull, 199ull});
  EXPECT_EQ(part, data.substr(100, 100));
  EXPECT_EQ(proxy_count("GET " + path("one")), 2);
  EXPECT_EQ(proxy_count("HEAD " + path("one")), 0);
}

TEST_F(S3FaultTest, ObjectReplacedBeforeTheResumeIsAClearError) {
  const std::string data = test_bytes(300'000, 18);
  client().put(m_bucket, "v", data);
  const std::string old_etag = client().head(m_bucket, "v")->etag;
  faults(R"({"GET )" + path("v") + R"(": ["truncate@1000"]})");
  bool replaced = false;
  const auto sink = [&](std::string_view) {
    if (!replaced) {
      replaced = true; // a new version lands while the first attempt is under way
      client().put(m_bucket, "v", test_bytes(300'000, 19));
    }
  };
  EXPECT_ERROR(proxied()->get(m_bucket, "v", sink),
               IntegrityError,
               "cannot get s3://" + m_bucket
                   + "/v: the object changed during the transfer (it no longer has ETag " + old_etag
                   + ")");
  EXPECT_EQ(proxy_count("GET " + path("v")), 2); // 412 is final, not retried
}

TEST_F(S3FaultTest, SlowDownWithRetryAfterIsHonouredThenSucceeds) {
  faults(R"({"PUT )" + path("k")
         + R"(": [{"status": 503, "code": "SlowDown", "retry_after": 1}]})");
  proxied()->put(m_bucket, "k", "payload");
  EXPECT_EQ(m_sleeper.delays(), std::vector<milliseconds>{milliseconds(1000)});
  EXPECT_NE(log().find("retrying put of s3://" + m_bucket
                       + "/k in 1.0 s (attempt 2/4): HTTP 503 SlowDown"),
            std::string::npos)
      << log();
  EXPECT_EQ(client().head(m_bucket, "k")->size, 7u);
}

TEST_F(S3FaultTest, PersistentSlowDownEndsInAClearError) {
  faults(R"({"GET /)" + m_bucket + R"(": [503, 503, 503, 503]})");
  EXPECT_ERROR(proxied()->list(m_bucket, "p/"),
               http::StatusError,
               "cannot list s3://" + m_bucket
                   + "/p/: HTTP 503 SlowDown: injected by fault_proxy "
                     "(503 SlowDown) (request id FAULTPROXY0001)");
  EXPECT_EQ(proxy_count("GET /" + m_bucket), 4);
}

TEST_F(S3FaultTest, DroppedConnectionsEndInAnErrorNamingTheObject) {
  // libcurl may resend once by itself when a reused connection dies, so queue plenty.
  faults(R"({"PUT )" + path("k")
         + R"(": ["drop", "drop", "drop", "drop", "drop", "drop", "drop", "drop"]})");
  EXPECT_ERROR(proxied()->put(m_bucket, "k", "x"),
               NetworkError,
               "cannot put s3://" + m_bucket + "/k: PUT " + s_proxy->url() + path("k") + ": ");
  EXPECT_GE(proxy_count("PUT " + path("k")), 4); // 4 attempts, each maybe resent once
  EXPECT_LE(proxy_count("PUT " + path("k")), 8);
}

TEST_F(S3FaultTest, TruncatedBodyIsResumed) {
  const std::string data = test_bytes(300'000, 11);
  client().put(m_bucket, "t", data);
  faults(R"({"GET )" + path("t") + R"(": ["truncate@1000", "truncate@5000"]})");
  std::string received;
  proxied()->get(m_bucket, "t", [&](std::string_view c) { received.append(c); });
  EXPECT_EQ(received, data);
  EXPECT_EQ(proxy_count("GET " + path("t")), 3);
}

TEST_F(S3FaultTest, AlwaysTruncatedBodyIsAClearErrorAndLeavesNoFile) {
  client().put(m_bucket, "t", test_bytes(300'000, 12));
  faults(R"({"GET )" + path("t")
         + R"(": ["truncate@0", "truncate@0", "truncate@0", "truncate@0"]})");
  const auto dest = m_dir.path() / "out" / "t";
  EXPECT_ERROR(proxied()->download(m_bucket, "t", dest),
               NetworkError,
               "cannot download s3://" + m_bucket + "/t (0 of 300000 bytes received): ");
  EXPECT_FALSE(std::filesystem::exists(dest));
  EXPECT_EQ(files_in(dest.parent_path()), 0u); // the temp file is gone too
  EXPECT_NE(log().find("giving up on download of s3://" + m_bucket + "/t after 4 attempts"),
            std::string::npos)
      << log();
}

TEST_F(S3FaultTest, TransferThatKeepsProgressingOutlastsTheRetryBudget) {
  const std::string data = test_bytes(300'000, 16);
  client().put(m_bucket, "t", data);
  std::string six_cuts;
  for (int i = 0; i < 6; ++i) {
    six_cuts += std::string(i == 0 ? "" : ", ") + "\"truncate@1000\"";
  }
  faults(R"({"GET )" + path("t") + "\": [" + six_cuts + "]}");
  const auto dest = m_dir.path() / "t";
  proxied()->download(m_bucket, "t", dest); // 4 attempts per budget, 7 needed
  EXPECT_EQ(read_file(dest), data);
  EXPECT_EQ(proxy_count("GET " + path("t")), 7);
  EXPECT_NE(log().find("resuming download of s3://" + m_bucket + "/t at byte 4000"),
            std::string::npos)
      << log();
}

TEST_F(S3FaultTest, StalledBodyIsAbandonedAndRetried) {
  const std::string data = test_bytes(200'000, 13);
  client().put(m_bucket, "slow", data);
  http::CurlOptions curl;
  curl.timeouts.stall_bytes_per_second = 50'000;
  curl.timeouts.stall_time = std::chrono::seconds(1);
  http::CurlTransport impatient(curl);
  s3::Client client_via_proxy(config_for(s_proxy->url()), impatient, m_sleeper, fast_options());
  faults(R"({"GET )" + path("slow") + R"(": ["slow@2000"]})");
  std::string received;
  const auto start = std::chrono::steady_clock::now();
  client_via_proxy.get(m_bucket, "slow", [&](std::string_view c) { received.append(c); });
  EXPECT_EQ(received, data);
  EXPECT_EQ(proxy_count("GET " + path("slow")), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(S3FaultTest, FailedPartAbortsTheMultipartUpload) {
  const auto src = m_dir.path() / "big";
  write_file(src, test_bytes(12 << 20, 14));
  s3::ClientOptions options = fast_options();
  options.multipart_threshold = 5 << 20;
  options.part_size = 5 << 20;
  options.parallel_parts = 2;
  faults(R"({"PUT )" + path("big") + R"(?partNumber=2*": [400]})");
  EXPECT_ERROR(proxied(options)->upload(src, m_bucket, "big"),
               http::StatusError,
               "cannot upload s3://" + m_bucket + "/big: HTTP 400 BadRequest");
  EXPECT_EQ(proxy_count("DELETE " + path("big")), 1);
  EXPECT_EQ(open_uploads().find("<Upload>"), std::string::npos) << open_uploads();
  EXPECT_FALSE(client().head(m_bucket, "big"));
}

TEST_F(S3FaultTest, ErrorInsideA200CompleteIsRetried) {
  const auto src = m_dir.path() / "big";
  write_file(src, test_bytes(11 << 20, 15));
  s3::ClientOptions options = fast_options();
  options.multipart_threshold = 5 << 20;
  options.part_size = 5 << 20;
  faults(R"({"POST )" + path("big")
         + R"(?uploadId*": [{"status": 200, "code": "InternalError", "message": "try again"}]})");
  proxied(options)->upload(src, m_bucket, "big");
  const std::string line = "retrying upload of s3://" + m_bucket + "/big in ";
  const auto at = log().find(line);
  ASSERT_NE(at, std::string::npos) << log();
  EXPECT_NE(log().find("(attempt 2/4): HTTP 200 InternalError", at), std::string::npos) << log();
  EXPECT_EQ(client().head(m_bucket, "big")->size, 11u << 20);
}

TEST_F(S3FaultTest, ErrorInsideA200CopyIsRetriedAndThenReported) {
  client().put(m_bucket, "src", "copy me");
  faults(R"({"PUT )" + path("dst") + R"(": [{"status": 200, "code": "InternalError"}]})");
  proxied()->copy(m_bucket, "src", m_bucket, "dst");
  EXPECT_EQ(client().head(m_bucket, "dst")->size, 7u);
  faults(R"({"PUT )" + path("dst2") + R"(": [{"status": 200, "code": "AccessDenied"}]})");
  EXPECT_ERROR(proxied()->copy(m_bucket, "src", m_bucket, "dst2"),
               AuthError,
               "cannot copy s3://" + m_bucket + "/dst2: HTTP 200 AccessDenied");
}

TEST_F(S3FaultTest, ForbiddenSaysWhereCredentialsCameFrom) {
  faults(R"({"HEAD )" + path("k") + R"(": [403]})");
  try {
    proxied()->head(m_bucket, "k");
    ADD_FAILURE() << "expected AuthError";
  } catch (const AuthError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot head s3://" + m_bucket + "/k: HTTP 403 (request id FAULTPROXY0001)");
    EXPECT_NE(e.hint().find("credentials from environment (access key ****ting) were rejected"),
              std::string::npos)
        << e.hint();
    EXPECT_NE(e.hint().find("the region in use is us-east-2 (from AWS_REGION)"), std::string::npos);
    EXPECT_EQ(e.hint().find("testing"), std::string::npos); // never the secret
  }
  EXPECT_EQ(proxy_count("HEAD " + path("k")), 1); // 403 is never retried
}

} // namespace
} // namespace rockart::test
