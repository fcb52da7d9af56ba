// SPDX-License-Identifier: MIT
// Upload checksums against moto: file uploads send a signed x-amz-checksum-crc32
// per part (and per PutObject), multipart uploads declare CRC32 and list every
// part's checksum at completion. moto 5.x stores but does not verify the values
// it is sent, so correctness is proven against the COMPOSITE checksum moto
// computes itself (binascii.crc32) from the bytes it received.
#include "s3_fixture.hpp"

#include <rockart/s3/checksum.hpp>
#include <rockart/s3/sigv4.hpp>

namespace rockart::test {
namespace {

// The real curl transport, remembering every request it was handed.
class RecordingTransport final : public http::Transport {
public:
  struct Sent {
    std::string method;
    std::string url;
    http::Headers headers;
    std::string body; // in-memory bodies only
  };

  http::Response perform(const http::Request& request) override {
    Sent sent{request.method, request.url, request.headers, {}};
    if (const auto* body = std::get_if<std::string>(&request.body)) {
      sent.body = *body;
    }
    {
      const std::lock_guard lock(m_mutex);
      m_sent.push_back(std::move(sent));
    }
    return m_real.perform(request);
  }

  std::vector<Sent> sent() const {
    const std::lock_guard lock(m_mutex);
    return m_sent;
  }

private:
  http::CurlTransport m_real;
  mutable std::mutex m_mutex;
  std::vector<Sent> m_sent;
};

std::string header(const RecordingTransport::Sent& sent, std::string_view name) {
  return http::find_header(sent.headers, name).value_or("<absent>");
}

// The SignedHeaders list of the request's Authorization header.
std::string signed_headers(const RecordingTransport::Sent& sent) {
  const std::string auth = header(sent, "authorization");
  const auto at = auth.find("SignedHeaders=");
  return at == std::string::npos ? "" : auth.substr(at + 14, auth.find(',', at) - at - 14);
}

class S3ChecksumTest : public S3Servers {
protected:
  std::unique_ptr<s3::Client> recorded(s3::ClientOptions options) {
    return std::make_unique<s3::Client>(config_for(s_moto->url()), m_recorder, m_sleeper, options);
  }

  // GetObject with x-amz-checksum-mode: ENABLED: the x-amz-checksum-crc32 moto
  // reports for the stored object (its HEAD leaves out the "-<parts>" suffix).
  std::string stored_crc32(const std::string& key) {
    const auto config = config_for(s_moto->url());
    const auto address = s3::address_object(config.endpoint, m_bucket, key);
    s3::SigningInput input;
    input.method = "GET";
    input.host = address.host;
    input.canonical_uri = address.canonical_uri;
    input.headers = {{"x-amz-checksum-mode", "ENABLED"}};
    input.region = config.region;
    input.time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    input.credentials = config.credentials;
    http::Request request;
    request.method = "GET";
    request.url = address.url;
    request.headers = s3::sign_v4(input).headers;
    const http::Response response = m_transport.perform(request);
    EXPECT_EQ(response.status, 200);
    return response.header("x-amz-checksum-crc32").value_or("<absent>");
  }

