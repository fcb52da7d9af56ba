// SPDX-License-Identifier: MIT
// `rockart s3 cp` planning: SRC/DST parsing, the single transfer a pair
// means (aws CLI naming), the progress wording, and the recursive plan of a
// local tree (which never talks to S3: the client's transport fails the test
// if it is ever called).
#include "support/log_capture.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/http/retry.hpp>
#include <rockart/http/transport.hpp>
#include <rockart/s3/client.hpp>
#include <rockart/storage/s3_transfers.hpp>
#include <rockart/util/log.hpp>

#include <atomic>
#include <string>
#include <vector>

namespace rockart::storage {
namespace {

using test::LogCapture;
namespace fs = std::filesystem;
using test::TempDir;
using test::write_file;

// A transport that must never be used.
class ForbiddenTransport final : public http::Transport {
public:
  http::Response perform(const http::Request& request) override {
    ++calls;
    ADD_FAILURE() << "unexpected HTTP request: " << request.url;
    throw NetworkError("the test transport does not send requests");
  }

  std::atomic<int> calls{0};
};

class ForbiddenSleeper final : public http::Sleeper {
public:
  void sleep(std::chrono::milliseconds) override { ADD_FAILURE() << "unexpected sleep"; }
};

struct OfflineClient {
  ForbiddenTransport transport;
  ForbiddenSleeper sleeper;
  s3::Client client{s3::S3Config{}, transport, sleeper};

