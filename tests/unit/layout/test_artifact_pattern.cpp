// SPDX-License-Identifier: MIT
// Regular-expression filters over artifact file names (spec/artifacts.md §6).
#include "observed_inventory.hpp"
#include "support/support.hpp"

#include <rockart/error.hpp>
#include <rockart/layout/artifact_pattern.hpp>

#include <regex>

namespace rockart::layout {
namespace {

using Names = std::vector<std::string>;

struct SearchCase {
  const char* pattern;
  const char* file_name;
  bool found;
};

TEST(ArtifactPattern, SearchTable) {
  const std::vector<SearchCase> cases = {
      // §6.2 examples.
      {R"(^amd-llvm_.*_generic\.tar\.(zst|xz)$)", "amd-llvm_lib_generic.tar.zst", true},
      {R"(^amd-llvm_.*_generic\.tar\.(zst|xz)$)", "amd-llvm_dev_generic.tar.xz", true},
      {R"(^amd-llvm_.*_generic\.tar\.(zst|xz)$)", "base_lib_generic.tar.zst", false},
      {R"(^amd-llvm_.*_generic\.tar\.(zst|xz)$)", "amd-llvm_lib_generic.tar.zst.sha256sum", false},
      {R"(^rccl_lib_gfx942\.tar\.zst$)", "rccl_lib_gfx942.tar.zst", true},
      {R"(^rccl_lib_gfx942\.tar\.zst$)", "rccl_lib_gfx942:xnack+.tar.zst", false},
      // Searched, not matched: a plain substring anywhere counts (§6.1 install includes).
      {"core-runtime_lib", "core-runtime_lib_generic.tar.zst", true},
      {"lib_generic", "core-runtime_lib_generic.tar.zst", true},
      {R"(\.tar\.xz$)", "blas_lib_gfx94X-dcgpu.tar.xz", true},
      {R"(\.tar\.xz$)", "blas_lib_gfx942.tar.zst", false},
      {R"(gfx942:xnack\+)", "rccl_test_gfx942:xnack+.tar.zst", true},
      {"ROCBLAS", "rocblas_lib_gfx942.tar.zst", false},
      // The Python spellings §6.3 promises.
      {"(?i)ROCBLAS", "rocblas_lib_gfx942.tar.zst", true},
      {"(?P<component>lib|dev)_generic", "blas_dev_generic.tar.zst", true},
      {"(?P<component>lib|dev)_generic", "blas_doc_generic.tar.zst", false},
      {"(?:lib|run)_gfx", "blas_run_gfx942.tar.zst", true},
      // Escapes and character classes are not rewritten.
      {R"(\(?P<x>)", "P<x>", true},
      {"[(?P]", "a(b", true},
      {R"([\]]_lib)", "]_lib", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ArtifactPattern(c.pattern).found_in(c.file_name), c.found)
        << c.pattern << " in " << c.file_name;
  }
  EXPECT_EQ(ArtifactPattern("(?i)x").text(), "(?i)x");
}

std::string regex_error_text(const char* ecmascript) {
  try {
    std::regex compiled(ecmascript);
  } catch (const std::regex_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ArtifactPattern, InvalidRegexNamesPatternAndReason) {
  // The reason is std::regex's own message for the same pattern.
  for (const char* bad : {"(foo", "[abc", "*lib", "a{2,1}"}) {
    EXPECT_ERROR(ArtifactPattern(bad, "required-artifact pattern"),
                 UsageError,
                 std::string("invalid required-artifact pattern '") + bad
                     + "': " + regex_error_text(bad));
  }
  try {
    ArtifactPattern pattern("(foo", "include pattern");
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("invalid include pattern '(foo': ", 0), 0U) << e.what();
    EXPECT_NE(e.hint().find("escape literal characters such as '(' or '.' with a backslash"),
              std::string::npos);
  }
}

TEST(ArtifactPattern, UnsupportedPythonOnlySyntaxIsRejected) {
  EXPECT_ERROR(ArtifactPattern("(?s)a.b"),
               UsageError,
               "invalid pattern '(?s)a.b': inline flags are supported only as a leading (?i)");
  EXPECT_ERROR(ArtifactPattern("blas(?i)_lib"),
               UsageError,
               "inline flags are supported only as a leading (?i)");
  EXPECT_ERROR(ArtifactPattern("(?P<c>lib)(?P=c)"),
               UsageError,
               "named back-references (?P=name) are not supported");
  EXPECT_ERROR(ArtifactPattern("(?P<c"), UsageError, "unterminated group name after (?P<");
}

TEST(CompilePatterns, StopsAtTheFirstInvalidPattern) {
  EXPECT_EQ(compile_patterns({"a", "b"}).size(), 2U);
  EXPECT_ERROR(compile_patterns({"blas", "rocblas_(lib", "[x"}, "exclude pattern"),
               UsageError,
               "invalid exclude pattern 'rocblas_(lib': ");
}

struct IncludeExcludeCase {
  Names includes;
  Names excludes;
  Names expected;
};

TEST(FilterIncludeExclude, SpecExamples) {
  const Names names = {"foo_test", "foo_run", "bar_test", "bar_run"};
  const std::vector<IncludeExcludeCase> cases = {
      {{}, {}, names},
      {{"foo"}, {}, {"foo_test", "foo_run"}},
      {{"foo", "test"}, {}, {"foo_test", "foo_run", "bar_test"}},
      {{"foo"}, {"test"}, {"foo_run"}},
      {{}, {"test"}, {"foo_run", "bar_run"}},
      {{"foo"}, {"foo"}, {}}, // exclude wins
      {{"^run"}, {}, {}},     // anchors still work when written
  };
  for (const auto& c : cases) {
    EXPECT_EQ(
        filter_include_exclude(names, compile_patterns(c.includes), compile_patterns(c.excludes)),
        c.expected);
  }
}

TEST(FilterIncludeExclude, InstallToolIncludesOverObservedInventory) {
  const auto includes = compile_patterns({"core-runtime_lib", "amd-llvm_lib", "base_dev_generic"});
  EXPECT_EQ(filter_include_exclude(test::observed_archives(true, true), includes, {}),
            (Names{"amd-llvm_lib_generic.tar.zst",
                   "base_dev_generic.tar.zst",
                   "core-runtime_lib_generic.tar.zst"}));
  // An include naming the component keeps the per-target shard as well.
  const auto blas = compile_patterns({"^blas_lib"});
  EXPECT_EQ(filter_include_exclude(test::observed_archives(true, true), blas, {}),
            (Names{"blas_lib_generic.tar.zst", "blas_lib_gfx942.tar.zst"}));
}

TEST(MissingRequiredPatterns, ReportsPatternsInOrder) {
  const auto required = compile_patterns({"^a_", "^b_", "^c_"});
  EXPECT_EQ(missing_required_patterns({"b_lib_generic.tar.zst"}, required), (Names{"^a_", "^c_"}));
  EXPECT_EQ(missing_required_patterns({}, {}), Names{});
  EXPECT_EQ(missing_required_patterns({"a_x", "b_x", "c_x"}, required), Names{});
}

} // namespace
} // namespace rockart::layout
