// SPDX-License-Identifier: MIT
// The XML reader and the typed S3 response parsers, on saved-style S3 bodies.
#include <rockart/error.hpp>
#include <rockart/s3/client.hpp>
#include <rockart/s3/xml.hpp>
#include <rockart/util/strings.hpp>

#include <support/support.hpp>

namespace rockart::s3 {
namespace {

// Shaped like a real ListObjectsV2 answer with encoding-type=url.
constexpr const char* k_list_page = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>therock-ci-artifacts</Name><Prefix>12345-linux%2F</Prefix>
  <KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>%2F</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <ContinuationToken>abc</ContinuationToken>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents>
    <Key>12345-linux/blas_lib_gfx94X.tar.xz</Key>
    <LastModified>2025-01-02T03:04:05.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>
    <Size>123456789012</Size><StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>12345-linux/a+b%2Bc%25d%26e%3Cf.txt</Key>
    <LastModified>2025-01-02T03:04:06.000Z</LastModified>
    <ETag>"d41d8cd98f00b204e9800998ecf8427e-2"</ETag><Size>0</Size>
  </Contents>
  <CommonPrefixes><Prefix>12345-linux/logs%2F</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>12345-linux/python/</Prefix></CommonPrefixes>
</ListBucketResult>)";

TEST(S3Xml, ParsesAUrlEncodedTruncatedListPage) {
  const ListPage page = parse_list_page(k_list_page);
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, "12345-linux/blas_lib_gfx94X.tar.xz");
  EXPECT_EQ(page.objects[0].size, 123456789012u);
  EXPECT_EQ(page.objects[0].etag, "9b2cf535f27731c974343645a3985328");
  EXPECT_EQ(page.objects[0].last_modified, "2025-01-02T03:04:05.000Z");
  EXPECT_EQ(page.objects[1].key, "12345-linux/a b+c%d&e<f.txt");
  EXPECT_EQ(page.objects[1].size, 0u);
  EXPECT_EQ(page.objects[1].etag, "d41d8cd98f00b204e9800998ecf8427e-2");
  EXPECT_EQ(page.common_prefixes,
            (std::vector<std::string>{"12345-linux/logs/", "12345-linux/python/"}));
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, KeepsKeysLiteralWithoutEncodingTypeAndDecodesEntities) {
  const ListPage page = parse_list_page(
      "<ListBucketResult><IsTruncated>false</IsTruncated>"
      "<Contents><Key> a+b%20 &amp;&lt;&gt;&quot;&apos;&#233;&#x1F600;</Key><Size>7</Size>"
      "<ETag>&quot;x&quot;</ETag></Contents>"
      "<Contents><Key><![CDATA[c<d>&e]]></Key><Size>1</Size></Contents></ListBucketResult>");
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0].key, " a+b%20 &<>\"'\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(page.objects[0].etag, "x");
  EXPECT_EQ(page.objects[1].key, "c<d>&e");
  EXPECT_FALSE(page.truncated);
  EXPECT_TRUE(page.next_continuation_token.empty());
}

TEST(S3Xml, RejectsATruncatedPageWithoutAToken) {
  EXPECT_ERROR(parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated>"
                               "</ListBucketResult>"),
               RemoteError,
               "unexpected S3 response: truncated listing without NextContinuationToken");
  EXPECT_ERROR(parse_list_page("<ListBucketResult><Contents><Key>k</Key><Size>12x</Size>"
                               "</Contents></ListBucketResult>"),
               RemoteError,
               "size '12x' of key 'k' is not a number");
  EXPECT_ERROR(parse_list_page("<Error><Code>AccessDenied</Code></Error>"),
               RemoteError,
               "expected <ListBucketResult>, got <Error>");
}

TEST(S3Xml, ParsesErrorBodies) {
  const auto error = parse_error_body(
      R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'us-east-2'</Message><Region>us-east-2</Region><RequestId>8H2KXYZ</RequestId><HostId>abc=</HostId></Error>)");
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, "AuthorizationHeaderMalformed");
  EXPECT_EQ(error->message,
            "The authorization header is malformed; the region 'us-east-1' is wrong; expecting "
            "'us-east-2'");
  EXPECT_EQ(error->region, "us-east-2");
  EXPECT_EQ(error->request_id, "8H2KXYZ");
  EXPECT_FALSE(parse_error_body(""));
  EXPECT_FALSE(parse_error_body("<html><body>502 Bad Gateway</body></html>"));
  EXPECT_FALSE(parse_error_body("<Error><Code>Slow"));
  EXPECT_FALSE(parse_error_body("<ListBucketResult/>"));
}

