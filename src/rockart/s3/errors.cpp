// SPDX-License-Identifier: MIT
#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/errors.hpp>

#include <array>
#include <string_view>

namespace rockart::s3 {

namespace {

constexpr std::array<std::string_view, 10> k_auth_codes = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidToken",
    "TokenRefreshRequired",
    "AllAccessDisabled",
    "AccountProblem",
    "InvalidSecurity",
    "MissingSecurityHeader",
};

bool is_auth_code(std::string_view code) {
  for (auto c : k_auth_codes) {
    if (c == code) {
      return true;
    }
  }
  return false;
}

std::string request_id(const ErrorContext& c) {
  return c.body.request_id.empty() ? c.request_id_header : c.body.request_id;
}

// "HTTP 403 AccessDenied: Access Denied (request id X)".
std::string describe_status(const ErrorContext& c) {
  std::string out = "HTTP " + std::to_string(c.status);
  if (!c.body.code.empty()) {
    out += " " + c.body.code;
  }
  if (!c.body.message.empty()) {
    out += ": " + c.body.message;
  }
  if (!request_id(c).empty()) {
    out += " (request id " + request_id(c) + ")";
  }
  return out;
}

std::string prefix(const ErrorContext& c) {
  return "cannot " + c.operation + " " + c.uri + ": ";
}

std::string right_region(const ErrorContext& c) {
  if (!c.bucket_region.empty()) {
    return c.bucket_region;
  }
  return c.body.region;
}

bool is_wrong_region(const ErrorContext& c) {
  const std::string right = right_region(c);
  if (right.empty() || right == c.region) {
    return false;
  }
  return c.status == 301 || c.body.code == "PermanentRedirect"
         || c.body.code == "AuthorizationHeaderMalformed"
         || c.body.code == "IllegalLocationConstraintException" || c.status == 400
         || c.status == 403;
}

std::string region_clause(const ErrorContext& c) {
  return "the region in use is " + c.region
         + (c.region_source.empty() ? "" : " (from " + c.region_source + ")");
}

std::string auth_hint(const ErrorContext& c) {
  if (c.anonymous) {
    const std::string why = c.credentials_source == "--no-sign-request"
                                ? "the request was unsigned because of --no-sign-request"
                                : "no AWS credentials were found (environment, AWS_PROFILE, "
                                  "shared credentials and config files), so the request was "
                                  "sent unsigned";
    return why + "; this bucket does not allow anonymous access: set AWS_ACCESS_KEY_ID and "
           + "AWS_SECRET_ACCESS_KEY or AWS_PROFILE; " + region_clause(c);
  }
  std::string hint =
      "credentials from " + c.credentials_source + " (" + c.credentials + ") were rejected";
  if (c.body.code == "SignatureDoesNotMatch") {
    hint += "; the secret access key does not match the access key id";
  } else if (c.body.code == "InvalidAccessKeyId") {
    hint += "; the access key id does not exist";
  } else if (c.body.code == "ExpiredToken" || c.body.code == "TokenRefreshRequired") {
    hint += "; the session token has expired: refresh the credentials";
  } else {
    hint += "; check that they grant access to this object";
  }
  return hint + "; " + region_clause(c) + ", check it against the bucket's region";
}

} // namespace

std::exception_ptr make_s3_error(const ErrorContext& c) {
  const std::string& code = c.body.code;
  if (is_wrong_region(c)) {
    const std::string right = right_region(c);
    return std::make_exception_ptr(http::StatusError(
        prefix(c) + "the bucket is in region " + right + ", not " + c.region + " ("
            + describe_status(c) + ")",
        c.status,
        code.empty() ? "PermanentRedirect" : code,
        request_id(c),
        "use --region " + right + " (or AWS_REGION=" + right + "); " + region_clause(c)));
  }
  if (code == "NoSuchKey" || (c.status == 404 && code.empty())) {
    return std::make_exception_ptr(
        NotFoundError(prefix(c) + "no such key (" + describe_status(c) + ")",
                      "check the key with `rockart s3 ls` on its parent prefix"));
  }
  if (code == "NoSuchBucket") {
    return std::make_exception_ptr(NoSuchBucketError(
        prefix(c) + "no such bucket (" + describe_status(c) + ")",
        "check the bucket name and the endpoint (--endpoint-url, AWS_ENDPOINT_URL_S3)"));
  }
  if (c.status == 401 || (c.status == 403 && code.empty()) || is_auth_code(code)) {
    std::string hint = auth_hint(c);
    if (code.empty() && c.head_request) {
      // HEAD answers carry no body: S3 also says 403 for an absent key when
      // the caller may read objects but not list the bucket.
      hint = "HEAD responses have no error body; S3 answers 403 for a missing key when "
             "listing is not allowed. "
             + hint;
    }
    return std::make_exception_ptr(AuthError(prefix(c) + describe_status(c), hint));
  }
  return std::make_exception_ptr(http::StatusError(
      prefix(c) + describe_status(c), c.status, code, request_id(c), {}, c.retry_after));
}

} // namespace rockart::s3
