// SPDX-License-Identifier: MIT
// make_s3_error: status and S3 code -> error kind, message and hint.
#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/s3/errors.hpp>

#include <support/support.hpp>

namespace rockart::s3 {
namespace {

ErrorContext context(int status, std::string code, std::string message = {}) {
  ErrorContext c;
  c.operation = "download";
  c.uri = "s3://therock-ci-artifacts/12345-linux/x.tar.zst";
  c.status = status;
  c.body.code = std::move(code);
  c.body.message = std::move(message);
  c.body.request_id = "REQ1";
  c.credentials_source = "shared credentials file /home/u/.aws/credentials profile ci";
  c.credentials = "access key ****MPLE";
  c.region = "us-east-1";
  c.region_source = "AWS_REGION";
  return c;
}

struct Thrown {
  std::string kind;
  std::string message;
  std::string hint;
};

Thrown thrown(const ErrorContext& c) {
  try {
    std::rethrow_exception(make_s3_error(c));
  } catch (const Error& e) {
    return {e.kind(), e.what(), e.hint()};
  }
  return {};
}

const std::string k_prefix = "cannot download s3://therock-ci-artifacts/12345-linux/x.tar.zst: ";

struct Row {
  int status;
  const char* code;
  const char* kind;
  std::string message;
};

TEST(S3Errors, MapsStatusAndCodeToKindAndMessage) {
  const std::vector<Row> rows = {
      {404, "NoSuchKey", "not-found", "no such key (HTTP 404 NoSuchKey: m (request id REQ1))"},
      {404, "", "not-found", "no such key (HTTP 404: m (request id REQ1))"},
      {404,
       "NoSuchBucket",
       "not-found",
       "no such bucket (HTTP 404 NoSuchBucket: m (request id REQ1))"},
      {403, "AccessDenied", "auth", "HTTP 403 AccessDenied: m (request id REQ1)"},
      {403, "InvalidAccessKeyId", "auth", "HTTP 403 InvalidAccessKeyId: m (request id REQ1)"},
      {403, "SignatureDoesNotMatch", "auth", "HTTP 403 SignatureDoesNotMatch: m (request id REQ1)"},
      {400, "ExpiredToken", "auth", "HTTP 400 ExpiredToken: m (request id REQ1)"},
      {401, "", "auth", "HTTP 401: m (request id REQ1)"},
      {403, "", "auth", "HTTP 403: m (request id REQ1)"},
      {503, "SlowDown", "remote", "HTTP 503 SlowDown: m (request id REQ1)"},
      {500, "InternalError", "remote", "HTTP 500 InternalError: m (request id REQ1)"},
      {200, "InternalError", "remote", "HTTP 200 InternalError: m (request id REQ1)"},
      {412, "PreconditionFailed", "remote", "HTTP 412 PreconditionFailed: m (request id REQ1)"},
      {400, "InvalidArgument", "remote", "HTTP 400 InvalidArgument: m (request id REQ1)"},
  };
  for (const Row& row : rows) {
    // Only NoSuchBucket has its own type: find tells a vanished bucket from a missing key by it.
    const bool no_such_bucket = std::string(row.code) == "NoSuchBucket";
    try {
      std::rethrow_exception(make_s3_error(context(row.status, row.code, "m")));
    } catch (const NoSuchBucketError&) {
      EXPECT_TRUE(no_such_bucket) << row.status << " " << row.code;
    } catch (const Error&) {
      EXPECT_FALSE(no_such_bucket) << row.status << " " << row.code;
    }
    const Thrown t = thrown(context(row.status, row.code, "m"));
    EXPECT_EQ(t.kind, row.kind) << row.status << " " << row.code;
    EXPECT_EQ(t.message, k_prefix + row.message);
  }
}

TEST(S3Errors, StatusErrorsKeepCodeRequestIdAndRetryAfter) {
  ErrorContext c = context(503, "SlowDown", "Please reduce your request rate.");
  c.retry_after = std::chrono::milliseconds(2000);
  try {
    std::rethrow_exception(make_s3_error(c));
  } catch (const http::StatusError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "SlowDown");
    EXPECT_EQ(e.request_id(), "REQ1");
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(2000));
    EXPECT_TRUE(http::is_retryable(*http::failure_from_exception(std::current_exception())));
  }
}

