// SPDX-License-Identifier: MIT
// The one redaction helper: every URL and header rockart prints goes through it.
#pragma once

#include <string>
#include <string_view>

namespace rockart::util {

// True for header names whose values are secret (Authorization,
// X-Amz-Security-Token, Cookie, ...), compared case-insensitively.
bool is_secret_header(std::string_view name);

// Returns `value` unchanged, or "****" when `name` is a secret header.
std::string redact_header(std::string_view name, std::string_view value);

// Replaces the values of presigned-URL query parameters (X-Amz-Signature,
// X-Amz-Credential, X-Amz-Security-Token, token, access_token, ...) and any
// `user:password@` userinfo with "****".
std::string redact_url(std::string_view url);

// Replaces every occurrence of `secret` (if non-empty) in `text` with "****".
std::string redact_secret(std::string text, std::string_view secret);

} // namespace rockart::util
