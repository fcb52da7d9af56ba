// SPDX-License-Identifier: MIT
// Artifact archive names, companions, extraction names and components
// (spec/artifacts.md §1-§3).
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact.hpp>
#include <rockart/util/hash.hpp>

#include <cctype>
#include <optional>

namespace rockart::layout {
namespace {

struct FileNameCase {
  const char* input;
  std::optional<ArtifactFile> expected; // nullopt: not an artifact
};

TEST(ArtifactFileName, ParseTable) {
  using C = Compression;
  const std::vector<FileNameCase> cases = {
      // §1.1 table.
      {"amd-llvm_lib_generic.tar.xz", ArtifactFile{{"amd-llvm", "lib", "generic"}, C::xz}},
      {"blas_lib_gfx94X-dcgpu.tar.xz", ArtifactFile{{"blas", "lib", "gfx94X-dcgpu"}, C::xz}},
      {"blas_lib_gfx942.tar.zst", ArtifactFile{{"blas", "lib", "gfx942"}, C::zstd}},
      {"rccl_test_gfx942:xnack+.tar.zst", ArtifactFile{{"rccl", "test", "gfx942:xnack+"}, C::zstd}},
      {"rocblas_lib_gfx950-dcgpu-asan.tar.xz",
       ArtifactFile{{"rocblas", "lib", "gfx950-dcgpu-asan"}, C::xz}},
      {"underscore_name_component_generic.tar.xz", std::nullopt},
      {"invalid_name.zip", std::nullopt},
      {"README.md", std::nullopt},
      {"some_random_file.txt", std::nullopt},
      {"ccache_logs.tar.zst", std::nullopt},
      {"blas_lib_gfx94X.tar.xz.sha256sum", std::nullopt},
      // The extension is exact and case-sensitive.
      {"blas_lib_generic.tar.gz", std::nullopt},
      {"blas_lib_generic.tar.ZST", std::nullopt},
      {"blas_lib_generic.TAR.XZ", std::nullopt},
      {"blas_lib_generic", std::nullopt},
      {"blas_lib_generic.tar.zst\n", std::nullopt}, // the whole string must match
      // Fields are non-empty and `_`-free; any other character is allowed.
      {"_lib_generic.tar.zst", std::nullopt},
      {"blas__generic.tar.zst", std::nullopt},
      {"blas_lib_.tar.zst", std::nullopt},
      {"blas_lib_gfx942:xnack-.tar.zst", ArtifactFile{{"blas", "lib", "gfx942:xnack-"}, C::zstd}},
      {"a.b_c+d_e:f.tar.xz", ArtifactFile{{"a.b", "c+d", "e:f"}, C::xz}},
      // The grammar's third field takes everything up to the final extension.
      {"x_lib_generic.tar.zst.tar.xz", ArtifactFile{{"x", "lib", "generic.tar.zst"}, C::xz}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(parse_artifact_file_name(c.input), c.expected) << c.input;
    if (c.expected) {
      EXPECT_TRUE(is_archive_candidate(c.input)) << c.input;
    }
  }
}

TEST(ArtifactFileName, ExtensionIsNotPartOfTheIdentity) {
  const auto zst = parse_artifact_file_name("x_lib_generic.tar.zst");
  const auto xz = parse_artifact_file_name("x_lib_generic.tar.xz");
  ASSERT_TRUE(zst && xz);
  EXPECT_EQ(zst->artifact, xz->artifact);
  EXPECT_NE(*zst, *xz);
  EXPECT_EQ(zst->artifact.stem(), "x_lib_generic");
}

TEST(ArtifactFileName, FileNameRoundTrips) {
  for (const char* name : {"amd-llvm_lib_generic.tar.xz",
                           "rccl_test_gfx942:xnack+.tar.zst",
                           "rocblas_lib_gfx950-dcgpu-asan.tar.xz"}) {
    EXPECT_EQ(require_artifact_file_name(name).file_name(), name);
  }
  EXPECT_EQ(archive_extension(Compression::zstd), ".tar.zst");
  EXPECT_EQ(archive_extension(Compression::xz), ".tar.xz");
}

TEST(ArtifactFileName, RequireThrowsUsageErrorQuotingTheName) {
  EXPECT_ERROR(require_artifact_file_name("README.md"),
               UsageError,
               "'README.md' is not an artifact archive name");
  EXPECT_ERROR(require_artifact_file_name("underscore_name_component_generic.tar.xz"),
               UsageError,
               "'underscore_name_component_generic.tar.xz' is not an artifact archive name");
  try {
    require_artifact_file_name("ccache_logs.tar.zst");
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.hint(),
              "expected {name}_{component}_{target_family}.tar.zst (or .tar.xz) with exactly "
              "three non-empty fields and no '_' inside a field");
  }
}

TEST(ArtifactDirName, ParseTable) {
  EXPECT_EQ(parse_artifact_dir_name("name_component_generic"),
            (ArtifactName{"name", "component", "generic"}));
  EXPECT_EQ(parse_artifact_dir_name("rccl_lib_gfx942:xnack-"),
            (ArtifactName{"rccl", "lib", "gfx942:xnack-"}));
  EXPECT_EQ(parse_artifact_dir_name("underscore_name_component_generic"), std::nullopt);
  EXPECT_EQ(parse_artifact_dir_name("name_component"), std::nullopt);
  EXPECT_EQ(parse_artifact_dir_name("name_component_"), std::nullopt);
  EXPECT_EQ(parse_artifact_dir_name(""), std::nullopt);
  EXPECT_EQ(require_artifact_dir_name("blas_lib_gfx94X-dcgpu"),
            (ArtifactName{"blas", "lib", "gfx94X-dcgpu"}));
  EXPECT_ERROR(
      require_artifact_dir_name("logs"), UsageError, "'logs' is not an artifact directory name");
}

TEST(ArchiveCandidate, RecognisesBothExtensionsOnly) {
  EXPECT_TRUE(is_archive_candidate("ccache_logs.tar.zst")); // candidate, not an artifact
  EXPECT_TRUE(is_archive_candidate("blas_lib_gfx942.tar.xz"));
  EXPECT_FALSE(is_archive_candidate("blas_lib_gfx942.tar.xz.sha256sum"));
  EXPECT_FALSE(is_archive_candidate("index.html"));
  EXPECT_FALSE(is_archive_candidate("blas_lib_gfx942.tar.ZST"));
}

TEST(ExplodedDirName, RemovesOnlyTheArchiveSuffix) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"amd-llvm_lib_generic.tar.xz", "amd-llvm_lib_generic"},
      {"blas_lib_gfx942.tar.zst", "blas_lib_gfx942"},
      {"rccl_test_gfx942:xnack+.tar.zst", "rccl_test_gfx942:xnack+"},
      // Upstream cuts at the first '.', giving "lib1"; the spec keeps the dot (§1.3).
      {"lib1.2_dev_generic.tar.zst", "lib1.2_dev_generic"},
      {"ccache_logs.tar.zst", "ccache_logs"},
  };
  for (const auto& [archive, dir] : cases) {
    EXPECT_EQ(exploded_dir_name(archive), dir);
  }
  EXPECT_ERROR(exploded_dir_name("blas_lib_gfx942.zip"),
               UsageError,
               "cannot derive an extraction directory from 'blas_lib_gfx942.zip': the name does "
               "not end with .tar.zst or .tar.xz");
}

