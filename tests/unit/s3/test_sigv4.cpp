// SPDX-License-Identifier: MIT
// SigV4 against AWS's documented S3 examples ("Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk"), then the
// encoding and canonicalisation rules one by one.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/s3/sigv4.hpp>
#include <rockart/util/hash.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace rockart::s3 {
namespace {

using namespace std::chrono;

constexpr sys_seconds k_example_time = sys_days{year{2013} / May / 24} + 0s;
constexpr const char* k_example_host = "examplebucket.s3.amazonaws.com";

Credentials example_credentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
}

SigningInput example_input(std::string method, std::string canonical_uri) {
  SigningInput input;
  input.method = std::move(method);
  input.host = k_example_host;
  input.canonical_uri = std::move(canonical_uri);
  input.region = "us-east-1";
  input.time = k_example_time;
  input.credentials = example_credentials();
  return input;
}

std::string example_string_to_sign(const std::string& canonical_request_hash) {
  return "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
         + canonical_request_hash;
}

std::string example_authorization(const std::string& signed_headers, const std::string& sig) {
  return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
         "SignedHeaders="
         + signed_headers + ",Signature=" + sig;
}

TEST(SigV4, MatchesAwsGetObjectExample) {
  SigningInput input = example_input("GET", "/test.txt");
  input.headers = {{"Range", "bytes=0-9"}};
  const SignedRequest signed_request = sign_v4(input);
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(
      signed_request.string_to_sign,
      example_string_to_sign("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"));
  EXPECT_EQ(signed_request.signature,
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(
      signed_request.authorization,
      example_authorization("host;range;x-amz-content-sha256;x-amz-date",
                            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
}

TEST(SigV4, MatchesAwsPutObjectExample) {
  // The key "test$file.text" proves the path is encoded exactly once ($ -> %24).
  SigningInput input = example_input("PUT", encode_s3_path("/test$file.text"));
  input.headers = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                   {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  input.payload_sha256 = util::sha256_hex("Welcome to Amazon S3.");
  ASSERT_EQ(input.payload_sha256,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  const SignedRequest signed_request = sign_v4(input);
  EXPECT_EQ(signed_request.canonical_request,
            "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:"
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
            "x-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(
      signed_request.string_to_sign,
      example_string_to_sign("9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"));
  EXPECT_EQ(signed_request.signature,
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
  EXPECT_EQ(signed_request.signed_headers,
            "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
}

TEST(SigV4, MatchesAwsGetBucketLifecycleExample) {
  SigningInput input = example_input("GET", "/");
  input.query = {{"lifecycle", ""}};
  const SignedRequest signed_request = sign_v4(input);
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(
      signed_request.string_to_sign,
      example_string_to_sign("9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"));
  EXPECT_EQ(signed_request.signature,
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, MatchesAwsListObjectsExample) {
  SigningInput input = example_input("GET", "/");
  input.query = {{"prefix", "J"}, {"max-keys", "2"}}; // out of order: the signer sorts
  const SignedRequest signed_request = sign_v4(input);
  EXPECT_EQ(signed_request.canonical_request,
            "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(
      signed_request.string_to_sign,
      example_string_to_sign("df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"));
  EXPECT_EQ(signed_request.signature,
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
  EXPECT_EQ(
      signed_request.authorization,
      example_authorization("host;x-amz-content-sha256;x-amz-date",
                            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));
}

TEST(SigV4, ReturnsEveryHeaderToSendInOrder) {
  SigningInput input = example_input("GET", "/test.txt");
  input.headers = {{"Range", "bytes=0-9"}};
  input.payload_sha256 = std::string(k_unsigned_payload);
  input.credentials.session_token = "FQoGZXIvYXdzEXAMPLETOKEN==";
  const SignedRequest signed_request = sign_v4(input);
  const HeaderList expected = {
      {"host", k_example_host},
      {"Range", "bytes=0-9"},
      {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
      {"x-amz-date", "20130524T000000Z"},
      {"x-amz-security-token", "FQoGZXIvYXdzEXAMPLETOKEN=="},
      {"authorization", signed_request.authorization},
  };
  EXPECT_EQ(signed_request.headers, expected);
  EXPECT_EQ(signed_request.signed_headers,
            "host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  EXPECT_NE(
      signed_request.canonical_request.find("\nx-amz-security-token:FQoGZXIvYXdzEXAMPLETOKEN==\n"),
      std::string::npos);
  EXPECT_TRUE(signed_request.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
}

TEST(SigV4, AnonymousSignsNothingAndSendsNoAuthorization) {
  SigningInput input = example_input("GET", "/test.txt");
  input.credentials = {};
  input.headers = {{"Range", "bytes=0-9"}};
  const SignedRequest signed_request = sign_v4(input);
  EXPECT_EQ(signed_request.canonical_request, "");
  EXPECT_EQ(signed_request.string_to_sign, "");
  EXPECT_EQ(signed_request.signature, "");
  EXPECT_EQ(signed_request.authorization, "");
  const HeaderList expected = {{"host", k_example_host}, {"Range", "bytes=0-9"}};
  EXPECT_EQ(signed_request.headers, expected);
}

TEST(SigV4, DifferentTimeRegionOrBodyChangesSignature) {
  const std::string base = sign_v4(example_input("GET", "/k")).signature;
  SigningInput later = example_input("GET", "/k");
  later.time += 1s;
  SigningInput other_region = example_input("GET", "/k");
  other_region.region = "us-east-2";
  SigningInput other_body = example_input("GET", "/k");
  other_body.payload_sha256 = util::sha256_hex("x");
  EXPECT_NE(sign_v4(later).signature, base);
  EXPECT_NE(sign_v4(other_region).signature, base);
  EXPECT_NE(sign_v4(other_body).signature, base);
}

TEST(SigV4, CanonicalisesHeaders) {
  SigningInput input = example_input("get", "/k");
  input.headers = {{"  X-Amz-Meta-Note ", "  two   words\there  "},
                   {"x-amz-meta-multi", "a"},
                   {"X-AMZ-META-MULTI", "b  c"}};
  const SignedRequest signed_request = sign_v4(input);
  EXPECT_TRUE(signed_request.canonical_request.starts_with("GET\n/k\n\n"));
  EXPECT_NE(signed_request.canonical_request.find(
                "\nx-amz-meta-multi:a,b c\nx-amz-meta-note:two words here\n"),
            std::string::npos)
      << signed_request.canonical_request;
  EXPECT_EQ(signed_request.signed_headers,
            "host;x-amz-content-sha256;x-amz-date;x-amz-meta-multi;x-amz-meta-note");
}

struct EncodeCase {
  const char* raw;
  const char* encoded;
};

TEST(SigV4, EncodesS3PathsOnce) {
  const EncodeCase cases[] = {
      {"/a b/c+d", "/a%20b/c%2Bd"},
      {"/already%20encoded", "/already%2520encoded"}, // '%' is data, encoded once
      {"/x=y&z?#", "/x%3Dy%26z%3F%23"},
      {"/A-Z_a.z~0-9", "/A-Z_a.z~0-9"},
      {"/dir//file/", "/dir//file/"}, // empty segments kept, no normalisation
      {"/./../k", "/./../k"},
      {"/\xc3\xa9t\xc3\xa9", "/%C3%A9t%C3%A9"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(encode_s3_path(c.raw), c.encoded) << c.raw;
  }
}

TEST(SigV4, BuildsCanonicalQueryStrings) {
  EXPECT_EQ(canonical_query_string({}), "");
  EXPECT_EQ(canonical_query_string({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(canonical_query_string({{"prefix", "a/b c+d"}, {"delimiter", "/"}}),
            "delimiter=%2F&prefix=a%2Fb%20c%2Bd");
  // Repeated keys sort by value; sorting is on the encoded form ("%2B" < "a").
  EXPECT_EQ(canonical_query_string({{"k", "b"}, {"k", "a"}, {"k", "+"}}), "k=%2B&k=a&k=b");
  EXPECT_EQ(canonical_query_string({{"b", "1"}, {"a~", "2"}, {"A", "3"}}), "A=3&a~=2&b=1");
  EXPECT_EQ(canonical_query_string({{"continuation-token", "1/x=="}}),
            "continuation-token=1%2Fx%3D%3D");
}

TEST(SigV4, CanonicalHeaderValueTrimsAndCollapses) {
  EXPECT_EQ(canonical_header_value("  a  b\t\tc  "), "a b c");
  EXPECT_EQ(canonical_header_value(""), "");
  EXPECT_EQ(canonical_header_value("   "), "");
  EXPECT_EQ(canonical_header_value("\"quoted  value\""), "\"quoted value\"");
}

TEST(SigV4, RejectsHeadersTheSignerOwns) {
  for (const char* name :
       {"Host", "X-Amz-Date", "x-amz-content-sha256", "Authorization", "X-Amz-Security-Token"}) {
    SigningInput input = example_input("GET", "/k");
    input.headers = {{name, "v"}};
    EXPECT_ERROR(sign_v4(input), UsageError, "is set by the signer");
  }
}

TEST(SigV4, RejectsBadPayloadHashAndMissingSecret) {
  SigningInput input = example_input("PUT", "/k");
  input.payload_sha256 = "not-a-hash";
  EXPECT_ERROR(sign_v4(input),
               UsageError,
               "payload hash 'not-a-hash' is neither 64 hex digits nor UNSIGNED-PAYLOAD");
  SigningInput no_secret = example_input("PUT", "/k");
  no_secret.credentials.secret_access_key.clear();
  EXPECT_ERROR(sign_v4(no_secret),
               UsageError,
               "sign_v4: credentials access key ****MPLE have no secret access key");
}

} // namespace
} // namespace rockart::s3
