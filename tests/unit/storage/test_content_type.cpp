// SPDX-License-Identifier: MIT
// content_type_for() against every row of spec/behaviours.md §6.1's table.
#include <rockart/storage/content_type.hpp>

#include <gtest/gtest.h>

#include <string>

namespace rockart::storage {
namespace {

struct Row {
  const char* name;
  const char* type;
};

class ContentType : public ::testing::TestWithParam<Row> {};

TEST_P(ContentType, FollowsTheSpecTable) {
  EXPECT_EQ(content_type_for(GetParam().name), GetParam().type) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(SpecRows,
                         ContentType,
                         ::testing::Values(Row{"ninja_logs.tar.gz", "application/gzip"},
                                           Row{"index.html", "text/html"},
                                           Row{"rocBLAS_build.log", "text/plain"},
                                           Row{"comp-summary.md", "text/plain"},
                                           Row{"rocm_sdk-7.0-py3-none-linux_x86_64.whl",
                                               "application/zip"},
                                           Row{"blas_lib_gfx94X.tar.xz", "application/x-xz"},
                                           Row{"blas_lib_gfx94X.tar.zst", "application/zstd"},
                                           Row{"therock_manifest.json", "application/json"},
                                           Row{"notes.txt", "text/plain"},
                                           Row{"page.htm", "text/html"},
                                           Row{"a.tar", "application/x-tar"},
                                           Row{"a.tgz", "application/x-tar"},
                                           Row{"a.zip", "application/zip"},
                                           Row{"a.csv", "text/csv"},
                                           Row{"repomd.xml", "text/xml"},
                                           Row{"a.svg", "image/svg+xml"},
                                           Row{"a.png", "image/png"},
                                           Row{"a.jpg", "image/jpeg"},
                                           Row{"a.jpeg", "image/jpeg"},
                                           Row{"a.gif", "image/gif"},
                                           Row{"a.css", "text/css"},
                                           Row{"a.js", "application/javascript"},
                                           Row{"a.pdf", "application/pdf"},
                                           Row{"a.py", "text/x-python"},
                                           Row{"a.sh", "application/x-sh"},
                                           Row{"x.tar.zst.sha256sum", "application/octet-stream"},
                                           Row{"a.rpm", "application/octet-stream"},
                                           Row{"a.deb", "application/octet-stream"},
                                           Row{"a.toml", "application/octet-stream"},
                                           Row{"a.yaml", "application/octet-stream"},
                                           Row{"Release", "application/octet-stream"},
                                           Row{".bashrc", "application/octet-stream"},
                                           Row{"trailing.", "application/octet-stream"}));

INSTANTIATE_TEST_SUITE_P(CaseAndPaths,
                         ContentType,
                         ::testing::Values(Row{"X.TAR.ZST", "application/zstd"},
                                           Row{"Index.HTML", "text/html"},
                                           Row{"logs/gfx94X/build.log", "text/plain"},
                                           Row{"dir.d/noext", "application/octet-stream"}));

} // namespace
} // namespace rockart::storage