TEST(ArchiveCandidates, KeepsDirectChildrenOfTheRunRootOnly) {
  const std::string root = "ROCm-TheRock/30964030362-linux";
  const std::vector<std::string> keys = {
      root + "/rocblas_lib_gfx942.tar.zst",
      root + "/rocblas_lib_gfx942.tar.zst.sha256sum",
      root + "/amd-llvm_lib_generic.tar.xz",
      root + "/amd-llvm_lib_generic.tar.zst",
      root + "/base_lib_generic.tar.zst",
      root + "/base_lib_generic.tar.zst", // listed twice (e.g. two pages)
      root + "/index.html",
      root + "/ccache_logs.tar.zst",
      // Upstream's recursive listing would pick this one up; ours must not (§1.2).
      root + "/logs/math-libs/gfx94X-dcgpu/ccache_logs.tar.zst",
      // Same digits followed by more: only a prefix without the '/' would match it.
      "ROCm-TheRock/309640303620-linux/blas_lib_generic.tar.zst",
      "other/blas_lib_generic.tar.zst",
  };
  const std::vector<std::string> expected = {"amd-llvm_lib_generic.tar.xz",
                                             "amd-llvm_lib_generic.tar.zst",
                                             "base_lib_generic.tar.zst",
                                             "ccache_logs.tar.zst",
                                             "rocblas_lib_gfx942.tar.zst"};
  EXPECT_EQ(archive_candidates(keys, root), expected);
  EXPECT_EQ(archive_candidates(keys, root + "/"), expected);
}

TEST(ArchiveCandidates, NameFilterKeepsNameUnderscorePrefix) {
  const std::vector<std::string> names = {"blas_lib_generic.tar.zst",
                                          "blas_test_gfx942.tar.zst",
                                          "blas-extra_lib_generic.tar.zst",
                                          "hipblas_lib_generic.tar.zst",
                                          "blas.txt",
                                          "sub/blas_lib_gfx942.tar.zst"};
  // An empty run root is the local staging form: plain file names.
  EXPECT_EQ(archive_candidates(names, "", "blas"),
            (std::vector<std::string>{"blas_lib_generic.tar.zst", "blas_test_gfx942.tar.zst"}));
  EXPECT_EQ(archive_candidates(names, "").size(), 4U);
}

