// SPDX-License-Identifier: MIT
// `rockart install` from the outside, against moto behind the fault proxy: a
// seeded kpack-split run (generic and per-target archives, _lib/_test/_run/_dev
// components) installed by component. Each installed tree must equal a `tar -x`
// flatten of exactly the archives the component table selects, computed here
// from a copy of the table written out by hand (not from the library), and a
// re-install must touch only what changed.
#include "fetch_fixture.hpp"

#include <rockart/util/file.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <set>

namespace rockart::test {
namespace {

using Names = std::vector<std::string>;

const Names k_base = {"core-hipinfo_run",
                      "core-runtime_run",
                      "core-runtime_lib",
                      "rocjitsu-hotswap_lib",
                      "sysdeps_lib",
                      "base_run",
                      "base_lib",
                      "amd-llvm_run",
                      "amd-llvm_lib",
                      "core-amdsmi_run",
                      "core-amdsmi_lib",
                      "core-hip_lib",
                      "core-hip_dev",
                      "core-kpack_lib",
                      "core-ocl_lib",
                      "core-ocl_dev",
                      "rocprofiler-sdk_lib",
                      "host-suite-sparse_lib"};

// The run: one TheRock multi-arch CI run's archives for gfx942 and two gfx110X targets.
const Names k_run = {
    // base (some base patterns match nothing here, as on a platform without them)
    "core-hipinfo_run_generic",
    "core-runtime_run_generic",
    "core-runtime_lib_generic",
    "core-runtime_doc_generic",
    "sysdeps_lib_generic",
    "base_run_generic",
    "base_lib_generic",
    "base_dev_generic",
    "amd-llvm_run_generic",
    "amd-llvm_lib_generic",
    "amd-llvm_dev_generic",
    "core-hip_lib_generic",
    "core-hip_dev_generic",
    "core-hip_run_generic",
    "rocprofiler-sdk_lib_generic",
    "core-ocl_lib_generic",
    // blas, kpack-split: device code per target
    "blas_lib_generic",
    "blas_lib_gfx942",
    "blas_lib_gfx1100",
    "blas_lib_gfx1101",
    "blas_test_generic",
    "blas_test_gfx942",
    "blas_dev_generic",
    "blas_dbg_gfx942",
    "host-blas_lib_generic",
    // fft
    "fft_lib_generic",
    "fft_lib_gfx942",
    "fftw3_lib_generic",
    "fft_test_generic",
    "fft_test_gfx942",
    // miopen, rand, prim
    "miopen_lib_generic",
    "miopen_lib_gfx942",
    "miopen_run_generic",
    "miopen_test_gfx942",
    "rand_lib_generic",
    "rand_lib_gfx942",
    "rand_dev_generic",
    "rand_test_generic",
    "prim_lib_generic",
    "prim_dev_generic",
    "prim_test_generic",
    // rccl
    "rccl_lib_generic",
    "rccl_lib_gfx942",
    "rccl_lib_gfx1100",
    "rccl_lib_gfx1101",
    "rccl_test_gfx942",
    // debug tools
    "rocgdb_run_generic",
    "rocgdb_lib_generic",
    "rocgdb_test_generic",
    "amd-dbgapi_lib_generic",
    "sysdeps-gmp_lib_generic",
    "sysdeps-expat_lib_generic",
    "rocr-debug-agent_lib_generic",
    "rocr-debug-agent-tests_test_generic"};

// Archives that also carry share/doc/LICENSE, each its own copy: the path two
// installed archives share.
const std::set<std::string> k_license = {"blas_lib_generic", "fft_lib_generic"};

std::string family_of(const std::string& stem) {
  return stem.substr(stem.rfind('_') + 1);
}

// The archives of the run an install of `patterns` for `families` must hold:
// the requested families only; every archive when `patterns` is empty, else
// those in whose name a pattern is found.
Names expected_stems(const Names& patterns, const std::set<std::string>& families) {
  Names out;
  for (const auto& stem : k_run) {
    if (!families.contains(family_of(stem))) {
      continue;
    }
    const bool wanted =
        patterns.empty() || std::any_of(patterns.begin(), patterns.end(), [&](const auto& p) {
          return stem.find(p) != std::string::npos;
        });
    if (wanted) {
      out.push_back(stem);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Names with_base(const Names& extra) {
  Names all = k_base;
  all.insert(all.end(), extra.begin(), extra.end());
  return all;
}

const std::set<std::string> k_gfx94x = {"generic", "gfx94X-dcgpu", "gfx942"};

// {stem}.tar.zst with stage/lib/{stem}.txt (and stage/bin/ for _run), manifest
// "stage", and its companion.
void make_archive(const fs::path& dir, const std::string& stem) {
  TempDir tree;
  const fs::path stage = tree.path() / "stage";
  write_file(stage / "lib" / (stem + ".txt"), stem + "\n");
  if (stem.find("_run_") != std::string::npos) {
    write_file(stage / "bin" / stem, "#!/bin/sh\necho " + stem + "\n");
    fs::permissions(stage / "bin" / stem, fs::perms::owner_all | fs::perms::group_read);
  }
  if (k_license.contains(stem)) {
    write_file(stage / "share/doc/LICENSE", "license as shipped by " + stem + "\n");
  }
  write_file(tree.path() / "artifact_manifest.txt", "stage\n");
  const std::string name = stem + ".tar.zst";
  const auto r = run_process({"tar",
                              "--zstd",
                              "-cf",
                              (dir / name).string(),
                              "-C",
                              tree.path().string(),
                              "artifact_manifest.txt",
                              "stage"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file(dir / (name + ".sha256sum"), util::sha256_file(dir / name) + "  " + name + "\n");
}

// Every entry of a tree: path -> (inode, mtime), to prove nothing was rewritten.
std::map<std::string, std::pair<ino_t, long>> snapshot(const fs::path& root) {
  std::map<std::string, std::pair<ino_t, long>> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    struct ::stat st {};

    ::lstat(entry.path().c_str(), &st);
    out[entry.path().lexically_relative(root).string()] = {st.st_ino,
                                                           st.st_mtim.tv_nsec + st.st_mtim.tv_sec};
  }
  return out;
}

class InstallE2E : public FetchE2E {
protected:
  static void SetUpTestSuite() {
    s_moto = start_moto();
    if (s_moto->ok()) {
      s_proxy = start_fake("fault_proxy.py", {"--upstream", s_moto->url()});
    }
    s_data = std::make_unique<TempDir>();
    fs::create_directories(run_dir());
    for (const auto& stem : k_run) {
      make_archive(run_dir(), stem);
    }
  }

  static fs::path run_dir() { return s_data->path() / "run"; }

  void SetUp() override {
    FetchE2E::SetUp();
    seed(files_in(run_dir()));
  }

  fs::path out() const { return m_work.path() / "install"; }

  ProcessResult install(std::vector<std::string> args) {
    args.insert(args.end(), {"--output-dir", out().string()});
    return run_command("install", args, "100", true);
  }

  // The `tar -x` flatten of `stems` in name order (the order an install applies them).
  fs::path reference(const Names& stems) {
    std::vector<fs::path> archives;
    for (const auto& stem : stems) {
      archives.push_back(run_dir() / (stem + ".tar.zst"));
    }
    const fs::path dir = m_work.path() / ("reference-" + std::to_string(m_references++));
    reference_flatten(archives, dir);
    return dir;
  }

  // Differences between the installed tree and the reference of `stems`,
  // ignoring the install's own record and the files a test added.
  std::vector<std::string> differences(const Names& stems, const Names& ignore = {}) {
    std::vector<std::string> out_lines;
    for (const auto& line : tree_differences(reference(stems), out())) {
      const bool ours = line.starts_with("unexpected: .rockart");
      const bool theirs = std::any_of(ignore.begin(), ignore.end(), [&](const auto& path) {
        return line == "unexpected: " + path;
      });
      if (!ours && !theirs) {
        out_lines.push_back(line);
      }
    }
    return out_lines;
  }

  // GETs of archives (not companions, not listings) the proxy forwarded.
  long archive_gets() {
    const auto stats = nlohmann::json::parse(control(*s_proxy, "/__stats", "").body);
    long gets = 0;
    for (const auto& [key, count] : stats["requests"].items()) {
      if (key.starts_with("GET ") && key.ends_with(".tar.zst")) {
        gets += count.get<long>();
      }
    }
    return gets;
  }

  int m_references = 0;
};

struct SelectionCase {
  std::string label;
  Names flags;
  Names patterns; // after the base ones; empty with no component: everything
  std::set<std::string> families = k_gfx94x;
  bool base = true;
};

TEST_F(InstallE2E, EachSelectionInstallsExactlyTheTablesArchives) {
  const std::vector<SelectionCase> cases = {
      {"base only", {"--base-only"}, {}},
      {"blas tests", {"--blas", "--tests"}, {"blas_lib", "blas_test"}},
      {"miopen rand", {"--miopen", "--rand"}, {"miopen_run", "rand_dev", "miopen_lib", "rand_lib"}},
      {"fft prim tests",
       {"--fft", "--prim", "--tests"},
       {"fft_lib", "fftw3_lib", "prim_lib", "fft_test", "fftw3_test", "prim_test"}},
      {"debug tools",
       {"--debug-tools"},
       {"rocgdb_run",
        "amd-llvm_dev",
        "amd-dbgapi_lib",
        "rocgdb_lib",
        "rocr-debug-agent_lib",
        "rocr-debug-agent-tests_lib",
        "gmp_lib",
        "mpfr_lib",
        "expat_lib",
        "ncurses_lib"}},
      {"no component: the whole group", {}, {}, k_gfx94x, false},
      {"rccl on gfx942", {"--rccl", "--amdgpu-targets", "gfx942"}, {"rccl_lib"}},
      {"rccl narrowed to gfx1100",
       {"--rccl", "--amdgpu-targets", "gfx1100"},
       {"rccl_lib"},
       {"generic", "gfx94X-dcgpu", "gfx1100"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    fs::remove_all(out());
    std::vector<std::string> args = {"--artifact-group", "gfx94X-dcgpu", "--json"};
    args.insert(args.end(), c.flags.begin(), c.flags.end());
    const auto r = install(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Names stems = expected_stems(c.base ? with_base(c.patterns) : c.patterns, c.families);
    EXPECT_EQ(differences(stems), std::vector<std::string>{});
    const auto doc = nlohmann::json::parse(r.out);
    EXPECT_EQ(doc["plan"]["add"].size(), stems.size());
  }
}

TEST_F(InstallE2E, AFamilyAloneExpandsToItsTargetsAndIsLogged) {
  const auto r = install({"--artifact-group", "gfx94X-dcgpu", "--blas"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Expanding family 'gfx94X-dcgpu' to targets: gfx942"), std::string::npos);
  EXPECT_TRUE(fs::exists(out() / "lib/blas_lib_gfx942.txt")); // the device code
  EXPECT_FALSE(fs::exists(out() / "lib/blas_lib_gfx1100.txt"));
}

TEST_F(InstallE2E, TheSameInstallAgainDownloadsAndWritesNothing) {
  const std::vector<std::string> args = {"--artifact-group", "gfx94X-dcgpu", "--blas", "--tests"};
  ASSERT_EQ(install(args).exit_code, 0);
  const auto before = snapshot(out());
  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  const auto again = install(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const Names stems = expected_stems(with_base({"blas_lib", "blas_test"}), k_gfx94x);
  EXPECT_NE(again.err.find("Install plan: keep " + std::to_string(stems.size())
                           + ", add 0, update 0, remove 0"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(archive_gets(), 0);
  auto after = snapshot(out());
  EXPECT_EQ(after, before); // not one file rewritten (same inode, same mtime)
}

TEST_F(InstallE2E, EachCompanionIsReadOnceWithoutACache) {
  // Planning reads the digests; the downloads reuse them instead of asking again.
  const auto r = install({"--artifact-group", "gfx94X-dcgpu", "--blas", "--no-cache"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto stats = nlohmann::json::parse(control(*s_proxy, "/__stats", "").body);
  long companions = 0;
  for (const auto& [key, count] : stats["requests"].items()) {
    if (key.starts_with("GET ") && key.ends_with(".sha256sum")) {
      EXPECT_EQ(count.get<long>(), 1) << key;
      ++companions;
    }
  }
  EXPECT_EQ(companions,
            static_cast<long>(expected_stems(with_base({"blas_lib"}), k_gfx94x).size()));
}

TEST_F(InstallE2E, ChangingTheSelectionTouchesOnlyWhatChanged) {
  const auto blas = expected_stems(with_base({"blas_lib"}), k_gfx94x);
  const auto blas_fft = expected_stems(with_base({"blas_lib", "fft_lib", "fftw3_lib"}), k_gfx94x);
  const auto fft = expected_stems(with_base({"fft_lib", "fftw3_lib"}), k_gfx94x);
  ASSERT_EQ(install({"--artifact-group", "gfx94X-dcgpu", "--blas"}).exit_code, 0);
  write_file(out() / "lib/user-notes.txt", "mine"); // never recorded: never touched

  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  auto r = install({"--artifact-group", "gfx94X-dcgpu", "--blas", "--fft"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t added = blas_fft.size() - blas.size(); // fft_lib x2 + fftw3_lib
  EXPECT_EQ(added, 3u);
  EXPECT_NE(r.err.find("Install plan: keep " + std::to_string(blas.size())
                       + ", add 3, update 0, "
                         "remove 0"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(archive_gets(), 3);
  EXPECT_EQ(differences(blas_fft, {"lib/user-notes.txt"}), std::vector<std::string>{});

  r = install({"--artifact-group", "gfx94X-dcgpu", "--fft"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // blas's files are gone; LICENSE, shared with fft_lib and applied after
  // blas, stays fft's; the user's file and its directory stay.
  EXPECT_EQ(differences(fft, {"lib/user-notes.txt"}), std::vector<std::string>{});
  EXPECT_EQ(read_file(out() / "lib/user-notes.txt"), "mine");
  EXPECT_FALSE(fs::exists(out() / "lib/blas_lib_gfx942.txt"));
}

TEST_F(InstallE2E, RemovingTheLaterOwnerOfASharedPathRestoresTheEarlierCopy) {
  ASSERT_EQ(install({"--artifact-group", "gfx94X-dcgpu", "--blas", "--fft"}).exit_code, 0);
  EXPECT_EQ(read_file(out() / "share/doc/LICENSE"), "license as shipped by fft_lib_generic\n");
  const auto r = install({"--artifact-group", "gfx94X-dcgpu", "--blas"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(", restore 1"), std::string::npos) << r.err;
  EXPECT_EQ(differences(expected_stems(with_base({"blas_lib"}), k_gfx94x)),
            std::vector<std::string>{});
  EXPECT_EQ(read_file(out() / "share/doc/LICENSE"), "license as shipped by blas_lib_generic\n");
}

TEST_F(InstallE2E, AWarmInstallIntoAFreshDirectoryLinksFromTheCache) {
  const std::vector<std::string> args = {"--artifact-group", "gfx94X-dcgpu", "--blas", "--tests"};
  ASSERT_EQ(install(args).exit_code, 0);
  const auto stems = expected_stems(with_base({"blas_lib", "blas_test"}), k_gfx94x);
  fs::rename(out(), m_work.path() / "first");
  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  auto r = install(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(archive_gets(), 0); // every archive was extracted already
  EXPECT_EQ(differences(stems), std::vector<std::string>{});

  // Hard links into the cache's read-only trees (the test's /tmp has no reflinks).
  struct ::stat st {};

  ASSERT_EQ(::stat((out() / "lib/blas_lib_gfx942.txt").c_str(), &st), 0);
  EXPECT_GE(st.st_nlink, 3u); // the store, the first install, this one
  EXPECT_EQ(st.st_mode & 0222, 0u);
  EXPECT_NE(r.err.find("hard-linked"), std::string::npos) << r.err;

  // Copies are the user's own, writable files.
  fs::remove_all(out());
  auto copy_args = args;
  copy_args.insert(copy_args.end(), {"--link-mode", "copy", "--json"});
  r = install(copy_args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(::stat((out() / "lib/blas_lib_gfx942.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);
  EXPECT_NE(st.st_mode & 0200, 0u);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["link_mode"], "copy");
  EXPECT_EQ(doc["placed"]["copied"].get<std::size_t>(), doc["placed"]["files"].get<std::size_t>());
  EXPECT_EQ(differences(stems), std::vector<std::string>{});
}

TEST_F(InstallE2E, CacheVerifyFindsADamagedTreeAndTheNextInstallRebuildsIt) {
  const std::vector<std::string> args = {"--artifact-group", "gfx94X-dcgpu", "--rccl"};
  ASSERT_EQ(install(args).exit_code, 0);
  // Damage one stored file (the store keeps it read-only; a careless root could still).
  const fs::path trees = m_work.path() / "cache" / "trees";
  fs::path victim;
  for (const auto& entry : fs::recursive_directory_iterator(trees)) {
    if (entry.path().filename() == "rccl_lib_gfx942.txt") {
      victim = entry.path();
    }
  }
  ASSERT_FALSE(victim.empty());
  ::chmod(victim.c_str(), 0600);
  write_file(victim, "damaged\n");
  const auto verify =
      run_rockart({"cache", "verify", "--cache-dir", (m_work.path() / "cache").string()});
  EXPECT_EQ(verify.exit_code, 2) << verify.err;
  EXPECT_NE(verify.out.find("corrupt tree (removed)"), std::string::npos) << verify.out;

  fs::remove_all(out());
  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  const auto r = install(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(archive_gets(), 0); // rebuilt from the cached archive, not downloaded
  EXPECT_EQ(read_file(out() / "lib/rccl_lib_gfx942.txt"), "rccl_lib_gfx942\n");
}

TEST_F(InstallE2E, FetchFlattenPlacesFromTheSameStore) {
  const std::vector<std::string> args = {
      "--artifact-group", "gfx94X-dcgpu", "--flatten", "--link-mode", "auto", "blas_lib"};
  auto first = args;
  first.insert(first.end(), {"--output-dir", (m_work.path() / "f1").string()});
  ASSERT_EQ(fetch(first, "100", true).exit_code, 0);
  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  auto second = args;
  second.insert(second.end(), {"--output-dir", (m_work.path() / "f2").string()});
  const auto r = fetch(second, "100", true);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(archive_gets(), 0);
  EXPECT_EQ(tree_differences(m_work.path() / "f1", m_work.path() / "f2"),
            std::vector<std::string>{});
  const auto reference_dir = reference(expected_stems({"blas_lib"}, k_gfx94x));
  EXPECT_EQ(tree_differences(reference_dir, m_work.path() / "f2"), std::vector<std::string>{});
  auto no_flatten = args;
  no_flatten.erase(no_flatten.begin() + 2);
  EXPECT_EQ(fetch(no_flatten).exit_code, 2);
}

TEST_F(InstallE2E, ADirectoryOfSomeoneElsesFilesIsNeverWipedWithoutClean) {
  write_file(out() / "precious.txt", "keep me");
  auto r = install({"--artifact-group", "gfx94X-dcgpu", "--base-only"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("holds no rockart install record"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--clean"), std::string::npos);
  EXPECT_EQ(read_file(out() / "precious.txt"), "keep me");

  r = install({"--artifact-group", "gfx94X-dcgpu", "--base-only", "--clean"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out() / "precious.txt"));
  EXPECT_EQ(differences(expected_stems(k_base, k_gfx94x)), std::vector<std::string>{});
}

TEST_F(InstallE2E, ADryRunPrintsThePlanAndWritesNothing) {
  const auto r = install({"--artifact-group", "gfx94X-dcgpu", "--blas", "--dry-run", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out()));
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["dry_run"], true);
  EXPECT_EQ(doc["plan"]["add"].size(), expected_stems(with_base({"blas_lib"}), k_gfx94x).size());
}

TEST_F(InstallE2E, GroupNamesAsPeopleTypeThem) {
  auto r = install({"--artifact-group", "gfx94x-DCGPU", "--blas"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(differences(expected_stems(with_base({"blas_lib"}), k_gfx94x)),
            std::vector<std::string>{});
  fs::remove_all(out());
  r = install({"--amdgpu-family", "gfx94X-dcgup", "--blas"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown artifact group 'gfx94X-dcgup'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean gfx94X-dcgpu"), std::string::npos) << r.err;
  r = install({"--artifact-group", "gfx94X-dcgpu", "--amdgpu-targets", "gfx9420"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean gfx942"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(InstallE2E, AGpuTheRunHasNoDeviceCodeForFailsNamingWhatItHas) {
  auto r = install({"--artifact-group", "gfx90a", "--blas"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("only generic (host) archives match"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the run has archives for gfx1100, gfx1101, gfx942"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out() / "lib"));

  r = install({"--artifact-group", "gfx90a", "--blas", "--allow-generic-only"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(differences(expected_stems(with_base({"blas_lib"}), {"generic", "gfx90a", "gfx90a"})),
            std::vector<std::string>{});
}

TEST_F(InstallE2E, FetchExpandsTheFamilyToo) {
  // fetch --artifact-group on a kpack-split run: device code, not a host-only tree.
  auto r = fetch({"--artifact-group",
                  "gfx94x-dcgpu",
                  "--flatten",
                  "--output-dir",
                  (m_work.path() / "f").string(),
                  "blas_lib"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(m_work.path() / "f/lib/blas_lib_gfx942.txt"));
  r = fetch({"--artifact-group",
             "gfx94X-dcgpu",
             "--no-expand-family",
             "--output-dir",
             (m_work.path() / "g").string(),
             "blas_lib"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("--allow-generic-only"), std::string::npos) << r.err;
}

TEST_F(InstallE2E, AnInputDirIsCopiedByRsyncsTrailingSlashRule) {
  const fs::path in = m_work.path() / "prebuilt";
  write_file(in / "lib/libamdhip64.so.7", "hip");
  fs::create_symlink("libamdhip64.so.7", in / "lib/libamdhip64.so");
  write_file(in / "bin/rocminfo", "x");
  fs::permissions(in / "bin/rocminfo", fs::perms::owner_all);
  std::vector<std::string> argv = {
      "install", "--artifact-group", "gfx94X-dcgpu", "--output-dir", out().string()};
  argv.insert(argv.end(), {"--input-dir", in.string()});
  auto r = run_rockart(argv, rockart_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(fs::read_symlink(out() / "prebuilt/lib/libamdhip64.so"), "libamdhip64.so.7");
  EXPECT_EQ(fs::status(out() / "prebuilt/bin/rocminfo").permissions() & fs::perms::owner_exec,
            fs::perms::owner_exec);

  argv.back() = in.string() + "/";
  argv.push_back("--clean");
  r = run_rockart(argv, rockart_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(out() / "lib/libamdhip64.so.7"), "hip");
  EXPECT_FALSE(fs::exists(out() / "prebuilt"));
}

// --commit finds the run through the GitHub fixture (scenario "find": ROCm/TheRock
// run 20083647898 built commit 77f0cb21...), whose bucket comes from the run object.
TEST_F(InstallE2E, ACommitInstallsTheSameTreeAsItsRunId) {
  auto github = start_fake("fake_github.py", {"--scenario", "find"});
  if (!github->ok()) {
    ROCKART_SKIP_OR_FAIL("cannot start fake_github.py: " + github->error());
  }
  const RunOptions env = with_github(*github);
  seed_ci_run(run_dir(), "20083647898-linux", env);
  const auto install_into = [&](const fs::path& dir, std::vector<std::string> source) {
    std::vector<std::string> argv = {"install",
                                     "--artifact-group",
                                     "gfx94X-dcgpu",
                                     "--blas",
                                     "--platform",
                                     "linux",
                                     "--endpoint-url",
                                     s_moto->url(),
                                     "--output-dir",
                                     dir.string()};
    argv.insert(argv.end(), source.begin(), source.end());
    return run_rockart(argv, env);
  };
  const fs::path by_commit = m_work.path() / "by-commit";
  const fs::path by_run = m_work.path() / "by-run";
  auto r = install_into(by_commit, {"--commit", "77f0cb2112d1d0aaae0de6088a6e4337f2488233"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Resolved commit 77f0cb2112d1d0aaae0de6088a6e4337f2488233 -> run "
                       "20083647898"),
            std::string::npos)
      << r.err;
  // The repository typed in lower case is the same repository, bucket and prefix.
  r = install_into(by_run, {"--run-id", "20083647898", "--run-github-repo", "rocm/therock"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("s3://therock-ci-artifacts/20083647898-linux"), std::string::npos) << r.err;
  std::vector<std::string> lines;
  for (const auto& line : tree_differences(by_run, by_commit)) {
    if (line != "content differs: .rockart/install-manifest.json") {
      lines.push_back(line);
    }
  }
  EXPECT_EQ(lines, std::vector<std::string>{});
  EXPECT_TRUE(fs::exists(by_commit / "lib/blas_lib_gfx942.txt"));
  // The workflow can be named (and --repo is --run-github-repo); a named one must exist.
  const fs::path by_workflow = m_work.path() / "by-workflow";
  r = install_into(by_workflow,
                   {"--commit",
                    "77f0cb2112d1d0aaae0de6088a6e4337f2488233",
                    "--workflow",
                    "ci.yml",
                    "--repo",
                    "ROCm/TheRock"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(by_workflow / "lib/blas_lib_gfx942.txt"));
  r = install_into(
      m_work.path() / "nope",
      {"--commit", "77f0cb2112d1d0aaae0de6088a6e4337f2488233", "--workflow", "nope.yml"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nope.yml"), std::string::npos) << r.err;
  const auto state = nlohmann::json::parse(read_file(by_commit / ".rockart/install-manifest.json"));
  EXPECT_EQ(state["source"]["commit"], "77f0cb2112d1d0aaae0de6088a6e4337f2488233");
  EXPECT_EQ(state["source"]["run_id"], 20083647898);
}

// --- release tarballs ---

constexpr const char* k_nightly = "therock-nightly-tarball";

class ReleaseInstallE2E : public InstallE2E {
protected:
  void SetUp() override {
    InstallE2E::SetUp();
    // The tarball buckets have fixed names: made once per moto, shared by the tests
    // (each test uses its own group).
    run_rockart({"s3", "mb", std::string("s3://") + k_nightly, "--endpoint-url", s_moto->url()},
                rockart_env());
  }

  // therock-dist-linux-{group}-{version}.tar.gz of a small tree (plus its
  // companion unless `companion` is false) into the nightly bucket; returns the tree.
  fs::path publish(const std::string& group,
                   const std::string& version,
                   bool companion = true,
                   const std::string& platform = "linux") {
    const fs::path tree = m_work.path() / ("tree-" + group + "-" + version);
    write_file(tree / "bin/rocminfo", "rocminfo " + version + "\n");
    write_file(tree / "lib/libamdhip64.so.7", "hip " + version + "\n");
    if (!fs::exists(tree / "lib/libamdhip64.so")) {
      fs::create_symlink("libamdhip64.so.7", tree / "lib/libamdhip64.so");
    }
    const std::string asset = "therock-dist-" + platform + "-" + group + "-" + version + ".tar.gz";
    const fs::path file = m_work.path() / asset;
    const auto r = run_process({"tar", "-czf", file.string(), "-C", tree.string(), "."});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    upload(file, asset);
    if (companion) {
      const fs::path sum = m_work.path() / (asset + ".sha256sum");
      write_file(sum, util::sha256_file(file) + "  " + asset + "\n");
      upload(sum, asset + ".sha256sum");
    }
    return tree;
  }

  void upload(const fs::path& file, const std::string& name) {
    const auto r = run_rockart({"s3",
                                "cp",
                                file.string(),
                                std::string("s3://") + k_nightly + "/v4/tarball/" + name,
                                "--endpoint-url",
                                s_moto->url()},
                               rockart_env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  ProcessResult release_install(std::vector<std::string> args) {
    std::vector<std::string> argv = {"install",
                                     "--endpoint-url",
                                     s_proxy->url(),
                                     "--platform",
                                     "linux",
                                     "--output-dir",
                                     out().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_rockart(argv, rockart_env());
  }

  std::vector<std::string> tree_vs(const fs::path& expected) {
    std::vector<std::string> lines;
    for (const auto& line : tree_differences(expected, out())) {
      if (!line.starts_with("unexpected: .rockart")) {
        lines.push_back(line);
      }
    }
    return lines;
  }

  long tarball_gets() {
    const auto stats = nlohmann::json::parse(control(*s_proxy, "/__stats", "").body);
    long gets = 0;
    for (const auto& [key, count] : stats["requests"].items()) {
      if (key.starts_with("GET ") && key.ends_with(".tar.gz")) {
        gets += count.get<long>();
      }
    }
    return gets;
  }
};

TEST_F(ReleaseInstallE2E, AReleaseIsStreamedVerifiedAndInstalledOnce) {
  const fs::path tree = publish("gfx90a", "7.15.0a20260722");
  auto r = release_install({"--release", "7.15.0a20260722", "--artifact-group", "gfx90a"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(tree_vs(tree), std::vector<std::string>{});
  EXPECT_NE(r.err.find("Retrieving nightly multi-arch artifacts from "
                       "s3://therock-nightly-tarball/v4/tarball/"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out() / "therock-dist-linux-gfx90a-7.15.0a20260722.tar.gz"));
  // GitHub is never asked for a release, so nothing warns about its authentication.
  EXPECT_EQ(r.err.find("GitHub authentication"), std::string::npos) << r.err;

  ASSERT_EQ(control(*s_proxy, "/__reset", "").status, 200);
  r = release_install({"--release", "7.15.0a20260722", "--artifact-group", "gfx90a"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Install plan: keep 1, add 0"), std::string::npos) << r.err;
  EXPECT_EQ(tarball_gets(), 0);
}

TEST_F(ReleaseInstallE2E, ANewerReleaseReplacesTheOldTreeAndRemovesWhatItNoLongerHas) {
  const fs::path old_tree = publish("gfx1151", "7.15.0a20260720");
  write_file(old_tree / "lib/only-in-old.so", "old");
  publish("gfx1151", "7.15.0a20260720"); // again, with the extra file
  ASSERT_EQ(
      release_install({"--release", "7.15.0a20260720", "--artifact-group", "gfx1151"}).exit_code,
      0);
  EXPECT_TRUE(fs::exists(out() / "lib/only-in-old.so"));
  const fs::path new_tree = publish("gfx1151", "7.15.0a20260722");
  const auto r = release_install({"--latest-release", "--artifact-group", "gfx1151"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Found latest release: 7.15.0a20260722"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Install plan: keep 0, add 1, update 0, remove 1"), std::string::npos)
      << r.err;
  EXPECT_EQ(tree_vs(new_tree), std::vector<std::string>{});
}

TEST_F(ReleaseInstallE2E, LatestReleaseOrdersByDateAndIgnoresOtherGroupsAndPlatforms) {
  publish("gfx110X-all", "7.14.0a20260801");
  const fs::path newest = publish("gfx110X-all", "7.15.0a20260802");
  publish("gfx110X-all", "7.99.0.dev0+abcdef"); // undated: never the latest
  publish("gfx110X-all-tests", "7.15.0a20260901");
  publish("gfx110X-all", "7.15.0a20260903", true, "windows");
  const auto r = release_install({"--latest-release", "--artifact-group", "gfx110x-all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Found latest release: 7.15.0a20260802"), std::string::npos) << r.err;
  EXPECT_EQ(tree_vs(newest), std::vector<std::string>{});
}

TEST_F(ReleaseInstallE2E, NoReleaseForTheGroupListsTheGroupsThereAre) {
  publish("gfx950-dcgpu", "7.15.0a20260722");
  const auto r = release_install({"--latest-release", "--artifact-group", "gfx120X-all"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("no nightly release found for 'gfx120X-all'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  - gfx950-dcgpu"), std::string::npos) << r.err;
}

TEST_F(ReleaseInstallE2E, AStableVersionIsRefusedBeforeTheTreeIsTouched) {
  const auto r = release_install({"--release", "7.15.0", "--artifact-group", "gfx90a"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("https://rocm.nightlies.amd.com/tarball-multi-arch/"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out()));
}

TEST_F(ReleaseInstallE2E, ADamagedTarballIsRefusedAndThePreviousInstallStays) {
  const fs::path good = publish("gfx908", "7.15.0a20260722");
  ASSERT_EQ(
      release_install({"--release", "7.15.0a20260722", "--artifact-group", "gfx908"}).exit_code, 0);
  publish("gfx908", "7.15.0a20260723");
  // The newer tarball's bytes no longer match its companion.
  const std::string asset = "therock-dist-linux-gfx908-7.15.0a20260723.tar.gz";
  write_file(m_work.path() / "damaged", read_file(m_work.path() / asset).substr(0, 200));
  upload(m_work.path() / "damaged", asset);
  const auto r = release_install({"--release", "7.15.0a20260723", "--artifact-group", "gfx908"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("sha256 mismatch"), std::string::npos) << r.err;
  EXPECT_EQ(tree_vs(good), std::vector<std::string>{});
  // Still recorded as the good release: the next install of it changes nothing.
  const auto again =
      release_install({"--release", "7.15.0a20260722", "--artifact-group", "gfx908"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("Install plan: keep 1, add 0, update 0, remove 0"), std::string::npos)
      << again.err;
}

} // namespace
} // namespace rockart::test
