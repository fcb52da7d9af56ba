// SPDX-License-Identifier: MIT
// Keys with "." and ".." segments are ordinary S3 keys: the client must send
// the path exactly as built (CURLOPT_PATH_AS_IS), or libcurl collapses
// "a/../b.txt" to "b.txt" and reads or overwrites another object.
#include "s3_fixture.hpp"
#include "support/moto_config.hpp"

#include <rockart/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace rockart::test {
namespace {

const std::vector<std::string> k_dot_keys = {"a/../b.txt", "./c/./d.txt", "e/f/.."};

class S3DotSegmentTest : public S3Servers {
protected:
  std::string get_all(s3::Client& client, const std::string& bucket, const std::string& key) {
    std::string out;
    client.get(bucket, key, [&](std::string_view chunk) { out.append(chunk); });
    return out;
  }
};

TEST_F(S3DotSegmentTest, KeysWithDotSegmentsAreStoredReadAndListedAsWritten) {
  client().put(m_bucket, "b.txt", "plain b");
  client().put(m_bucket, "c/d.txt", "plain d");
  for (const auto& key : k_dot_keys) {
    client().put(m_bucket, key, "body of " + key);
  }
  const auto src = m_dir.path() / "file.bin";
  write_file(src, "uploaded file");
  client().upload(src, m_bucket, "x/../up.bin");

  std::vector<std::string> listed;
  for (const auto& object : client().list(m_bucket, "")) {
    listed.push_back(object.key);
  }
  const std::vector<std::string> expected = {
      "./c/./d.txt", "a/../b.txt", "b.txt", "c/d.txt", "e/f/..", "x/../up.bin"};
  EXPECT_EQ(listed, expected);
  for (const auto& key : k_dot_keys) {
    EXPECT_EQ(get_all(client(), m_bucket, key), "body of " + key);
    EXPECT_TRUE(client().head(m_bucket, key)) << key;
  }
  EXPECT_EQ(get_all(client(), m_bucket, "x/../up.bin"), "uploaded file");
  // The look-alike keys were never touched.
  EXPECT_EQ(get_all(client(), m_bucket, "b.txt"), "plain b");
  EXPECT_EQ(get_all(client(), m_bucket, "c/d.txt"), "plain d");
  EXPECT_FALSE(client().head(m_bucket, "up.bin"));

  client().remove(m_bucket, "a/../b.txt");
  EXPECT_FALSE(client().head(m_bucket, "a/../b.txt"));
  EXPECT_EQ(get_all(client(), m_bucket, "b.txt"), "plain b");
}

// The wire itself, seen by a server that records request paths verbatim.
TEST(S3DotSegmentWire, RequestPathIsSentExactlyAsBuilt) {
  auto recorder = start_fake("s3_header_recorder.py",
                             {"--object",
                              "a/../b.txt=dot-dot",
                              "--object",
                              "./c/./d.txt=dots",
                              "--object",
                              "b.txt=plain b",
                              "--object",
                              "c/d.txt=plain d"});
  if (!recorder->ok()) {
    ROCKART_SKIP_OR_FAIL("cannot start s3_header_recorder.py: " + recorder->error());
  }
  http::CurlTransport transport;
  FastSleeper sleeper;
  const s3::S3Config config = test::moto_s3_config(recorder->url());
  s3::Client client(config, transport, sleeper);

  std::string body;
  client.get("bkt", "a/../b.txt", [&](std::string_view chunk) { body.append(chunk); });
  EXPECT_EQ(body, "dot-dot");
  body.clear();
  client.get("bkt", "./c/./d.txt", [&](std::string_view chunk) { body.append(chunk); });
  EXPECT_EQ(body, "dots");

  http::Request request;
  request.url = recorder->url() + "/__requests";
  const auto requests = nlohmann::json::parse(transport.perform(request).body);
  std::vector<std::string> paths;
  for (const auto& r : requests) {
    paths.push_back(r.at("method").get<std::string>() + " " + r.at("path").get<std::string>());
  }
  EXPECT_EQ(paths, (std::vector<std::string>{"GET /bkt/a/../b.txt", "GET /bkt/./c/./d.txt"}));
}

} // namespace
} // namespace rockart::test