TEST(PreferZstd, DropsXzWhenTheSameArtifactHasZstd) {
  const std::vector<std::string> names = {"amd-llvm_lib_generic.tar.xz",
                                          "amd-llvm_lib_generic.tar.zst",
                                          "base_lib_generic.tar.xz",
                                          "blas_lib_gfx942.tar.xz",
                                          "blas_lib_gfx94X-dcgpu.tar.zst",
                                          "ccache_logs.tar.xz"};
  EXPECT_EQ(prefer_zstd(names),
            (std::vector<std::string>{"amd-llvm_lib_generic.tar.zst",
                                      "base_lib_generic.tar.xz",
                                      "blas_lib_gfx942.tar.xz",
                                      "blas_lib_gfx94X-dcgpu.tar.zst",
                                      "ccache_logs.tar.xz"}));
}

TEST(Companion, NamesAndRecognition) {
  EXPECT_EQ(companion_name("blas_lib_gfx94X.tar.xz"), "blas_lib_gfx94X.tar.xz.sha256sum");
  EXPECT_EQ(companion_archive("blas_lib_gfx94X.tar.xz.sha256sum"), "blas_lib_gfx94X.tar.xz");
  EXPECT_EQ(companion_archive("rccl_test_gfx942:xnack+.tar.zst.sha256sum"),
            "rccl_test_gfx942:xnack+.tar.zst");
  EXPECT_EQ(companion_archive("notes.txt.sha256sum"), std::nullopt);
  EXPECT_EQ(companion_archive("blas_lib_gfx942.tar.zst"), std::nullopt);
  EXPECT_EQ(companion_archive("blas_lib_gfx942.tar.zst.SHA256SUM"), std::nullopt);
  EXPECT_EQ(companion_archive(".sha256sum"), std::nullopt);
}

TEST(Companion, ParseSha256sumContentForms) {
  const std::string digest = util::sha256_hex("base_dev_generic archive bytes");
  std::string upper = digest;
  for (char& ch : upper) {
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  const std::vector<std::string> contents = {
      digest + "\n",                                  // produced files
      digest + "\r\n",                                // Windows runners (66 bytes, OQ 23)
      digest,                                         // no line ending
      upper + "\n",                                   // compared case-insensitively
      digest + "  base_dev_generic.tar.zst\n",        // GNU sha256sum text mode
      digest + " *base_dev_generic.tar.zst\r\n",      // GNU binary mode, CRLF
      "  \t" + digest + "\tbase_dev_generic.tar.zst", // surrounding whitespace
  };
  ASSERT_EQ(contents[1].size(), 66U);
  for (const auto& content : contents) {
    EXPECT_EQ(parse_sha256sum(content, "base_dev_generic.tar.zst.sha256sum"), digest) << content;
  }
}

TEST(Companion, ParseSha256sumErrors) {
  const char* companion = "core-hip_doc_generic.tar.zst.sha256sum";
  for (const char* empty : {"", "\n", "\r\n", " \t \r\n"}) {
    EXPECT_ERROR(parse_sha256sum(empty, companion),
                 IntegrityError,
                 "checksum companion 'core-hip_doc_generic.tar.zst.sha256sum' is empty");
  }
  EXPECT_ERROR(parse_sha256sum("<html>AccessDenied</html>\n", companion),
               IntegrityError,
               "checksum companion 'core-hip_doc_generic.tar.zst.sha256sum' does not start "
               "with a 64-digit hex SHA-256 (found '<html>AccessDenied</html>')");
  EXPECT_ERROR(parse_sha256sum(std::string(63, 'a') + "\n", companion),
               IntegrityError,
               "does not start with a 64-digit hex SHA-256");
  EXPECT_ERROR(parse_sha256sum(std::string(64, 'g'), companion),
               IntegrityError,
               "does not start with a 64-digit hex SHA-256");
}

TEST(Components, ExtendsChainOrder) {
  EXPECT_EQ(std::vector<std::string_view>(k_components.begin(), k_components.end()),
            (std::vector<std::string_view>{"lib", "run", "dbg", "dev", "doc", "test"}));
  EXPECT_TRUE(is_known_component("dbg"));
  EXPECT_FALSE(is_known_component("LIB"));
  EXPECT_FALSE(is_known_component("docs"));
}

TEST(Components, ParseComponentList) {
  EXPECT_EQ(parse_component_list("dbg,doc"), (std::vector<std::string>{"dbg", "doc"}));
  EXPECT_EQ(parse_component_list(" dbg ; doc,test "),
            (std::vector<std::string>{"dbg", "doc", "test"}));
  EXPECT_EQ(parse_component_list("lib,,lib;"), (std::vector<std::string>{"lib"}));
  EXPECT_EQ(parse_component_list(""), std::vector<std::string>{});
  EXPECT_ERROR(parse_component_list("dbg,docs"),
               UsageError,
               "unknown artifact component 'docs'; valid components: lib, run, dbg, dev, doc, "
               "test");
  EXPECT_ERROR(parse_component_list("LIB"), UsageError, "unknown artifact component 'LIB'");
}

} // namespace
} // namespace rockart::layout
