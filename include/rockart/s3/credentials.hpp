// SPDX-License-Identifier: MIT
// Credentials, region and endpoint resolved the way the AWS CLI does it, from
// an injected environment lookup and the shared config files (paths are
// inputs). Nothing here reads the process environment or talks to the network.
#pragma once

#include <rockart/util/env.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rockart::s3 {

// AWS credentials. Deliberately has no operator<< and no to_string: print
// only describe(). An empty `access_key_id` means anonymous (unsigned).
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token; // empty unless temporary (STS) credentials

  bool anonymous() const { return access_key_id.empty(); }
};

// Redacted one-line description safe for logs and errors: "anonymous", or
// "access key ****MPLE" plus " with session token". Never contains the secret.
std::string describe(const Credentials& credentials);

// Inputs of resolve_s3_config. `credentials_file`/`config_file` are the
// defaults (~/.aws/credentials, ~/.aws/config) that AWS_SHARED_CREDENTIALS_FILE
// and AWS_CONFIG_FILE override; see default_aws_paths().
struct ResolveOptions {
  util::EnvLookup env;
  std::filesystem::path credentials_file;
  std::filesystem::path config_file;
  bool no_sign_request = false; // --no-sign-request: force anonymous
  // --profile: this profile of the shared files, over AWS_PROFILE and (as the
  // AWS CLI does) over credentials in the environment.
  std::optional<std::string> profile;
  std::optional<std::string> region;       // --region
  std::optional<std::string> endpoint_url; // --endpoint-url
};

// Where requests go. For AWS (`custom` false) objects are addressed
// virtual-hosted; for a custom endpoint path-style below `base_path`.
struct EndpointConfig {
  bool custom = false;
  std::string scheme = "https"; // "http" or "https"
  std::string authority;        // host[:port] for the Host header (default port dropped)
  std::string base_path;        // custom endpoints only, "" or "/prefix" (no trailing '/')
  std::string source;           // "--endpoint-url", "AWS_ENDPOINT_URL_S3", ..., "default"
};

// The resolved configuration. The *_source fields say where each value came
// from, for messages such as 403 hints; they never contain a secret.
struct S3Config {
  Credentials credentials;
  std::string credentials_source; // "environment", "shared credentials file P profile N", "none"
  std::string profile;            // --profile, AWS_PROFILE or "default"
  std::string region;
  std::string region_source; // "--region", "AWS_REGION", ..., "config file P profile N", "default"
  EndpointConfig endpoint;
};

// Region used when nothing else names one: TheRock's buckets live there.
inline constexpr std::string_view k_default_region = "us-east-2";

// `$HOME/.aws/credentials` and `$HOME/.aws/config` from `env` ("HOME"); empty
// paths when HOME is unset. Fills only the two path fields of the result.
ResolveOptions default_aws_paths(const util::EnvLookup& env);

// Resolves credentials (env -> shared credentials file -> config file ->
// anonymous), region and endpoint. Throws ConfigError (file path and line) for
// a malformed config file, a profile named by --profile or AWS_PROFILE that
// exists nowhere, half-set credentials (a key id without its secret, or a
// secret without its key id), or an invalid endpoint URL.
S3Config resolve_s3_config(const ResolveOptions& options);

// Parses an endpoint URL "http(s)://host[:port][/path]". Throws ConfigError
// naming `source` when it is not such a URL.
EndpointConfig parse_endpoint_url(std::string_view url, std::string_view source);

// Where one object (or, with an empty key, the bucket itself) lives.
struct ObjectAddress {
  std::string url;           // scheme://authority + canonical_uri, no query
  std::string host;          // Host header value
  std::string canonical_uri; // encoded path to sign, e.g. "/bucket/a%20b"
};

// The AWS endpoint of `region`: https, authority `s3.{region}.amazonaws.com`.
EndpointConfig aws_endpoint(std::string_view region);

// Addresses `bucket`/`key` (key not yet encoded; encode_s3_path rules): on a
// custom endpoint path-style `{base_path}/{bucket}/{key}`; on AWS
// virtual-hosted `{bucket}.s3.{region}.amazonaws.com/{key}`, or path-style when
// the bucket is not a valid TLS host label (dots, upper case, '_').
ObjectAddress
address_object(const EndpointConfig& endpoint, std::string_view bucket, std::string_view key);

} // namespace rockart::s3
