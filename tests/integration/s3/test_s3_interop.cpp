// SPDX-License-Identifier: MIT
// Interop with the image's `aws` CLI against the same moto server: what rockart
// uploads, aws downloads byte-identical, and the reverse (multipart both ways).
#include "s3_fixture.hpp"

namespace rockart::test {
namespace {

class S3InteropTest : public S3Servers {
protected:
  void SetUp() override {
    S3Servers::SetUp();
    if (HasFatalFailure() || IsSkipped()) {
      return;
    }
    if (run_process({"sh", "-c", "command -v aws"}).exit_code != 0) {
      ROCKART_SKIP_OR_FAIL("the aws CLI is not installed; interop with it cannot be checked");
    }
  }

  ProcessResult aws(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"aws", "--endpoint-url", s_moto->url()};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    // Dummy credentials; config files pointed away from the user's real ones.
    options.env = {{"AWS_ACCESS_KEY_ID", "testing"},
                   {"AWS_SECRET_ACCESS_KEY", "testing"},
                   {"AWS_DEFAULT_REGION", "us-east-2"},
                   {"AWS_CONFIG_FILE", (m_dir.path() / "no-config").string()},
                   {"AWS_SHARED_CREDENTIALS_FILE", (m_dir.path() / "no-credentials").string()}};
    return run_process(argv, options);
  }

  // 20 MiB: above both tools' multipart thresholds (rockart's lowered to 8 MiB).
  static constexpr std::size_t k_size = 20 << 20;
};

TEST_F(S3InteropTest, AwsCliDownloadsWhatRockartUploaded) {
  const auto src = m_dir.path() / "from-rockart.bin";
  write_file(src, test_bytes(k_size, 21));
  s3::ClientOptions options = fast_options();
  options.multipart_threshold = 8 << 20;
  options.part_size = 8 << 20;
  s3::Client uploader(config_for(s_moto->url()), m_transport, m_sleeper, options);
  uploader.upload(src, m_bucket, "dir/from rockart+1.bin", "application/octet-stream");

  const auto dest = m_dir.path() / "fetched-by-aws.bin";
  const ProcessResult r =
      aws({"s3", "cp", "s3://" + m_bucket + "/dir/from rockart+1.bin", dest.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(file_sha256(dest), file_sha256(src));
}

TEST_F(S3InteropTest, RockartDownloadsWhatAwsCliUploaded) {
  const auto src = m_dir.path() / "from-aws.bin";
  write_file(src, test_bytes(k_size, 22));
  const ProcessResult r =
      aws({"s3", "cp", src.string(), "s3://" + m_bucket + "/dir/from aws~2.bin"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto listing = client().list_children(m_bucket, "dir/");
  ASSERT_EQ(listing.objects.size(), 1u);
  EXPECT_EQ(listing.objects[0].key, "dir/from aws~2.bin");
  EXPECT_EQ(listing.objects[0].size, k_size);
  const auto dest = m_dir.path() / "fetched-by-rockart.bin";
  client().download(m_bucket, "dir/from aws~2.bin", dest);
  EXPECT_EQ(file_sha256(dest), file_sha256(src));
}

} // namespace
} // namespace rockart::test
