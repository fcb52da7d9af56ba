// SPDX-License-Identifier: MIT
// StorageLocation forms (spec/layout.md §3) and validity rules (§4).
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/location.hpp>

#include <functional>
#include <string>
#include <vector>

namespace rockart::layout {
namespace {

// The exact message of the UsageError `fn` throws, or a marker when it does not throw.
std::string usage_error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "<no UsageError>";
}

// --- §3 forms ---------------------------------------------------------------

TEST(LocationForms, SpecExampleRow) {
  const StorageLocation loc("therock-ci-artifacts", "12345-linux/blas_lib_gfx94X.tar.xz");
  EXPECT_EQ(loc.bucket(), "therock-ci-artifacts");
  EXPECT_EQ(loc.relative_path(), "12345-linux/blas_lib_gfx94X.tar.xz");
  EXPECT_EQ(loc.s3_uri(), "s3://therock-ci-artifacts/12345-linux/blas_lib_gfx94X.tar.xz");
  EXPECT_EQ(loc.https_url(),
            "https://therock-ci-artifacts.s3.amazonaws.com/12345-linux/blas_lib_gfx94X.tar.xz");
  EXPECT_EQ(loc.staging_path("/data/staging"),
            std::filesystem::path("/data/staging/12345-linux/blas_lib_gfx94X.tar.xz"));
}

TEST(LocationForms, StagingPathIgnoresBucket) { // §3 rule 1
  const StorageLocation a("therock-ci-artifacts", "12345-linux/x.tar.zst");
  const StorageLocation b("therock-artifacts", "12345-linux/x.tar.zst");
  EXPECT_EQ(a.staging_path("/s"), b.staging_path("/s"));
  EXPECT_EQ(a.staging_path("rel/dir"), std::filesystem::path("rel/dir/12345-linux/x.tar.zst"));
}

TEST(LocationForms, DirectoryFormsHaveExactlyOneTrailingSlashOnlyForDisplay) { // §3 rule 2
  const StorageLocation dir("therock-ci-artifacts", "12345-linux");
  EXPECT_EQ(dir.relative_path(), "12345-linux");
  EXPECT_EQ(dir.s3_uri(), "s3://therock-ci-artifacts/12345-linux");
  EXPECT_EQ(dir.prefix(), "12345-linux/");
  EXPECT_EQ(dir.s3_prefix_uri(), "s3://therock-ci-artifacts/12345-linux/");
  const StorageLocation nested("therock-ci-artifacts-external", "ROCm-TheRock/1-windows/logs");
  EXPECT_EQ(nested.prefix(), "ROCm-TheRock/1-windows/logs/");
  EXPECT_EQ(nested.s3_prefix_uri(),
            "s3://therock-ci-artifacts-external/ROCm-TheRock/1-windows/logs/");
}

struct EncodingCase {
  std::string relative_path;
  std::string s3_uri;    // never encoded (§3 rule 3)
  std::string https_url; // each segment encoded (§3 rule 4)
};

TEST(LocationForms, S3UriIsRawAndHttpsUrlEncodesEachSegment) {
  const std::vector<EncodingCase> cases = {
      {"12345-linux/rccl_test_gfx942:xnack+.tar.zst",
       "s3://b-1/12345-linux/rccl_test_gfx942:xnack+.tar.zst",
       "https://b-1.s3.amazonaws.com/12345-linux/rccl_test_gfx942%3Axnack%2B.tar.zst"},
      {"12345-linux/logs/gfx942:xnack+/build.log",
       "s3://b-1/12345-linux/logs/gfx942:xnack+/build.log",
       "https://b-1.s3.amazonaws.com/12345-linux/logs/gfx942%3Axnack%2B/build.log"},
      {"1-linux/tarballs/therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0+abc123.tar.gz",
       "s3://b-1/1-linux/tarballs/therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0+abc123.tar.gz",
       "https://b-1.s3.amazonaws.com/1-linux/tarballs/"
       "therock-dist-linux-gfx94X-dcgpu-7.12.0.dev0%2Babc123.tar.gz"},
      {"1-linux/a b~c_d.e",
       "s3://b-1/1-linux/a b~c_d.e",
       "https://b-1.s3.amazonaws.com/1-linux/a%20b~c_d.e"},
      // Names without special characters are byte-identical to upstream.
      {"ROCm-TheRock/20384488184-windows/index.html",
       "s3://b-1/ROCm-TheRock/20384488184-windows/index.html",
       "https://b-1.s3.amazonaws.com/ROCm-TheRock/20384488184-windows/index.html"},
  };
  for (const EncodingCase& c : cases) {
    const StorageLocation loc("b-1", c.relative_path);
    EXPECT_EQ(loc.s3_uri(), c.s3_uri);
    EXPECT_EQ(loc.https_url(), c.https_url);
  }
}

TEST(LocationForms, HttpsUsesGlobalEndpointNotRegional) { // §3 rules 5-6
  const StorageLocation index("therock-ci-artifacts", "12345-linux/index.html");
  EXPECT_EQ(index.https_url(),
            "https://therock-ci-artifacts.s3.amazonaws.com/12345-linux/index.html");
  EXPECT_EQ(index.https_url().find("us-east-2"), std::string::npos);
}

// --- §4 rules 1-3: relative paths -------------------------------------------

TEST(LocationRules, AcceptsValidRelativePaths) {
  for (const char* path : {"a",
                           "a/b",
                           "12345-linux/rccl_test_gfx942:xnack+.tar.zst",
                           ".hidden",
                           "...",
                           "a..b/c.",
                           "ROCm-TheRock/1-linux",
                           "xy:z",
                           "ab:/c"}) {
    EXPECT_NO_THROW(validate_relative_path(path)) << path;
    EXPECT_NO_THROW(StorageLocation("bkt", path)) << path;
  }
}

struct Rejection {
  std::string input;
  std::string message;
};

TEST(LocationRules, RejectsInvalidRelativePathsWithExactMessage) {
  const std::vector<Rejection> cases = {
      {"", "invalid relative path '': must not be empty"},
      {"/abs", "invalid relative path '/abs': must be relative (must not start with '/' or '\\')"},
      {"\\abs",
       "invalid relative path '\\abs': must be relative (must not start with '/' or '\\')"},
      {"C:/x", "invalid relative path 'C:/x': must not start with a drive designator ('C:')"},
      {"c:x", "invalid relative path 'c:x': must not start with a drive designator ('c:')"},
      {"s3://b/k",
       "invalid relative path 's3://b/k': must not contain '://' (a URI is not a relative path)"},
      {"a/https://x",
       "invalid relative path 'a/https://x': must not contain '://' (a URI is not a relative "
       "path)"},
      {"a\\b", "invalid relative path 'a\\b': must not contain '\\' (the separator is '/')"},
      {"a/",
       "invalid relative path 'a/': empty path segment (no leading, trailing or doubled '/')"},
      {"a//b",
       "invalid relative path 'a//b': empty path segment (no leading, trailing or doubled '/')"},
      {"a/../b", "invalid path segment '..' in 'a/../b': dot segments are not allowed"},
      {"..", "invalid path segment '..' in '..': dot segments are not allowed"},
      {"./a", "invalid path segment '.' in './a': dot segments are not allowed"},
      {"a/.", "invalid path segment '.' in 'a/.': dot segments are not allowed"},
  };
  for (const Rejection& c : cases) {
    EXPECT_EQ(usage_error_of([&] { validate_relative_path(c.input); }), c.message);
    EXPECT_EQ(usage_error_of([&] { StorageLocation("bkt", c.input); }), c.message);
  }
}

TEST(LocationRules, ValidationNamesTheInput) {
  EXPECT_EQ(
      usage_error_of([] { validate_relative_path("/x", "test report subfolder"); }),
      "invalid test report subfolder '/x': must be relative (must not start with '/' or '\\')");
}

// --- §4 rule 4: child-of ------------------------------------------------------

TEST(LocationChild, AppendsOneOrMoreSegmentsInSameBucket) {
  const StorageLocation root("therock-ci-artifacts", "12345-linux");
  EXPECT_EQ(root.child("logs"), StorageLocation("therock-ci-artifacts", "12345-linux/logs"));
  EXPECT_EQ(root.child("logs/gfx94X-dcgpu/build.log").relative_path(),
            "12345-linux/logs/gfx94X-dcgpu/build.log");
  EXPECT_EQ(root.child("a").bucket(), "therock-ci-artifacts");
  EXPECT_EQ(root.child_segment("x.tar.zst", "artifact file name").relative_path(),
            "12345-linux/x.tar.zst");
}

TEST(LocationChild, RejectsEmptyAndEscapingNames) {
  const StorageLocation root("therock-ci-artifacts", "12345-linux");
  const std::vector<Rejection> cases = {
      {"", "invalid child path '': must not be empty"},
      {"..", "invalid path segment '..' in '..': dot segments are not allowed"},
      {"a/../../x", "invalid path segment '..' in 'a/../../x': dot segments are not allowed"},
      {"/etc/passwd",
       "invalid child path '/etc/passwd': must be relative (must not start with '/' or '\\')"},
      {"a/", "invalid child path 'a/': empty path segment (no leading, trailing or doubled '/')"},
      {"..\\x", "invalid child path '..\\x': must not contain '\\' (the separator is '/')"},
  };
  for (const Rejection& c : cases) {
    EXPECT_EQ(usage_error_of([&] { (void)root.child(c.input); }), c.message);
  }
}

TEST(LocationChild, SingleSegmentRejectsSlashAndDots) {
  const StorageLocation root("bkt", "1-linux");
  const std::vector<Rejection> cases = {
      {"", "invalid artifact file name '': must not be empty"},
      {"a/b", "invalid artifact file name 'a/b': must be a single path segment (no '/')"},
      {"../x", "invalid artifact file name '../x': must be a single path segment (no '/')"},
      {"..", "invalid artifact file name '..': dot segments are not allowed"},
      {".", "invalid artifact file name '.': dot segments are not allowed"},
      {"D:x", "invalid artifact file name 'D:x': must not start with a drive designator ('D:')"},
      {"a\\b", "invalid artifact file name 'a\\b': must not contain '\\' (the separator is '/')"},
  };
  for (const Rejection& c : cases) {
    EXPECT_EQ(usage_error_of([&] { (void)root.child_segment(c.input, "artifact file name"); }),
              c.message);
    EXPECT_EQ(usage_error_of([&] { validate_segment(c.input, "artifact file name"); }), c.message);
  }
  EXPECT_NO_THROW(validate_segment("rccl_test_gfx942:xnack+.tar.zst"));
}

TEST(LocationChild, ResultIsAlwaysStrictlyBelowParent) {
  const StorageLocation root("bkt", "ROCm-TheRock/1-linux");
  for (const char* name : {"a", "a/b/c", "index.html", "..a", "a.."}) {
    const StorageLocation c = root.child(name);
    EXPECT_TRUE(c.is_within(root)) << name;
    EXPECT_NE(c, root);
    EXPECT_EQ(c.relative_path().rfind(root.prefix(), 0), 0U) << name;
  }
  EXPECT_TRUE(root.is_within(root));
  EXPECT_FALSE(StorageLocation("bkt", "ROCm-TheRock/1-linuxx").is_within(root));
  EXPECT_FALSE(StorageLocation("bkt", "ROCm-TheRock").is_within(root));
  EXPECT_FALSE(StorageLocation("other", "ROCm-TheRock/1-linux/a").is_within(root));
}

// --- §4 rule 7: bucket names ------------------------------------------------------

TEST(LocationRules, BucketNames) {
  const std::string max(63, 'a');
  for (const std::string& ok : {std::string("therock-ci-artifacts"),
                                std::string("local"),
                                std::string("abc"),
                                std::string("my.bucket-1"),
                                max}) {
    EXPECT_NO_THROW(validate_bucket_name(ok)) << ok;
  }
  const std::string rule = "S3 bucket names have 3-63 characters from a-z 0-9 . -";
  const std::vector<Rejection> cases = {
      {"", "invalid bucket name '': has 0 characters; " + rule},
      {"ab", "invalid bucket name 'ab': has 2 characters; " + rule},
      {max + "a", "invalid bucket name '" + max + "a': has 64 characters; " + rule},
      {"TheRock", "invalid bucket name 'TheRock': character 'T' is not allowed; " + rule},
      {"my_bucket", "invalid bucket name 'my_bucket': character '_' is not allowed; " + rule},
      {"a/b", "invalid bucket name 'a/b': character '/' is not allowed; " + rule},
  };
  for (const Rejection& c : cases) {
    EXPECT_EQ(usage_error_of([&] { validate_bucket_name(c.input); }), c.message);
    EXPECT_EQ(usage_error_of([&] { StorageLocation(c.input, "1-linux"); }), c.message);
  }
}

// --- §4 rules 8-9 ----------------------------------------------------------------------

TEST(LocationRules, StagingPathStaysInsideStagingDir) { // rule 8
  const std::filesystem::path staging = "/data/staging";
  for (const char* path : {"a", "1-linux/logs/g/x.log", "...", "a/..b"}) {
    const auto p = StorageLocation("bkt", path).staging_path(staging).lexically_normal();
    const auto rel = p.lexically_relative(staging);
    EXPECT_FALSE(rel.empty()) << path;
    EXPECT_NE(*rel.begin(), "..") << path;
  }
}

TEST(LocationRules, EqualityIsBucketAndPath) { // rule 9
  EXPECT_EQ(StorageLocation("bkt", "a/b"), StorageLocation("bkt", "a/b"));
  EXPECT_NE(StorageLocation("bkt", "a/b"), StorageLocation("bk2", "a/b"));
  EXPECT_NE(StorageLocation("bkt", "a/b"), StorageLocation("bkt", "a/B"));
  EXPECT_EQ(StorageLocation("bkt", "a").child("b"), StorageLocation("bkt", "a/b"));
}

} // namespace
} // namespace rockart::layout