TEST(S3Errors, UsesTheRequestIdHeaderWhenTheBodyHasNone) {
  ErrorContext c = context(500, "");
  c.body.request_id.clear();
  c.request_id_header = "HDR9";
  EXPECT_EQ(thrown(c).message, k_prefix + "HTTP 500 (request id HDR9)");
}

TEST(S3Errors, ForbiddenSaysWhereTheCredentialsCameFromWithoutSecrets) {
  const Thrown t = thrown(context(403, "AccessDenied", "Access Denied"));
  EXPECT_EQ(t.hint,
            "credentials from shared credentials file /home/u/.aws/credentials profile ci "
            "(access key ****MPLE) were rejected; check that they grant access to this object; "
            "the region in use is us-east-1 (from AWS_REGION), check it against the bucket's "
            "region");
  EXPECT_NE(thrown(context(403, "SignatureDoesNotMatch"))
                .hint.find("the secret access key does not match the access key id"),
            std::string::npos);
  EXPECT_NE(thrown(context(400, "ExpiredToken")).hint.find("the session token has expired"),
            std::string::npos);
}

TEST(S3Errors, ForbiddenWhenAnonymousSaysNoCredentialsWereFound) {
  ErrorContext c = context(403, "AccessDenied", "Access Denied");
  c.anonymous = true;
  c.credentials_source = "none";
  c.credentials = "anonymous";
  const Thrown t = thrown(c);
  EXPECT_EQ(t.kind, "auth");
  EXPECT_EQ(t.hint,
            "no AWS credentials were found (environment, AWS_PROFILE, shared credentials and "
            "config files), so the request was sent unsigned; this bucket does not allow "
            "anonymous access: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE; "
            "the region in use is us-east-1 (from AWS_REGION)");
  c.credentials_source = "--no-sign-request";
  EXPECT_EQ(thrown(c).hint.substr(0, 55),
            "the request was unsigned because of --no-sign-request; ");
}

TEST(S3Errors, HeadForbiddenExplainsTheMissingBody) {
  ErrorContext c = context(403, "");
  c.operation = "head";
  c.head_request = true;
  c.body.request_id.clear();
  const Thrown t = thrown(c);
  EXPECT_EQ(t.kind, "auth");
  EXPECT_EQ(t.message, "cannot head s3://therock-ci-artifacts/12345-linux/x.tar.zst: HTTP 403");
  EXPECT_EQ(t.hint.substr(0, 96),
            "HEAD responses have no error body; S3 answers 403 for a missing key when listing is "
            "not allowed.");
  c.head_request = false; // a GET's 403 without a code gets the plain hint
  EXPECT_EQ(thrown(c).hint.substr(0, 17), "credentials from ");
}

TEST(S3Errors, WrongRegionNamesTheRightOne) {
  ErrorContext redirect = context(301, "PermanentRedirect", "use the specified endpoint");
  redirect.bucket_region = "us-east-2";
  Thrown t = thrown(redirect);
  EXPECT_EQ(t.kind, "remote");
  EXPECT_EQ(t.message,
            k_prefix
                + "the bucket is in region us-east-2, not us-east-1 (HTTP 301 PermanentRedirect: "
                  "use the specified endpoint (request id REQ1))");
  EXPECT_EQ(t.hint,
            "use --region us-east-2 (or AWS_REGION=us-east-2); the region in use is us-east-1 "
            "(from AWS_REGION)");

  ErrorContext malformed = context(400, "AuthorizationHeaderMalformed", "wrong region");
  malformed.body.region = "eu-west-1";
  EXPECT_EQ(thrown(malformed).message,
            k_prefix
                + "the bucket is in region eu-west-1, not us-east-1 (HTTP 400 "
                  "AuthorizationHeaderMalformed: wrong region (request id REQ1))");

  ErrorContext head = context(301, ""); // HEAD: no body, only the header
  head.body.request_id.clear();
  head.bucket_region = "ap-south-1";
  EXPECT_EQ(thrown(head).message,
            k_prefix + "the bucket is in region ap-south-1, not us-east-1 (HTTP 301)");

  ErrorContext same = context(403, "AccessDenied");
  same.bucket_region = "us-east-1"; // region is right: a plain auth error
  EXPECT_EQ(thrown(same).kind, "auth");
}

} // namespace
} // namespace rockart::s3
