// SPDX-License-Identifier: MIT
// `rockart s3 ls|cp|rm|mb` end to end: the built binary against moto's S3
// server (one per suite, a fresh bucket per test), the aws CLI for interop,
// and a header-recording S3 fake for what goes on the wire.
#include "support/support.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

namespace rockart::test {
namespace {

namespace fs = std::filesystem;

// Deterministic bytes (xorshift) so any corruption or truncation shows.
std::string test_bytes(std::size_t size, std::uint64_t seed) {
  std::string out(size, '\0');
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x & 0xFF);
  }
  return out;
}

class S3Cli : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_moto = start_moto(); }

  static void TearDownTestSuite() { s_moto.reset(); }

  void SetUp() override {
    if (!s_moto->ok()) {
      ROCKART_SKIP_OR_FAIL("moto S3 server unavailable: " + s_moto->error());
    }
    static std::atomic<int> counter{0};
    m_bucket = "cli-" + std::to_string(counter++);
    const auto r = s3({"mb", "s3://" + m_bucket});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Dummy credentials; the user's real AWS config files are kept out of reach.
  std::map<std::string, std::string> env() const {
    return {{"AWS_ACCESS_KEY_ID", "testing"},
            {"AWS_SECRET_ACCESS_KEY", "testing"},
            {"AWS_REGION", "us-east-2"},
            {"AWS_DEFAULT_REGION", "us-east-2"},
            {"AWS_CONFIG_FILE", (m_dir.path() / "no-config").string()},
            {"AWS_SHARED_CREDENTIALS_FILE", (m_dir.path() / "no-credentials").string()}};
  }

  // `rockart s3 <args> --endpoint-url <moto>`.
  ProcessResult s3(std::vector<std::string> args, const std::string& endpoint = {}) const {
    args.insert(args.begin(), "s3");
    args.push_back("--endpoint-url");
    args.push_back(endpoint.empty() ? s_moto->url() : endpoint);
    RunOptions options;
    options.env = env();
    return run_rockart(args, options);
  }

  std::string uri(const std::string& key) const { return "s3://" + m_bucket + "/" + key; }

  // Uploads `data` as `key` through the CLI.
  void put(const std::string& key, const std::string& data) {
    const fs::path file = m_dir.path() / "put.tmp";
    write_file(file, data);
    const auto r = s3({"cp", file.string(), uri(key)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  static inline std::unique_ptr<LocalServer> s_moto;
  TempDir m_dir;
  std::string m_bucket;
};

// aws-style listing line: "YYYY-MM-DD HH:MM:SS" + size right-aligned in 10 columns + name.
std::string object_line_pattern(std::uint64_t size, const std::string& name) {
  const std::string sz = std::to_string(size);
  return R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d )" + std::string(10 - sz.size(), ' ') + sz + " " + name;
}

TEST_F(S3Cli, LsShowsDirectChildrenAsPreAndObjectLines) {
  put("a.txt", "hello");
  put("dir/b.txt", "bb");
  put("dir/sub/c.txt", "c");
  const auto r = s3({"ls", uri("")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::regex expected(std::string(27, ' ') + "PRE dir/\n" + object_line_pattern(5, "a.txt")
                            + "\n");
  EXPECT_TRUE(std::regex_match(r.out, expected)) << r.out;
}

TEST_F(S3Cli, LsOfASubPrefixNamesChildrenRelativeToIt) {
  put("dir/b.txt", "bb");
  put("dir/sub/c.txt", "c");
  put("dirt.txt", "not below dir/");
  const auto r = s3({"ls", uri("dir/")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::regex expected(std::string(27, ' ') + "PRE sub/\n" + object_line_pattern(2, "b.txt")
                            + "\n");
  EXPECT_TRUE(std::regex_match(r.out, expected)) << r.out;
}

TEST_F(S3Cli, LsRecursiveListsEveryKeyInFullWithSummary) {
  put("a.txt", "hello");
  put("dir/sub/c.txt", std::string(2048, 'c'));
  const auto r = s3({"ls", uri(""), "--recursive", "--summarize", "--human-readable"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::regex expected(R"(\S+ \S+ +5 B a\.txt\n\S+ \S+ +2\.0 KiB dir/sub/c\.txt\n)"
                            "\nTotal Objects: 2\n   Total Size: 2\\.0 KiB\n");
  EXPECT_TRUE(std::regex_match(r.out, expected)) << r.out;
}

TEST_F(S3Cli, LsJsonHasObjectsAndPrefixes) {
  put("a.txt", "hello");
  put("dir/b.txt", "bb");
  const auto r = s3({"ls", uri(""), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["bucket"], m_bucket);
  EXPECT_EQ(doc["prefix"], "");
  EXPECT_EQ(doc["prefixes"], nlohmann::json::array({"dir/"}));
  ASSERT_EQ(doc["objects"].size(), 1u);
  const auto& object = doc["objects"][0];
  EXPECT_EQ(object["key"], "a.txt");
  EXPECT_EQ(object["size"], 5);
  // A single-part ETag is the MD5 of the body ("hello").
  EXPECT_EQ(object["etag"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_TRUE(std::regex_match(object["last_modified"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)")))
      << object;
}

TEST_F(S3Cli, LsOfAnEmptyPrefixExitsNotFound) {
  const auto r = s3({"ls", uri("nothing/"), "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("rockart: error: nothing under " + uri("nothing/")), std::string::npos)
      << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["error"]["kind"], "not-found");
}

TEST_F(S3Cli, CpRoundTripIsByteIdentical) {
  const std::string data = test_bytes(3 << 20, 1);
  const fs::path src = m_dir.path() / "src.bin";
  write_file(src, data);
  auto r = s3({"cp", src.string(), uri("x/round trip+1.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("upload: " + src.string() + " to " + uri("x/round trip+1.bin")),
            std::string::npos)
      << r.err;
  const fs::path back = m_dir.path() / "back.bin";
  r = s3({"cp", uri("x/round trip+1.bin"), back.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(back) == data);
}

TEST_F(S3Cli, CpToAFolderDestinationKeepsTheFileName) {
  const fs::path src = m_dir.path() / "name.txt";
  write_file(src, "payload");
  ASSERT_EQ(s3({"cp", src.string(), uri("folder/")}).exit_code, 0);
  const auto listed = s3({"ls", uri("folder/"), "--json"});
  EXPECT_EQ(nlohmann::json::parse(listed.out)["objects"][0]["key"], "folder/name.txt");

  const fs::path existing = m_dir.path() / "existing";
  fs::create_directories(existing);
  ASSERT_EQ(s3({"cp", uri("folder/name.txt"), existing.string()}).exit_code, 0);
  EXPECT_EQ(read_file(existing / "name.txt"), "payload");
  ASSERT_EQ(s3({"cp", uri("folder/name.txt"), (m_dir.path() / "new").string() + "/"}).exit_code, 0);
  EXPECT_EQ(read_file(m_dir.path() / "new" / "name.txt"), "payload");
}

TEST_F(S3Cli, CpToStdoutWritesTheBody) {
  put("k.txt", "to stdout\n");
  const auto r = s3({"cp", uri("k.txt"), "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "to stdout\n");
}

TEST_F(S3Cli, CpS3ToS3IsAServerSideCopy) {
  const std::string data = test_bytes(100000, 2);
  put("orig/a.bin", data);
  auto r = s3({"cp", uri("orig/a.bin"), uri("copies/")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copy: " + uri("orig/a.bin") + " to " + uri("copies/a.bin")),
            std::string::npos)
      << r.err;
  r = s3({"cp", uri("copies/a.bin"), (m_dir.path() / "copy.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(m_dir.path() / "copy.bin") == data);
}

TEST_F(S3Cli, CpOfAMissingKeyExitsNotFoundAndWritesNothing) {
  const fs::path dest = m_dir.path() / "missing.bin";
  const auto r = s3({"cp", uri("missing.bin"), dest.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rockart: error: cannot download " + uri("missing.bin") + ": no such key"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_EQ(fs::directory_iterator(m_dir.path()), fs::directory_iterator());
}

TEST_F(S3Cli, CpOfAMissingLocalFileExitsNotFound) {
  const auto r = s3({"cp", (m_dir.path() / "absent").string(), uri("k")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot upload " + (m_dir.path() / "absent").string()
                       + ": no such file or directory"),
            std::string::npos)
      << r.err;
}

TEST_F(S3Cli, BadArgumentsExitWithUsageErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };

  const std::vector<Case> cases = {
      {{"cp", "s3:///key", "out"}, "S3 URI without a bucket: 's3:///key'"},
      {{"cp", "a.txt", "b.txt"}, "cannot copy a.txt to b.txt: at least one side must be an s3://"},
      {{"cp", "http://host/x", "s3://b/x"}, "unsupported URI 'http://host/x'"},
      {{"cp", "s3://b/prefix/", "out"}, "'s3://b/prefix/' names a prefix, not an object"},
      {{"ls", "bucket/key"}, "not an S3 URI: 'bucket/key'"},
      {{"rm", "s3://b/dir/"}, "'s3://b/dir/' names a prefix, not an object"},
      {{"mb", "s3://b/key"}, "cannot create bucket from 's3://b/key': it names a key"},
  };
  for (const Case& c : cases) {
    const auto r = s3(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[0] << " " << c.args[1];
    EXPECT_NE(r.err.find("rockart: error: " + c.message), std::string::npos) << r.err;
  }
  // Option values are checked by the parser (below S3's 5 MiB minimum part size).
  const auto r = s3({"cp", "a.txt", "s3://b/k", "--part-size", "1MiB"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--part-size: Value 1048576 not in range 5242880"), std::string::npos)
      << r.err;
}

TEST_F(S3Cli, RecursiveCpRoundTripsATreeAndSkipsSymlinksLeavingIt) {
  const fs::path tree = m_dir.path() / "tree";
  write_file(tree / "top.bin", test_bytes(70000, 3));
  write_file(tree / "a" / "b" / "deep.bin", test_bytes(1 << 20, 4));
  write_file(tree / "a" / "empty.txt", "");
  write_file(m_dir.path() / "secret.txt", "outside the tree");
  fs::create_symlink(m_dir.path() / "secret.txt", tree / "leak.txt");
  fs::create_symlink(tree / "top.bin", tree / "a" / "alias.bin");
  fs::create_directory_symlink(m_dir.path(), tree / "loop");

  auto r = s3({"cp", "--recursive", "--concurrency", "3", tree.string(), uri("up")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipping symlink " + (tree / "leak.txt").string()
                       + ": it points outside the source tree"),
            std::string::npos)
      << r.err;
  r = s3({"ls", "--recursive", uri("up/"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto listed = nlohmann::json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto& object : listed["objects"]) {
    keys.push_back(object["key"]);
  }
  EXPECT_EQ(keys,
            (std::vector<std::string>{
                "up/a/alias.bin", "up/a/b/deep.bin", "up/a/empty.txt", "up/top.bin"}));

  const fs::path down = m_dir.path() / "down";
  r = s3({"cp", "--recursive", uri("up/"), down.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(down / "top.bin") == read_file(tree / "top.bin"));
  EXPECT_TRUE(read_file(down / "a" / "alias.bin") == read_file(tree / "top.bin"));
  EXPECT_TRUE(read_file(down / "a" / "b" / "deep.bin") == read_file(tree / "a" / "b" / "deep.bin"));
  EXPECT_EQ(read_file(down / "a" / "empty.txt"), "");
  EXPECT_NE(r.err.find("download: " + uri("up/top.bin") + " to " + (down / "top.bin").string()),
            std::string::npos)
      << r.err;
}

TEST_F(S3Cli, RecursiveCpBetweenPrefixesCopiesEveryKey) {
  put("src/one.txt", "1");
  put("src/sub/two.txt", "22");
  put("srcx/not-me.txt", "x");
  const auto r = s3({"cp", "--recursive", uri("src"), uri("dst/")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto listed = nlohmann::json::parse(s3({"ls", "--recursive", uri("dst/"), "--json"}).out);
  ASSERT_EQ(listed["objects"].size(), 2u) << listed;
  EXPECT_EQ(listed["objects"][0]["key"], "dst/one.txt");
  EXPECT_EQ(listed["objects"][1]["key"], "dst/sub/two.txt");
}

TEST_F(S3Cli, RecursiveDownloadSkipsKeysThatWouldEscape) {
  // S3 allows keys like "p/../x"; moto cannot store one through an HTTP client
  // (URL paths get normalised), so the recorder fake lists them verbatim.
  auto fake = start_fake("s3_header_recorder.py",
                         {"--object",
                          "p/ok.txt=ok",
                          "--object",
                          "p/../escape.txt=bad",
                          "--object",
                          "p/./dot.txt=dot",
                          "--object",
                          "p/dir/=",
                          "--object",
                          "p/a//b.txt=ab"});
  if (!fake->ok()) {
    ROCKART_SKIP_OR_FAIL("header recorder unavailable: " + fake->error());
  }
  const fs::path down = m_dir.path() / "down";
  const auto r = s3({"cp", "--recursive", "s3://public/p/", down.string()}, fake->url());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(down / "ok.txt"), "ok");
  EXPECT_EQ(read_file(down / "a" / "b.txt"), "ab");
  EXPECT_FALSE(fs::exists(m_dir.path() / "escape.txt"));
  EXPECT_FALSE(fs::exists(down / "dot.txt"));
  EXPECT_FALSE(fs::exists(down / "dir")); // a folder marker, not a file
  for (const std::string key : {"p/../escape.txt", "p/./dot.txt"}) {
    EXPECT_NE(r.err.find("rockart: warn: skipping s3://public/" + key
                         + ": its key would leave the destination"),
              std::string::npos)
        << r.err;
  }
}

TEST_F(S3Cli, RmDeletesAKeyAndThenReportsItMissing) {
  put("gone.txt", "x");
  auto r = s3({"rm", uri("gone.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("delete: " + uri("gone.txt")), std::string::npos) << r.err;
  r = s3({"rm", uri("gone.txt")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("rockart: error: cannot delete " + uri("gone.txt") + ": no such key"),
            std::string::npos)
      << r.err;
}

TEST_F(S3Cli, RmRecursiveDeletesOnlyThePrefix) {
  put("dir/a.txt", "a");
  put("dir/sub/b.txt", "b");
  put("dirt.txt", "kept");
  const auto r = s3({"rm", "--recursive", uri("dir")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto listed = nlohmann::json::parse(s3({"ls", "--recursive", uri(""), "--json"}).out);
  ASSERT_EQ(listed["objects"].size(), 1u) << listed;
  EXPECT_EQ(listed["objects"][0]["key"], "dirt.txt");
}

TEST_F(S3Cli, NoSignRequestSendsNoAuthorizationHeader) {
  auto recorder = start_fake("s3_header_recorder.py");
  if (!recorder->ok()) {
    ROCKART_SKIP_OR_FAIL("header recorder unavailable: " + recorder->error());
  }
  auto r = s3({"ls", "s3://public/", "--no-sign-request"}, recorder->url());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(r.out, std::regex(object_line_pattern(5, "hello.txt") + "\n")))
      << r.out;
  r = s3({"ls", "s3://public/"}, recorder->url());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto seen = run_process({"curl", "-sf", recorder->url() + "/__requests"});
  const auto requests = nlohmann::json::parse(seen.out);
  ASSERT_EQ(requests.size(), 2u) << seen.out;
  EXPECT_FALSE(requests[0]["headers"].contains("authorization")) << requests[0];
  EXPECT_FALSE(requests[0]["headers"].contains("x-amz-security-token")) << requests[0];
  // Control: the same command without the flag signs with the env credentials.
  EXPECT_EQ(requests[1]["headers"]["authorization"].get<std::string>().rfind(
                "AWS4-HMAC-SHA256 Credential=testing/", 0),
            0u)
      << requests[1];
}

// Interop with the image's aws CLI (an independent S3 implementation).
class S3CliInterop : public S3Cli {
protected:
  void SetUp() override {
    S3Cli::SetUp();
    if (HasFatalFailure() || IsSkipped()) {
      return;
    }
    if (run_process({"sh", "-c", "command -v aws"}).exit_code != 0) {
      ROCKART_SKIP_OR_FAIL("the aws CLI is not installed; interop with it cannot be checked");
    }
  }

  ProcessResult aws(std::vector<std::string> args) const {
    args.insert(args.begin(), {"aws", "--endpoint-url", s_moto->url()});
    RunOptions options;
    options.env = env();
    return run_process(args, options);
  }
};

TEST_F(S3CliInterop, AwsCliDownloadsWhatRockartUploaded) {
  const std::string data = test_bytes(9 << 20, 5);
  const fs::path src = m_dir.path() / "from-rockart.bin";
  write_file(src, data);
  // Two parts of 5 MiB (S3's minimum) and the rest: a real multipart upload.
  auto r = s3({"cp",
               src.string(),
               uri("i/from rockart.bin"),
               "--multipart-threshold",
               "5MiB",
               "--part-size",
               "5MiB"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path dest = m_dir.path() / "fetched-by-aws.bin";
  r = aws({"s3", "cp", uri("i/from rockart.bin"), dest.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(dest) == data);
  // Uploads carry a Content-Type (application/octet-stream unless --content-type).
  r = aws({"s3api", "head-object", "--bucket", m_bucket, "--key", "i/from rockart.bin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["ContentType"], "application/octet-stream");
}

TEST_F(S3CliInterop, RockartDownloadsWhatAwsCliUploaded) {
  const std::string data = test_bytes(9 << 20, 6);
  const fs::path src = m_dir.path() / "from-aws.bin";
  write_file(src, data);
  auto r = aws({"s3", "cp", src.string(), uri("i/from aws+1.bin")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path dest = m_dir.path() / "fetched-by-rockart.bin";
  r = s3({"cp", uri("i/from aws+1.bin"), dest.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(read_file(dest) == data);
}

} // namespace
} // namespace rockart::test
