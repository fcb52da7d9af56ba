// SPDX-License-Identifier: MIT
// Endpoint parsing and object addressing (declared in credentials.hpp).
#include <rockart/error.hpp>
#include <rockart/s3/credentials.hpp>
#include <rockart/s3/sigv4.hpp>
#include <rockart/util/redact.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

namespace rockart::s3 {

namespace {

[[noreturn]] void
bad_endpoint(std::string_view url, std::string_view source, std::string_view why) {
  throw ConfigError("invalid S3 endpoint URL '" + util::redact_url(url) + "' from "
                        + std::string(source) + ": " + std::string(why),
                    "use http(s)://host[:port], e.g. http://127.0.0.1:9000");
}

// Drops the scheme's default port, as botocore does for the Host header.
std::string normalize_authority(std::string authority, const std::string& scheme) {
  const size_t bracket = authority.rfind(']');
  const size_t colon = authority.rfind(':');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) {
    return authority;
  }
  const std::string port = authority.substr(colon + 1);
  if ((scheme == "https" && port == "443") || (scheme == "http" && port == "80")) {
    authority.resize(colon);
  }
  return authority;
}

// Buckets usable as one TLS host label below *.s3.{region}.amazonaws.com.
// Dotted names would not match the wildcard certificate, so the AWS CLI uses
// path-style for them, and so do we.
bool is_virtual_host_bucket(std::string_view bucket) {
  const auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  return bucket.size() >= 3 && bucket.size() <= 63 && ok(bucket.front()) && ok(bucket.back())
         && std::all_of(bucket.begin(), bucket.end(), [&](char c) { return ok(c) || c == '-'; });
}

} // namespace

EndpointConfig parse_endpoint_url(std::string_view url, std::string_view source) {
  EndpointConfig out;
  out.custom = true;
  out.source = std::string(source);
  const std::string lower = util::to_lower(url);
  size_t rest = 0;
  if (lower.rfind("https://", 0) == 0) {
    out.scheme = "https";
    rest = 8;
  } else if (lower.rfind("http://", 0) == 0) {
    out.scheme = "http";
    rest = 7;
  } else {
    bad_endpoint(url, source, "it must start with http:// or https://");
  }
  if (url.find_first_of("?#", rest) != std::string_view::npos) {
    bad_endpoint(url, source, "a query or fragment is not allowed");
  }
  const size_t slash = std::min(url.find('/', rest), url.size());
  std::string authority = util::to_lower(url.substr(rest, slash - rest));
  if (authority.empty() || authority.front() == ':' || authority.find('@') != std::string::npos) {
    bad_endpoint(url, source, "it needs a host name and no user:password@");
  }
  const size_t colon = authority.rfind(':');
  if (colon != std::string::npos && authority.rfind(']') == std::string::npos
      && !util::is_decimal(std::string_view(authority).substr(colon + 1))) {
    bad_endpoint(url, source, "the port is not a number");
  }
  out.authority = normalize_authority(std::move(authority), out.scheme);
  out.base_path = std::string(url.substr(slash));
  while (!out.base_path.empty() && out.base_path.back() == '/') {
    out.base_path.pop_back();
  }
  return out;
}

EndpointConfig aws_endpoint(std::string_view region) {
  EndpointConfig out;
  out.authority = "s3." + std::string(region) + ".amazonaws.com";
  out.source = "default";
  return out;
}

ObjectAddress
address_object(const EndpointConfig& endpoint, std::string_view bucket, std::string_view key) {
  ObjectAddress out;
  const std::string object_path = key.empty() ? std::string() : "/" + encode_s3_path(key);
  if (!endpoint.custom && is_virtual_host_bucket(bucket)) {
    out.host = std::string(bucket) + "." + endpoint.authority;
    out.canonical_uri = object_path.empty() ? "/" : object_path;
  } else {
    out.host = endpoint.authority;
    out.canonical_uri = endpoint.base_path + "/" + encode_s3_path(bucket) + object_path;
  }
  out.url = endpoint.scheme + "://" + out.host + out.canonical_uri;
  return out;
}

} // namespace rockart::s3