  ~OfflineClient() { EXPECT_EQ(transport.calls.load(), 0); }
};

// --- parse_location ---

struct RemoteCase {
  std::string text;
  std::string bucket;
  std::string key;
};

class ParseRemoteLocation : public ::testing::TestWithParam<RemoteCase> {};

TEST_P(ParseRemoteLocation, SplitsBucketAndKey) {
  const RemoteCase& c = GetParam();
  const Location location = parse_location(c.text);
  EXPECT_TRUE(location.remote);
  EXPECT_EQ(location.bucket, c.bucket);
  EXPECT_EQ(location.key, c.key);
  EXPECT_EQ(location.text, c.text);
  EXPECT_TRUE(location.path.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    ParseRemoteLocation,
    ::testing::Values(RemoteCase{"s3://bucket/key", "bucket", "key"},
                      RemoteCase{"s3://therock-ci-artifacts/20723767265-linux/x.tar.zst",
                                 "therock-ci-artifacts",
                                 "20723767265-linux/x.tar.zst"},
                      RemoteCase{"s3://bucket/dir/", "bucket", "dir/"},
                      RemoteCase{"s3://bucket/", "bucket", ""},
                      RemoteCase{"s3://bucket", "bucket", ""},
                      RemoteCase{"S3://Upper/Key", "Upper", "Key"},
                      RemoteCase{"S3://bucket/a b+c", "bucket", "a b+c"}));

class ParseLocalLocation : public ::testing::TestWithParam<std::string> {};

TEST_P(ParseLocalLocation, IsAPath) {
  const Location location = parse_location(GetParam());
  EXPECT_FALSE(location.remote);
  EXPECT_EQ(location.path, fs::path(GetParam()));
  EXPECT_EQ(location.text, GetParam());
  EXPECT_EQ(location.bucket, "");
  EXPECT_EQ(location.key, "");
}

INSTANTIATE_TEST_SUITE_P(Table,
                         ParseLocalLocation,
                         ::testing::Values("a.txt",
                                           "./dir/",
                                           "/abs/path/file.tar.zst",
                                           "-",
                                           "s3:relative", // no "://": a local name
                                           "bucket/key"));

struct BadLocationCase {
  std::string text;
  std::string message;
};

class ParseBadLocation : public ::testing::TestWithParam<BadLocationCase> {};

TEST_P(ParseBadLocation, IsAUsageError) {
  EXPECT_ERROR((void)parse_location(GetParam().text), UsageError, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    ParseBadLocation,
    ::testing::Values(BadLocationCase{"https://example.com/b/k",
                                      "unsupported URI 'https://example.com/b/k'"},
                      BadLocationCase{"gs://bucket/key", "unsupported URI 'gs://bucket/key'"},
                      BadLocationCase{"file:///tmp/x", "unsupported URI 'file:///tmp/x'"},
                      BadLocationCase{"", "empty path"},
                      BadLocationCase{"s3://", "S3 URI without a bucket"},
                      BadLocationCase{"s3:///key", "S3 URI without a bucket"},
                      BadLocationCase{"S3://", "S3 URI without a bucket"}));

TEST(ParseLocation, UnsupportedUriHasAHint) {
  try {
    (void)parse_location("gs://bucket/key");
    ADD_FAILURE() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "unsupported URI 'gs://bucket/key'");
    EXPECT_EQ(e.hint(), "write S3 locations as s3://bucket/key and local ones as paths");
  }
}

// --- Transfer::describe ---

TEST(TransferDescribe, UsesTheAwsCliWording) {
  Transfer upload;
  upload.direction = Direction::upload;
  upload.local = "a.txt";
  upload.dst_bucket = "b";
  upload.dst_key = "k";
  EXPECT_EQ(upload.describe(), "upload: a.txt to s3://b/k");

  Transfer download;
  download.direction = Direction::download;
  download.src_bucket = "b";
  download.src_key = "k";
  download.local = "p";
  EXPECT_EQ(download.describe(), "download: s3://b/k to p");

  Transfer copy;
  copy.direction = Direction::copy;
  copy.src_bucket = "a";
  copy.src_key = "k";
  copy.dst_bucket = "b";
  copy.dst_key = "k";
  EXPECT_EQ(copy.describe(), "copy: s3://a/k to s3://b/k");

  Transfer nested;
  nested.direction = Direction::download;
  nested.src_bucket = "bucket";
  nested.src_key = "run/logs/build.log";
  nested.local = "out/build.log";
  EXPECT_EQ(nested.describe(), "download: s3://bucket/run/logs/build.log to out/build.log");
}

// --- plan_single ---

struct UploadCase {
  std::string dst;
  std::string bucket;
  std::string key;
};

class PlanSingleUpload : public ::testing::TestWithParam<UploadCase> {};

TEST_P(PlanSingleUpload, NamesTheDestinationKey) {
  TempDir dir;
  const fs::path file = dir.path() / "a.txt";
  write_file(file, "12345");
  const Transfer t = plan_single(parse_location(file.string()), parse_location(GetParam().dst));
  EXPECT_EQ(t.direction, Direction::upload);
  EXPECT_EQ(t.local, file);
  EXPECT_EQ(t.dst_bucket, GetParam().bucket);
  EXPECT_EQ(t.dst_key, GetParam().key);
  EXPECT_EQ(t.size, 5u);
  EXPECT_EQ(t.src_bucket, "");
  EXPECT_EQ(t.src_key, "");
  EXPECT_EQ(t.describe(),
            "upload: " + file.string() + " to s3://" + GetParam().bucket + "/" + GetParam().key);
}

INSTANTIATE_TEST_SUITE_P(Table,
                         PlanSingleUpload,
                         ::testing::Values(
                             // A key is used as given.
                             UploadCase{"s3://b/k", "b", "k"},
                             UploadCase{"s3://b/dir/renamed.txt", "b", "dir/renamed.txt"},
                             // A destination ending in '/' keeps the file name.
                             UploadCase{"s3://b/dir/", "b", "dir/a.txt"},
                             UploadCase{"s3://b/deep/er/", "b", "deep/er/a.txt"},
                             // The bucket root keeps it too.
                             UploadCase{"s3://b/", "b", "a.txt"},
                             UploadCase{"s3://b", "b", "a.txt"}));

TEST(PlanSingle, UploadOfAMissingFileIsNotFound) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing.txt").string();
  EXPECT_ERROR((void)plan_single(parse_location(missing), parse_location("s3://b/k")),
               NotFoundError,
               "cannot upload " + missing + ": no such file or directory");
}

TEST(PlanSingle, UploadOfADirectoryWithoutRecursiveIsAUsageError) {
  TempDir dir;
  const std::string text = dir.path().string();
  try {
    (void)plan_single(parse_location(text), parse_location("s3://b/k"));
    ADD_FAILURE() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot upload " + text + ": it is a directory");
    EXPECT_EQ(e.hint(), "add --recursive to copy the directory tree");
  }
}

TEST(PlanSingle, DownloadToAPathUsesThePath) {
  TempDir dir;
  const fs::path dest = dir.path() / "renamed.bin";
  const Transfer t =
      plan_single(parse_location("s3://b/run/x.tar.zst"), parse_location(dest.string()));
  EXPECT_EQ(t.direction, Direction::download);
  EXPECT_EQ(t.src_bucket, "b");
  EXPECT_EQ(t.src_key, "run/x.tar.zst");
  EXPECT_EQ(t.local, dest);
  EXPECT_EQ(t.dst_bucket, "");
  EXPECT_EQ(t.size, 0u); // unknown before the transfer
  EXPECT_EQ(t.describe(), "download: s3://b/run/x.tar.zst to " + dest.string());
}

TEST(PlanSingle, DownloadToADestinationEndingInSlashKeepsTheFileName) {
  TempDir dir;
  // The directory need not exist yet.
  const std::string dest = (dir.path() / "not-yet").string() + "/";
  const Transfer t = plan_single(parse_location("s3://b/run/x.tar.zst"), parse_location(dest));
  EXPECT_EQ(t.local.string(), (dir.path() / "not-yet" / "x.tar.zst").string());
}

TEST(PlanSingle, DownloadToAnExistingDirectoryKeepsTheFileName) {
  TempDir dir;
  fs::create_directories(dir.path() / "out");
  const Transfer t = plan_single(parse_location("s3://b/run/logs/build.log"),
                                 parse_location((dir.path() / "out").string()));
  EXPECT_EQ(t.local.string(), (dir.path() / "out" / "build.log").string());
}

TEST(PlanSingle, DownloadToDashIsStdout) {
  const Transfer t = plan_single(parse_location("s3://b/k.txt"), parse_location("-"));
  EXPECT_EQ(t.direction, Direction::download);
  EXPECT_EQ(t.local, fs::path("-"));
  EXPECT_EQ(t.describe(), "download: s3://b/k.txt to -");
}

struct CopyCase {
  std::string src;
  std::string dst;
  std::string dst_bucket;
  std::string dst_key;
};

class PlanSingleCopy : public ::testing::TestWithParam<CopyCase> {};

TEST_P(PlanSingleCopy, NamesTheDestinationKey) {
  const CopyCase& c = GetParam();
  const Transfer t = plan_single(parse_location(c.src), parse_location(c.dst));
  const Location src = parse_location(c.src);
  EXPECT_EQ(t.direction, Direction::copy);
  EXPECT_EQ(t.src_bucket, src.bucket);
  EXPECT_EQ(t.src_key, src.key);
  EXPECT_EQ(t.dst_bucket, c.dst_bucket);
  EXPECT_EQ(t.dst_key, c.dst_key);
  EXPECT_TRUE(t.local.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Table,
    PlanSingleCopy,
    ::testing::Values(CopyCase{"s3://a/k", "s3://b/k", "b", "k"},
                      CopyCase{"s3://a/x/y/k.bin", "s3://b/other", "b", "other"},
                      CopyCase{"s3://a/x/y/k.bin", "s3://b/d/", "b", "d/k.bin"},
                      CopyCase{"s3://a/x/y/k.bin", "s3://b/", "b", "k.bin"},
                      CopyCase{"s3://a/x/y/k.bin", "s3://b", "b", "k.bin"},
                      CopyCase{"s3://a/k", "s3://a/k.bak", "a", "k.bak"}));

TEST(PlanSingle, CopyDescribesBothSides) {
  const Transfer t = plan_single(parse_location("s3://a/k"), parse_location("s3://b/k"));
  EXPECT_EQ(t.describe(), "copy: s3://a/k to s3://b/k");
}

TEST(PlanSingle, LocalToLocalIsAUsageError) {
  TempDir dir;
  write_file(dir.path() / "a", "x");
  const std::string a = (dir.path() / "a").string();
  const std::string b = (dir.path() / "b").string();
  try {
    (void)plan_single(parse_location(a), parse_location(b));
    ADD_FAILURE() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot copy " + a + " to " + b + ": at least one side must be an s3:// URI");
    EXPECT_EQ(e.hint(), "use cp(1) for local copies");
  }
  EXPECT_FALSE(fs::exists(dir.path() / "b"));
}

struct PrefixSourceCase {
  std::string src;
  std::string dst;
};

class PlanSinglePrefixSource : public ::testing::TestWithParam<PrefixSourceCase> {};

TEST_P(PlanSinglePrefixSource, NeedsRecursive) {
  const PrefixSourceCase& c = GetParam();
  try {
    (void)plan_single(parse_location(c.src), parse_location(c.dst));
    ADD_FAILURE() << "no exception for " << c.src;
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + c.src + "' names a prefix, not an object");
    EXPECT_EQ(e.hint(), "add --recursive to copy every object under it");
  }
}

INSTANTIATE_TEST_SUITE_P(Table,
                         PlanSinglePrefixSource,
                         ::testing::Values(PrefixSourceCase{"s3://b/dir/", "out"},
                                           PrefixSourceCase{"s3://b", "out"},
                                           PrefixSourceCase{"s3://b/", "-"},
                                           PrefixSourceCase{"s3://b/dir/", "s3://c/x"},
                                           PrefixSourceCase{"s3://b", "s3://c/"}));

// --- plan_recursive over a local tree ---

// keys and local paths of `transfers`, for compact comparisons.
std::vector<std::string> keys_of(const std::vector<Transfer>& transfers) {
  std::vector<std::string> out;
  for (const Transfer& t : transfers) {
    out.push_back(t.dst_bucket + ":" + t.dst_key);
  }
  return out;
}

std::vector<fs::path> locals_of(const std::vector<Transfer>& transfers) {
  std::vector<fs::path> out;
  for (const Transfer& t : transfers) {
    out.push_back(t.local);
  }
  return out;
}

TEST(PlanRecursive, LocalTreeMapsRelativePathsBelowTheDestinationPrefixSortedBySource) {
  TempDir dir;
  const fs::path src = dir.path() / "src";
  write_file(src / "z.txt", "zz");
  write_file(src / "sub/deep/c.bin", "ccc");
  write_file(src / "a.txt", "a");
  write_file(src / "sub/b.txt", "bbbb");
  OfflineClient offline;
  for (const char* dst : {"s3://bucket/prefix", "s3://bucket/prefix/"}) {
    const auto plan =
        plan_recursive(offline.client, parse_location(src.string()), parse_location(dst));
    EXPECT_EQ(keys_of(plan),
              (std::vector<std::string>{"bucket:prefix/a.txt",
                                        "bucket:prefix/sub/b.txt",
                                        "bucket:prefix/sub/deep/c.bin",
                                        "bucket:prefix/z.txt"}))
        << dst;
    EXPECT_EQ(locals_of(plan),
              (std::vector<fs::path>{
                  src / "a.txt", src / "sub/b.txt", src / "sub/deep/c.bin", src / "z.txt"}));
    ASSERT_EQ(plan.size(), 4u);
    EXPECT_EQ(plan[0].size, 1u);
    EXPECT_EQ(plan[1].size, 4u);
    EXPECT_EQ(plan[2].size, 3u);
    EXPECT_EQ(plan[3].size, 2u);
    for (const Transfer& t : plan) {
      EXPECT_EQ(t.direction, Direction::upload);
    }
  }
}

TEST(PlanRecursive, LocalTreeToTheBucketRootUsesBareRelativePaths) {
  TempDir dir;
  const fs::path src = dir.path() / "src";
  write_file(src / "a.txt", "a");
  write_file(src / "d/e.txt", "e");
  OfflineClient offline;
  const auto plan =
      plan_recursive(offline.client, parse_location(src.string()), parse_location("s3://b"));
  EXPECT_EQ(keys_of(plan), (std::vector<std::string>{"b:a.txt", "b:d/e.txt"}));
  EXPECT_EQ(plan[1].describe(), "upload: " + (src / "d/e.txt").string() + " to s3://b/d/e.txt");
}

TEST(PlanRecursive, FollowsSymlinksToFilesInsideTheTreeAndSkipsTheRest) {
  TempDir dir;
  const fs::path src = dir.path() / "src";
  const fs::path outside = dir.path() / "outside";
  // A sibling whose name starts like the tree's: not inside it.
  const fs::path sibling = dir.path() / "src-other";
  write_file(src / "real.txt", "real");
  write_file(src / "sub/inner.txt", "inner");
  write_file(outside / "secret.txt", "secret");
  write_file(sibling / "file.txt", "sibling");
  fs::create_symlink("sub/inner.txt", src / "link_in");           // followed
  fs::create_symlink(outside / "secret.txt", src / "link_out");   // skipped
  fs::create_symlink(sibling / "file.txt", src / "link_sibling"); // skipped
  fs::create_symlink(src / "missing", src / "dangling");          // skipped
  fs::create_directory_symlink(outside, src / "dir_out");         // skipped, not descended
  fs::create_directory_symlink(src / "sub", src / "dir_in");      // a directory: skipped

  OfflineClient offline;
  LogCapture log;
  const auto plan =
      plan_recursive(offline.client, parse_location(src.string()), parse_location("s3://b/p/"));
  EXPECT_EQ(keys_of(plan),
            (std::vector<std::string>{"b:p/link_in", "b:p/real.txt", "b:p/sub/inner.txt"}));
  EXPECT_EQ(locals_of(plan),
            (std::vector<fs::path>{src / "link_in", src / "real.txt", src / "sub/inner.txt"}));
  EXPECT_EQ(plan[0].size, 5u); // the target's size

  std::vector<std::string> sorted = log.lines;
  std::sort(sorted.begin(), sorted.end());
  const std::string w = "rockart: warn: skipping symlink ";
  std::vector<std::string> expected = {
      w + (src / "dangling").string() + ": its target does not exist",
      w + (src / "dir_in").string() + ": not a regular file",
      w + (src / "dir_out").string() + ": it points outside the source tree ("
          + fs::canonical(outside).string() + ")",
      w + (src / "link_out").string() + ": it points outside the source tree ("
          + fs::canonical(outside / "secret.txt").string() + ")",
      w + (src / "link_sibling").string() + ": it points outside the source tree ("
          + fs::canonical(sibling / "file.txt").string() + ")",
  };
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(sorted, expected);
}

TEST(PlanRecursive, AnEmptyLocalTreeIsNotFound) {
  TempDir dir;
  const fs::path src = dir.path() / "empty";
  fs::create_directories(src / "only/dirs");
  OfflineClient offline;
  EXPECT_ERROR((void)plan_recursive(
                   offline.client, parse_location(src.string()), parse_location("s3://b/p")),
               NotFoundError,
               "nothing to copy: " + src.string() + " holds no files");
}

TEST(PlanRecursive, ATreeOfOnlySkippedSymlinksIsNotFound) {
  TempDir dir;
  const fs::path src = dir.path() / "src";
  write_file(dir.path() / "outside.txt", "x");
  fs::create_directories(src);
  fs::create_symlink(dir.path() / "outside.txt", src / "link");
  OfflineClient offline;
  LogCapture log;
  EXPECT_ERROR((void)plan_recursive(
                   offline.client, parse_location(src.string()), parse_location("s3://b/p")),
               NotFoundError,
               "nothing to copy: " + src.string() + " holds no files");
}

TEST(PlanRecursive, ANonDirectorySourceIsAUsageError) {
  TempDir dir;
  const fs::path file = dir.path() / "file.txt";
  write_file(file, "x");
  OfflineClient offline;
  try {
    (void)plan_recursive(
        offline.client, parse_location(file.string()), parse_location("s3://b/p/"));
    ADD_FAILURE() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot upload " + file.string() + " with --recursive: it is not a directory");
    EXPECT_EQ(e.hint(), "drop --recursive to copy a single file");
  }
}

TEST(PlanRecursive, AMissingSourceIsNotFound) {
  TempDir dir;
  const std::string missing = (dir.path() / "missing").string();
  OfflineClient offline;
  EXPECT_ERROR(
      (void)plan_recursive(offline.client, parse_location(missing), parse_location("s3://b/p/")),
      NotFoundError,
      "cannot upload " + missing + ": no such file or directory");
}

TEST(PlanRecursive, LocalToLocalIsAUsageError) {
  TempDir dir;
  write_file(dir.path() / "src/a", "x");
  OfflineClient offline;
  EXPECT_ERROR((void)plan_recursive(offline.client,
                                    parse_location((dir.path() / "src").string()),
                                    parse_location((dir.path() / "dst").string())),
               UsageError,
               "at least one side must be an s3:// URI");
}

TEST(PlanRecursive, ToStdoutIsAUsageErrorBeforeAnyListing) {
  OfflineClient offline;
  EXPECT_ERROR(
      (void)plan_recursive(offline.client, parse_location("s3://b/prefix/"), parse_location("-")),
      UsageError,
      "cannot copy recursively to stdout ('-')");
}

} // namespace
} // namespace rockart::storage
