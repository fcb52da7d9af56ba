// SPDX-License-Identifier: MIT
// One contract for every Store: LocalDirStore and S3Store on moto must behave
// the same for upload, list, copy and exists (spec/behaviours.md §6.1).
#include "store_fixture.hpp"

#include <rockart/error.hpp>
#include <rockart/storage/transfer.hpp>

namespace rockart::test {
namespace {

using storage::StoreKind;

std::vector<std::string> names(const std::vector<storage::StoredObject>& objects) {
  std::vector<std::string> out;
  for (const auto& object : objects) {
    out.push_back(object.name);
  }
  return out;
}

TEST_P(StoreTest, UploadedFileExistsWithTheSameBytes) {
  const std::string data = test_bytes(70000, 1);
  auto s = store();
  s->upload_file(source("a.tar.zst", data), loc("12345-linux/a.tar.zst"));
  EXPECT_TRUE(s->exists(loc("12345-linux/a.tar.zst")));
  EXPECT_FALSE(s->exists(loc("12345-linux/b.tar.zst")));
  EXPECT_FALSE(s->exists(loc("12345-linux")));
  EXPECT_EQ(stored("12345-linux/a.tar.zst"), data);
}

TEST_P(StoreTest, UploadReplacesAnExistingFile) {
  auto s = store();
  s->upload_file(source("a", "old"), loc("P/a.log"));
  s->upload_file(source("b", "new!"), loc("P/a.log"));
  EXPECT_EQ(stored("P/a.log"), "new!");
}

TEST_P(StoreTest, ListGivesSortedNamesBelowTheDirectoryWithSizes) {
  auto s = store();
  s->upload_file(source("1", "12345"), loc("P/logs/g/b.log"));
  s->upload_file(source("2", "1"), loc("P/logs/g/a.log"));
  s->upload_file(source("3", "12"), loc("P/logs/g/sub/c.log"));
  s->upload_file(source("4", "x"), loc("P/logsX/other.log"));
  s->upload_file(source("5", "x"), loc("P/root.txt"));
  const auto listed = s->list(loc("P/logs"), "*");
  EXPECT_EQ(names(listed), (std::vector<std::string>{"g/a.log", "g/b.log", "g/sub/c.log"}));
  EXPECT_EQ(listed[1].size, 5u);
  EXPECT_EQ(listed[2].size, 2u);
  EXPECT_EQ(listed[0].last_modified.size(), 20u) << listed[0].last_modified;
  EXPECT_EQ(names(s->list(loc("P"), "logs/*.log")),
            (std::vector<std::string>{"logs/g/a.log", "logs/g/b.log", "logs/g/sub/c.log"}));
  EXPECT_EQ(names(s->list(loc("P"), "*.txt")), std::vector<std::string>{"root.txt"});
  EXPECT_EQ(names(s->list(loc("P/logs/g"), "sub/*")), std::vector<std::string>{"sub/c.log"});
}

TEST_P(StoreTest, ListOfAMissingDirectoryIsEmpty) {
  EXPECT_TRUE(store()->list(loc("nothing/here"), "*").empty());
}

TEST_P(StoreTest, CopyDuplicatesTheFileAndKeepsTheSource) {
  auto s = store();
  const std::string data = test_bytes(1000, 2);
  s->upload_file(source("a", data), loc("1-linux/x.tar.zst"));
  s->copy(loc("1-linux/x.tar.zst"), loc("2-linux/x.tar.zst"));
  EXPECT_EQ(stored("2-linux/x.tar.zst"), data);
  EXPECT_TRUE(s->exists(loc("1-linux/x.tar.zst")));
}

TEST_P(StoreTest, CopyOfAMissingFileIsNotFound) {
  EXPECT_ERROR(store()->copy(loc("1-linux/none"), loc("2-linux/none")), NotFoundError, "none");
}

TEST_P(StoreTest, MissingSourceFileFailsOnceWithoutRetry) {
  EXPECT_ERROR(store()->upload_file(m_dir.path() / "absent.log", loc("P/absent.log")),
               LocalIoError,
               (m_dir.path() / "absent.log").string());
  EXPECT_EQ(log().find("retrying"), std::string::npos) << log();
}

TEST_P(StoreTest, BatchAttemptsEveryFileAndNamesEachFailure) {
  auto s = store();
  std::vector<storage::UploadItem> items;
  for (int i = 0; i < 10; ++i) {
    const std::string name = "f" + std::to_string(i) + ".txt";
    const auto path = i == 3 ? m_dir.path() / "missing.txt" : source(name, name);
    items.push_back({path, loc("P/" + name)});
  }
  try {
    storage::upload_files(*s, items, 4);
    ADD_FAILURE() << "expected a failure";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("failed to upload 1/10 files:\n  " + s->describe(loc("P/f3.txt")), 0),
              0u)
        << message;
    EXPECT_NE(message.find("missing.txt"), std::string::npos) << message;
  }
  EXPECT_EQ(s->list(loc("P"), "*").size(), 9u);
}

TEST_P(StoreTest, DirectoryUploadFiltersAndSkipsSymlinks) {
  const auto tree = m_dir.path() / "tree";
  write_file(tree / "build.log", "b");
  write_file(tree / "sub/deep.log", "d");
  write_file(tree / "ccache/ccache.log", "c");
  write_file(m_dir.path() / "outside/secret.txt", "secret");
  std::filesystem::create_symlink(m_dir.path() / "outside/secret.txt", tree / "link.txt");
  std::filesystem::create_directory_symlink(m_dir.path() / "outside", tree / "linkdir");
  std::filesystem::create_symlink("build.log", tree / "inner-link.log");
  auto s = store();
  const auto count =
      storage::upload_directory(*s, tree, loc("P/logs/g"), {{"*"}, {"ccache/**/*"}}, 3);
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(names(s->list(loc("P"), "*")),
            (std::vector<std::string>{"logs/g/build.log", "logs/g/sub/deep.log"}));
  EXPECT_NE(log().find("warn: skipping symlink " + (tree / "link.txt").string()), std::string::npos)
      << log();
  EXPECT_NE(log().find("skipping symlink " + (tree / "linkdir").string()), std::string::npos);
}

TEST_P(StoreTest, DirectoryUploadOfAFileIsAnError) {
  const auto file = source("plain", "x");
  EXPECT_ERROR(storage::upload_directory(*store(), file, loc("P")),
               LocalIoError,
               "cannot upload directory " + file.string() + ": not a directory");
}

TEST_P(StoreTest, DryRunLogsEachWriteAndWritesNothing) {
  auto s = store(true);
  s->upload_file(source("a.tar.zst", "a"), loc("P/a.tar.zst"));
  s->copy(loc("P/a.tar.zst"), loc("Q/a.tar.zst"));
  const std::string dest = store()->describe(loc("P/a.tar.zst"));
  const std::string expected_upload = "[DRY RUN] " + (m_dir.path() / "src/a.tar.zst").string()
                                      + " -> " + dest + (is_s3() ? " (application/zstd)" : "");
  ASSERT_EQ(m_dry_lines.size(), 2u);
  EXPECT_EQ(m_dry_lines[0], expected_upload);
  EXPECT_EQ(m_dry_lines[1],
            "[DRY RUN] copy " + dest + " -> " + store()->describe(loc("Q/a.tar.zst")));
  EXPECT_TRUE(store()->list(loc("P"), "*").empty());
  EXPECT_FALSE(std::filesystem::exists(m_dir.path() / "staging" / "P"));
}

INSTANTIATE_TEST_SUITE_P(Backends,
                         StoreTest,
                         ::testing::Values(StoreKind::local_dir, StoreKind::s3),
                         store_kind_name);

} // namespace
} // namespace rockart::test
