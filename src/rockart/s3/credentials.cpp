// SPDX-License-Identifier: MIT
#include "aws_config_file.hpp"

#include <rockart/error.hpp>
#include <rockart/s3/credentials.hpp>
#include <rockart/s3/sigv4.hpp>
#include <rockart/util/strings.hpp>

#include <algorithm>

namespace rockart::s3 {

namespace {

using detail::IniSections;
using Section = std::map<std::string, std::string>;

// An unset and an empty variable mean the same to the AWS CLI.
std::optional<std::string> env_value(const util::EnvLookup& env, std::string_view name) {
  if (!env) {
    return std::nullopt;
  }
  auto value = env(name);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  return value;
}

std::filesystem::path expand_home(const util::EnvLookup& env, const std::string& path) {
  const auto home = env_value(env, "HOME");
  if (home && (path == "~" || path.rfind("~/", 0) == 0)) {
    return std::filesystem::path(*home) / path.substr(std::min<size_t>(path.size(), 2));
  }
  return path;
}

std::string value_or_empty(const Section* section, const std::string& key) {
  if (section == nullptr) {
    return {};
  }
  const auto it = section->find(key);
  return it == section->end() ? std::string() : it->second;
}

// The shared files as resolved for one run: their paths and parsed contents.
struct SharedFiles {
  std::filesystem::path credentials_path;
  std::filesystem::path config_path;
  std::optional<IniSections> credentials;
  std::optional<IniSections> config;

  const Section* credentials_profile(const std::string& profile) const {
    if (!credentials) {
      return nullptr;
    }
    const auto it = credentials->find(profile);
    return it == credentials->end() ? nullptr : &it->second;
  }

  // Config files name profiles "[profile x]"; the default one may also be "[default]".
  const Section* config_profile(const std::string& profile) const {
    if (!config) {
      return nullptr;
    }
    for (const auto& [name, section] : *config) {
      if (name.rfind("profile ", 0) == 0 && util::trim(name.substr(8)) == profile) {
        return &section;
      }
    }
    const auto it = profile == "default" ? config->find("default") : config->end();
    return it == config->end() ? nullptr : &it->second;
  }
};

SharedFiles load_shared_files(const ResolveOptions& options) {
  SharedFiles files;
  const auto credentials_env = env_value(options.env, "AWS_SHARED_CREDENTIALS_FILE");
  const auto config_env = env_value(options.env, "AWS_CONFIG_FILE");
  files.credentials_path =
      credentials_env ? expand_home(options.env, *credentials_env) : options.credentials_file;
  files.config_path = config_env ? expand_home(options.env, *config_env) : options.config_file;
  files.credentials = detail::read_aws_ini(files.credentials_path);
  files.config = detail::read_aws_ini(files.config_path);
  return files;
}

// Credentials from one profile section; nullopt when it has no access key.
std::optional<Credentials> profile_credentials(const Section* section, const std::string& where) {
  Credentials out;
  out.access_key_id = value_or_empty(section, "aws_access_key_id");
  out.secret_access_key = value_or_empty(section, "aws_secret_access_key");
  out.session_token = value_or_empty(section, "aws_session_token");
  if (out.session_token.empty()) {
    out.session_token = value_or_empty(section, "aws_security_token"); // legacy name
  }
  if (out.access_key_id.empty() && out.secret_access_key.empty()) {
    return std::nullopt;
  }
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    throw ConfigError(where + " has only one of aws_access_key_id and aws_secret_access_key",
                      "set both keys in that profile, or remove both");
  }
  return out;
}

std::optional<Credentials> environment_credentials(const util::EnvLookup& env) {
  Credentials out;
  out.access_key_id = env_value(env, "AWS_ACCESS_KEY_ID").value_or("");
  out.secret_access_key = env_value(env, "AWS_SECRET_ACCESS_KEY").value_or("");
  if (out.access_key_id.empty()) {
    // A secret alone is a broken set-up, not a wish for anonymous requests:
    // those would fail later with a 403 that hides the cause.
    if (!out.secret_access_key.empty()) {
      throw ConfigError("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not",
                        "set both variables, or unset AWS_SECRET_ACCESS_KEY");
    }
    return std::nullopt;
  }
  if (out.secret_access_key.empty()) {
    throw ConfigError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
                      "set both variables, or unset AWS_ACCESS_KEY_ID");
  }
  out.session_token = env_value(env, "AWS_SESSION_TOKEN")
                          .value_or(env_value(env, "AWS_SECURITY_TOKEN").value_or(""));
  return out;
}

