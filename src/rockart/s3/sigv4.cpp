// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/s3/sigv4.hpp>
#include <rockart/util/hash.hpp>
#include <rockart/util/strings.hpp>
#include <rockart/util/time.hpp>
#include <rockart/util/uri.hpp>

#include <algorithm>
#include <array>
#include <map>

namespace rockart::s3 {

namespace {

constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";

// Headers the signer sets itself; a caller passing one would sign a value
// that differs from what is sent, so it is refused.
constexpr std::array<std::string_view, 5> k_owned_headers = {
    "host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

void check_input(const SigningInput& input) {
  for (const auto& [name, value] : input.headers) {
    const std::string lower = util::to_lower(util::trim(name));
    if (std::find(k_owned_headers.begin(), k_owned_headers.end(), lower) != k_owned_headers.end()) {
      throw UsageError("sign_v4: header '" + lower
                       + "' is set by the signer and must not be passed in SigningInput::headers");
    }
  }
  const std::string& hash = input.payload_sha256;
  if (hash != k_unsigned_payload && !util::is_sha256_hex(hash)) {
    throw UsageError("sign_v4: payload hash '" + hash
                     + "' is neither 64 hex digits nor UNSIGNED-PAYLOAD");
  }
  if (!input.credentials.anonymous() && input.credentials.secret_access_key.empty()) {
    throw UsageError("sign_v4: credentials " + describe(input.credentials)
                     + " have no secret access key");
  }
}

// Lower-cased names -> canonical values; repeated names are joined with ','
// in the order given (SigV4 "canonical headers").
std::map<std::string, std::string> canonical_header_map(const HeaderList& headers) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : headers) {
    const std::string key = util::to_lower(util::trim(name));
    auto [it, inserted] = out.try_emplace(key, canonical_header_value(value));
    if (!inserted) {
      it->second += ',';
      it->second += canonical_header_value(value);
    }
  }
  return out;
}

std::string signing_key(const SigningInput& input, std::string_view date) {
  std::string key = util::hmac_sha256("AWS4" + input.credentials.secret_access_key, date);
  key = util::hmac_sha256(key, input.region);
  key = util::hmac_sha256(key, input.service);
  return util::hmac_sha256(key, "aws4_request");
}

} // namespace

std::string encode_s3_path(std::string_view raw_path) {
  return util::percent_encode(raw_path, /*keep_slash=*/true);
}

std::string canonical_query_string(const QueryList& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [key, value] : query) {
    encoded.emplace_back(util::percent_encode(key), util::percent_encode(value));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [key, value] : encoded) {
    if (!out.empty()) {
      out += '&';
    }
    out += key + '=' + value;
  }
  return out;
}

std::string canonical_header_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : util::trim(value)) {
    if (is_space(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

SignedRequest sign_v4(const SigningInput& input) {
  check_input(input);
  SignedRequest out;
  out.headers.emplace_back("host", input.host);
  out.headers.insert(out.headers.end(), input.headers.begin(), input.headers.end());
  if (input.credentials.anonymous()) {
    return out; // public buckets are read with no signature at all
  }
  const std::string amz_date = util::format_amz_date(input.time);
  const std::string date = amz_date.substr(0, 8);
  out.headers.emplace_back("x-amz-content-sha256", input.payload_sha256);
  out.headers.emplace_back("x-amz-date", amz_date);
  if (!input.credentials.session_token.empty()) {
    out.headers.emplace_back("x-amz-security-token", input.credentials.session_token);
  }

  std::string canonical_headers;
  std::vector<std::string> names;
  for (const auto& [name, value] : canonical_header_map(out.headers)) {
    canonical_headers += name + ':' + value + '\n';
    names.push_back(name);
  }
  out.signed_headers = util::join(names, ";");
  out.canonical_request = to_upper(input.method) + '\n' + input.canonical_uri + '\n'
                          + canonical_query_string(input.query) + '\n' + canonical_headers + '\n'
                          + out.signed_headers + '\n' + input.payload_sha256;

  const std::string scope = date + '/' + input.region + '/' + input.service + "/aws4_request";
  out.string_to_sign = std::string(k_algorithm) + '\n' + amz_date + '\n' + scope + '\n'
                       + util::sha256_hex(out.canonical_request);
  const std::string raw = util::hmac_sha256(signing_key(input, date), out.string_to_sign);
  out.signature = util::to_hex(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
  // Separator is ',' as in AWS's documented examples (botocore writes ", ";
  // S3 accepts both).
  out.authorization = std::string(k_algorithm) + " Credential=" + input.credentials.access_key_id
                      + '/' + scope + ",SignedHeaders=" + out.signed_headers
                      + ",Signature=" + out.signature;
  out.headers.emplace_back("authorization", out.authorization);
  return out;
}

} // namespace rockart::s3
