// SPDX-License-Identifier: MIT
// Oracle test: tests/fakes/sigv4_oracle.py signs seeded random S3 requests
// with botocore's S3SigV4Auth (an independent implementation); we address and
// sign the same inputs and compare every intermediate string.
#include "support/support.hpp"

#include <rockart/s3/credentials.hpp>
#include <rockart/s3/sigv4.hpp>
#include <rockart/util/hash.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace rockart::s3 {
namespace {

using nlohmann::json;

constexpr int k_case_count = 300;

// Makes control characters visible so a diff of canonical requests is readable.
std::string visible(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += c == '\n' ? std::string("\\n") : c == '\t' ? std::string("\\t") : std::string(1, c);
  }
  return out;
}

// "" when equal, else where the strings first differ, with context.
std::string first_difference(std::string_view ours, std::string_view theirs) {
  if (ours == theirs) {
    return {};
  }
  const auto mismatch = std::mismatch(ours.begin(), ours.end(), theirs.begin(), theirs.end());
  const size_t at = static_cast<size_t>(mismatch.first - ours.begin());
  const size_t from = at > 40 ? at - 40 : 0;
  std::ostringstream out;
  out << "first difference at byte " << at << "\n      ours: ..." << visible(ours.substr(from, 100))
      << "\n  botocore: ..." << visible(theirs.substr(from, 100));
  return out.str();
}

std::vector<std::pair<std::string, std::string>> pairs(const json& array) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : array) {
    out.emplace_back(item.at(0).get<std::string>(), item.at(1).get<std::string>());
  }
  return out;
}

std::string hex_decode(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

// The x-amz-* headers the signer owns, sorted, for comparison with botocore's.
std::vector<std::pair<std::string, std::string>> owned_amz_headers(const HeaderList& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : headers) {
    if (name == "x-amz-content-sha256" || name == "x-amz-date" || name == "x-amz-security-token") {
      out.emplace_back(name, value);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Signs one oracle case ourselves; returns a description of every mismatch.
std::string compare_case(const json& c) {
  const std::string endpoint_url = c.at("endpoint");
  const EndpointConfig endpoint = endpoint_url.empty()
                                      ? aws_endpoint(c.at("region").get<std::string>())
                                      : parse_endpoint_url(endpoint_url, "oracle");
  const ObjectAddress address =
      address_object(endpoint, c.at("bucket").get<std::string>(), c.at("key").get<std::string>());

  SigningInput input;
  input.method = c.at("method");
  input.host = address.host;
  input.canonical_uri = address.canonical_uri;
  input.query = pairs(c.at("query"));
  input.headers = pairs(c.at("headers"));
  input.region = c.at("region");
  input.time = std::chrono::sys_seconds(std::chrono::seconds(c.at("time").get<long long>()));
  input.credentials = {c.at("access_key"), c.at("secret_key"), c.at("session_token")};
  const bool has_body = !c.at("body_hex").is_null();
  input.payload_sha256 =
      c.at("unsigned_payload").get<bool>()
          ? std::string(k_unsigned_payload)
          : util::sha256_hex(has_body ? hex_decode(c.at("body_hex")) : std::string());
  const SignedRequest ours = sign_v4(input);

  // botocore separates the Authorization fields with ", ", AWS's examples
  // (and we) with ","; S3 accepts both, so compare modulo that.
  std::string their_authorization = c.at("authorization");
  for (const char* field : {", SignedHeaders=", ", Signature="}) {
    const size_t at = their_authorization.find(field);
    if (at != std::string::npos) {
      their_authorization.erase(at + 1, 1);
    }
  }
  std::ostringstream report;
  const std::pair<const char*, std::pair<std::string, std::string>> checks[] = {
      // The oracle's URL keeps the endpoint as typed (":443", upper case);
      // ours is normalised like botocore's Host header, so compare the parts.
      {"url",
       {address.url,
        c.at("scheme").get<std::string>() + "://" + c.at("host").get<std::string>()
            + c.at("path").get<std::string>()}},
      {"host", {address.host, c.at("host")}},
      {"canonical uri", {address.canonical_uri, c.at("path")}},
      {"canonical request", {ours.canonical_request, c.at("canonical_request")}},
      {"string to sign", {ours.string_to_sign, c.at("string_to_sign")}},
      {"signature", {ours.signature, c.at("signature")}},
      {"authorization", {ours.authorization, their_authorization}},
  };
  for (const auto& [what, values] : checks) {
    const std::string diff = first_difference(values.first, values.second);
    if (!diff.empty()) {
      report << "  " << what << ": " << diff << "\n";
    }
  }
  if (owned_amz_headers(ours.headers) != pairs(c.at("amz_headers"))) {
    report << "  x-amz-* headers differ\n";
  }
  return report.str();
}

TEST(SigV4Oracle, MatchesBotocoreOnGeneratedRequests) {
  const auto result = test::run_process({"python3",
                                         std::string(ROCKART_FAKES_DIR) + "/sigv4_oracle.py",
                                         "--count",
                                         std::to_string(k_case_count)});
  if (result.exit_code != 0) {
    ROCKART_SKIP_OR_FAIL("python3 with botocore is needed for the SigV4 oracle (exit "
                         + std::to_string(result.exit_code) + "): " + result.err);
  }
  std::istringstream lines(result.out);
  std::string line;
  int cases = 0;
  int failures = 0;
  int with_token = 0;
  int unsigned_payload = 0;
  int with_query = 0;
  while (std::getline(lines, line)) {
    const json c = json::parse(line);
    ++cases;
    with_token += c.at("session_token").get<std::string>().empty() ? 0 : 1;
    unsigned_payload += c.at("unsigned_payload").get<bool>() ? 1 : 0;
    with_query += c.at("query").empty() ? 0 : 1;
    const std::string report = compare_case(c);
    if (!report.empty() && ++failures <= 5) { // the first few are enough to debug
      ADD_FAILURE() << "case " << cases << " (" << c.at("method").get<std::string>() << " "
                    << c.at("url").get<std::string>() << ") differs from botocore:\n"
                    << report;
    }
  }
  EXPECT_EQ(failures, 0) << "of " << cases << " cases";
  // Guard against a vacuous pass: the generator must cover what it claims.
  EXPECT_EQ(cases, k_case_count);
  EXPECT_GT(with_token, 50);
  EXPECT_GT(unsigned_payload, 50);
  EXPECT_GT(with_query, 100);
}

} // namespace
} // namespace rockart::s3