void resolve_credentials(const ResolveOptions& options,
                         const SharedFiles& files,
                         S3Config& config) {
  config.credentials_source = "none";
  if (options.no_sign_request) {
    config.credentials_source = "--no-sign-request";
    return;
  }
  if (auto env = options.profile ? std::nullopt : environment_credentials(options.env)) {
    config.credentials = std::move(*env);
    config.credentials_source = "environment";
    return;
  }
  const std::string cred_where =
      "shared credentials file " + files.credentials_path.string() + " profile " + config.profile;
  if (auto found = profile_credentials(files.credentials_profile(config.profile), cred_where)) {
    config.credentials = std::move(*found);
    config.credentials_source = cred_where;
    return;
  }
  const std::string config_where =
      "config file " + files.config_path.string() + " profile " + config.profile;
  if (auto found = profile_credentials(files.config_profile(config.profile), config_where)) {
    config.credentials = std::move(*found);
    config.credentials_source = config_where;
  }
}

bool is_region_name(std::string_view region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void resolve_region(const ResolveOptions& options, const SharedFiles& files, S3Config& config) {
  std::optional<std::string> region = options.region;
  config.region_source = "--region";
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (!region || region->empty()) {
      region = env_value(options.env, name);
      config.region_source = name;
    }
  }
  if (!region || region->empty()) {
    region = value_or_empty(files.config_profile(config.profile), "region");
    config.region_source =
        "config file " + files.config_path.string() + " profile " + config.profile;
  }
  if (!region || region->empty()) {
    region = std::string(k_default_region);
    config.region_source = "default";
  }
  // The region becomes part of host names and the signing scope.
  if (!is_region_name(*region)) {
    throw ConfigError("invalid AWS region '" + *region + "' from " + config.region_source,
                      "use a region name such as us-east-2");
  }
  config.region = *region;
}

void resolve_endpoint(const ResolveOptions& options, S3Config& config) {
  if (options.endpoint_url && !options.endpoint_url->empty()) {
    config.endpoint = parse_endpoint_url(*options.endpoint_url, "--endpoint-url");
    return;
  }
  for (const char* name : {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    if (auto url = env_value(options.env, name)) {
      config.endpoint = parse_endpoint_url(*url, name);
      return;
    }
  }
  config.endpoint = aws_endpoint(config.region);
}

} // namespace

std::string describe(const Credentials& credentials) {
  if (credentials.anonymous()) {
    return "anonymous";
  }
  // The key id is not secret, but its last four characters are enough to tell keys apart.
  const std::string& id = credentials.access_key_id;
  std::string out = "access key ****" + id.substr(id.size() > 4 ? id.size() - 4 : id.size());
  if (!credentials.session_token.empty()) {
    out += " with session token";
  }
  return out;
}

ResolveOptions default_aws_paths(const util::EnvLookup& env) {
  ResolveOptions out;
  if (const auto home = env_value(env, "HOME")) {
    out.credentials_file = std::filesystem::path(*home) / ".aws" / "credentials";
    out.config_file = std::filesystem::path(*home) / ".aws" / "config";
  }
  return out;
}

S3Config resolve_s3_config(const ResolveOptions& options) {
  S3Config config;
  const SharedFiles files = load_shared_files(options);
  const auto profile_env = env_value(options.env, "AWS_PROFILE");
  const bool from_flag = options.profile && !options.profile->empty();
  const auto named = from_flag ? options.profile : profile_env;
  config.profile = named.value_or("default");
  if (named && (from_flag || config.profile != "default")
      && !files.credentials_profile(config.profile) && !files.config_profile(config.profile)) {
    const std::string origin = from_flag ? "--profile" : "AWS_PROFILE";
    throw ConfigError("AWS profile '" + config.profile + "' (from " + origin + ") is in neither "
                          + files.credentials_path.string() + " nor " + files.config_path.string(),
                      "fix " + origin + ", or add [" + config.profile
                          + "] to the credentials file");
  }
  resolve_credentials(options, files, config);
  resolve_region(options, files, config);
  resolve_endpoint(options, config);
  return config;
}

} // namespace rockart::s3
