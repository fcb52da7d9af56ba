// SPDX-License-Identifier: MIT
// `rockart fetch` end to end against moto (issue 5 "Tests that must exist"):
// extract/flatten compared with `tar -x`, selection, completeness, integrity,
// resume after a reset, hostile archives, dry run, .tar.xz and .tar.zst.
#include "fetch_fixture.hpp"

#include <rockart/layout/artifact.hpp>
#include <rockart/util/hash.hpp>

#include <gtest/gtest.h>

namespace rockart::test {
namespace {

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

fs::path data(const std::string& set) {
  return FetchE2E::data_dir(set);
}

TEST_F(FetchE2E, ExtractModeMatchesTar) {
  seed(files_in(data("zst")));
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path ref = m_work.path() / "ref";
  reference_extract(archives_of(files_in(data("zst"))), ref);
  EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
  EXPECT_NE(r.err.find("fetched 9 of 9 archives"), std::string::npos) << r.err;
}

TEST_F(FetchE2E, FlattenModeMatchesTar) {
  seed(files_in(data("zst")));
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--flatten", "--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path ref = m_work.path() / "ref";
  reference_flatten(archives_of(files_in(data("zst"))), ref);
  EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
}

TEST_F(FetchE2E, XzArchivesExtractLikeTar) {
  seed(files_in(data("xz")));
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path ref = m_work.path() / "ref";
  reference_extract(archives_of(files_in(data("xz"))), ref);
  EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
}

TEST_F(FetchE2E, SelectsByGroupTargetsIncludeAndExclude) {
  seed(files_in(data("zst")));
  // Dry run prints the selection on stdout and touches nothing.
  const fs::path out = m_work.path() / "out";
  const auto all = fetch({"--dry-run", "--output-dir", out.string()});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_FALSE(fs::exists(out));
  // A group the run has no device code for would be a host-only tree: refused ...
  const auto host_only =
      fetch({"--dry-run", "--artifact-group", "gfx110X-all", "--output-dir", out.string()});
  EXPECT_EQ(host_only.exit_code, 1) << host_only.err;
  EXPECT_NE(host_only.err.find("only generic (host) archives match"), std::string::npos)
      << host_only.err;
  // ... unless asked for.
  const auto generic = fetch({"--dry-run",
                              "--artifact-group",
                              "gfx110X-all",
                              "--allow-generic-only",
                              "--output-dir",
                              out.string()});
  ASSERT_EQ(generic.exit_code, 0) << generic.err;
  EXPECT_EQ(generic.out.find("gfx94X"), std::string::npos) << generic.out;
  EXPECT_NE(generic.out.find("_generic.tar.zst"), std::string::npos) << generic.out;
  const auto filtered =
      fetch({"--dry-run", "big_", "_generic", "--exclude", "_test_", "--output-dir", out.string()});
  ASSERT_EQ(filtered.exit_code, 0) << filtered.err;
  EXPECT_NE(filtered.out.find("/100-linux/big_"), std::string::npos) << filtered.out;
  EXPECT_EQ(filtered.out.find("_test_"), std::string::npos) << filtered.out;
  for (const auto& line : {filtered.out}) {
    EXPECT_EQ(line.find("s3://" + m_bucket + "/100-linux/"), 0u) << line;
  }
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(FetchE2E, UnmatchedIncludeExitsOneUnlessAllowed) {
  seed(files_in(data("xz")));
  const fs::path out = m_work.path() / "out";
  const auto r =
      fetch({"--no-extract", "_generic", "^nothing_like_this", "--output-dir", out.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("include pattern(s) matched no archive of run 100: ^nothing_like_this"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out));
  const auto allowed = fetch({"--no-extract",
                              "--allow-missing",
                              "_generic",
                              "^nothing_like_this",
                              "--output-dir",
                              out.string()});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.err.find("warn"), std::string::npos) << allowed.err;
}

TEST_F(FetchE2E, NoMatchingArchivesExitsOne) {
  seed(files_in(data("xz")));
  const auto r = fetch({"--artifact-group", "gfx1151", "nope", "--dry-run"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
}

TEST_F(FetchE2E, DigestMismatchFailsAndLeavesNothing) {
  const auto archives = archives_of(files_in(data("xz")));
  const fs::path bad = archives.front();
  for (const auto& f : files_in(data("xz"))) {
    if (f.filename() != bad.filename().string() + ".sha256sum") {
      seed({f});
    }
  }
  const std::string wrong(64, 'a');
  put(bad.filename().string() + ".sha256sum", wrong + "\n");
  for (const std::string mode : {"--extract", "--flatten"}) {
    const fs::path out = m_work.path() / ("out" + mode);
    const auto r = fetch({mode, "--output-dir", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    const std::string actual = util::sha256_hex(read_file(bad));
    EXPECT_NE(r.err.find("sha256 mismatch for " + bad.filename().string() + ": expected " + wrong
                         + " (from " + bad.filename().string() + ".sha256sum), got " + actual),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("++ Retry 1/3 for " + bad.filename().string()), std::string::npos);
    // Nothing of the bad archive, no staging leftovers; the other archives are there.
    for (const auto& name : names_in(out)) {
      EXPECT_EQ(name.find(".rockart"), std::string::npos) << name;
      EXPECT_NE(name, layout::exploded_dir_name(bad.filename().string()));
    }
    if (std::string(mode) == "--flatten") {
      fs::path ref = m_work.path() / "ref";
      reference_flatten({archives.begin() + 1, archives.end()}, ref);
      EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
    } else {
      EXPECT_EQ(names_in(out).size(), archives.size() - 1);
    }
  }
}

TEST_F(FetchE2E, MissingCompanionIsAnErrorUnlessAllowed) {
  const auto archives = archives_of(files_in(data("xz")));
  seed({archives.front()});
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--output-dir", out.string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot verify " + archives.front().filename().string()
                       + ": its companion s3://" + m_bucket + "/100-linux/"
                       + archives.front().filename().string() + ".sha256sum does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(names_in(out).empty());
  const auto allowed = fetch({"--allow-unverified", "--output-dir", out.string()});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_NE(allowed.err.find("UNVERIFIED"), std::string::npos) << allowed.err;
}

TEST_F(FetchE2E, ConnectionResetMidArchiveResumes) {
  seed(files_in(data("zst")));
  // The largest archive that still comes in one streamed GET (<= 8 MiB);
  // both resets cut it.
  std::string big;
  std::uintmax_t big_size = 0;
  for (const auto& archive : archives_of(files_in(data("zst")))) {
    const auto size = fs::file_size(archive);
    if (size <= (8u << 20) && size > big_size) {
      big = archive.filename().string();
      big_size = size;
    }
  }
  ASSERT_GT(big_size, 300000u);
  const std::string key = "GET /" + m_bucket + "/100-linux/" + big;
  faults("{\"" + key + "\": [\"reset@300000\", \"reset@200000\", \"pass\"]}");
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--flatten", "--output-dir", out.string()}, "100", true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path ref = m_work.path() / "ref";
  reference_flatten(archives_of(files_in(data("zst"))), ref);
  EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
  // Each reset GET was resumed with Range, not restarted as a whole archive:
  // the first GET plus one resume per reset.
  EXPECT_EQ(r.err.find("++ Retry"), std::string::npos) << r.err;
  EXPECT_EQ(proxy_count(key), 3);
}

TEST_F(FetchE2E, HostileArchivesFailWithNothingOutside) {
  const auto archives = archives_of(files_in(data("hostile")));
  ASSERT_GE(archives.size(), 12u);
  seed(archives);
  for (const auto& a : archives) {
    put(a.filename().string() + ".sha256sum", util::sha256_hex(read_file(a)) + "\n");
  }
  const fs::path sandbox = m_work.path() / "sandbox";
  const fs::path out = sandbox / "out";
  for (const std::string mode : {"--extract", "--flatten"}) {
    const auto r = fetch({mode, "--output-dir", out.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("fetched 0 of " + std::to_string(archives.size())), std::string::npos)
        << r.err;
    EXPECT_EQ(names_in(sandbox), std::vector<std::string>{"out"});
    EXPECT_TRUE(names_in(out).empty()) << mode;
    EXPECT_FALSE(fs::exists("/tmp/rockart-hostile-abs"));
  }
}

TEST_F(FetchE2E, NoExtractKeepsVerifiedArchivesAndReusesThem) {
  seed(files_in(data("xz")));
  const fs::path out = m_work.path() / "out";
  const auto r = fetch({"--no-extract", "--json", "--output-dir", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& a : archives_of(files_in(data("xz")))) {
    EXPECT_EQ(read_file(out / a.filename()), read_file(a));
  }
  EXPECT_NE(r.out.find("\"verified\": true"), std::string::npos) << r.out;
  const auto again = fetch({"--extract", "--output-dir", out.string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("== Cached"), std::string::npos) << again.err;
  const fs::path ref = m_work.path() / "ref";
  reference_extract(archives_of(files_in(data("xz"))), ref);
  EXPECT_EQ(tree_differences(ref, out), std::vector<std::string>{});
}

} // namespace
} // namespace rockart::test
