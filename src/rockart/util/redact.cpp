// SPDX-License-Identifier: MIT
#include <rockart/util/redact.hpp>
#include <rockart/util/strings.hpp>

#include <array>

namespace rockart::util {

namespace {

constexpr std::string_view k_mask = "****";

bool name_in(std::string_view name, const auto& names) {
  const std::string lower = to_lower(name);
  for (std::string_view candidate : names) {
    if (lower == candidate) {
      return true;
    }
  }
  return false;
}

} // namespace

bool is_secret_header(std::string_view name) {
  static constexpr std::array<std::string_view, 5> k_names = {
      "authorization", "x-amz-security-token", "cookie", "set-cookie", "proxy-authorization"};
  return name_in(name, k_names);
}

std::string redact_header(std::string_view name, std::string_view value) {
  return is_secret_header(name) ? std::string(k_mask) : std::string(value);
}

std::string redact_url(std::string_view url) {
  static constexpr std::array<std::string_view, 7> k_params = {"x-amz-signature",
                                                               "x-amz-credential",
                                                               "x-amz-security-token",
                                                               "token",
                                                               "access_token",
                                                               "signature",
                                                               "awsaccesskeyid"};
  std::string out(url);
  // userinfo: scheme://user:pass@host
  const size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const size_t host_start = scheme_end + 3;
    const size_t path_start = out.find_first_of("/?#", host_start);
    const size_t at = out.find('@', host_start);
    if (at != std::string::npos && (path_start == std::string::npos || at < path_start)) {
      out.replace(host_start, at - host_start, k_mask);
    }
  }
  const size_t query = out.find('?');
  if (query == std::string::npos) {
    return out;
  }
  std::string result = out.substr(0, query + 1);
  const auto params = split(std::string_view(out).substr(query + 1), '&');
  for (size_t i = 0; i < params.size(); ++i) {
    if (i > 0) {
      result += '&';
    }
    const size_t eq = params[i].find('=');
    const std::string key = params[i].substr(0, eq);
    if (eq != std::string::npos && name_in(key, k_params)) {
      result += key + "=" + std::string(k_mask);
    } else {
      result += params[i];
    }
  }
  return result;
}

std::string redact_secret(std::string text, std::string_view secret) {
  if (secret.empty()) {
    return text;
  }
  size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), k_mask);
    pos += k_mask.size();
  }
  return text;
}

} // namespace rockart::util
