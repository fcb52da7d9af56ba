// SPDX-License-Identifier: MIT
// The run catalog's one cache policy, driven with a fake GitHub, a fake S3
// and a real cache in a temp dir: for a run that is completed, in progress or
// missing, asked online, offline or without a cache, which facts come from the
// cache, which are asked again, and what fails with which class.
#include "support/support.hpp"

#include <rockart/cache/cache.hpp>
#include <rockart/error.hpp>
#include <rockart/runs/catalog.hpp>
#include <rockart/util/hash.hpp>

#include <gtest/gtest.h>

#include <map>
#include <optional>

namespace rockart::runs {
namespace {

const std::string k_repo = "ROCm/TheRock";
const std::string k_sha = "77f0cb2112d1d0aaae0de6088a6e4337f2488233";
const std::string k_workflow = "multi_arch_ci.yml";
constexpr std::uint64_t k_run = 20083647898;
const std::string k_prefix = "20083647898-linux/";
const std::string k_archive = "core_lib_gfx94X-dcgpu.tar.zst";
const std::string k_digest = util::sha256_hex("archive bytes");

// GitHub as a RunSource that counts questions. `status` empty: the run does not exist.
struct FakeGithub final : github::RunSource {
  std::string status;
  int asked = 0;

  github::WorkflowRun get_run(std::string_view repo, std::uint64_t id) override {
    ++asked;
    if (status.empty() || id != k_run) {
      throw RemoteError("Resource not found (404): GET /repos/" + std::string(repo)
                            + "/actions/runs/" + std::to_string(id),
                        404,
                        "NotFound");
    }
    return run();
  }

  std::optional<std::vector<github::WorkflowRun>>
  runs_for_commit(std::string_view, std::string_view, std::string_view) override {
    ++asked;
    if (status.empty()) {
      return std::vector<github::WorkflowRun>{};
    }
    return std::vector<github::WorkflowRun>{run()};
  }

  github::WorkflowRun run() const {
    github::WorkflowRun run;
    run.id = k_run;
    run.status = status;
    run.head_sha = k_sha;
    run.head_repository = k_repo;
    run.updated_at = "2026-02-01T00:00:00Z";
    run.html_url = "https://github.com/ROCm/TheRock/actions/runs/20083647898";
    return run;
  }
};

// S3 as RunObjects: one archive and its companion below the run root.
struct FakeS3 final : RunObjects {
  int lists = 0;
  int reads = 0;

  std::vector<RunFile> list(std::string_view, std::string_view prefix) override {
    ++lists;
    EXPECT_EQ(prefix, k_prefix);
    return {{k_archive, 13, "a1"}, {k_archive + ".sha256sum", 65, "c1"}};
  }

  SmallObject read(std::string_view, std::string_view key, std::size_t) override {
    ++reads;
    EXPECT_EQ(key, k_prefix + k_archive + ".sha256sum");
    return {k_digest + "  " + k_archive + "\n", "c1"};
  }
};

enum class Mode { online, offline, no_cache };

const char* name_of(Mode mode) {
  return mode == Mode::online ? "online" : mode == Mode::offline ? "offline" : "no-cache";
}

// Requests a question cost and how it ended.
struct Cost {
  int github = 0;
  int lists = 0;
  int reads = 0;
  std::string failure; // "" ok, else the error's kind
};

struct Case {
  const char* status; // "completed", "in_progress", "" (missing)
  Mode mode;
  Cost second; // the same questions asked again, after a first online round
  bool completed = false;
};

class CatalogPolicy : public ::testing::Test {
protected:
  // Asks for the run by id, its files and its archive's digest, with a fresh catalog.
  Cost ask(Mode mode, std::optional<runs::Run>* run_out = nullptr) {
    m_github.asked = 0;
    m_s3.lists = 0;
    m_s3.reads = 0;
    Cost cost;
    try {
      RunCatalog catalog(
          {m_github, m_s3, mode == Mode::no_cache ? nullptr : &m_cache, mode == Mode::offline});
      const runs::Run run = catalog.by_id({k_repo, k_run, "linux", layout::BucketInputs{}});
      const auto files = catalog.files(run);
      EXPECT_EQ(files.size(), 2u);
      EXPECT_EQ(catalog.companion_digest(run, files.at(1)), k_digest);
      if (run_out != nullptr) {
        *run_out = run;
      }
    } catch (const Error& e) {
      cost.failure = e.kind();
    }
    cost.github = m_github.asked;
    cost.lists = m_s3.lists;
    cost.reads = m_s3.reads;
    return cost;
  }

