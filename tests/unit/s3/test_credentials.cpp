// SPDX-License-Identifier: MIT
// Credential, region and endpoint resolution with an injected environment and
// real (temporary) shared config files.
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/s3/credentials.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace rockart::s3 {
namespace {

constexpr const char* k_secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr const char* k_token = "FQoGZXIvYXdzSESSIONTOKEN==";

class Resolve : public ::testing::Test {
protected:
  test::TempDir m_dir;
  std::map<std::string, std::string> m_env{{"HOME", m_dir.path().string()}};

  std::filesystem::path credentials_path() const { return m_dir.path() / ".aws" / "credentials"; }

  std::filesystem::path config_path() const { return m_dir.path() / ".aws" / "config"; }

  void write_credentials(std::string_view text) { test::write_file(credentials_path(), text); }

  void write_config(std::string_view text) { test::write_file(config_path(), text); }

  ResolveOptions options() const {
    util::EnvLookup env = [map = m_env](std::string_view name) -> std::optional<std::string> {
      const auto it = map.find(std::string(name));
      return it == map.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    ResolveOptions out = default_aws_paths(env);
    out.env = env;
    return out;
  }

  S3Config resolve() const { return resolve_s3_config(options()); }
};

TEST_F(Resolve, NothingFoundIsAnonymousWithDefaults) {
  const S3Config config = resolve();
  EXPECT_TRUE(config.credentials.anonymous());
  EXPECT_EQ(config.credentials_source, "none");
  EXPECT_EQ(config.profile, "default");
  EXPECT_EQ(config.region, "us-east-2");
  EXPECT_EQ(config.region_source, "default");
  EXPECT_FALSE(config.endpoint.custom);
  EXPECT_EQ(config.endpoint.authority, "s3.us-east-2.amazonaws.com");
  EXPECT_EQ(config.endpoint.source, "default");
}

TEST_F(Resolve, EnvironmentWinsOverFiles) {
  write_credentials("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n");
  m_env["AWS_ACCESS_KEY_ID"] = "AKIAENVEXAMPLE";
  m_env["AWS_SECRET_ACCESS_KEY"] = k_secret;
  m_env["AWS_SESSION_TOKEN"] = k_token;
  const S3Config config = resolve();
  EXPECT_EQ(config.credentials.access_key_id, "AKIAENVEXAMPLE");
  EXPECT_EQ(config.credentials.secret_access_key, k_secret);
  EXPECT_EQ(config.credentials.session_token, k_token);
  EXPECT_EQ(config.credentials_source, "environment");
}

TEST_F(Resolve, EmptyEnvironmentValuesCountAsUnset) {
  write_credentials("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n");
  m_env["AWS_ACCESS_KEY_ID"] = "";
  m_env["AWS_REGION"] = "";
  const S3Config config = resolve();
  EXPECT_EQ(config.credentials.access_key_id, "FILEKEY");
  EXPECT_EQ(config.region_source, "default");
}

TEST_F(Resolve, AccessKeyWithoutSecretIsAnError) {
  m_env["AWS_ACCESS_KEY_ID"] = "AKIAENVEXAMPLE";
  EXPECT_ERROR(resolve(), ConfigError, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

TEST_F(Resolve, SecretWithoutAccessKeyIsAnError) {
  m_env["AWS_SECRET_ACCESS_KEY"] = k_secret;
  EXPECT_ERROR(resolve(), ConfigError, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
}

TEST_F(Resolve, TheProfileFlagWinsOverAwsProfileAndTheEnvironment) {
  write_credentials("[ci]\naws_access_key_id = AKIACI\naws_secret_access_key = s\n"
                    "[other]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n");
  m_env["AWS_PROFILE"] = "other";
  m_env["AWS_ACCESS_KEY_ID"] = "AKIAENVEXAMPLE";
  m_env["AWS_SECRET_ACCESS_KEY"] = k_secret;
  auto opts = options();
  opts.profile = "ci";
  const S3Config config = resolve_s3_config(opts);
  EXPECT_EQ(config.profile, "ci");
  EXPECT_EQ(config.credentials.access_key_id, "AKIACI");
  opts.profile = "nope";
  EXPECT_ERROR(resolve_s3_config(opts), ConfigError, "AWS profile 'nope' (from --profile)");
  opts.profile = "default"; // named explicitly, so it must exist
  EXPECT_ERROR(resolve_s3_config(opts), ConfigError, "AWS profile 'default' (from --profile)");
}

TEST_F(Resolve, DefaultProfileFromSharedCredentialsFile) {
  write_credentials("# comment\n[default]\naws_access_key_id = AKIADEFAULT\n"
                    "aws_secret_access_key = "
                    + std::string(k_secret) + "\n");
  const S3Config config = resolve();
  EXPECT_EQ(config.credentials.access_key_id, "AKIADEFAULT");
  EXPECT_EQ(config.credentials.secret_access_key, k_secret);
  EXPECT_EQ(config.credentials.session_token, "");
  EXPECT_EQ(config.credentials_source,
            "shared credentials file " + credentials_path().string() + " profile default");
}

TEST_F(Resolve, NamedProfileFromCredentialsAndRegionFromConfig) {
  write_credentials("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n"
                    "[ci]\naws_access_key_id=AKIACI\naws_secret_access_key="
                    + std::string(k_secret) + "\naws_session_token = " + k_token + "\n");
  write_config("[default]\nregion = eu-west-1\n\n[profile ci]\nregion = us-west-2\n"
               "s3 =\n  addressing_style = path\n");
  m_env["AWS_PROFILE"] = "ci";
  const S3Config config = resolve();
  EXPECT_EQ(config.profile, "ci");
  EXPECT_EQ(config.credentials.access_key_id, "AKIACI");
  EXPECT_EQ(config.credentials.session_token, k_token);
  EXPECT_EQ(config.credentials_source,
            "shared credentials file " + credentials_path().string() + " profile ci");
  EXPECT_EQ(config.region, "us-west-2");
  EXPECT_EQ(config.region_source, "config file " + config_path().string() + " profile ci");
  EXPECT_EQ(config.endpoint.authority, "s3.us-west-2.amazonaws.com");
}

TEST_F(Resolve, CredentialsFromConfigFileProfile) {
  // In the config file a named profile is "[profile x]"; a bare "[x]" is not a profile.
  write_config("[x]\naws_access_key_id = WRONG\naws_secret_access_key = wrong\n"
               "[profile x]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = s\n");
  m_env["AWS_PROFILE"] = "x";
  const S3Config config = resolve();
  EXPECT_EQ(config.credentials.access_key_id, "AKIACONFIG");
  EXPECT_EQ(config.credentials_source, "config file " + config_path().string() + " profile x");
}

TEST_F(Resolve, FileLocationsFromEnvironmentWithTildeExpansion) {
  test::write_file(m_dir.path() / "ci" / "creds.ini",
                   "[default]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n");
  test::write_file(m_dir.path() / "ci" / "conf.ini", "[default]\nregion = ap-south-1\n");
  write_credentials("[default]\naws_access_key_id = AKIAHOME\naws_secret_access_key = s\n");
  m_env["AWS_SHARED_CREDENTIALS_FILE"] = "~/ci/creds.ini";
  m_env["AWS_CONFIG_FILE"] = (m_dir.path() / "ci" / "conf.ini").string();
  const S3Config config = resolve();
  EXPECT_EQ(config.credentials.access_key_id, "AKIAOTHER");
  EXPECT_EQ(config.credentials_source,
            "shared credentials file " + (m_dir.path() / "ci" / "creds.ini").string()
                + " profile default");
  EXPECT_EQ(config.region, "ap-south-1");
}

TEST_F(Resolve, MissingNamedProfileIsAnError) {
  write_credentials("[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s\n");
  m_env["AWS_PROFILE"] = "nightly";
  EXPECT_ERROR(resolve(),
               ConfigError,
               "AWS profile 'nightly' (from AWS_PROFILE) is in neither "
                   + credentials_path().string() + " nor " + config_path().string());
}

TEST_F(Resolve, HalfAProfileIsAnErrorWithoutTheSecret) {
  write_credentials("[default]\naws_secret_access_key = " + std::string(k_secret) + "\n");
  try {
    resolve();
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "shared credentials file " + credentials_path().string()
                  + " profile default has only one of aws_access_key_id and "
                    "aws_secret_access_key");
    EXPECT_EQ(std::string(e.what()).find(k_secret), std::string::npos);
  }
}

TEST_F(Resolve, NoSignRequestForcesAnonymous) {
  m_env["AWS_ACCESS_KEY_ID"] = "AKIAENVEXAMPLE";
  m_env["AWS_SECRET_ACCESS_KEY"] = k_secret;
  ResolveOptions opts = options();
  opts.no_sign_request = true;
  const S3Config config = resolve_s3_config(opts);
  EXPECT_TRUE(config.credentials.anonymous());
  EXPECT_EQ(config.credentials.secret_access_key, "");
  EXPECT_EQ(config.credentials_source, "--no-sign-request");
}

struct RegionCase {
  const char* name;
  std::optional<std::string> flag;
  std::map<std::string, std::string> env;
  const char* region;
  const char* source;
};

TEST_F(Resolve, RegionPrecedence) {
  write_config("[default]\nregion = eu-central-1\n");
  const std::string file_source = "config file " + config_path().string() + " profile default";
  const RegionCase cases[] = {
      {"flag", "ca-central-1", {{"AWS_REGION", "us-west-1"}}, "ca-central-1", "--region"},
      {"AWS_REGION",
       std::nullopt,
       {{"AWS_REGION", "us-west-1"}, {"AWS_DEFAULT_REGION", "us-west-2"}},
       "us-west-1",
       "AWS_REGION"},
      {"AWS_DEFAULT_REGION",
       std::nullopt,
       {{"AWS_DEFAULT_REGION", "us-west-2"}},
       "us-west-2",
       "AWS_DEFAULT_REGION"},
      {"profile", std::nullopt, {}, "eu-central-1", file_source.c_str()},
  };
  for (const auto& c : cases) {
    auto saved = m_env;
    m_env.insert(c.env.begin(), c.env.end());
    ResolveOptions opts = options();
    opts.region = c.flag;
    const S3Config config = resolve_s3_config(opts);
    EXPECT_EQ(config.region, c.region) << c.name;
    EXPECT_EQ(config.region_source, c.source) << c.name;
    m_env = saved;
  }
}

TEST_F(Resolve, RejectsRegionThatIsNotAName) {
  m_env["AWS_REGION"] = "us-east-2.evil.example/";
  EXPECT_ERROR(
      resolve(), ConfigError, "invalid AWS region 'us-east-2.evil.example/' from AWS_REGION");
}

TEST_F(Resolve, EndpointPrecedence) {
  m_env["AWS_ENDPOINT_URL"] = "http://generic:1";
  EXPECT_EQ(resolve().endpoint.source, "AWS_ENDPOINT_URL");
  m_env["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9000";
  const S3Config config = resolve();
  EXPECT_TRUE(config.endpoint.custom);
  EXPECT_EQ(config.endpoint.source, "AWS_ENDPOINT_URL_S3");
  EXPECT_EQ(config.endpoint.authority, "127.0.0.1:9000");
  EXPECT_EQ(config.endpoint.scheme, "http");
  ResolveOptions opts = options();
  opts.endpoint_url = "https://minio.example:443/s3/";
  const S3Config flagged = resolve_s3_config(opts);
  EXPECT_EQ(flagged.endpoint.source, "--endpoint-url");
  EXPECT_EQ(flagged.endpoint.authority, "minio.example"); // default port dropped
  EXPECT_EQ(flagged.endpoint.base_path, "/s3");
}

TEST(Endpoint, RejectsMalformedUrls) {
  EXPECT_ERROR(parse_endpoint_url("127.0.0.1:9000", "AWS_ENDPOINT_URL"),
               ConfigError,
               "invalid S3 endpoint URL '127.0.0.1:9000' from AWS_ENDPOINT_URL: it must start "
               "with http:// or https://");
  EXPECT_ERROR(parse_endpoint_url("http://:9000", "--endpoint-url"), ConfigError, "needs a host");
  EXPECT_ERROR(parse_endpoint_url("http://h:port", "--endpoint-url"), ConfigError, "not a number");
  EXPECT_ERROR(parse_endpoint_url("http://h/?x=1", "--endpoint-url"), ConfigError, "query");
  try {
    parse_endpoint_url("http://AKIA:hunter2secret@h", "--endpoint-url");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("hunter2secret"), std::string::npos) << e.what();
  }
}

struct AddressCase {
  const char* endpoint; // "" = AWS us-east-2
  const char* bucket;
  const char* key;
  const char* url;
  const char* host;
  const char* canonical_uri;
};

TEST(Endpoint, AddressesObjects) {
  const AddressCase cases[] = {
      {"",
       "therock-ci-artifacts",
       "123-linux/a b+c.tar.zst",
       "https://therock-ci-artifacts.s3.us-east-2.amazonaws.com/123-linux/a%20b%2Bc.tar.zst",
       "therock-ci-artifacts.s3.us-east-2.amazonaws.com",
       "/123-linux/a%20b%2Bc.tar.zst"},
      {"",
       "therock-ci-artifacts",
       "",
       "https://therock-ci-artifacts.s3.us-east-2.amazonaws.com/",
       "therock-ci-artifacts.s3.us-east-2.amazonaws.com",
       "/"},
      {"",
       "my.dotted.bucket",
       "k",
       "https://s3.us-east-2.amazonaws.com/my.dotted.bucket/k",
       "s3.us-east-2.amazonaws.com",
       "/my.dotted.bucket/k"},
      {"http://127.0.0.1:9000",
       "b",
       "dir/k~1",
       "http://127.0.0.1:9000/b/dir/k~1",
       "127.0.0.1:9000",
       "/b/dir/k~1"},
      {"http://127.0.0.1:9000", "b", "", "http://127.0.0.1:9000/b", "127.0.0.1:9000", "/b"},
      {"https://gw.example/storage/",
       "b",
       "/lead",
       "https://gw.example/storage/b//lead",
       "gw.example",
       "/storage/b//lead"},
  };
  for (const auto& c : cases) {
    const EndpointConfig endpoint = *c.endpoint == '\0'
                                        ? aws_endpoint("us-east-2")
                                        : parse_endpoint_url(c.endpoint, "--endpoint-url");
    const ObjectAddress address = address_object(endpoint, c.bucket, c.key);
    EXPECT_EQ(address.url, c.url) << c.bucket << " " << c.key;
    EXPECT_EQ(address.host, c.host) << c.bucket << " " << c.key;
    EXPECT_EQ(address.canonical_uri, c.canonical_uri) << c.bucket << " " << c.key;
  }
}

struct MalformedCase {
  const char* text;
  int line;
  const char* why;
};

TEST_F(Resolve, MalformedConfigNamesFileAndLineButNotTheLine) {
  const MalformedCase cases[] = {
      {"[default]\naws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
       2,
       "expected 'key = value' or '[section]'"},
      {"region = us-east-1\n", 1, "'key = value' before the first [section]"},
      {"[default\nregion = x\n", 1, "a section header must look like [name]"},
      {"[default]\n\n[default]\n", 3, "section [default] appears twice"},
      {"[default]\nregion = a\nregion = b\n", 3, "key 'region' appears twice in one section"},
      {"  indented = first\n", 1, "indented line without a key above it"},
  };
  for (const auto& c : cases) {
    write_config(c.text);
    try {
      resolve();
      ADD_FAILURE() << "expected ConfigError for " << c.text;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()),
                "malformed AWS config file " + config_path().string() + " line "
                    + std::to_string(c.line) + ": " + c.why);
      EXPECT_EQ(std::string(e.what()).find(k_secret), std::string::npos);
    }
  }
}

TEST(Credentials, DescribeIsRedacted) {
  EXPECT_EQ(describe(Credentials{}), "anonymous");
  const Credentials full{"AKIAIOSFODNN7EXAMPLE", k_secret, k_token};
  EXPECT_EQ(describe(full), "access key ****MPLE with session token");
  EXPECT_EQ(describe(Credentials{"AKIAIOSFODNN7EXAMPLE", k_secret, ""}), "access key ****MPLE");
  EXPECT_EQ(describe(Credentials{"AB", "s", ""}), "access key ****");
  // gtest prints a struct without operator<< as bytes; make sure no text form leaks.
  const std::string printed = ::testing::PrintToString(full);
  EXPECT_EQ(printed.find(k_secret), std::string::npos);
  EXPECT_EQ(printed.find(k_token), std::string::npos);
}

} // namespace
} // namespace rockart::s3
