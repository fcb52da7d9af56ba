// SPDX-License-Identifier: MIT
// `.sha256sum` companions get the same care as archives: a wrong length in
// transit is read again from the first byte instead of ending in "the object
// changed", and bytes that are not a digest are refused without echoing
// them raw, in text and in --json.
#include "fetch_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace rockart::test {
namespace {

TEST_F(FetchE2E, ACompanionWithAWrongLengthInTransitIsReadAgain) {
  const auto files = files_in(data_dir("xz"));
  seed(files);
  const auto archive = archives_of(files).front().filename().string();
  const std::string key = "GET /" + m_bucket + "/100-linux/" + archive + ".sha256sum";
  faults("{\"" + key + "\": [\"wrong-length@1\"]}");
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--output-dir", out.string()}, "100", true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("fetched 4 of 4 archives"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("UNVERIFIED"), std::string::npos) << r.err;
  EXPECT_GE(proxy_count(key), 2) << r.err; // the damaged read, then a whole new one
}

TEST_F(FetchE2E, ACompanionThatIsNotADigestIsRefusedWithoutEchoingItsBytes) {
  const auto files = files_in(data_dir("xz"));
  seed(files);
  const auto archive = archives_of(files).front().filename().string();
  put(archive + ".sha256sum", std::string("\xff\xfe\x1b[31mnot a digest\x01  ") + archive + "\n");
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--json", "--output-dir", out.string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.find('\xff'), std::string::npos) << "raw byte on stderr";
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "raw escape sequence on stderr";
  EXPECT_NE(r.err.find("\\xff\\xfe\\x1b[31mnot"), std::string::npos) << r.err;
  const auto doc = nlohmann::json::parse(r.out); // valid JSON, whatever the bytes
  EXPECT_EQ(doc["status"], "error") << r.out;
  EXPECT_EQ(r.out.find('\xff'), std::string::npos);
}

} // namespace
} // namespace rockart::test