  test::TempDir m_dir;
  cache::Cache m_cache = cache::Cache::open({m_dir.path() / "cache"});
  FakeGithub m_github;
  FakeS3 m_s3;
};

TEST_F(CatalogPolicy, RunByIdFilesAndDigestsFollowOnePolicy) {
  const std::vector<Case> cases = {
      // Completed: facts, listing and digest never change, so the cache answers.
      {"completed", Mode::online, {0, 0, 0, ""}, true},
      {"completed", Mode::offline, {0, 0, 0, ""}, true},
      {"completed", Mode::no_cache, {1, 1, 1, ""}, true},
      // In progress: the run and its listing are asked again; the digest is
      // cached under the companion's ETag, which names one content.
      {"in_progress", Mode::online, {1, 1, 0, ""}, false},
      {"in_progress", Mode::offline, {0, 0, 0, ""}, false},
      {"in_progress", Mode::no_cache, {1, 1, 1, ""}, false},
      // Missing: GitHub's 404 keeps its class; offline the cache names what it lacks.
      {"", Mode::online, {1, 0, 0, "remote"}},
      {"", Mode::offline, {0, 0, 0, "not-found"}},
      {"", Mode::no_cache, {1, 0, 0, "remote"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.status) + " x " + name_of(c.mode));
    test::TempDir dir;
    m_cache = cache::Cache::open({dir.path() / "cache"});
    m_github.status = c.status;
    const Cost first = ask(Mode::online); // fills the cache where the policy allows
    EXPECT_EQ(first.failure, c.second.failure.empty() ? "" : "remote");
    std::optional<runs::Run> run;
    const Cost second = ask(c.mode, &run);
    EXPECT_EQ(second.github, c.second.github);
    EXPECT_EQ(second.lists, c.second.lists);
    EXPECT_EQ(second.reads, c.second.reads);
    EXPECT_EQ(second.failure, c.second.failure);
    if (run) {
      EXPECT_EQ(run->completed, c.completed);
      EXPECT_EQ(run->bucket, "therock-ci-artifacts");
      EXPECT_EQ(run->prefix, k_prefix);
      EXPECT_EQ(run->uri(), "s3://therock-ci-artifacts/20083647898-linux");
    }
  }
}

TEST_F(CatalogPolicy, CommitAnswersFollowTheSamePolicy) {
  struct CommitCase {
    const char* status;
    Mode mode;
    int asked;     // GitHub questions on the second round
    bool answered; // an answer (possibly empty) came back
  };

  const std::vector<CommitCase> cases = {
      {"completed", Mode::online, 0, true},
      {"completed", Mode::offline, 0, true},
      {"completed", Mode::no_cache, 1, true},
      {"in_progress", Mode::online, 1, true},
      {"in_progress", Mode::offline, 0, true},
      {"in_progress", Mode::no_cache, 1, true},
      // "No run yet" is never stored: asked again online, unknown offline.
      {"", Mode::online, 1, true},
      {"", Mode::offline, 0, false},
      {"", Mode::no_cache, 1, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.status) + " x " + name_of(c.mode));
    test::TempDir dir;
    m_cache = cache::Cache::open({dir.path() / "cache"});
    m_github.status = c.status;
    {
      RunCatalog warm({m_github, m_s3, &m_cache, false});
      (void)warm.run_source().runs_for_commit(k_repo, k_workflow, k_sha);
    }
    m_github.asked = 0;
    RunCatalog catalog(
        {m_github, m_s3, c.mode == Mode::no_cache ? nullptr : &m_cache, c.mode == Mode::offline});
    const auto answer = catalog.run_source().runs_for_commit(k_repo, k_workflow, k_sha);
    EXPECT_EQ(m_github.asked, c.asked);
    EXPECT_EQ(answer.has_value(), c.answered);
  }
}

TEST_F(CatalogPolicy, OfflineNeedsACache) {
  EXPECT_ERROR(
      RunCatalog({m_github, m_s3, nullptr, true}), UsageError, "--offline needs the cache");
}

TEST_F(CatalogPolicy, ALookupFailureSaysWhichRunAndKeepsItsClass) {
  m_github.status = "";
  RunCatalog catalog({m_github, m_s3, &m_cache, false});
  try {
    catalog.by_id({k_repo, k_run, "linux", {}});
    FAIL() << "no error";
  } catch (const RemoteError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(std::string(e.what()).rfind("cannot look up workflow run 20083647898 of ROCm/TheRock "
                                          "(https://github.com/ROCm/TheRock/actions/runs/"
                                          "20083647898): Resource not found (404)",
                                          0),
              0u)
        << e.what();
    EXPECT_NE(e.hint().find("--run-github-repo"), std::string::npos);
  }
}

TEST_F(CatalogPolicy, ABucketOverrideAsksNoGithubAndKnowsCompletionOnlyFromTheCache) {
  layout::BucketInputs inputs;
  inputs.bucket_override = "my-bucket";
  m_github.status = "completed";
  RunCatalog catalog({m_github, m_s3, &m_cache, false});
  runs::Run run = catalog.by_id({k_repo, k_run, "linux", inputs});
  EXPECT_EQ(m_github.asked, 0);
  EXPECT_EQ(run.bucket, "my-bucket");
  EXPECT_EQ(run.prefix, k_prefix);
  EXPECT_FALSE(run.completed);                       // never seen: not known to be final
  (void)catalog.by_id({k_repo, k_run, "linux", {}}); // now the cache knows it completed
  run = catalog.by_id({k_repo, k_run, "linux", inputs});
  EXPECT_TRUE(run.completed);
}

TEST_F(CatalogPolicy, ARootIsListedOncePerCatalog) {
  m_github.status = "in_progress";
  RunCatalog catalog({m_github, m_s3, &m_cache, false});
  const runs::Run run = catalog.by_id({k_repo, k_run, "linux", {}});
  (void)catalog.files(run);
  (void)catalog.files(run);
  github::RunStorage storage;
  storage.bucket = run.bucket;
  storage.path = run.prefix;
  EXPECT_EQ(catalog.lister()(storage),
            (std::vector<std::string>{k_archive, k_archive + ".sha256sum"}));
  EXPECT_EQ(m_s3.lists, 1);
}

TEST_F(CatalogPolicy, AVanishedBucketStaysTypedThroughTheLister) {
  struct NoBucket final : RunObjects {
    std::vector<RunFile> list(std::string_view, std::string_view) override {
      throw NoSuchBucketError("cannot list s3://gone/: no such bucket");
    }

    SmallObject read(std::string_view, std::string_view, std::size_t) override { return {}; }
  } gone;

  RunCatalog catalog({m_github, gone, &m_cache, false});
  github::RunStorage storage;
  storage.bucket = "gone";
  storage.path = k_prefix;
  EXPECT_THROW(catalog.lister()(storage), NoSuchBucketError);
}

TEST_F(CatalogPolicy, ACompanionThatIsNotOneIsAnIntegrityError) {
  struct Garbage final : RunObjects {
    std::vector<RunFile> list(std::string_view, std::string_view) override { return {}; }

    SmallObject read(std::string_view, std::string_view, std::size_t) override {
      return {"<html>not a digest</html>", "x"};
    }
  } garbage;

  RunCatalog catalog({m_github, garbage, &m_cache, false});
  runs::Run run;
  run.bucket = "b";
  run.prefix = k_prefix;
  EXPECT_ERROR(catalog.companion_digest(run, {k_archive + ".sha256sum", 25, "x"}),
               IntegrityError,
               "does not start with a 64-digit hex SHA-256");
}

} // namespace
} // namespace rockart::runs
