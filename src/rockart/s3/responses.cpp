// SPDX-License-Identifier: MIT
// Typed views of S3's XML responses, on top of parse_xml.
#include <rockart/error.hpp>
#include <rockart/s3/client.hpp>
#include <rockart/s3/xml.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/uri.hpp>

#include <charconv>

namespace rockart::s3 {

namespace {

[[noreturn]] void unexpected(const std::string& reason) {
  throw RemoteError("unexpected S3 response: " + reason, 0, "MalformedXML");
}

XmlElement expect_root(std::string_view xml, std::string_view root) {
  XmlElement doc = parse_xml(xml);
  if (doc.name != root) {
    unexpected("expected <" + std::string(root) + ">, got <" + doc.name + ">");
  }
  return doc;
}

// encoding-type=url answers are form-encoded, as botocore decodes them ('+' = space).
std::string decode_form(const std::string& text, bool encoded) {
  if (!encoded) {
    return text;
  }
  std::string plus_as_space = text;
  for (char& c : plus_as_space) {
    if (c == '+') {
      c = ' ';
    }
  }
  try {
    return util::percent_decode(plus_as_space);
  } catch (const Error&) {
    unexpected("bad URL-encoded key '" + text + "'");
  }
}

std::uint64_t parse_size(const std::string& text, const std::string& key) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto result = std::from_chars(text.data(), end, value);
  if (text.empty() || result.ec != std::errc() || result.ptr != end) {
    unexpected("size '" + text + "' of key '" + key + "' is not a number");
  }
  return value;
}

} // namespace

ListPage parse_list_page(std::string_view xml) {
  const XmlElement doc = expect_root(xml, "ListBucketResult");
  const bool encoded = doc.child_text("EncodingType") == "url";
  ListPage page;
  for (const auto& c : doc.children) {
    if (c.name == "Contents") {
      ObjectInfo info;
      info.key = decode_form(c.child_text("Key"), encoded);
      info.size = parse_size(c.child_text("Size"), info.key);
      info.etag = unquote_etag(c.child_text("ETag"));
      info.last_modified = c.child_text("LastModified");
      page.objects.push_back(std::move(info));
    } else if (c.name == "CommonPrefixes") {
      page.common_prefixes.push_back(decode_form(c.child_text("Prefix"), encoded));
    }
  }
  page.truncated = doc.child_text("IsTruncated") == "true";
  page.next_continuation_token = doc.child_text("NextContinuationToken");
  if (page.truncated && page.next_continuation_token.empty()) {
    unexpected("truncated listing without NextContinuationToken");
  }
  return page;
}

std::optional<ErrorBody> parse_error_body(std::string_view xml) {
  try {
    const XmlElement doc = parse_xml(xml);
    if (doc.name != "Error") {
      return std::nullopt;
    }
    ErrorBody out;
    out.code = std::string(util::trim(doc.child_text("Code")));
    out.message = doc.child_text("Message");
    out.request_id = doc.child_text("RequestId");
    out.region = doc.child_text("Region");
    out.endpoint = doc.child_text("Endpoint");
    return out;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::string parse_upload_id(std::string_view xml) {
  const XmlElement doc = expect_root(xml, "InitiateMultipartUploadResult");
  std::string id = doc.child_text("UploadId");
  if (id.empty()) {
    unexpected("InitiateMultipartUploadResult without UploadId");
  }
  return id;
}

std::string parse_result_etag(std::string_view xml, std::string_view root) {
  XmlElement doc = parse_xml(xml);
  // moto names the Complete answer "...Response"; AWS documents "...Result".
  const bool alias = root.size() > 6 && root.substr(root.size() - 6) == "Result"
                     && doc.name == std::string(root.substr(0, root.size() - 6)) + "Response";
  if (doc.name != root && !alias) {
    unexpected("expected <" + std::string(root) + ">, got <" + doc.name + ">");
  }
  std::string etag = unquote_etag(doc.child_text("ETag"));
  if (etag.empty()) {
    unexpected(std::string(root) + " without ETag");
  }
  return etag;
}

} // namespace rockart::s3