  RecordingTransport m_recorder;
};

TEST_F(S3ChecksumTest, MultipartUploadSendsSignedPartCrc32sThatMatchWhatTheServerStored) {
  const std::string data = test_bytes((12 << 20) + 12345, 31);
  const auto src = m_dir.path() / "big.bin";
  write_file(src, data);
  s3::ClientOptions options = fast_options();
  options.multipart_threshold = 5 << 20;
  options.part_size = 5 << 20;
  options.parallel_parts = 2;
  recorded(options)->upload(src, m_bucket, "mp/big.bin");

  std::vector<std::uint32_t> crcs;
  std::string complete_body;
  int creates = 0;
  for (const auto& sent : m_recorder.sent()) {
    SCOPED_TRACE(sent.method + " " + sent.url);
    if (sent.method == "POST" && sent.url.ends_with("?uploads=")) {
      ++creates;
      EXPECT_EQ(header(sent, "x-amz-checksum-algorithm"), "CRC32");
      EXPECT_NE(signed_headers(sent).find(";x-amz-checksum-algorithm;"), std::string::npos);
    } else if (sent.method == "PUT") {
      const auto at = sent.url.find("partNumber=");
      ASSERT_NE(at, std::string::npos);
      const std::size_t part = std::stoul(sent.url.substr(at + 11)) - 1;
      const std::size_t offset = part * (5u << 20);
      const std::uint32_t crc = s3::crc32(std::string_view(data).substr(offset, 5u << 20));
      EXPECT_EQ(header(sent, "x-amz-checksum-crc32"), s3::crc32_checksum_value(crc));
      EXPECT_EQ(header(sent, "x-amz-sdk-checksum-algorithm"), "CRC32");
      EXPECT_EQ(signed_headers(sent),
                "host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;"
                "x-amz-sdk-checksum-algorithm");
      crcs.resize(std::max(crcs.size(), part + 1));
      crcs[part] = crc;
    } else if (sent.method == "POST") {
      complete_body = sent.body;
    }
  }
  EXPECT_EQ(creates, 1);
  ASSERT_EQ(crcs.size(), 3u); // 5 + 5 + 2 MiB
  for (std::size_t i = 0; i < crcs.size(); ++i) {
    EXPECT_NE(complete_body.find("<PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>"),
              std::string::npos);
    EXPECT_NE(complete_body.find("\"</ETag><ChecksumCRC32>" + s3::crc32_checksum_value(crcs[i])
                                 + "</ChecksumCRC32></Part>"),
              std::string::npos)
        << complete_body;
  }
  // moto combined the CRC-32s of the parts it received (COMPOSITE, because we
  // declared CRC32): equal to ours, so every part header described its bytes.
  EXPECT_EQ(stored_crc32("mp/big.bin"), s3::composite_crc32_checksum(crcs));
  std::string back;
  client().get(m_bucket, "mp/big.bin", [&](std::string_view chunk) { back.append(chunk); });
  EXPECT_EQ(back, data);
}

TEST_F(S3ChecksumTest, SinglePutObjectOfAFileSendsItsSignedCrc32) {
  const std::string data = test_bytes(300'000, 32);
  const auto src = m_dir.path() / "small.bin";
  write_file(src, data);
  recorded(fast_options())->upload(src, m_bucket, "small.bin", "text/plain");
  const auto sent = m_recorder.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(header(sent[0], "x-amz-checksum-crc32"), s3::crc32_checksum_value(s3::crc32(data)));
  EXPECT_EQ(signed_headers(sent[0]),
            "content-type;host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;"
            "x-amz-sdk-checksum-algorithm");
  EXPECT_EQ(stored_crc32("small.bin"), s3::crc32_checksum_value(s3::crc32(data)));
}

TEST_F(S3ChecksumTest, MultipartCopyDeclaresNoChecksum) {
  // UploadPartCopy parts are checksummed by S3 itself; declaring an algorithm
  // would oblige the client to list part checksums it never computed.
  client().put(m_bucket, "src.bin", test_bytes(11 << 20, 33));
  s3::ClientOptions options = fast_options();
  options.copy_multipart_threshold = 1 << 20;
  options.copy_part_size = 5 << 20;
  recorded(options)->copy(m_bucket, "src.bin", m_bucket, "dst.bin");
  for (const auto& sent : m_recorder.sent()) {
    SCOPED_TRACE(sent.method + " " + sent.url);
    EXPECT_EQ(header(sent, "x-amz-checksum-algorithm"), "<absent>");
    EXPECT_EQ(sent.body.find("Checksum"), std::string::npos);
  }
  EXPECT_EQ(client().head(m_bucket, "dst.bin")->size, 11u << 20);
}

} // namespace
} // namespace rockart::test
