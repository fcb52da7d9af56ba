// SPDX-License-Identifier: MIT
// The memory budget of `rockart fetch` does not grow with archive sizes or
// with the number of flows: 32 flows on a ~400 MB archive plus 40 small ones
// (which download ahead while the big one streams) stay under 150 MB of peak
// resident memory, read from /proc while the fetch runs.
#include "fetch_fixture.hpp"

#include <gtest/gtest.h>

namespace rockart::test {
namespace {

class FetchMemory : public FetchE2E {};

TEST_F(FetchMemory, ThirtyTwoFlowsAndA400MBArchiveStayUnder150MB) {
  const fs::path set = m_work.path() / "set";
  // The generated content compresses to about a third: 1200M -> ~400 MB.
  generate({"--out", set.string(), "--name", "blas_lib_gfx942", "--size", "1200M", "--seed", "5"});
  generate(
      {"--out", set.string(), "--count", "40", "--total-size", "20M", "--seed", "6", "--skew"});
  const fs::path big = set / "blas_lib_gfx942.tar.zst";
  ASSERT_GT(fs::file_size(big), 350'000'000U);
  seed(files_in(set), "300");
  // Every archive's bytes are checked by the fetch itself (sha256 against its
  // companion); the trees are compared with tar's in the other fetch tests.
  m_sample_rss = true;
  const fs::path out = m_work.path() / "out";
  const auto r =
      fetch({"--download-concurrency", "32", "--json", "--output-dir", out.string(), "--no-cache"},
            "300");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(r.peak_rss_kib, 0U) << "no /proc reading";
  RecordProperty("peak_rss_kib", std::to_string(r.peak_rss_kib));
  EXPECT_LT(r.peak_rss_kib, 150U * 1000 * 1000 / 1024) << r.peak_rss_kib << " KiB";
  EXPECT_TRUE(fs::is_directory(out / "blas_lib_gfx942"));
  std::size_t dirs = 0;
  for (const auto& entry : fs::directory_iterator(out)) {
    dirs += entry.is_directory() ? 1 : 0;
  }
  EXPECT_EQ(dirs, 41U);
}

} // namespace
} // namespace rockart::test
