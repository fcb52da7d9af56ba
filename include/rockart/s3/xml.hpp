// SPDX-License-Identifier: MIT
// A small, defensive XML reader for S3 responses (ListBucketResult, Error,
// InitiateMultipartUploadResult, CompleteMultipartUploadResult, CopyObjectResult,
// CopyPartResult) and the typed results rockart needs from them. Pure: no I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockart::s3 {

struct ObjectInfo;

// One element: local name (namespace prefix dropped), decoded text content
// (character data directly inside it, entities and CDATA resolved) and children.
struct XmlElement {
  std::string name;
  std::string text;
  std::vector<XmlElement> children;

  // First child named `name`, or nullptr.
  const XmlElement* child(std::string_view name) const;
  // Text of the first child named `name`, or "" when there is none.
  std::string child_text(std::string_view name) const;
};

// Parses a whole document and returns its root element. Accepts a prolog
// (<?xml ...?>), comments, CDATA, attributes (ignored), the five named entities
// and numeric character references. Throws RemoteError (status 0, code
// "MalformedXML") naming the byte offset for anything else, for documents
// nested deeper than 32 levels, or for trailing content after the root.
XmlElement parse_xml(std::string_view document);

// One page of ListObjectsV2. Keys and prefixes are decoded when the response
// says <EncodingType>url</EncodingType> (form encoding: '+' is a space).
struct ListPage {
  std::vector<ObjectInfo> objects;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_continuation_token;
};

// Parses a ListBucketResult. Throws RemoteError (code "MalformedXML") when the
// root is not ListBucketResult, a size is not a number, or a truncated page has
// no NextContinuationToken (which would loop forever).
ListPage parse_list_page(std::string_view xml);

// The fields of an S3 <Error> document; Region/Endpoint appear on redirects.
struct ErrorBody {
  std::string code;
  std::string message;
  std::string request_id;
  std::string region;   // <Region> (AuthorizationHeaderMalformed, PermanentRedirect)
  std::string endpoint; // <Endpoint> (PermanentRedirect)
};

// Returns the error fields when `xml` is a well-formed <Error> document, else
// nullopt (empty body, HTML from a proxy, another root). Never throws.
std::optional<ErrorBody> parse_error_body(std::string_view xml);

// UploadId of an InitiateMultipartUploadResult. Throws RemoteError
// (code "MalformedXML") when the root or the UploadId is missing.
std::string parse_upload_id(std::string_view xml);

// ETag (quotes removed) of a result whose root is `root` (e.g.
// "CompleteMultipartUploadResult", "CopyObjectResult", "CopyPartResult").
// The "...Response" spelling of a "...Result" root (moto's) is accepted too.
// Throws RemoteError (code "MalformedXML") on another root or a missing ETag;
// callers check parse_error_body first (S3 may answer 200 with an <Error>).
std::string parse_result_etag(std::string_view xml, std::string_view root);

// Removes one pair of surrounding double quotes: "\"abc\"" -> "abc".
std::string unquote_etag(std::string_view etag);

} // namespace rockart::s3