TEST(S3Xml, ParsesMultipartAndCopyResults) {
  EXPECT_EQ(parse_upload_id("<InitiateMultipartUploadResult xmlns=\"x\"><Bucket>b</Bucket>"
                            "<Key>k</Key><UploadId>VXBsb2FkIElE</UploadId>"
                            "</InitiateMultipartUploadResult>"),
            "VXBsb2FkIElE");
  EXPECT_EQ(parse_result_etag("<CopyObjectResult><LastModified>2025-01-01T00:00:00.000Z"
                              "</LastModified><ETag>&quot;abc&quot;</ETag></CopyObjectResult>",
                              "CopyObjectResult"),
            "abc");
  EXPECT_EQ(parse_result_etag("<CompleteMultipartUploadResponse><ETag>\"e-3\"</ETag>"
                              "</CompleteMultipartUploadResponse>",
                              "CompleteMultipartUploadResult"),
            "e-3");
  EXPECT_ERROR(parse_result_etag("<CopyPartResult></CopyPartResult>", "CopyPartResult"),
               RemoteError,
               "CopyPartResult without ETag");
  EXPECT_ERROR(parse_upload_id("<InitiateMultipartUploadResult/>"),
               RemoteError,
               "InitiateMultipartUploadResult without UploadId");
}

// Each malformed document and the reason named in the error.
TEST(S3Xml, RejectsMalformedDocuments) {
  std::string deep;
  for (int i = 0; i < 40; ++i) {
    deep += "<a>";
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty document at byte 0"},
      {"just text", "expected the root element at byte 0"},
      {"<a><b></a>", "expected </b>"},
      {"<a>", "unterminated element <a>"},
      {"<a>x &bogus; y</a>", "unknown entity &bogus; at byte 5"},
      {"<a>&#0;</a>", "bad character reference"},
      {"<a>&#xD800;</a>", "bad character reference"},
      {"<a>&#x110000;</a>", "bad character reference"},
      {"<a>&amp</a>", "unterminated entity"},
      {"<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", "DTDs are not accepted at byte 0"},
      {"<a/><b/>", "content after the root element at byte 4"},
      {"<a x=1/>", "expected a quoted attribute value"},
      {"<a><!-- never closed </a>", "unterminated comment"},
      {"<a><![CDATA[x</a>", "unterminated CDATA section"},
      {deep, "elements nested too deeply"},
  };
  for (const auto& [doc, reason] : cases) {
    EXPECT_ERROR(parse_xml(doc), RemoteError, "malformed XML in S3 response: " + reason);
  }
}

TEST(S3Xml, AcceptsPrologCommentsAttributesAndPrefixes) {
  const XmlElement root = parse_xml("\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- c -->\n"
                                    "<s3:Root a='1' b=\"2\"><!-- x --><s3:Item>v<?pi?>w</s3:Item>"
                                    "<Empty/></s3:Root>\n<!-- trailing -->\n");
  EXPECT_EQ(root.name, "Root");
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.child_text("Item"), "vw");
  ASSERT_NE(root.child("Empty"), nullptr);
  EXPECT_EQ(root.child("Missing"), nullptr);
  EXPECT_EQ(root.child_text("Missing"), "");
}

TEST(S3Xml, EscapesTextAndUnquotesEtags) {
  // What util::escape_markup writes into request bodies, the parser reads back.
  EXPECT_EQ(parse_xml("<k>" + util::escape_markup("a&b<c>\"'") + "</k>").text, "a&b<c>\"'");
  EXPECT_EQ(unquote_etag("\"abc\""), "abc");
  EXPECT_EQ(unquote_etag("abc"), "abc");
  EXPECT_EQ(unquote_etag("\""), "\"");
}

TEST(S3Uri, ParsesBucketAndKey) {
  EXPECT_EQ(parse_s3_uri("s3://b/k/x y"), (std::pair<std::string, std::string>{"b", "k/x y"}));
  EXPECT_EQ(parse_s3_uri("s3://b"), (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_EQ(parse_s3_uri("s3://b/"), (std::pair<std::string, std::string>{"b", ""}));
  EXPECT_ERROR(parse_s3_uri("https://b/k"), UsageError, "not an S3 URI: 'https://b/k'");
  EXPECT_ERROR(parse_s3_uri("s3:///k"), UsageError, "S3 URI without a bucket: 's3:///k'");
}

} // namespace
} // namespace rockart::s3
